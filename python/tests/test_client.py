"""The facade against a real vault, through both Client and AsyncClient: verbs, typed errors,
retries only for calls that are safe to repeat, no secrets in errors."""

from __future__ import annotations

import inspect
import socket
import threading
import uuid
from collections.abc import Callable, Iterator

import pytest

from clients import KINDS, Kind, opened
from conftest import Vault
from sessionvault import (
    AsyncClient,
    Client,
    TouchResult,
    VaultAuthError,
    VaultBadRequestError,
    VaultConflictError,
    VaultConnectionError,
    VaultError,
    VaultNotFoundError,
    VaultStatusError,
)

both = pytest.mark.parametrize("kind", KINDS)


def sid() -> str:
    return f"sid-{uuid.uuid4()}"


def test_async_client_has_every_verb_of_the_sync_client_with_the_same_signature() -> None:
    public = {name for name in vars(Client) if not name.startswith("_")} - {"close", "__enter__", "__exit__"}
    assert {"upsert_session", "patch_session", "touch_session", "create_tokens", "update_user"} <= public
    for name in sorted(public):
        sync_fn, async_fn = getattr(Client, name), getattr(AsyncClient, name, None)
        assert async_fn is not None, name
        assert inspect.iscoroutinefunction(async_fn), name
        assert str(inspect.signature(async_fn)) == str(inspect.signature(sync_fn)), name


@both
def test_session_verbs_round_trip(vault: Vault, kind: Kind) -> None:
    with opened(kind, vault.url, vault.token) as c:
        s = sid()
        assert c.upsert_session(s, {"n": 1}, slidingtime="1h") == 1
        got = c.get_session(s)
        assert got is not None and got.data == {"n": 1} and got.version == 1 and got.usertoken is None
        assert c.patch_session(s, {"m": 2}, ["n"]) == 2
        assert c.get_session(s).data == {"m": 2}  # type: ignore[union-attr]
        touched = c.touch_session(s, slidingtime="2h")
        assert isinstance(touched, TouchResult) and isinstance(touched.expires, int)
        c.delete_session(s)
        assert c.get_session(s) is None
        # A missing session: None from get, touch and patch (without create), never an empty session.
        assert c.touch_session(s) is None
        assert c.patch_session(s, {"x": 1}) is None
        assert c.get_session(s) is None
        assert c.patch_session(s, {"x": 1}, create=True) == 1
        c.delete_session(s)


@both
def test_a_fixed_end_expires_the_session(vault: Vault, kind: Kind) -> None:
    import time

    with opened(kind, vault.url, vault.token) as c:
        s = sid()
        c.upsert_session(s, {"n": 1}, slidingtime="1h", finaltime="1s")
        assert c.get_session(s) is not None
        time.sleep(1.3)
        assert c.get_session(s) is None


@both
def test_users_linking_list_and_revoke_with_keep(vault: Vault, kind: Kind) -> None:
    with opened(kind, vault.url, vault.token) as c:
        email = f"{uuid.uuid4().hex}@example.org"
        token = c.create_user({"email": email, "name": "Ada"})
        assert c.get_user("email", email) == {"email": email, "name": "Ada"}
        assert c.get_user_token("email", email) == token
        a, b = sid(), sid()
        c.upsert_session(a, {}, usertoken=token)
        c.patch_session(b, {"k": 1}, create=True, usertoken=token)
        rows = c.list_user_sessions("email", email)
        assert {r.sessionuuid for r in rows} == {a, b}
        assert {r.usertoken for r in rows} == {token}
        assert len(c.list_user_sessions("email", email, limit=1)) == 1
        assert c.revoke_user_sessions("token", token, keep=[b]) == 1
        assert [r.sessionuuid for r in c.list_user_sessions("email", email)] == [b]
        # Writing without usertoken keeps the link; unlink removes it.
        c.patch_session(b, {"k": 2})
        assert c.get_session(b).usertoken == token  # type: ignore[union-attr]
        c.upsert_session(b, {"k": 3}, unlink=True)
        assert c.get_session(b).usertoken is None  # type: ignore[union-attr]
        assert c.list_user_sessions("email", email) == []
        c.update_user("token", token, {"name": "Ada L."})
        assert c.get_user("token", token) == {"email": email, "name": "Ada L."}
        c.delete_user("token", token)
        assert c.get_user("token", token) is None
        with pytest.raises(VaultNotFoundError):
            c.delete_user("token", token)


@both
def test_tokens_single_and_bulk(vault: Vault, kind: Kind) -> None:
    with opened(kind, vault.url, vault.token) as c:
        created = c.create_token("creditcard", "4111111111111111")
        assert len(created["tokenbase"]) == 16 and created["tokenbase"].endswith("1111")
        got = c.get_token(created["tokenuuid"])
        assert got == {"record": "4111111111111111", "tokentype": "creditcard"}
        again = c.create_token("creditcard", "4111111111111111", unique=True)
        assert c.create_token("creditcard", "4111111111111111", unique=True)["tokenuuid"] == again["tokenuuid"]
        bulk = c.create_tokens([("email", "x@example.org"), ("string", "hello")], finaltime="1h")
        assert [t["tokentype"] for t in bulk] == ["email", "string"]
        assert c.get_token(bulk[1]["tokenuuid"]) == {"record": "hello", "tokentype": "string"}
        c.delete_token(created["tokenuuid"])
        assert c.get_token(created["tokenuuid"]) is None


