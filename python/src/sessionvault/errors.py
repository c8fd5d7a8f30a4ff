"""Typed errors. None of them ever carries a token, session id, session data or PII."""

from __future__ import annotations

from typing import Any

# Statuses that mean "nothing happened, or it may be repeated": overload and gateway failures.
RETRYABLE_STATUSES = frozenset({429, 502, 503, 504})


class VaultError(Exception):
    """Base class of every error the client raises.

    Example::

        try:
            client.get_session(sid)
        except VaultError as error:
            log.warning("vault call failed: %s", error)
    """

    retryable: bool = False
    status: int = 0
    # Seconds the vault asked to wait (its Retry-After header), if it said.
    retry_after: float | None = None

    def __init__(self, operation: str, message: str) -> None:
        super().__init__(f"{operation}: {message}")
        self.operation = operation

    def to_dict(self) -> dict[str, Any]:
        """A log-friendly form: class, operation, status, message, retryable."""
        return {
            "name": type(self).__name__,
            "operation": self.operation,
            "status": self.status,
            "message": str(self),
            "retryable": self.retryable,
        }


class VaultConnectionError(VaultError):
    """The vault could not be reached, or did not answer in time (no HTTP status: ``status`` is 0)."""

    retryable = True


class VaultTimeoutError(VaultConnectionError):
    """The call took longer than the client's timeout."""


class VaultStatusError(VaultError):
    """The vault answered with an HTTP error status; ``vault_message`` is the vault's own text."""

    def __init__(self, operation: str, status: int, message: str) -> None:
        super().__init__(operation, f"HTTP {status}: {message}")
        self.status = status
        self.vault_message = message
        self.retryable = status in RETRYABLE_STATUSES


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


class VaultRateLimitError(VaultStatusError):
    """429: too many requests; retryable."""


class VaultServerError(VaultStatusError):
    """5xx: a fault inside the vault or its storage (502, 503 and 504 are retryable, 500 is not)."""


class VaultUnavailableError(VaultServerError):
    """503: the vault is busy; nothing was written, safe to retry."""


_BY_STATUS: dict[int, type[VaultStatusError]] = {
    400: VaultBadRequestError,
    403: VaultAuthError,
    404: VaultNotFoundError,
    409: VaultConflictError,
    413: VaultPayloadTooLargeError,
    429: VaultRateLimitError,
    503: VaultUnavailableError,
}


def status_error(operation: str, status: int, message: str) -> VaultStatusError:
    """The typed error for an HTTP status."""
    cls = _BY_STATUS.get(status) or (VaultServerError if status >= 500 else VaultStatusError)
    return cls(operation, status, message)
