"""The session engine every Python backend translates to (Django, Flask, Starlette): what a
session *is*, whatever the framework. The Python side of ``@sessionvault/session``.

- :meth:`SessionEngine.load`: the session's data, or None (missing, expired, or an id that cannot
  be one: no vault call then). A vault failure raises :class:`SessionError`, never an empty session.
- :meth:`SessionEngine.save`: the whole session for an id this request did not load (new, or
  regenerated: the user link carries over), else a patch of the top-level keys that changed, so
  two requests that change different keys both keep their change. A session deleted meanwhile
  stays deleted (``"gone"``).
- :meth:`SessionEngine.link_user`: the next save links the session to a user's vault token, so
  :meth:`list_sessions` and :meth:`revoke_sessions` find it by any of the user's identities.
  The link lives in the vault record, never in the data.
- ``strict=True`` refuses emails, phone numbers and card numbers in session data
  (:mod:`sessionvault.pii`) with a ``pii_refused`` :class:`SessionError` naming the paths.

:class:`AsyncSessionEngine` is the same on an :class:`~sessionvault.AsyncClient`.

Example::

    from sessionvault import Client
    from sessionvault.sessions import SessionEngine, SessionState, Window, generate_session_id

    engine = SessionEngine(Client("http://127.0.0.1:4700", "DEMO"), strict=True)
    sid, state = generate_session_id(), SessionState()
    data = engine.load(sid, state) or {}
    data["views"] = data.get("views", 0) + 1
    engine.save(sid, data, Window.sliding(1800), state)
"""

from __future__ import annotations

import json
import math
import re
import secrets
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, ClassVar, Literal, TypeVar

from . import _calls as calls
from ._drive import Steps, run_async, run_sync
from ._generated.models import Mode
from ._transport import Call
from .client import AsyncClient, Client, VaultSessionRow
from .errors import VaultError
from .pii import PIIError, assert_no_pii

__all__ = [
    "AsyncSessionEngine",
    "SaveOutcome",
    "SessionEngine",
    "SessionError",
    "SessionState",
    "Window",
    "generate_session_id",
    "is_session_id",
]

Json = dict[str, Any]
T = TypeVar("T")
SaveOutcome = Literal["written", "skipped", "gone"]

# The contract's SessionUuid: 8 to 256 printable ASCII characters.
_SESSION_ID = re.compile(r"[\x21-\x7e]{8,256}")
# The vault's largest duration (`[1-9][0-9]{0,8}s`): about 31 years.
_MAX_WINDOW_SECONDS = 999_999_999


def generate_session_id() -> str:
    """A session id from the CSPRNG: 256 bits, base64url (43 characters)."""
    return secrets.token_urlsafe(32)


def is_session_id(value: object) -> bool:
    """Whether ``value`` can be a session id at all; anything else is a miss, never a vault call."""
    return isinstance(value, str) and _SESSION_ID.fullmatch(value) is not None


class SessionError(Exception):
    """The one error of the engine and every backend on it; ``code`` says what happened:

    - ``vault_refused`` (status 500): the vault refused the call (wrong token, oversized session):
      the server's configuration, never the visitor.
    - ``vault_unavailable`` (503): the vault could not be reached, timed out or failed. The request
      fails; the visitor is never silently signed out.
    - ``pii_refused`` (500): strict mode refused personal data; ``paths`` says where, never the value.
    - ``invalid_session_id`` (500): a save for an id that cannot be a session id.

    The message names the operation and status only, never ids, data or PII; ``__cause__`` is the
    client's :class:`~sessionvault.VaultError` or the detector's :class:`~sessionvault.pii.PIIError`.
    """

    STATUS: ClassVar[dict[str, int]] = {
        "vault_refused": 500,
        "vault_unavailable": 503,
        "pii_refused": 500,
        "invalid_session_id": 500,
    }

    def __init__(self, code: str, message: str, paths: Iterable[str] = ()) -> None:
        super().__init__(message)
        self.code = code
        self.status = self.STATUS[code]
        self.paths = list(paths)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": "SessionError",
            "code": self.code,
            "status": self.status,
            "message": str(self),
            "paths": self.paths,
        }


