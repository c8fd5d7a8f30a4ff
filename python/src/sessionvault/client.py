"""The hand-written facade: the same verbs as the TypeScript client, sync (:class:`Client`) and
async (:class:`AsyncClient`), with the same timeouts, retry rules and typed errors."""

from __future__ import annotations

import asyncio
import time
from typing import Any, TypeVar

import httpx

from . import _calls as calls
from ._calls import FinalTime, TouchResult, VaultSession, VaultSessionRow
from ._generated.models import Mode, TokenCreateResponse, TokenGetResponse, TokenType
from ._transport import IDEMPOTENT, Call, Json, Retry, encode, headers, network_error, settle
from .errors import VaultError

__all__ = ["AsyncClient", "Client", "TouchResult", "VaultSession", "VaultSessionRow"]

T = TypeVar("T")


class _Base:
    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        tenant: str | None = None,
        timeout: float = 5.0,
        retries: int = 2,
        min_delay: float = 0.05,
        max_delay: float = 1.0,
    ) -> None:
        if not isinstance(base_url, str) or not base_url.startswith(("http://", "https://")):
            raise ValueError("base_url must be an http:// or https:// URL")
        if not isinstance(token, str) or not token:
            raise ValueError("token must be a non-empty string")
        if tenant is not None and not tenant:
            raise ValueError("tenant must be a non-empty string when given")
        if not timeout > 0:
            raise ValueError("timeout must be a number of seconds > 0")
        if retries < 0 or min_delay < 0 or max_delay < 0:
            raise ValueError("retries, min_delay and max_delay must be >= 0")
        self._base = base_url.rstrip("/")
        self._headers = headers(token, tenant)
        self._timeout = timeout
        self._retry = Retry(int(retries), min_delay, max_delay)

    def __repr__(self) -> str:  # never the token
        return f"{type(self).__name__}({self._base!r})"

    def _url(self, operation: str) -> str:
        return f"{self._base}/v2/{operation}"

    def _generic(self, operation: str, body: Json, idempotent: bool | None) -> Call[Json]:
        return Call(operation, body, lambda reply: reply, operation in IDEMPOTENT if idempotent is None else idempotent)


