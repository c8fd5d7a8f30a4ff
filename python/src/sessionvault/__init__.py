"""sessionvault: typed client for the sessionvault API."""

from .client import AsyncClient, Client, VaultSession, VaultSessionRow
from .errors import (
    VaultAuthError,
    VaultBadRequestError,
    VaultConflictError,
    VaultConnectionError,
    VaultError,
    VaultNotFoundError,
    VaultPayloadTooLargeError,
    VaultServerError,
    VaultStatusError,
    VaultTimeoutError,
    VaultUnavailableError,
)

__all__ = [
    "AsyncClient",
    "Client",
    "VaultAuthError",
    "VaultBadRequestError",
    "VaultConflictError",
    "VaultConnectionError",
    "VaultError",
    "VaultNotFoundError",
    "VaultPayloadTooLargeError",
    "VaultServerError",
    "VaultSession",
    "VaultSessionRow",
    "VaultStatusError",
    "VaultTimeoutError",
    "VaultUnavailableError",
]
