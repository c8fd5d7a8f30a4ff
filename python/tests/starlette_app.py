"""The Starlette and FastAPI apps of the backend tests: the same routes on both."""

from __future__ import annotations

from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from sessionvault.starlette import VaultSessionMiddleware, middleware, sign_in
from sessionvault.tokenize import resolve_profile, tokenize_profile


async def visits(request: Request) -> JSONResponse:
    request.session["visits"] = int(request.session.get("visits", 0)) + 1
    return JSONResponse({"visits": request.session["visits"]})


async def login(request: Request) -> JSONResponse:
    body = await request.json()
    client = middleware(request).engine.client
    usertoken = await tokenize_profile(client, {"email": body["email"], "name": body["name"]}, on_conflict="reuse")
    request.session["usertoken"] = usertoken
    sign_in(request, usertoken)
    return JSONResponse({"ok": True})


async def me(request: Request) -> JSONResponse:
    token = request.session.get("usertoken")
    profile = await resolve_profile(middleware(request).engine.client, token) if token else None
    if profile is None:
        return JSONResponse({"error": "not signed in"}, status_code=401)
    return JSONResponse({"email": profile["email"], "name": profile["name"]})


async def remember(request: Request) -> JSONResponse:
    request.session["note"] = (await request.json())["note"]
    return JSONResponse({"ok": True})


async def logout(request: Request) -> JSONResponse:
    request.session.clear()
    return JSONResponse({"ok": True})


ROUTES = [
    Route("/visits", visits),
    Route("/login", login, methods=["POST"]),
    Route("/me", me),
    Route("/remember", remember, methods=["POST"]),
    Route("/logout", logout, methods=["POST"]),
]


def create_starlette(url: str, token: str, **options: Any) -> Starlette:
    app = Starlette(routes=ROUTES)
    app.add_middleware(VaultSessionMiddleware, url=url, token=token, strict=True, **options)
    return app


def create_fastapi(url: str, token: str, **options: Any) -> Any:
    from fastapi import FastAPI

    app = FastAPI()
    for route in ROUTES:
        app.router.routes.append(route)
    app.add_middleware(VaultSessionMiddleware, url=url, token=token, strict=True, **options)
    return app