class Client(_Base):
    """Synchronous client (httpx, one connection pool). Options: ``tenant``, ``timeout``
    (seconds per attempt, default 5), ``retries`` (default 2, only for calls that are safe to
    repeat), ``min_delay`` / ``max_delay`` (seconds, jittered exponential backoff).

    Example::

        from sessionvault import Client

        with Client("http://127.0.0.1:4700", "DEMO") as vault:
            vault.upsert_session("a-session-id-123", {"n": 1}, slidingtime="1h")
            print(vault.get_session("a-session-id-123"))
    """

    def __init__(self, base_url: str, token: str, **options: Any) -> None:
        super().__init__(base_url, token, **options)
        self._http = httpx.Client(timeout=self._timeout, follow_redirects=False)

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    def _run(self, call: Call[T]) -> T:
        content = encode(call.body)
        attempts = self._retry.attempts(call)
        for attempt in range(attempts):
            try:
                try:
                    response = self._http.post(self._url(call.operation), content=content, headers=self._headers)
                except httpx.HTTPError as error:
                    raise network_error(call.operation, error) from None
                return settle(call, response, attempt)
            except VaultError as error:
                if not error.retryable or attempt + 1 == attempts:
                    raise
                time.sleep(self._retry.delay(attempt, error))
        raise AssertionError("unreachable")

    def request(self, operation: str, body: Json, *, idempotent: bool | None = None) -> Json:
        """Any contract operation by its id; retried only when it is safe to repeat
        (``idempotent``, by default from the operation)."""
        return self._run(self._generic(operation, body, idempotent))

    def raw(self, operation: str, content: bytes, extra: dict[str, str] | None = None) -> httpx.Response:
        """The bare HTTP exchange for an operation (no retry, no decoding), for conformance and tooling."""
        h = {**self._headers, **(extra or {})}
        return self._http.post(self._url(operation), content=content, headers={k: v for k, v in h.items() if v})

    # sessions
    def upsert_session(
        self,
        sessionuuid: str,
        data: Json,
        *,
        slidingtime: str | None = None,
        finaltime: FinalTime | None = None,
        usertoken: str | None = None,
        unlink: bool = False,
        expectversion: int | None = None,
    ) -> int:
        """Create or replace a session; returns its new version. ``usertoken`` links it to a user,
        ``unlink=True`` removes the link; neither keeps the link it has."""
        return self._run(
            calls.upsert_session(sessionuuid, data, slidingtime, finaltime, usertoken, unlink, expectversion)
        )

    def get_session(self, sessionuuid: str) -> VaultSession | None:
        """The session, or None when it is missing or expired."""
        return self._run(calls.get_session(sessionuuid))

    def delete_session(self, sessionuuid: str) -> None:
        """Delete a session; deleting a missing one succeeds."""
        self._run(calls.delete_session(sessionuuid))

    def touch_session(self, sessionuuid: str, *, slidingtime: str | None = None) -> TouchResult | None:
        """Extend the sliding window without sending the data; None when the session is missing."""
        return self._run(calls.touch_session(sessionuuid, slidingtime))

    def patch_session(
        self,
        sessionuuid: str,
        set: Json | None = None,
        unset: list[str] | None = None,
        *,
        create: bool = False,
        slidingtime: str | None = None,
        finaltime: FinalTime | None = None,
        usertoken: str | None = None,
        unlink: bool = False,
        expectversion: int | None = None,
    ) -> int | None:
        """Merge top-level keys (``set``, ``unset``) atomically; returns the new version, or None
        when the session is missing and ``create`` is false."""
        return self._run(
            calls.patch_session(
                sessionuuid, set, unset, create, slidingtime, finaltime, usertoken, unlink, expectversion
            )
        )

    def list_user_sessions(
        self, mode: Mode, identity: str, *, offset: int | None = None, limit: int | None = None
    ) -> list[VaultSessionRow]:
        """A user's live sessions, most recently used first, by any of the user's identities."""
        return self._run(calls.list_user_sessions(mode, identity, offset, limit))

    def revoke_user_sessions(self, mode: Mode, identity: str, *, keep: list[str] | None = None) -> int:
        """Delete every session of the user except ``keep``; returns how many were deleted."""
        return self._run(calls.revoke_user_sessions(mode, identity, keep))

    # users
    def create_user(self, profile: Json, *, slidingtime: str | None = None, finaltime: FinalTime | None = None) -> str:
        """Store a profile (PII) encrypted; returns the user token that stands for it. Never retried."""
        return self._run(calls.create_user(profile, slidingtime, finaltime))

    def get_user(self, mode: Mode, identity: str) -> Json | None:
        """The profile, or None when there is no such user."""
        return self._run(calls.get_user(mode, identity))

    def get_user_token(self, mode: Mode, identity: str) -> str | None:
        """The user's token, or None when there is no such user."""
        return self._run(calls.get_user_token(mode, identity))

    def update_user(self, mode: Mode, identity: str, profile: Json) -> None:
        """Merge fields into the stored profile (``None`` removes a field)."""
        self._run(calls.update_user(mode, identity, profile))

    def delete_user(self, mode: Mode, identity: str) -> None:
        """Delete the profile; raises VaultNotFoundError when there is no such user."""
        self._run(calls.delete_user(mode, identity))

    # tokens
    def create_token(
        self,
        tokentype: TokenType,
        record: str,
        *,
        unique: bool = False,
        slidingtime: str | None = None,
        finaltime: FinalTime | None = None,
        baselookup: bool = False,
    ) -> TokenCreateResponse:
        """Replace one value by a token: ``tokenuuid`` and a format-preserving ``tokenbase``.

        ``baselookup=True`` also makes ``tokenbase`` a key for :meth:`get_token` and
        :meth:`delete_token`. Off by default: a base is guessable (a 12-digit card's has about
        23 random bits), so anyone with the access token could enumerate bases; without it a
        base finds nothing, exactly like an unknown token.
        """
        return self._run(calls.create_token(tokentype, record, unique, slidingtime, finaltime, baselookup))

    def create_tokens(
        self,
        records: list[tuple[TokenType, str]],
        *,
        unique: bool = False,
        slidingtime: str | None = None,
        finaltime: FinalTime | None = None,
        baselookup: bool = False,
    ) -> list[Json]:
        """Many values in one call; one ``{tokenuuid, tokenbase, tokentype}`` per record, in order."""
        return self._run(calls.create_tokens(records, unique, slidingtime, finaltime, baselookup))

    def get_token(self, token: str) -> TokenGetResponse | None:
        """The value behind a token (by ``tokenuuid``, or ``tokenbase`` if created with
        ``baselookup=True``), or None."""
        return self._run(calls.get_token(token))

    def delete_token(self, token: str) -> None:
        """Delete a token; raises VaultNotFoundError when there is no such token."""
        self._run(calls.delete_token(token))


