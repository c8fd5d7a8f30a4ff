"""Keep personal data out of sessions: profiles and single values go into the vault, encrypted;
the session keeps only a token. The names and behaviour of ``@sessionvault/tokenize``.

Every function takes a :class:`~sessionvault.Client` (and returns the result) or an
:class:`~sessionvault.AsyncClient` (and returns an awaitable of it).

Example::

    from sessionvault import Client
    from sessionvault.tokenize import forget_user, resolve_profile, tokenize_profile

    with Client("http://127.0.0.1:4700", "DEMO") as vault:
        usertoken = tokenize_profile(vault, {"email": "ada@example.com", "name": "Ada"}, on_conflict="reuse")
        session = {"usertoken": usertoken}  # no PII in the session
        print(resolve_profile(vault, usertoken)["name"])  # Ada
        forget_user(vault, "email", "ada@example.com")
"""

from __future__ import annotations

from collections.abc import Awaitable, Iterable
from dataclasses import dataclass
from typing import Any, Literal, overload

from . import _calls as calls
from ._calls import FinalTime
from ._drive import Steps, run
from ._generated.models import Mode, TokenCreateResponse, TokenType
from .client import AsyncClient, Client
from .errors import VaultConflictError, VaultNotFoundError
from .pii import PIIError, PIIFinding, assert_no_pii, find_pii, scan_pii

__all__ = [
    "ForgetUserResult",
    "PIIError",
    "PIIFinding",
    "ProfileConflict",
    "assert_no_pii",
    "detokenize",
    "find_pii",
    "forget_user",
    "resolve_profile",
    "scan_pii",
    "tokenize",
    "tokenize_profile",
]

Json = dict[str, Any]
ProfileConflict = Literal["error", "reuse", "update"]

# Identity fields in the order a conflicting user is looked up by.
_IDENTITY_FIELDS: tuple[Mode, ...] = ("login", "email", "phone", "custom")


@dataclass(frozen=True)
class ForgetUserResult:
    """What :func:`forget_user` erased."""

    #: Sessions linked to the user that were deleted.
    sessions_revoked: int
    #: False when there was no such user (already erased): erasure is idempotent.
    profile_deleted: bool
    #: Tokens from ``tokens`` that existed and were deleted.
    tokens_deleted: int


def _tokenize_profile(
    profile: Json, on_conflict: ProfileConflict, slidingtime: str | None, finaltime: FinalTime | None
) -> Steps[str]:
    if on_conflict not in ("error", "reuse", "update"):
        raise ValueError('on_conflict must be "error", "reuse" or "update"')
    try:
        token: str = yield calls.create_user(profile, slidingtime, finaltime)
        return token
    except VaultConflictError as conflict:
        if on_conflict == "error":
            raise
        error = conflict
    for field in _IDENTITY_FIELDS:
        identity = profile.get(field)
        if not isinstance(identity, str) or not identity:
            continue
        existing: str | None = yield calls.get_user_token(field, identity)
        if existing is not None:
            if on_conflict == "update":
                yield calls.update_user("token", existing, profile)
            return existing
    # The conflicting user vanished between the two calls: the original error still stands.
    raise error


@overload
def tokenize_profile(
    client: Client,
    profile: Json,
    *,
    on_conflict: ProfileConflict = ...,
    slidingtime: str | None = ...,
    finaltime: FinalTime | None = ...,
) -> str: ...
@overload
def tokenize_profile(
    client: AsyncClient,
    profile: Json,
    *,
    on_conflict: ProfileConflict = ...,
    slidingtime: str | None = ...,
    finaltime: FinalTime | None = ...,
) -> Awaitable[str]: ...
def tokenize_profile(
    client: Client | AsyncClient,
    profile: Json,
    *,
    on_conflict: ProfileConflict = "error",
    slidingtime: str | None = None,
    finaltime: FinalTime | None = None,
) -> str | Awaitable[str]:
    """Store a user profile (PII) encrypted in the vault (``UserCreate``) and return the token that
    stands for it. Keep the token in the session, never the profile.

    ``on_conflict`` decides what happens when the profile's login, email, phone or custom id is
    taken: ``"error"`` (default) raises the vault's :class:`~sessionvault.VaultConflictError`,
    ``"reuse"`` returns the existing user's token, ``"update"`` merges the profile into the stored
    one and returns the existing token.

    Example::

        usertoken = tokenize_profile(vault, {"email": "ada@example.com", "name": "Ada"}, on_conflict="reuse")
    """
    return run(client, _tokenize_profile(profile, on_conflict, slidingtime, finaltime))


def _resolve_profile(token: str) -> Steps[Json | None]:
    profile: Json | None = yield calls.get_user("token", token)
    return profile


