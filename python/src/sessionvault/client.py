"""The hand-written facade: the same verbs as the TypeScript client, sync and async."""

from __future__ import annotations

import asyncio
import random
import time
from dataclasses import dataclass
from typing import Any, Literal, cast

import httpx

from ._generated.models import (
    Mode,
    SessionGetResponse,
    SessionListUserSessionsResponse,
    TokenCreateResponse,
    TokenGetResponse,
    TokenType,
    UserCreateResponse,
    UserGetResponse,
)
from ._transport import IDEMPOTENT, decode, encode, headers, network_error
from .errors import VaultError, VaultNotFoundError

Json = dict[str, Any]
Auth = Literal["ok", "none"]


@dataclass(frozen=True)
class VaultSession:
    """A session as the vault returns it."""

    data: Json
    version: int
    created: int
    lastused: int
    expires: int | None
    usertoken: str | None


@dataclass(frozen=True)
class VaultSessionRow(VaultSession):
    """One row of :meth:`Client.list_user_sessions`."""

    sessionuuid: str


def _session(row: Json) -> VaultSession:
    return VaultSession(
        data=cast(Json, row.get("sessiondata", {})),
        version=int(row.get("version", 0)),
        created=int(row.get("created", 0)),
        lastused=int(row.get("lastused", 0)),
        expires=row.get("expires"),
        usertoken=row.get("usertoken") or None,
    )


def _windows(body: Json, slidingtime: str | None, finaltime: str | int | None) -> Json:
    if slidingtime is not None:
        body["slidingtime"] = slidingtime
    if finaltime is not None:
        body["finaltime"] = finaltime
    return body


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
        if not base_url.startswith(("http://", "https://")):
            raise ValueError("base_url must be an http:// or https:// URL")
        if not token:
            raise ValueError("token must not be empty")
        self._base = base_url.rstrip("/")
        self._headers = headers(token, tenant)
        self._timeout = timeout
        self._retries = max(0, retries)
        self._min_delay = min_delay
        self._max_delay = max_delay

    def __repr__(self) -> str:  # never the token
        return f"{type(self).__name__}({self._base!r})"

    def _delay(self, attempt: int) -> float:
        return float(random.uniform(0, min(self._max_delay, self._min_delay * 2**attempt)))

    def _attempts(self, operation: str) -> int:
        return 1 + (self._retries if operation in IDEMPOTENT else 0)


class Client(_Base):
    """Synchronous client (httpx, one connection pool).

    Example::

        from sessionvault import Client

        with Client("http://127.0.0.1:3000", "DEMO") as vault:
            vault.upsert_session("a-session-id-123", {"n": 1}, slidingtime="1h")
            print(vault.get_session("a-session-id-123"))
    """

    def __init__(self, base_url: str, token: str, **options: Any) -> None:
        super().__init__(base_url, token, **options)
        self._http = httpx.Client(timeout=self._timeout)

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    def request(self, operation: str, body: Json) -> Json:
        """One contract call by operation id; retried only when the operation is idempotent."""
        attempts = self._attempts(operation)
        content = encode(body)
        for attempt in range(attempts):
            try:
                try:
                    response = self._http.post(f"{self._base}/v2/{operation}", content=content, headers=self._headers)
                except httpx.HTTPError as error:
                    raise network_error(operation, error) from None
                return decode(operation, response)
            except VaultError as error:
                if not error.retryable or attempt + 1 == attempts:
                    raise
                time.sleep(self._delay(attempt))
        raise AssertionError("unreachable")

    def raw(self, operation: str, content: bytes, extra: dict[str, str] | None = None) -> httpx.Response:
        """The bare HTTP exchange for an operation (no retry, no decoding), for conformance and tooling."""
        h = {**self._headers, **(extra or {})}
        return self._http.post(
            f"{self._base}/v2/{operation}", content=content, headers={k: v for k, v in h.items() if v}
        )

    # sessions
    def upsert_session(
        self,
        sessionuuid: str,
        data: Json,
        *,
        slidingtime: str | None = None,
        finaltime: str | int | None = None,
        usertoken: str | None = None,
        expectversion: int | None = None,
    ) -> int:
        """Create or replace a session; returns its new version."""
        body = _windows({"sessionuuid": sessionuuid, "sessiondata": data}, slidingtime, finaltime)
        if usertoken is not None:
            body["usertoken"] = usertoken
        if expectversion is not None:
            body["expectversion"] = expectversion
        return int(self.request("SessionUpsert", body).get("version", 0))

    def get_session(self, sessionuuid: str) -> VaultSession | None:
        """The session, or None when it is missing or expired."""
        try:
            reply = cast(SessionGetResponse, self.request("SessionGet", {"sessionuuid": sessionuuid}))
        except VaultNotFoundError:
            return None
        return _session(cast(Json, reply))

    def delete_session(self, sessionuuid: str) -> None:
        self.request("SessionDelete", {"sessionuuid": sessionuuid})

    def touch_session(self, sessionuuid: str, *, slidingtime: str | None = None) -> int | None:
        """Extend the sliding window; returns the new expiry (ms) or None."""
        body = _windows({"sessionuuid": sessionuuid}, slidingtime, None)
        expires = self.request("SessionTouch", body).get("expires")
        return int(expires) if isinstance(expires, int) else None

    def patch_session(
        self, sessionuuid: str, set: Json | None = None, unset: list[str] | None = None, *, create: bool = False
    ) -> int:
        body: Json = {"sessionuuid": sessionuuid, "create": create}
        if set is not None:
            body["set"] = set
        if unset is not None:
            body["unset"] = unset
        return int(self.request("SessionPatch", body).get("version", 0))

    def list_user_sessions(
        self, mode: Mode, identity: str, *, offset: int = 0, limit: int = 100
    ) -> list[VaultSessionRow]:
        body = {"mode": mode, "identity": identity, "offset": offset, "limit": limit}
        reply = cast(SessionListUserSessionsResponse, self.request("SessionListUserSessions", body))
        return [
            VaultSessionRow(**vars(_session(cast(Json, row))), sessionuuid=row["sessionuuid"]) for row in reply["rows"]
        ]

    def revoke_user_sessions(self, mode: Mode, identity: str, *, keep: list[str] | None = None) -> int:
        """Delete every session of the user except ``keep``; returns how many were deleted."""
        body: Json = {"mode": mode, "identity": identity}
        if keep:
            body["keep"] = keep
        return int(self.request("SessionRevokeUser", body)["deleted"])

    # users
    def create_user(self, profile: Json, *, slidingtime: str | None = None, finaltime: str | int | None = None) -> str:
        reply = cast(
            UserCreateResponse, self.request("UserCreate", _windows({"profile": profile}, slidingtime, finaltime))
        )
        return reply["token"]

    def get_user(self, mode: Mode, identity: str) -> Json | None:
        try:
            reply = cast(UserGetResponse, self.request("UserGet", {"mode": mode, "identity": identity}))
        except VaultNotFoundError:
            return None
        return cast(Json, reply["profile"])

    def update_user(self, mode: Mode, identity: str, profile: Json) -> None:
        self.request("UserUpdate", {"mode": mode, "identity": identity, "profile": profile})

    def delete_user(self, mode: Mode, identity: str) -> None:
        self.request("UserDelete", {"mode": mode, "identity": identity})

    # tokens
    def create_token(self, tokentype: TokenType, record: str, *, unique: bool = False) -> TokenCreateResponse:
        return cast(
            TokenCreateResponse,
            self.request("TokenCreate", {"tokentype": tokentype, "record": record, "unique": unique}),
        )

    def create_tokens(self, records: list[tuple[TokenType, str]], *, unique: bool = False) -> list[Json]:
        body = {"records": [{"tokentype": t, "record": r} for t, r in records], "unique": unique}
        return cast(list[Json], self.request("TokenCreateBulk", body)["created"])

    def get_token(self, token: str) -> TokenGetResponse | None:
        try:
            return cast(TokenGetResponse, self.request("TokenGet", {"token": token}))
        except VaultNotFoundError:
            return None

    def delete_token(self, token: str) -> None:
        self.request("TokenDelete", {"token": token})