def _session_error(error: VaultError) -> SessionError:
    refused = 400 <= error.status < 500
    code = "vault_refused" if refused else "vault_unavailable"
    status = f" ({error.status})" if error.status else ""
    return SessionError(code, f"session: the vault {'refused' if refused else 'failed'} {error.operation}{status}")


@dataclass(frozen=True)
class Window:
    """The time window a save gives the vault record: a sliding window (seconds, extended by
    every read and write), and optionally a fixed end (unix seconds) that never moves."""

    slidingtime: str
    finaltime: int | None = None

    @staticmethod
    def sliding(seconds: float) -> Window:
        """A window that slides: the record lives ``seconds`` after its last use."""
        return Window(f"{min(max(1, math.ceil(seconds)), _MAX_WINDOW_SECONDS)}s")

    @staticmethod
    def fixed(seconds: float, now: float | None = None) -> Window:
        """A window that ends ``seconds`` from now whatever happens (a cookie with a fixed expiry)."""
        end = math.ceil((time.time() if now is None else now) + seconds)
        return Window(Window.sliding(seconds).slidingtime, end)


_UNSET: Any = object()


class SessionState:
    """What one request knows about its session from the load to the save. Backends keep it
    beside the framework's session object; it never reaches the data."""

    def __init__(self) -> None:
        #: The id loaded or last written in this request; None after a miss or a delete.
        self.id: str | None = None
        #: Its data as loaded or last written, one JSON text per top-level key.
        self.snapshot: dict[str, str] | None = None
        #: The user token it is linked to (carried over to a regenerated id).
        self.link: str | None = None
        #: A link change asked for with ``link_user`` and not yet written (None unlinks).
        self.pending_link: Any = _UNSET

    def clear(self) -> None:
        """Forget the loaded session; a pending link stays for the id written next."""
        self.id = None
        self.snapshot = None

    @property
    def user_token(self) -> str | None:
        """The user the session is, or is about to be, linked to."""
        return self.link if self.pending_link is _UNSET else self.pending_link


def _snapshot(data: Json) -> dict[str, str]:
    return {key: json.dumps(value, sort_keys=True, separators=(",", ":")) for key, value in data.items()}


class _Core:
    def __init__(self, strict: bool, unchecked_keys: Iterable[str]) -> None:
        self.strict = strict
        self.unchecked_keys = frozenset(unchecked_keys)

    def refuse_pii(self, data: Json) -> None:
        if not self.strict:
            return
        try:
            assert_no_pii({k: v for k, v in data.items() if k not in self.unchecked_keys})
        except PIIError as error:
            raise SessionError("pii_refused", str(error), [f.path for f in error.findings]) from error

    def load(self, sid: str, state: SessionState) -> Steps[Json | None]:
        if not is_session_id(sid):
            state.clear()
            state.link = None
            return None
        found: calls.VaultSession | None = yield from self.one(calls.get_session(sid))
        if found is None:
            state.clear()
            state.link = None
            return None
        state.id = sid
        state.snapshot = _snapshot(found.data)
        state.link = found.usertoken
        return dict(found.data)

    def save(self, sid: str, data: Json, window: Window, state: SessionState) -> Steps[SaveOutcome]:
        if not is_session_id(sid):
            raise SessionError("invalid_session_id", "session id must be 8 to 256 printable ASCII characters")
        snapshot = _snapshot(data)
        pending = state.pending_link
        if state.id != sid or state.snapshot is None:
            link = state.link if pending is _UNSET else pending
            self.refuse_pii(data)
            yield from self.one(
                calls.upsert_session(sid, data, window.slidingtime, window.finaltime, link, False, None)
            )
            self._remember(state, sid, snapshot, link)
            return "written"
        changed = {k: data[k] for k, v in snapshot.items() if state.snapshot.get(k) != v}
        removed = [k for k in state.snapshot if k not in snapshot]
        if not changed and not removed and pending is _UNSET:
            # The request's own read already slid the window.
            return "skipped"
        self.refuse_pii(changed)
        version = yield from self.one(
            calls.patch_session(
                sid,
                changed or None,
                removed or None,
                False,  # a session revoked or deleted while this request held it stays gone
                window.slidingtime,
                window.finaltime,
                None if pending is _UNSET else pending,
                pending is None,
                None,
            )
        )
        if version is None:
            state.clear()
            state.pending_link = _UNSET
            return "gone"
        self._remember(state, sid, snapshot, state.link if pending is _UNSET else pending)
        return "written"

    def destroy(self, sid: str, state: SessionState | None) -> Steps[None]:
        if state is not None and state.id == sid:
            state.clear()
        if is_session_id(sid):
            yield from self.one(calls.delete_session(sid))

    def one(self, call: Call[T]) -> Steps[T]:
        try:
            result: T = yield call
            return result
        except VaultError as error:
            raise _session_error(error) from error

    @staticmethod
    def _remember(state: SessionState, sid: str, snapshot: dict[str, str], link: str | None) -> None:
        state.id = sid
        state.snapshot = snapshot
        state.link = link
        state.pending_link = _UNSET