@overload
def resolve_profile(client: Client, token: str) -> Json | None: ...
@overload
def resolve_profile(client: AsyncClient, token: str) -> Awaitable[Json | None]: ...
def resolve_profile(client: Client | AsyncClient, token: str) -> Json | None | Awaitable[Json | None]:
    """The profile behind a user token (``UserGet`` by token), or None when the user is gone
    (erased, or expired by its time window).

    Example::

        profile = resolve_profile(vault, session["usertoken"])
        if profile:
            print(f"Hello {profile['name']}")
    """
    return run(client, _resolve_profile(token))


def _forget_user(mode: Mode, identity: str, tokens: list[str]) -> Steps[ForgetUserResult]:
    try:
        revoked: int = yield calls.revoke_user_sessions(mode, identity, None)
    except VaultNotFoundError:
        revoked = 0
    try:
        yield calls.delete_user(mode, identity)
        deleted = True
    except VaultNotFoundError:
        deleted = False
    tokens_deleted = 0
    for token in tokens:
        try:
            yield calls.delete_token(token)
            tokens_deleted += 1
        except VaultNotFoundError:
            pass
    return ForgetUserResult(revoked, deleted, tokens_deleted)


@overload
def forget_user(client: Client, mode: Mode, identity: str, *, tokens: Iterable[str] = ...) -> ForgetUserResult: ...
@overload
def forget_user(
    client: AsyncClient, mode: Mode, identity: str, *, tokens: Iterable[str] = ...
) -> Awaitable[ForgetUserResult]: ...
def forget_user(
    client: Client | AsyncClient, mode: Mode, identity: str, *, tokens: Iterable[str] = ()
) -> ForgetUserResult | Awaitable[ForgetUserResult]:
    """The erasure path ("right to be forgotten"): every session of the user
    (``SessionRevokeUser``), then their profile (``UserDelete``), then the single-value tokens you
    name. Sessions go first: once the profile is gone its identities no longer find the user.
    Safe to call again: an erased user yields zeros.

    Stop new sign-ins for the user first, or a session created in between outlives the profile.

    Example::

        result = forget_user(vault, "email", "ada@example.com", tokens=[card["tokenuuid"]])
        # ForgetUserResult(sessions_revoked=2, profile_deleted=True, tokens_deleted=1)
    """
    return run(client, _forget_user(mode, identity, list(tokens)))


def _tokenize(
    value: str,
    tokentype: TokenType,
    unique: bool,
    slidingtime: str | None,
    finaltime: FinalTime | None,
    baselookup: bool,
) -> Steps[TokenCreateResponse]:
    created: TokenCreateResponse = yield calls.create_token(
        tokentype, value, unique, slidingtime, finaltime, baselookup
    )
    return created


@overload
def tokenize(
    client: Client,
    value: str,
    tokentype: TokenType,
    *,
    unique: bool = ...,
    slidingtime: str | None = ...,
    finaltime: FinalTime | None = ...,
    baselookup: bool = ...,
) -> TokenCreateResponse: ...
@overload
def tokenize(
    client: AsyncClient,
    value: str,
    tokentype: TokenType,
    *,
    unique: bool = ...,
    slidingtime: str | None = ...,
    finaltime: FinalTime | None = ...,
    baselookup: bool = ...,
) -> Awaitable[TokenCreateResponse]: ...
def tokenize(
    client: Client | AsyncClient,
    value: str,
    tokentype: TokenType,
    *,
    unique: bool = False,
    slidingtime: str | None = None,
    finaltime: FinalTime | None = None,
    baselookup: bool = False,
) -> TokenCreateResponse | Awaitable[TokenCreateResponse]:
    """Replace one sensitive value by a token (``TokenCreate``): ``tokenuuid`` is the handle to
    keep; ``tokenbase`` a format-preserving stand-in (for ``"creditcard"``: same length,
    Luhn-valid, same last four digits; other types keep only separators and digit/letter
    classes). ``detokenize`` accepts the ``tokenbase`` only with ``baselookup=True``: a base
    is guessable (about 23 random bits for a 12-digit card), so opting in makes it a key
    anyone holding the access token can enumerate.

    Example::

        card = tokenize(vault, "4242424242424242", "creditcard")
        card["tokenbase"][-4:]  # "4242"
    """
    return run(client, _tokenize(value, tokentype, unique, slidingtime, finaltime, baselookup))


def _detokenize(token: str) -> Steps[str | None]:
    found = yield calls.get_token(token)
    return None if found is None else str(found["record"])


@overload
def detokenize(client: Client, token: str) -> str | None: ...
@overload
def detokenize(client: AsyncClient, token: str) -> Awaitable[str | None]: ...
def detokenize(client: Client | AsyncClient, token: str) -> str | None | Awaitable[str | None]:
    """The value behind a token (by ``tokenuuid``, or ``tokenbase`` if created with
    ``baselookup=True``), or None.

    Example::

        detokenize(vault, card["tokenuuid"])  # "4242424242424242"
    """
    return run(client, _detokenize(token))
