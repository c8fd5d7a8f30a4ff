"""SESSION_ENGINE = "sessionvault.django": a real Django app over real HTTP with a cookie jar."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import django_app
from backend_protocol import check_backend, check_expiry, check_outage
from conftest import Vault, start_vault
from servers import wsgi_server
from sessionvault import Client


@pytest.fixture(scope="module")
def django_url(vault: Vault) -> Iterator[str]:
    django_app.configure(vault.url, vault.token)
    from django.core.wsgi import get_wsgi_application

    with wsgi_server(get_wsgi_application()) as url:
        yield url


def test_django_counts_signs_in_revokes_refuses_pii_and_signs_out(vault: Vault, django_url: str) -> None:
    with Client(vault.url, vault.token) as c:
        check_backend(django_url, c, "sessionid")


def test_django_record_expires_with_session_cookie_age(vault: Vault, django_url: str) -> None:
    from django.test.utils import override_settings

    with override_settings(SESSION_COOKIE_AGE=2), Client(vault.url, vault.token) as c:
        check_expiry(django_url, c, "sessionid", 2)


def test_django_answers_5xx_when_the_vault_is_down(django_url: str) -> None:
    from django.conf import settings
    from django.test.utils import override_settings

    with start_vault() as own:
        options = {**settings.SESSIONVAULT, "URL": own.url, "TOKEN": own.token, "TIMEOUT": 1.0}
        with override_settings(SESSIONVAULT=options):
            check_outage(django_url, own.stop, "sessionid")