@both
def test_token_base_is_a_lookup_key_only_with_baselookup(vault: Vault, kind: Kind) -> None:
    with opened(kind, vault.url, vault.token) as c:
        hidden = c.create_token("creditcard", "4111111111111111")
        assert c.get_token(hidden["tokenbase"]) is None
        with pytest.raises(VaultNotFoundError):
            c.delete_token(hidden["tokenbase"])
        assert c.get_token(hidden["tokenuuid"]) == {"record": "4111111111111111", "tokentype": "creditcard"}
        shown = c.create_token("email", "base.lookup@example.org", baselookup=True)
        assert c.get_token(shown["tokenbase"]) == {"record": "base.lookup@example.org", "tokentype": "email"}
        bulk = c.create_tokens([("creditcard", "5500005555555559")], baselookup=True)
        assert c.get_token(bulk[0]["tokenbase"]) == {"record": "5500005555555559", "tokentype": "creditcard"}
        plain = c.create_tokens([("creditcard", "5500005555555559")])
        assert c.get_token(plain[0]["tokenbase"]) is None


@both
def test_http_errors_are_typed_with_status_and_retryable(vault: Vault, kind: Kind) -> None:
    with opened(kind, vault.url, vault.token) as c:
        with pytest.raises(VaultBadRequestError) as bad:
            c.upsert_session("short", {})
        assert bad.value.status == 400 and not bad.value.retryable
        s = sid()
        c.upsert_session(s, {})
        with pytest.raises(VaultConflictError) as conflict:
            c.upsert_session(s, {}, expectversion=0)
        assert conflict.value.status == 409
        assert isinstance(conflict.value, VaultStatusError)
        assert conflict.value.to_dict()["status"] == 409


@both
def test_errors_never_carry_the_token_session_id_or_data(vault: Vault, kind: Kind) -> None:
    secret_token = "a-very-secret-access-token-1234"
    s = f"secret-session-{uuid.uuid4()}"
    with opened(kind, vault.url, secret_token) as c:
        with pytest.raises(VaultAuthError) as denied:
            c.upsert_session(s, {"email": "ada@example.org"})
        assert secret_token not in repr(c)
    text = f"{denied.value} {denied.value!r} {denied.value.args} {denied.value.to_dict()}"
    assert denied.value.status == 403
    for secret in (secret_token, s, "ada@example.org"):
        assert secret not in text


def _dead_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@both
def test_unreachable_vault_is_a_connection_error_not_an_http_error(kind: Kind) -> None:
    with opened(kind, f"http://127.0.0.1:{_dead_port()}", "t", retries=1, min_delay=0.01) as c:
        with pytest.raises(VaultConnectionError) as down:
            c.get_session(sid())
    assert down.value.retryable and down.value.status == 0
    assert not isinstance(down.value, VaultStatusError)
    assert isinstance(down.value, VaultError)


@pytest.fixture
def closing_server() -> Iterator[tuple[str, list[int]]]:
    """A listening socket that accepts and closes at once: every call fails at the network level."""
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
        yield f"http://127.0.0.1:{server.getsockname()[1]}", accepted
    finally:
        stop.set()
        thread.join()
        server.close()


@both
def test_retries_only_calls_that_are_safe_to_repeat(kind: Kind, closing_server: tuple[str, list[int]]) -> None:
    url, accepted = closing_server
    with opened(kind, url, "t", retries=2, min_delay=0.001, timeout=1.0) as c:
        cases: list[tuple[Callable[[], object], int]] = [
            (lambda: c.get_session(sid()), 3),
            (lambda: c.upsert_session(sid(), {}), 3),  # replacing with the same data twice is the same
            (lambda: c.patch_session(sid(), {"a": 1}), 3),
            (lambda: c.delete_user("token", "t"), 3),
            (lambda: c.create_token("string", "v", unique=True), 3),
            (lambda: c.upsert_session(sid(), {}, expectversion=0), 1),  # a version check is not repeatable
            (lambda: c.create_user({"login": "ada"}), 1),  # would create a second user
            (lambda: c.create_token("string", "v"), 1),  # would create a second token
            (lambda: c.create_tokens([("string", "v")]), 1),
        ]
        for call, expected in cases:
            accepted[0] = 0
            with pytest.raises(VaultConnectionError):
                call()
            assert accepted[0] == expected


@both
def test_a_timeout_is_a_typed_timeout_error(kind: Kind) -> None:
    from sessionvault import VaultTimeoutError

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(4)  # accepts into the backlog, never answers
    try:
        url = f"http://127.0.0.1:{server.getsockname()[1]}"
        with opened(kind, url, "t", retries=0, timeout=0.2) as c:
            with pytest.raises(VaultTimeoutError) as slow:
                c.get_session(sid())
        assert slow.value.retryable
    finally:
        server.close()


def test_options_are_checked() -> None:
    for bad in (
        lambda: Client("ftp://x", "t"),
        lambda: Client("http://x", ""),
        lambda: Client("http://x", "t", timeout=0),
        lambda: AsyncClient("http://x", "t", retries=-1),
        lambda: AsyncClient("http://x", "t", tenant=""),
    ):
        with pytest.raises(ValueError):
            bad()
