"""The Flask app of the backend tests."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Flask, jsonify, request, session

from sessionvault.flask import VaultSessionInterface, sign_in
from sessionvault.tokenize import resolve_profile, tokenize_profile


def create_app(url: str, token: str, *, lifetime: float = 1800, timeout: float = 5.0) -> Flask:
    app = Flask(__name__)
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(seconds=lifetime)
    sessions = VaultSessionInterface(url=url, token=token, strict=True, timeout=timeout)
    app.session_interface = sessions

    @app.get("/visits")
    def visits() -> Any:
        session.permanent = True
        session["visits"] = int(session.get("visits", 0)) + 1
        return {"visits": session["visits"]}

    @app.post("/login")
    def login() -> Any:
        body = request.get_json()
        usertoken = tokenize_profile(
            sessions.client, {"email": body["email"], "name": body["name"]}, on_conflict="reuse"
        )
        session["usertoken"] = usertoken
        sign_in(usertoken)
        return {"ok": True}

    @app.get("/me")
    def me() -> Any:
        token = session.get("usertoken")
        profile = resolve_profile(sessions.client, token) if token else None
        if profile is None:
            return jsonify(error="not signed in"), 401
        return {"email": profile["email"], "name": profile["name"]}

    @app.post("/remember")
    def remember() -> Any:
        session["note"] = request.get_json()["note"]
        return {"ok": True}

    @app.post("/logout")
    def logout() -> Any:
        session.clear()
        return {"ok": True}

    return app
