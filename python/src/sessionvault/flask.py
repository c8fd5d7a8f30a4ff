"""A Flask ``SessionInterface`` on the vault: the cookie holds a random id, the data lives
encrypted in the vault.

Example::

    from flask import Flask, session
    from sessionvault.flask import VaultSessionInterface, sign_in

    app = Flask(__name__)
    app.session_interface = VaultSessionInterface(url="http://127.0.0.1:4700", token="DEMO", strict=True)

- The record's window is ``PERMANENT_SESSION_LIFETIME``; it slides with ``SESSION_REFRESH_EACH_REQUEST``
  (Flask's default) or for a browser-session cookie, and is fixed at each save otherwise.
- ``session.clear()`` deletes the record in the vault (logout is server-side) and the cookie.
- :func:`regenerate` gives the session a new id (the old record is deleted) at the end of the
  request; :func:`sign_in` does that and links the session to the vault user, written once.
- An unreachable vault raises :class:`~sessionvault.sessions.SessionError`: Flask answers 500,
  never with an empty session. So does strict mode when it refuses personal data.
- Cookies are HttpOnly and SameSite=Lax unless configured otherwise, and Secure when
  ``SESSION_COOKIE_SECURE`` is set or the request came over https.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Request, Response, request
from flask import session as current_session
from flask.sessions import SessionInterface, SessionMixin
from werkzeug.datastructures import CallbackDict

from ._generated.models import Mode
from .client import Client, VaultSessionRow
from .sessions import SessionEngine, SessionState, Window, generate_session_id

__all__ = [
    "VaultSession",
    "VaultSessionInterface",
    "link_user",
    "regenerate",
    "session_id",
    "sign_in",
    "user_token",
]


class VaultSession(CallbackDict[str, Any], SessionMixin):
    """The session of one request: a dict that tracks changes, and the vault state behind it."""

    def __init__(self, initial: dict[str, Any] | None, sid: str | None, state: SessionState) -> None:
        def on_update(_: CallbackDict[str, Any]) -> None:
            self.modified = True

        super().__init__(initial, on_update)
        self.sid = sid
        self.vault_state = state
        self.new = sid is None
        self.modified = False
        self.regenerate_id = False


class VaultSessionInterface(SessionInterface):
    """Flask's session interface mapped onto the vault. Pass a ``client`` or ``url`` and ``token``
    (and optionally ``tenant``, ``timeout``); ``strict=True`` refuses personal data in sessions."""

    def __init__(
        self,
        *,
        client: Client | None = None,
        url: str | None = None,
        token: str | None = None,
        tenant: str | None = None,
        timeout: float = 5.0,
        strict: bool = False,
    ) -> None:
        if client is None:
            if not url or not token:
                raise ValueError("VaultSessionInterface needs client= or url= and token=")
            client = Client(url, token, tenant=tenant, timeout=timeout)
        self.engine = SessionEngine(client, strict=strict, unchecked_keys=("_permanent",))

    @property
    def client(self) -> Client:
        """The vault client, for users and tokens."""
        return self.engine.client

    def open_session(self, app: Flask, request: Request) -> VaultSession:
        sid = request.cookies.get(self.get_cookie_name(app))
        state = SessionState()
        data = self.engine.load(sid, state) if sid else None
        if data is None:
            return VaultSession(None, None, state)
        return VaultSession(data, sid, state)

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        if not isinstance(session, VaultSession):
            return
        name, domain, path = self.get_cookie_name(app), self.get_cookie_domain(app), self.get_cookie_path(app)
        if session.accessed:
            response.vary.add("Cookie")
        if not session:
            if session.sid is not None and session.modified:
                # Cleared (signed out): the record goes, a replayed cookie finds nothing.
                self.engine.destroy(session.sid, session.vault_state)
                response.delete_cookie(name, domain=domain, path=path)
            return
        if not self.should_set_cookie(app, session) and not session.regenerate_id:
            return
        old = session.sid if session.regenerate_id else None
        if session.sid is None or old is not None:
            session.sid = generate_session_id()
            session.vault_state.clear()
        lifetime = app.permanent_session_lifetime.total_seconds()
        slides = not session.permanent or app.config["SESSION_REFRESH_EACH_REQUEST"]
        window = Window.sliding(lifetime) if slides else Window.fixed(lifetime)
        if self.engine.save(session.sid, dict(session), window, session.vault_state) == "gone":
            # Deleted (signed out elsewhere, revoked) while this request ran: it stays deleted.
            response.delete_cookie(name, domain=domain, path=path)
            return
        if old is not None:
            self.engine.destroy(old)
        response.set_cookie(
            name,
            session.sid,
            expires=self.get_expiration_time(app, session),
            httponly=self.get_cookie_httponly(app),
            domain=domain,
            path=path,
            secure=self.get_cookie_secure(app) or request.is_secure,
            samesite=self.get_cookie_samesite(app) or "Lax",
            partitioned=self.get_cookie_partitioned(app),
        )

    def list_sessions(self, mode: Mode, identity: str, *, limit: int | None = None) -> list[VaultSessionRow]:
        """A user's live sessions ("your devices"), most recently used first."""
        return self.engine.list_sessions(mode, identity, limit=limit)

    def revoke_sessions(self, mode: Mode, identity: str, *, keep: list[str] | None = None) -> int:
        """Sign a user out everywhere (except the session ids in ``keep``); returns how many."""
        return self.engine.revoke_sessions(mode, identity, keep=keep)


def _session() -> VaultSession:
    found = current_session._get_current_object()  # type: ignore[attr-defined]
    if not isinstance(found, VaultSession):
        raise RuntimeError("set app.session_interface = VaultSessionInterface(...) first")
    return found


def regenerate() -> None:
    """Give the current session a new id at the end of the request, with its data and user link;
    the old id is deleted in the vault (call it at login, so a planted id is worthless)."""
    s = _session()
    s.regenerate_id = True
    s.modified = True


def link_user(usertoken: str | None) -> None:
    """Link the current session to the vault user ``usertoken`` (None unlinks) when it is saved."""
    s = _session()
    s.vault_state.pending_link = usertoken
    s.modified = True


def sign_in(usertoken: str) -> None:
    """Login in one step: a new session id, the data carried over and the session linked to the user."""
    link_user(usertoken)
    regenerate()


def user_token() -> str | None:
    """The vault token of the user the current session is linked to, or None."""
    return _session().vault_state.user_token


def session_id() -> str | None:
    """The current session's id (its cookie value), None until it is first saved."""
    return _session().sid
