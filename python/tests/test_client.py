"""The facade against a real vault: verbs, typed errors, retries, no secrets in errors."""

from __future__ import annotations

import asyncio
import socket
import threading
import uuid

import pytest

from conftest import Vault
from sessionvault import (
    AsyncClient,
    Client,
    VaultAuthError,
    VaultBadRequestError,
    VaultConflictError,
    VaultConnectionError,
    VaultError,
    VaultStatusError,
)


def sid() -> str:
    return f"sid-{uuid.uuid4()}"


def test_session_verbs_round_trip(vault: Vault) -> None:
    with Client(vault.url, vault.token) as c:
        s = sid()
        assert c.upsert_session(s, {"n": 1}, slidingtime="1h") == 1
        got = c.get_session(s)
        assert got is not None and got.data == {"n": 1} and got.version == 1
        assert c.patch_session(s, {"m": 2}) == 2
        assert c.get_session(s).data == {"n": 1, "m": 2}  # type: ignore[union-attr]
        assert isinstance(c.touch_session(s), int)
        c.delete_session(s)
        assert c.get_session(s) is None


def test_users_linking_list_and_revoke_with_keep(vault: Vault) -> None:
    with Client(vault.url, vault.token) as c:
        email = f"{uuid.uuid4().hex}@example.org"
        token = c.create_user({"email": email, "name": "Ada"})
        assert c.get_user("email", email) == {"email": email, "name": "Ada"}
        a, b = sid(), sid()
        c.upsert_session(a, {}, usertoken=token)
        c.upsert_session(b, {}, usertoken=token)
        assert {r.sessionuuid for r in c.list_user_sessions("email", email)} == {a, b}
        assert c.revoke_user_sessions("token", token, keep=[b]) == 1
        assert [r.sessionuuid for r in c.list_user_sessions("email", email)] == [b]
        c.update_user("token", token, {"email": email, "name": "Ada L."})
        assert c.get_user("token", token) == {"email": email, "name": "Ada L."}
        c.delete_user("token", token)
        assert c.get_user("token", token) is None


def test_tokens_single_and_bulk(vault: Vault) -> None:
    with Client(vault.url, vault.token) as c:
        created = c.create_token("creditcard", "4111111111111111")
        assert len(created["tokenbase"]) == 16
        got = c.get_token(created["tokenuuid"])
        assert got is not None and got["record"] == "4111111111111111"
        bulk = c.create_tokens([("email", "x@example.org"), ("string", "hello")])
        assert [t["tokentype"] for t in bulk] == ["email", "string"]
        c.delete_token(created["tokenuuid"])
        assert c.get_token(created["tokenuuid"]) is None


def test_http_errors_are_typed_with_status_and_retryable(vault: Vault) -> None:
    with Client(vault.url, vault.token) as c:
        with pytest.raises(VaultBadRequestError) as bad:
            c.upsert_session("short", {})
        assert bad.value.status == 400 and not bad.value.retryable
        s = sid()
        c.upsert_session(s, {})
        with pytest.raises(VaultConflictError) as conflict:
            c.upsert_session(s, {}, expectversion=0)
        assert conflict.value.status == 409
        assert isinstance(conflict.value, VaultStatusError)


def test_errors_never_carry_the_token_session_id_or_data(vault: Vault) -> None:
    secret_token = "a-very-secret-access-token-1234"
    s = f"secret-session-{uuid.uuid4()}"
    with Client(vault.url, secret_token) as c:
        with pytest.raises(VaultAuthError) as denied:
            c.upsert_session(s, {"email": "ada@example.org"})
    text = f"{denied.value} {denied.value!r} {denied.value.args}"
    assert denied.value.status == 403
    for secret in (secret_token, s, "ada@example.org"):
        assert secret not in text
    assert secret_token not in repr(c)


def _dead_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_unreachable_vault_is_a_connection_error_not_an_http_error() -> None:
    with Client(f"http://127.0.0.1:{_dead_port()}", "t", retries=1, min_delay=0.01) as c:
        with pytest.raises(VaultConnectionError) as down:
            c.get_session(sid())
    assert down.value.retryable
    assert not isinstance(down.value, VaultStatusError)
    assert isinstance(down.value, VaultError)


def test_retries_only_idempotent_calls() -> None:
    # A listening socket that accepts and closes at once: every call fails at the network level.
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    accepted = [0]
    stop = threading.Event()

    def serve() -> None:
        server.settimeout(0.05)
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            accepted[0] += 1
            conn.close()

    thread = threading.Thread(target=serve)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.getsockname()[1]}"
        with Client(url, "t", retries=2, min_delay=0.001, timeout=1.0) as c:
            with pytest.raises(VaultConnectionError):
                c.get_session(sid())
            assert accepted[0] == 3  # SessionGet: the call and two retries
            accepted[0] = 0
            with pytest.raises(VaultConnectionError):
                c.upsert_session(sid(), {})
            assert accepted[0] == 1  # SessionUpsert is not retried
    finally:
        stop.set()
        thread.join()
        server.close()


def test_async_client_round_trip(vault: Vault) -> None:
    async def main() -> None:
        async with AsyncClient(vault.url, vault.token) as c:
            s = sid()
            assert await c.upsert_session(s, {"a": 1}) == 1
            got = await c.get_session(s)
            assert got is not None and got.data == {"a": 1}
            await c.delete_session(s)
            assert await c.get_session(s) is None

    asyncio.run(main())
