"""The facade's verbs as :class:`Call` plans: one place for bodies, reply reading and retry flags,
shared by :class:`~sessionvault.Client` and :class:`~sessionvault.AsyncClient`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from ._generated.models import Mode, TokenCreateResponse, TokenGetResponse, TokenType
from ._transport import Call, Json
from .errors import VaultError

FinalTime = str | int


@dataclass(frozen=True)
class VaultSession:
    """A session as the vault returns it: its data, version, times (ms) and linked user token."""

    data: Json
    version: int
    created: int
    lastused: int
    expires: int | None
    usertoken: str | None


@dataclass(frozen=True)
class VaultSessionRow(VaultSession):
    """One row of ``list_user_sessions``."""

    sessionuuid: str


@dataclass(frozen=True)
class TouchResult:
    """What ``touch_session`` did: the session's new expiry (unix ms), or None when it has no window."""

    expires: int | None


class VaultReplyError(VaultError):
    """The vault answered 200 with a body that does not have the contract's shape."""


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _session(operation: str, row: Json) -> VaultSession:
    data = row.get("sessiondata")
    if not isinstance(data, dict):
        raise VaultReplyError(operation, "the vault's reply has no `sessiondata` object")
    expires = row.get("expires")
    usertoken = row.get("usertoken")
    return VaultSession(
        data=data,
        version=_int(row.get("version")),
        created=_int(row.get("created")),
        lastused=_int(row.get("lastused")),
        expires=expires if isinstance(expires, int) else None,
        usertoken=usertoken if isinstance(usertoken, str) and usertoken else None,
    )


def _string(operation: str, body: Json, field: str) -> str:
    value = body.get(field)
    if not isinstance(value, str):
        raise VaultReplyError(operation, f"the vault's reply has no `{field}` string")
    return value


def _windows(body: Json, slidingtime: str | None, finaltime: FinalTime | None) -> Json:
    if slidingtime is not None:
        body["slidingtime"] = slidingtime
    if finaltime is not None:
        body["finaltime"] = finaltime
    return body


def _write_fields(body: Json, usertoken: str | None, unlink: bool, expectversion: int | None) -> None:
    # The contract keeps the link when the field is absent and removes it with "".
    if unlink:
        body["usertoken"] = ""
    elif usertoken is not None:
        body["usertoken"] = usertoken
    if expectversion is not None:
        body["expectversion"] = expectversion


def _version(body: Json) -> int:
    return _int(body.get("version"))


def _none(_: Json) -> None:
    return None


def upsert_session(
    sessionuuid: str,
    data: Json,
    slidingtime: str | None,
    finaltime: FinalTime | None,
    usertoken: str | None,
    unlink: bool,
    expectversion: int | None,
) -> Call[int]:
    body = _windows({"sessionuuid": sessionuuid, "sessiondata": data}, slidingtime, finaltime)
    _write_fields(body, usertoken, unlink, expectversion)
    # Replacing a record with the same data twice is the same as once, unless a version is checked.
    return Call("SessionUpsert", body, _version, idempotent=expectversion is None)


def get_session(sessionuuid: str) -> Call[VaultSession | None]:
    return Call(
        "SessionGet",
        {"sessionuuid": sessionuuid},
        lambda body: _session("SessionGet", body),
        idempotent=True,
        missing=lambda: None,
    )


def delete_session(sessionuuid: str) -> Call[None]:
    return Call("SessionDelete", {"sessionuuid": sessionuuid}, _none, idempotent=True)


def touch_session(sessionuuid: str, slidingtime: str | None) -> Call[TouchResult | None]:
    def parse(body: Json) -> TouchResult:
        expires = body.get("expires")
        return TouchResult(expires if isinstance(expires, int) else None)

    body = _windows({"sessionuuid": sessionuuid}, slidingtime, None)
    return Call("SessionTouch", body, parse, idempotent=True, missing=lambda: None)


def patch_session(
    sessionuuid: str,
    set: Json | None,
    unset: list[str] | None,
    create: bool,
    slidingtime: str | None,
    finaltime: FinalTime | None,
    usertoken: str | None,
    unlink: bool,
    expectversion: int | None,
) -> Call[int | None]:
    body: Json = _windows({"sessionuuid": sessionuuid, "create": create}, slidingtime, finaltime)
    if set is not None:
        body["set"] = set
    if unset is not None:
        body["unset"] = unset
    _write_fields(body, usertoken, unlink, expectversion)
    return Call("SessionPatch", body, _version, idempotent=expectversion is None, missing=lambda: None)


