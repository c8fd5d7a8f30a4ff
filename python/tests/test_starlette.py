"""sessionvault.starlette.VaultSessionMiddleware: real Starlette and FastAPI apps served by uvicorn,
driven over real HTTP with a cookie jar."""

from __future__ import annotations

import pytest

from backend_protocol import check_backend, check_expiry, check_outage
from conftest import Vault, start_vault
from servers import asgi_server
from sessionvault import Client
from starlette_app import create_fastapi, create_starlette

FACTORIES = {"starlette": create_starlette, "fastapi": create_fastapi}
frameworks = pytest.mark.parametrize("framework", sorted(FACTORIES))


@frameworks
def test_counts_signs_in_revokes_refuses_pii_and_signs_out(vault: Vault, framework: str) -> None:
    with asgi_server(FACTORIES[framework](vault.url, vault.token)) as url, Client(vault.url, vault.token) as c:
        check_backend(url, c, "session")


@frameworks
def test_record_expires_with_max_age(vault: Vault, framework: str) -> None:
    app = FACTORIES[framework](vault.url, vault.token, max_age=2)
    with asgi_server(app) as url, Client(vault.url, vault.token) as c:
        check_expiry(url, c, "session", 2)


@frameworks
def test_answers_5xx_when_the_vault_is_down(framework: str) -> None:
    with start_vault() as own, asgi_server(FACTORIES[framework](own.url, own.token, timeout=1.0)) as url:
        check_outage(url, own.stop, "session")
