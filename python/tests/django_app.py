"""The Django app of the backend tests: settings, views and URLs in one module."""

from __future__ import annotations

import json

import django
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import path

from sessionvault import django as vault_sessions
from sessionvault.tokenize import resolve_profile, tokenize_profile


def configure(url: str, token: str) -> None:
    if settings.configured:
        return
    settings.configure(
        DEBUG=False,
        SECRET_KEY="tests-only-secret-key-0123456789abcdef",
        ALLOWED_HOSTS=["127.0.0.1", "localhost"],
        ROOT_URLCONF=__name__,
        INSTALLED_APPS=[],
        MIDDLEWARE=["django.contrib.sessions.middleware.SessionMiddleware"],
        SESSION_ENGINE="sessionvault.django",
        SESSIONVAULT={"URL": url, "TOKEN": token, "STRICT": True},
        USE_TZ=True,
        LOGGING_CONFIG=None,
    )
    django.setup()


def visits(request: HttpRequest) -> HttpResponse:
    request.session["visits"] = int(request.session.get("visits", 0)) + 1
    return JsonResponse({"visits": request.session["visits"]})


def login(request: HttpRequest) -> HttpResponse:
    body = json.loads(request.body)
    client = vault_sessions.engine().client
    usertoken = tokenize_profile(client, {"email": body["email"], "name": body["name"]}, on_conflict="reuse")
    request.session["usertoken"] = usertoken
    vault_sessions.sign_in(request, usertoken)
    return JsonResponse({"ok": True})


def me(request: HttpRequest) -> HttpResponse:
    token = request.session.get("usertoken")
    profile = resolve_profile(vault_sessions.engine().client, token) if token else None
    if profile is None:
        return JsonResponse({"error": "not signed in"}, status=401)
    return JsonResponse({"email": profile["email"], "name": profile["name"]})


def remember(request: HttpRequest) -> HttpResponse:
    request.session["note"] = json.loads(request.body)["note"]
    return JsonResponse({"ok": True})


def logout(request: HttpRequest) -> HttpResponse:
    request.session.flush()
    return JsonResponse({"ok": True})


urlpatterns = [
    path("visits", visits),
    path("login", login),
    path("me", me),
    path("remember", remember),
    path("logout", logout),
]