def list_user_sessions(mode: Mode, identity: str, offset: int | None, limit: int | None) -> Call[list[VaultSessionRow]]:
    def parse(body: Json) -> list[VaultSessionRow]:
        rows = body.get("rows")
        if not isinstance(rows, list):
            raise VaultReplyError("SessionListUserSessions", "the vault's reply has no `rows` array")
        out = []
        for row in rows:
            if not isinstance(row, dict):
                raise VaultReplyError("SessionListUserSessions", "a row of the vault's reply is not an object")
            sessionuuid = _string("SessionListUserSessions", row, "sessionuuid")
            out.append(VaultSessionRow(**vars(_session("SessionListUserSessions", row)), sessionuuid=sessionuuid))
        return out

    body: Json = {"mode": mode, "identity": identity}
    if offset is not None:
        body["offset"] = offset
    if limit is not None:
        body["limit"] = limit
    return Call("SessionListUserSessions", body, parse, idempotent=True)


def revoke_user_sessions(mode: Mode, identity: str, keep: list[str] | None) -> Call[int]:
    def parse(body: Json) -> int:
        deleted = body.get("deleted")
        if not isinstance(deleted, int):
            raise VaultReplyError("SessionRevokeUser", "the vault's reply has no `deleted` count")
        return deleted

    body: Json = {"mode": mode, "identity": identity}
    if keep:
        body["keep"] = keep
    return Call("SessionRevokeUser", body, parse, idempotent=True)


def create_user(profile: Json, slidingtime: str | None, finaltime: FinalTime | None) -> Call[str]:
    body = _windows({"profile": profile}, slidingtime, finaltime)
    # Never repeated: a lost reply after a created user would create a second one.
    return Call("UserCreate", body, lambda reply: _string("UserCreate", reply, "token"), idempotent=False)


def get_user(mode: Mode, identity: str) -> Call[Json | None]:
    def parse(body: Json) -> Json:
        profile = body.get("profile")
        if not isinstance(profile, dict):
            raise VaultReplyError("UserGet", "the vault's reply has no `profile` object")
        return profile

    return Call("UserGet", {"mode": mode, "identity": identity}, parse, idempotent=True, missing=lambda: None)


def get_user_token(mode: Mode, identity: str) -> Call[str | None]:
    return Call(
        "UserGet",
        {"mode": mode, "identity": identity},
        lambda body: _string("UserGet", body, "token"),
        idempotent=True,
        missing=lambda: None,
    )


def update_user(mode: Mode, identity: str, profile: Json) -> Call[None]:
    return Call("UserUpdate", {"mode": mode, "identity": identity, "profile": profile}, _none, idempotent=True)


def delete_user(mode: Mode, identity: str) -> Call[None]:
    body = {"mode": mode, "identity": identity}
    return Call("UserDelete", body, _none, idempotent=True, gone_after_retry=True)


def create_token(
    tokentype: TokenType,
    record: str,
    unique: bool,
    slidingtime: str | None,
    finaltime: FinalTime | None,
    baselookup: bool = False,
) -> Call[TokenCreateResponse]:
    def parse(body: Json) -> TokenCreateResponse:
        return {
            "tokenuuid": _string("TokenCreate", body, "tokenuuid"),
            "tokenbase": _string("TokenCreate", body, "tokenbase"),
        }

    body = _windows({"tokentype": tokentype, "record": record, "unique": unique}, slidingtime, finaltime)
    # Sent only when asked for: a base is a lookup key only by opt-in (see the contract).
    if baselookup:
        body["baselookup"] = True
    # With `unique` the vault returns the existing token for the same value: safe to repeat.
    return Call("TokenCreate", body, parse, idempotent=unique)


def create_tokens(
    records: list[tuple[TokenType, str]],
    unique: bool,
    slidingtime: str | None,
    finaltime: FinalTime | None,
    baselookup: bool = False,
) -> Call[list[Json]]:
    def parse(body: Json) -> list[Json]:
        created = body.get("created")
        if not isinstance(created, list) or not all(isinstance(item, dict) for item in created):
            raise VaultReplyError("TokenCreateBulk", "the vault's reply has no `created` array of objects")
        return cast(list[Json], created)

    items = [{"tokentype": t, "record": r} for t, r in records]
    body = _windows({"records": items, "unique": unique}, slidingtime, finaltime)
    if baselookup:
        body["baselookup"] = True
    return Call("TokenCreateBulk", body, parse, idempotent=unique)


def get_token(token: str) -> Call[TokenGetResponse | None]:
    def parse(body: Json) -> TokenGetResponse:
        return cast(
            TokenGetResponse,
            {"record": _string("TokenGet", body, "record"), "tokentype": _string("TokenGet", body, "tokentype")},
        )

    return Call("TokenGet", {"token": token}, parse, idempotent=True, missing=lambda: None)


def delete_token(token: str) -> Call[None]:
    return Call("TokenDelete", {"token": token}, _none, idempotent=True, gone_after_retry=True)
