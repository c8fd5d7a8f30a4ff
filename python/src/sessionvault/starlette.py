"""A Starlette / FastAPI session middleware on the vault, in place of Starlette's signed-cookie
``SessionMiddleware``: ``request.session`` is the same dict, the cookie holds only a random id.

Example::

    from starlette.applications import Starlette
    from sessionvault.starlette import VaultSessionMiddleware

    app = Starlette()
    app.add_middleware(VaultSessionMiddleware, url="http://127.0.0.1:4700", token="DEMO", strict=True)

- The record's window is ``max_age`` (seconds, default 14 days, as Starlette's); it slides, as
  Starlette refreshes the cookie on every response. ``max_age=None`` (a browser-session cookie)
  uses ``ttl`` (default one day).
- ``request.session.clear()`` deletes the record in the vault (logout is server-side) and the cookie.
- :func:`regenerate` gives the session a new id at the response (the old record is deleted);
  :func:`sign_in` does that and links the session to the vault user, written once.
- An unreachable vault raises :class:`~sessionvault.sessions.SessionError` before the response
  starts: Starlette answers 500, never with an empty session. So does strict mode.
"""

from __future__ import annotations

from typing import Any

from starlette.datastructures import MutableHeaders
from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ._generated.models import Mode
from .client import AsyncClient, VaultSessionRow
from .sessions import AsyncSessionEngine, SessionState, Window, generate_session_id

__all__ = [
    "VaultSessionMiddleware",
    "link_user",
    "middleware",
    "regenerate",
    "session_id",
    "sign_in",
    "user_token",
]

_KEY = "sessionvault"


class _Control:
    def __init__(self, middleware: VaultSessionMiddleware, sid: str | None, state: SessionState) -> None:
        self.middleware = middleware
        self.sid = sid
        self.state = state
        self.regenerate = False


class VaultSessionMiddleware:
    """Pure ASGI middleware. Pass a ``client`` (an :class:`~sessionvault.AsyncClient`) or ``url``
    and ``token`` (and optionally ``tenant``, ``timeout``). Cookie options as Starlette's
    ``SessionMiddleware``: ``session_cookie``, ``max_age``, ``path``, ``same_site``,
    ``https_only``, ``domain``."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        client: AsyncClient | None = None,
        url: str | None = None,
        token: str | None = None,
        tenant: str | None = None,
        timeout: float = 5.0,
        strict: bool = False,
        session_cookie: str = "session",
        max_age: int | None = 14 * 24 * 60 * 60,
        ttl: int = 86_400,
        path: str = "/",
        same_site: str = "lax",
        https_only: bool = False,
        domain: str | None = None,
    ) -> None:
        if client is None:
            if not url or not token:
                raise ValueError("VaultSessionMiddleware needs client= or url= and token=")
            client = AsyncClient(url, token, tenant=tenant, timeout=timeout)
        self.app = app
        self.engine = AsyncSessionEngine(client, strict=strict)
        self.cookie = session_cookie
        self.max_age = max_age
        self.window = Window.sliding(max_age if max_age else ttl)
        flags = f"path={path}; httponly; samesite={same_site}"
        if https_only:
            flags += "; secure"
        if domain:
            flags += f"; domain={domain}"
        self.flags = flags

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        sid = HTTPConnection(scope).cookies.get(self.cookie)
        state = SessionState()
        data = await self.engine.load(sid, state) if sid else None
        control = _Control(self, sid if data is not None else None, state)
        scope["session"] = data or {}
        scope[_KEY] = control

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                await self._commit(scope, control, MutableHeaders(scope=message))
            await send(message)

        await self.app(scope, receive, send_wrapper)

    async def _commit(self, scope: Scope, control: _Control, headers: MutableHeaders) -> None:
        session: dict[str, Any] = scope["session"]
        if not session:
            if control.sid is not None:
                # Cleared (signed out): the record goes, a replayed cookie finds nothing.
                await self.engine.destroy(control.sid, control.state)
                headers.append("set-cookie", f"{self.cookie}=null; {self.flags}; max-age=0")
            return
        old = control.sid if control.regenerate else None
        if control.sid is None or old is not None:
            control.sid = generate_session_id()
            control.state.clear()
        if await self.engine.save(control.sid, dict(session), self.window, control.state) == "gone":
            # Deleted (signed out elsewhere, revoked) while this request ran: it stays deleted.
            headers.append("set-cookie", f"{self.cookie}=null; {self.flags}; max-age=0")
            return
        if old is not None:
            await self.engine.destroy(old)
        max_age = f"; max-age={self.max_age}" if self.max_age else ""
        headers.append("set-cookie", f"{self.cookie}={control.sid}; {self.flags}{max_age}")

    async def list_sessions(self, mode: Mode, identity: str, *, limit: int | None = None) -> list[VaultSessionRow]:
        """A user's live sessions ("your devices"), most recently used first."""
        return await self.engine.list_sessions(mode, identity, limit=limit)

    async def revoke_sessions(self, mode: Mode, identity: str, *, keep: list[str] | None = None) -> int:
        """Sign a user out everywhere (except the session ids in ``keep``); returns how many."""
        return await self.engine.revoke_sessions(mode, identity, keep=keep)


def _control(connection: HTTPConnection) -> _Control:
    control = connection.scope.get(_KEY)
    if not isinstance(control, _Control):
        raise RuntimeError("add VaultSessionMiddleware to the app first")
    return control


def regenerate(connection: HTTPConnection) -> None:
    """Give the session a new id at the response, with its data and user link; the old id is
    deleted in the vault (call it at login, so a planted id is worthless)."""
    _control(connection).regenerate = True


def link_user(connection: HTTPConnection, usertoken: str | None) -> None:
    """Link the session to the vault user ``usertoken`` (None unlinks) when it is saved."""
    _control(connection).state.pending_link = usertoken


def sign_in(connection: HTTPConnection, usertoken: str) -> None:
    """Login in one step: a new session id, the data carried over and the session linked to the user."""
    link_user(connection, usertoken)
    regenerate(connection)


def user_token(connection: HTTPConnection) -> str | None:
    """The vault token of the user the session is linked to, or None."""
    return _control(connection).state.user_token


def session_id(connection: HTTPConnection) -> str | None:
    """The session's id (its cookie value), None until it is first saved."""
    return _control(connection).sid


def middleware(connection: HTTPConnection) -> VaultSessionMiddleware:
    """The middleware serving this request: its ``engine.client`` is the vault client, and it
    lists and revokes a user's sessions."""
    return _control(connection).middleware
