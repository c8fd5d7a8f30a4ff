"""The small httpx transport under the generated models: one call per contract operation.

A verb of the facade builds a :class:`Call` (operation, body, how to read the reply, whether
it is safe to repeat); the sync and the async client each run it with the same rules.
"""

from __future__ import annotations

import email.utils
import json
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import httpx

from .errors import VaultConnectionError, VaultError, VaultNotFoundError, VaultTimeoutError, status_error

T = TypeVar("T")
Json = dict[str, Any]

# Operations that are safe to repeat whatever their body: a retry after a lost reply changes nothing.
IDEMPOTENT = frozenset(
    {
        "SessionGet",
        "SessionDelete",
        "SessionListUserSessions",
        "SessionRevokeUser",
        "SessionTouch",
        "UserGet",
        "UserUpdate",
        "UserDelete",
        "TokenGet",
        "TokenDelete",
    }
)


@dataclass(frozen=True)
class Call(Generic[T]):
    """One contract call: what to send and how to read the answer."""

    operation: str
    body: Json
    parse: Callable[[Json], T]
    idempotent: bool
    # A 404 means "no such record": this value instead of VaultNotFoundError.
    missing: Callable[[], T] | None = None
    # A 404 on a repeated delete means an earlier attempt already deleted the record.
    gone_after_retry: bool = False


@dataclass(frozen=True)
class Retry:
    retries: int = 2
    min_delay: float = 0.05
    max_delay: float = 1.0

    def attempts(self, call: Call[Any]) -> int:
        return 1 + (self.retries if call.idempotent else 0)

    def delay(self, attempt: int, error: VaultError) -> float:
        if error.retry_after is not None:
            return min(error.retry_after, self.max_delay)
        # "Full jitter": uniform between 0 and the exponential ceiling.
        return random.uniform(0, min(self.max_delay, self.min_delay * 2**attempt))


def headers(token: str, tenant: str | None) -> dict[str, str]:
    h = {"x-bunker-token": token, "content-type": "application/json", "accept": "application/json"}
    if tenant:
        h["x-bunker-tenant"] = tenant
    return h


def encode(body: Any) -> bytes:
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def decode(operation: str, response: httpx.Response) -> Json:
    """The reply body on 2xx; a typed error (with only the vault's message) otherwise."""
    try:
        parsed = json.loads(response.content) if response.content else None
    except ValueError:
        parsed = None
    if 200 <= response.status_code <= 299 and isinstance(parsed, dict):
        return parsed
    message = "the vault's reply is not a JSON object"
    if isinstance(parsed, dict) and isinstance(parsed.get("message"), str):
        message = parsed["message"]
    error = status_error(operation, response.status_code, message)
    error.retry_after = _retry_after(response.headers.get("retry-after"))
    raise error


def _retry_after(header: str | None) -> float | None:
    if header is None:
        return None
    value = header.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def settle(call: Call[T], response: httpx.Response, attempt: int) -> T:
    """The call's result from one HTTP answer, or the typed error it stands for."""
    try:
        return call.parse(decode(call.operation, response))
    except VaultNotFoundError:
        if call.missing is not None:
            return call.missing()
        if call.gone_after_retry and attempt > 0:
            return call.parse({})
        raise


def network_error(operation: str, error: httpx.HTTPError) -> VaultError:
    # Only the class name: httpx messages can contain the URL, never the body or headers,
    # but the class is all a caller needs.
    if isinstance(error, httpx.TimeoutException):
        return VaultTimeoutError(operation, "timed out")
    return VaultConnectionError(operation, f"could not reach the vault ({type(error).__name__})")