class AsyncClient(_Base):
    """Asynchronous client (httpx.AsyncClient) with the same verbs for sessions.

    Example::

        async with AsyncClient("http://127.0.0.1:3000", "DEMO") as vault:
            await vault.upsert_session("a-session-id-123", {"n": 1})
    """

    def __init__(self, base_url: str, token: str, **options: Any) -> None:
        super().__init__(base_url, token, **options)
        self._http = httpx.AsyncClient(timeout=self._timeout)

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    async def request(self, operation: str, body: Json) -> Json:
        attempts = self._attempts(operation)
        content = encode(body)
        for attempt in range(attempts):
            try:
                try:
                    response = await self._http.post(
                        f"{self._base}/v2/{operation}", content=content, headers=self._headers
                    )
                except httpx.HTTPError as error:
                    raise network_error(operation, error) from None
                return decode(operation, response)
            except VaultError as error:
                if not error.retryable or attempt + 1 == attempts:
                    raise
                await asyncio.sleep(self._delay(attempt))
        raise AssertionError("unreachable")

    async def upsert_session(
        self, sessionuuid: str, data: Json, *, slidingtime: str | None = None, usertoken: str | None = None
    ) -> int:
        body = _windows({"sessionuuid": sessionuuid, "sessiondata": data}, slidingtime, None)
        if usertoken is not None:
            body["usertoken"] = usertoken
        return int((await self.request("SessionUpsert", body)).get("version", 0))

    async def get_session(self, sessionuuid: str) -> VaultSession | None:
        try:
            return _session(await self.request("SessionGet", {"sessionuuid": sessionuuid}))
        except VaultNotFoundError:
            return None

    async def delete_session(self, sessionuuid: str) -> None:
        await self.request("SessionDelete", {"sessionuuid": sessionuuid})

    async def list_user_sessions(self, mode: Mode, identity: str) -> list[VaultSessionRow]:
        reply = await self.request("SessionListUserSessions", {"mode": mode, "identity": identity})
        return [VaultSessionRow(**vars(_session(row)), sessionuuid=row["sessionuuid"]) for row in reply["rows"]]

    async def revoke_user_sessions(self, mode: Mode, identity: str, *, keep: list[str] | None = None) -> int:
        body: Json = {"mode": mode, "identity": identity}
        if keep:
            body["keep"] = keep
        return int((await self.request("SessionRevokeUser", body))["deleted"])