class SessionEngine:
    """The engine on a synchronous :class:`~sessionvault.Client` (Django, Flask).

    ``unchecked_keys``: top-level keys the framework writes itself that strict mode skips.
    """

    def __init__(self, client: Client, *, strict: bool = False, unchecked_keys: Iterable[str] = ()) -> None:
        self.client = client
        self._core = _Core(strict, unchecked_keys)

    def load(self, sid: str, state: SessionState) -> Json | None:
        """The session's data (a private copy), or None when there is none."""
        return run_sync(self.client, self._core.load(sid, state))

    def save(self, sid: str, data: Json, window: Window, state: SessionState) -> SaveOutcome:
        """Write the session: whole when new or regenerated, else a patch of what changed."""
        return run_sync(self.client, self._core.save(sid, data, window, state))

    def destroy(self, sid: str, state: SessionState | None = None) -> None:
        """Delete the session in the vault; deleting a missing one succeeds."""
        run_sync(self.client, self._core.destroy(sid, state))

    def link_user(self, state: SessionState, usertoken: str | None) -> None:
        """Link the session to the user whose vault token is ``usertoken`` at the next save (None unlinks)."""
        state.pending_link = usertoken

    def list_sessions(
        self, mode: Mode, identity: str, *, offset: int | None = None, limit: int | None = None
    ) -> list[VaultSessionRow]:
        """A user's live sessions, most recently used first, by any of the user's identities."""
        return run_sync(self.client, self._core.one(calls.list_user_sessions(mode, identity, offset, limit)))

    def revoke_sessions(self, mode: Mode, identity: str, *, keep: list[str] | None = None) -> int:
        """Delete every session of a user ("sign out everywhere") except ``keep``; returns how many."""
        return run_sync(self.client, self._core.one(calls.revoke_user_sessions(mode, identity, keep)))


class AsyncSessionEngine:
    """The engine on an :class:`~sessionvault.AsyncClient` (Starlette, FastAPI); see :class:`SessionEngine`."""

    def __init__(self, client: AsyncClient, *, strict: bool = False, unchecked_keys: Iterable[str] = ()) -> None:
        self.client = client
        self._core = _Core(strict, unchecked_keys)

    async def load(self, sid: str, state: SessionState) -> Json | None:
        return await run_async(self.client, self._core.load(sid, state))

    async def save(self, sid: str, data: Json, window: Window, state: SessionState) -> SaveOutcome:
        return await run_async(self.client, self._core.save(sid, data, window, state))

    async def destroy(self, sid: str, state: SessionState | None = None) -> None:
        await run_async(self.client, self._core.destroy(sid, state))

    def link_user(self, state: SessionState, usertoken: str | None) -> None:
        state.pending_link = usertoken

    async def list_sessions(
        self, mode: Mode, identity: str, *, offset: int | None = None, limit: int | None = None
    ) -> list[VaultSessionRow]:
        return await run_async(self.client, self._core.one(calls.list_user_sessions(mode, identity, offset, limit)))

    async def revoke_sessions(self, mode: Mode, identity: str, *, keep: list[str] | None = None) -> int:
        return await run_async(self.client, self._core.one(calls.revoke_user_sessions(mode, identity, keep)))
