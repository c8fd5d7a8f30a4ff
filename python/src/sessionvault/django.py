"""A Django session engine on the vault: ``SESSION_ENGINE = "sessionvault.django"``.

Settings::

    SESSION_ENGINE = "sessionvault.django"
    SESSIONVAULT = {
        "URL": "http://127.0.0.1:4700",  # the vault
        "TOKEN": "DEMO",                  # its access token
        "STRICT": True,                   # refuse emails, phones and card numbers in sessions
        # optional: "TENANT", "TIMEOUT" (seconds, default 5)
    }

- The record's window follows Django's cookie: ``get_expiry_age()`` (``SESSION_COOKIE_AGE`` or
  ``set_expiry``), fixed at every save as Django's cookie is; with ``SESSION_SAVE_EVERY_REQUEST``
  it slides instead.
- ``flush()`` (what ``django.contrib.auth.logout`` calls) deletes the record in the vault, and
  ``cycle_key()`` (what ``login`` calls) moves the data and the user link to a new id and deletes
  the old one.
- ``request.session.sign_in(usertoken)``: a new id and the session linked to the vault user in one
  write; ``link_user(usertoken)`` links without a new id. Linked sessions are listed and revoked by
  any of the user's identities (:func:`list_sessions`, :func:`revoke_sessions`).
- An unreachable vault raises :class:`~sessionvault.sessions.SessionError` from the session access,
  so Django answers 500, never with an empty session.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase, UpdateError
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

from ._generated.models import Mode
from .client import Client, VaultSessionRow
from .sessions import SessionEngine, SessionState, Window, generate_session_id, is_session_id

__all__ = [
    "SessionStore",
    "engine",
    "link_user",
    "list_sessions",
    "revoke_sessions",
    "sign_in",
    "user_token",
]


@lru_cache(maxsize=8)
def _engine(url: str, token: str, tenant: str | None, timeout: float, strict: bool) -> SessionEngine:
    return SessionEngine(Client(url, token, tenant=tenant, timeout=timeout), strict=strict)


def engine() -> SessionEngine:
    """The process's engine for the ``SESSIONVAULT`` setting (one client and connection pool);
    ``engine().client`` is the vault client for users and tokens."""
    options: dict[str, Any] = getattr(settings, "SESSIONVAULT", None) or {}
    url, token = options.get("URL"), options.get("TOKEN")
    if not url or not token:
        raise ImproperlyConfigured('sessionvault.django needs SESSIONVAULT = {"URL": ..., "TOKEN": ...}')
    return _engine(
        str(url),
        str(token),
        options.get("TENANT"),
        float(options.get("TIMEOUT", 5.0)),
        bool(options.get("STRICT", False)),
    )


def list_sessions(mode: Mode, identity: str, *, limit: int | None = None) -> list[VaultSessionRow]:
    """A user's live sessions ("your devices"), most recently used first."""
    return engine().list_sessions(mode, identity, limit=limit)


def revoke_sessions(mode: Mode, identity: str, *, keep: list[str] | None = None) -> int:
    """Sign a user out everywhere (except the session keys in ``keep``); returns how many."""
    return engine().revoke_sessions(mode, identity, keep=keep)


class SessionStore(SessionBase):
    """Django's session store interface mapped onto the vault."""

    def __init__(self, session_key: str | None = None) -> None:
        super().__init__(session_key)
        self._vault = SessionState()

    def _get_new_session_key(self) -> str:
        # 256 bits from the CSPRNG: no lookup for a collision that cannot happen.
        return generate_session_id()

    def _validate_session_key(self, key: str | None) -> bool:
        return is_session_id(key)

    def load(self) -> dict[str, Any]:
        key = self.session_key
        data = engine().load(key, self._vault) if key else None
        if data is None:
            self._session_key = None
            return {}
        return data

    def exists(self, session_key: str | None) -> bool:
        return bool(session_key) and engine().load(str(session_key), SessionState()) is not None

    def create(self) -> None:
        self._session_key = self._get_new_session_key()
        self.save(must_create=True)
        self.modified = True

    def save(self, must_create: bool = False) -> None:
        if self.session_key is None:
            return self.create()
        data = self._get_session(no_load=must_create)  # type: ignore[attr-defined]  # not in django-stubs
        age = self.get_expiry_age()
        if age <= 0:
            self.delete()
            return None
        every_request = getattr(settings, "SESSION_SAVE_EVERY_REQUEST", False)
        window = Window.sliding(age) if every_request else Window.fixed(age)
        if engine().save(self.session_key, data, window, self._vault) == "gone":
            # Deleted (signed out, revoked) while this request ran: Django answers 400, nothing is revived.
            raise UpdateError
        return None

    def delete(self, session_key: str | None = None) -> None:
        key = session_key or self.session_key
        if key is None:
            return
        engine().destroy(key, self._vault)

    @classmethod
    def clear_expired(cls) -> None:
        """Nothing to do: the vault expires records itself."""

    def link_user(self, usertoken: str | None) -> None:
        """Link this session to the vault user ``usertoken`` (None unlinks) at the response's save."""
        engine().link_user(self._vault, usertoken)
        self.modified = True

    def sign_in(self, usertoken: str) -> None:
        """Login in one step: a new session id (the old one is deleted), the data carried over and
        the session linked to the user, written once."""
        engine().link_user(self._vault, usertoken)
        self.cycle_key()

    @property
    def user_token(self) -> str | None:
        """The vault token of the user this session is linked to, or None."""
        self._get_session()  # type: ignore[attr-defined]  # loads the session; not in django-stubs
        return self._vault.user_token


def _store(request: HttpRequest) -> SessionStore:
    session = getattr(request, "session", None)
    if not isinstance(session, SessionStore):
        raise ImproperlyConfigured('set SESSION_ENGINE = "sessionvault.django" and add SessionMiddleware')
    return session


def sign_in(request: HttpRequest, usertoken: str) -> None:
    """``request.session.sign_in(usertoken)``, typed for any ``HttpRequest``."""
    _store(request).sign_in(usertoken)


def link_user(request: HttpRequest, usertoken: str | None) -> None:
    """``request.session.link_user(usertoken)``, typed for any ``HttpRequest``."""
    _store(request).link_user(usertoken)


def user_token(request: HttpRequest) -> str | None:
    """The vault token of the user the request's session is linked to, or None."""
    return _store(request).user_token
