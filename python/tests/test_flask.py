"""sessionvault.flask.VaultSessionInterface: a real Flask app over real HTTP with a cookie jar."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from backend_protocol import check_backend, check_expiry, check_outage
from conftest import Vault, start_vault
from flask_app import create_app
from servers import wsgi_server
from sessionvault import Client


@pytest.fixture(scope="module")
def flask_url(vault: Vault) -> Iterator[str]:
    with wsgi_server(create_app(vault.url, vault.token)) as url:
        yield url


def test_flask_counts_signs_in_revokes_refuses_pii_and_signs_out(vault: Vault, flask_url: str) -> None:
    with Client(vault.url, vault.token) as c:
        check_backend(flask_url, c, "session")


def test_flask_record_expires_with_permanent_session_lifetime(vault: Vault) -> None:
    with wsgi_server(create_app(vault.url, vault.token, lifetime=2)) as url, Client(vault.url, vault.token) as c:
        check_expiry(url, c, "session", 2)


def test_flask_answers_5xx_when_the_vault_is_down() -> None:
    with start_vault() as own, wsgi_server(create_app(own.url, own.token, timeout=1.0)) as url:
        check_outage(url, own.stop, "session")