class AsyncClient(_Base):
    """Asynchronous client (httpx.AsyncClient) with the same verbs, options and errors as :class:`Client`.

    Example::

        from sessionvault import AsyncClient

        async with AsyncClient("http://127.0.0.1:4700", "DEMO") as vault:
            await vault.upsert_session("a-session-id-123", {"n": 1}, slidingtime="1h")
            print(await vault.get_session("a-session-id-123"))
    """

    def __init__(self, base_url: str, token: str, **options: Any) -> None:
        super().__init__(base_url, token, **options)
        self._http = httpx.AsyncClient(timeout=self._timeout, follow_redirects=False)

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    async def _run(self, call: Call[T]) -> T:
        content = encode(call.body)
        attempts = self._retry.attempts(call)
        for attempt in range(attempts):
            try:
                try:
                    response = await self._http.post(self._url(call.operation), content=content, headers=self._headers)
                except httpx.HTTPError as error:
                    raise network_error(call.operation, error) from None
                return settle(call, response, attempt)
            except VaultError as error:
                if not error.retryable or attempt + 1 == attempts:
                    raise
                await asyncio.sleep(self._retry.delay(attempt, error))
        raise AssertionError("unreachable")

    async def request(self, operation: str, body: Json, *, idempotent: bool | None = None) -> Json:
        """See :meth:`Client.request`."""
        return await self._run(self._generic(operation, body, idempotent))

    async def raw(self, operation: str, content: bytes, extra: dict[str, str] | None = None) -> httpx.Response:
        """See :meth:`Client.raw`."""
        h = {**self._headers, **(extra or {})}
        return await self._http.post(self._url(operation), content=content, headers={k: v for k, v in h.items() if v})

    # sessions
    async def upsert_session(
        self,
        sessionuuid: str,
        data: Json,
        *,
        slidingtime: str | None = None,
        finaltime: FinalTime | None = None,
        usertoken: str | None = None,
        unlink: bool = False,
        expectversion: int | None = None,
    ) -> int:
        """See :meth:`Client.upsert_session`."""
        return await self._run(
            calls.upsert_session(sessionuuid, data, slidingtime, finaltime, usertoken, unlink, expectversion)
        )

    async def get_session(self, sessionuuid: str) -> VaultSession | None:
        """See :meth:`Client.get_session`."""
        return await self._run(calls.get_session(sessionuuid))

    async def delete_session(self, sessionuuid: str) -> None:
        """See :meth:`Client.delete_session`."""
        await self._run(calls.delete_session(sessionuuid))

    async def touch_session(self, sessionuuid: str, *, slidingtime: str | None = None) -> TouchResult | None:
        """See :meth:`Client.touch_session`."""
        return await self._run(calls.touch_session(sessionuuid, slidingtime))

    async def patch_session(
        self,
        sessionuuid: str,
        set: Json | None = None,
        unset: list[str] | None = None,
        *,
        create: bool = False,
        slidingtime: str | None = None,
        finaltime: FinalTime | None = None,
        usertoken: str | None = None,
        unlink: bool = False,
        expectversion: int | None = None,
    ) -> int | None:
        """See :meth:`Client.patch_session`."""
        return await self._run(
            calls.patch_session(
                sessionuuid, set, unset, create, slidingtime, finaltime, usertoken, unlink, expectversion
            )
        )

    async def list_user_sessions(
        self, mode: Mode, identity: str, *, offset: int | None = None, limit: int | None = None
    ) -> list[VaultSessionRow]:
        """See :meth:`Client.list_user_sessions`."""
        return await self._run(calls.list_user_sessions(mode, identity, offset, limit))

    async def revoke_user_sessions(self, mode: Mode, identity: str, *, keep: list[str] | None = None) -> int:
        """See :meth:`Client.revoke_user_sessions`."""
        return await self._run(calls.revoke_user_sessions(mode, identity, keep))

    # users
    async def create_user(
        self, profile: Json, *, slidingtime: str | None = None, finaltime: FinalTime | None = None
    ) -> str:
        """See :meth:`Client.create_user`."""
        return await self._run(calls.create_user(profile, slidingtime, finaltime))

    async def get_user(self, mode: Mode, identity: str) -> Json | None:
        """See :meth:`Client.get_user`."""
        return await self._run(calls.get_user(mode, identity))

    async def get_user_token(self, mode: Mode, identity: str) -> str | None:
        """See :meth:`Client.get_user_token`."""
        return await self._run(calls.get_user_token(mode, identity))

    async def update_user(self, mode: Mode, identity: str, profile: Json) -> None:
        """See :meth:`Client.update_user`."""
        await self._run(calls.update_user(mode, identity, profile))

    async def delete_user(self, mode: Mode, identity: str) -> None:
        """See :meth:`Client.delete_user`."""
        await self._run(calls.delete_user(mode, identity))

    # tokens
    async def create_token(
        self,
        tokentype: TokenType,
        record: str,
        *,
        unique: bool = False,
        slidingtime: str | None = None,
        finaltime: FinalTime | None = None,
        baselookup: bool = False,
    ) -> TokenCreateResponse:
        """See :meth:`Client.create_token`."""
        return await self._run(calls.create_token(tokentype, record, unique, slidingtime, finaltime, baselookup))

    async def create_tokens(
        self,
        records: list[tuple[TokenType, str]],
        *,
        unique: bool = False,
        slidingtime: str | None = None,
        finaltime: FinalTime | None = None,
        baselookup: bool = False,
    ) -> list[Json]:
        """See :meth:`Client.create_tokens`."""
        return await self._run(calls.create_tokens(records, unique, slidingtime, finaltime, baselookup))

    async def get_token(self, token: str) -> TokenGetResponse | None:
        """See :meth:`Client.get_token`."""
        return await self._run(calls.get_token(token))

    async def delete_token(self, token: str) -> None:
        """See :meth:`Client.delete_token`."""
        await self._run(calls.delete_token(token))
