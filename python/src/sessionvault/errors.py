"""Typed errors. None of them ever carries a token, session id, session data or PII."""

from __future__ import annotations


class VaultError(Exception):
    """Base class of every error the client raises.

    Example::

        try:
            client.get_session(sid)
        except VaultError as error:
            log.warning("vault call failed: %s", error)
    """

    retryable: bool = False

    def __init__(self, operation: str, message: str) -> None:
        super().__init__(f"{operation}: {message}")
        self.operation = operation


class VaultConnectionError(VaultError):
    """The vault could not be reached, or did not answer in time (no HTTP status)."""

    retryable = True


class VaultTimeoutError(VaultConnectionError):
    """The call took longer than the client's timeout."""


class VaultStatusError(VaultError):
    """The vault answered with an HTTP error status; ``message`` is the vault's own text."""

    status: int = 0

    def __init__(self, operation: str, status: int, message: str) -> None:
        super().__init__(operation, f"HTTP {status}: {message}")
        self.status = status
        self.vault_message = message


class VaultBadRequestError(VaultStatusError):
    """400: bad input; the message names the field."""


class VaultAuthError(VaultStatusError):
    """403: missing or wrong access token."""


class VaultNotFoundError(VaultStatusError):
    """404: the record does not exist or has expired."""


class VaultConflictError(VaultStatusError):
    """409: a uniqueness or ``expectversion`` check failed."""


class VaultPayloadTooLargeError(VaultStatusError):
    """413: the body is over the vault's limit."""


class VaultServerError(VaultStatusError):
    """5xx: a fault inside the vault or its storage."""

    retryable = True


class VaultUnavailableError(VaultServerError):
    """503: the vault is busy; nothing was written, safe to retry."""


_BY_STATUS: dict[int, type[VaultStatusError]] = {
    400: VaultBadRequestError,
    403: VaultAuthError,
    404: VaultNotFoundError,
    409: VaultConflictError,
    413: VaultPayloadTooLargeError,
    503: VaultUnavailableError,
}


def status_error(operation: str, status: int, message: str) -> VaultStatusError:
    """The typed error for an HTTP status."""
    cls = _BY_STATUS.get(status) or (VaultServerError if status >= 500 else VaultStatusError)
    return cls(operation, status, message)
