"""sessionvault: typed client for the sessionvault API (sync and async), session backends for
Django, Flask and Starlette (optional extras), and the tokenize helpers."""

from ._calls import TouchResult, VaultReplyError, VaultSession, VaultSessionRow
from .client import AsyncClient, Client
from .errors import (
    VaultAuthError,
    VaultBadRequestError,
    VaultConflictError,
    VaultConnectionError,
    VaultError,
    VaultNotFoundError,
    VaultPayloadTooLargeError,
    VaultRateLimitError,
    VaultServerError,
    VaultStatusError,
    VaultTimeoutError,
    VaultUnavailableError,
)

__all__ = [
    "AsyncClient",
    "Client",
    "TouchResult",
    "VaultAuthError",
    "VaultBadRequestError",
    "VaultConflictError",
    "VaultConnectionError",
    "VaultError",
    "VaultNotFoundError",
    "VaultPayloadTooLargeError",
    "VaultRateLimitError",
    "VaultReplyError",
    "VaultServerError",
    "VaultSession",
    "VaultSessionRow",
    "VaultStatusError",
    "VaultTimeoutError",
    "VaultUnavailableError",
]
