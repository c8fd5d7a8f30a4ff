"""The small httpx transport under the generated models: one call per contract operation."""

from __future__ import annotations

import json
from typing import Any

import httpx

from .errors import VaultConnectionError, VaultError, VaultTimeoutError, status_error

# Operations that are safe to repeat: a retry after a lost reply changes nothing.
IDEMPOTENT = frozenset(
    {"SessionGet", "SessionDelete", "SessionListUserSessions", "SessionTouch", "UserGet", "TokenGet"}
)


def headers(token: str, tenant: str | None) -> dict[str, str]:
    h = {"x-bunker-token": token, "content-type": "application/json"}
    if tenant:
        h["x-bunker-tenant"] = tenant
    return h


def encode(body: Any) -> bytes:
    return json.dumps(body, separators=(",", ":")).encode("utf-8")


def decode(operation: str, response: httpx.Response) -> dict[str, Any]:
    """The reply body on 200; a typed error (with only the vault's message) otherwise."""
    try:
        parsed = json.loads(response.content) if response.content else None
    except ValueError:
        parsed = None
    if response.status_code == 200 and isinstance(parsed, dict):
        return parsed
    message = "the vault's reply is not JSON"
    if isinstance(parsed, dict) and isinstance(parsed.get("message"), str):
        message = parsed["message"]
    raise status_error(operation, response.status_code, message)


def network_error(operation: str, error: httpx.HTTPError) -> VaultError:
    # Only the class name: httpx messages can contain the URL, never the body or headers,
    # but the class is all a caller needs.
    if isinstance(error, httpx.TimeoutException):
        return VaultTimeoutError(operation, "timed out")
    return VaultConnectionError(operation, f"could not reach the vault ({type(error).__name__})")
