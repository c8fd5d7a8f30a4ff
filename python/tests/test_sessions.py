"""sessionvault.sessions, the engine under every backend, against a real vault (sync and async)."""

from __future__ import annotations

import asyncio
import socket
import uuid

import pytest

from conftest import Vault
from sessionvault import AsyncClient, Client
from sessionvault.sessions import (
    AsyncSessionEngine,
    SessionEngine,
    SessionError,
    SessionState,
    Window,
    generate_session_id,
    is_session_id,
)

HOUR = Window.sliding(3600)


def test_ids_are_256_bit_base64url_and_checked() -> None:
    ids = {generate_session_id() for _ in range(100)}
    assert len(ids) == 100 and all(len(i) == 43 and is_session_id(i) for i in ids)
    assert not is_session_id("short") and not is_session_id("has space in it") and not is_session_id(None)


def test_windows_are_whole_seconds_and_fixed_ends_are_absolute() -> None:
    assert Window.sliding(1.5) == Window("2s")
    assert Window.sliding(0) == Window("1s")
    assert Window.fixed(60, now=1_700_000_000.2) == Window("60s", 1_700_000_061)


def test_concurrent_requests_changing_different_keys_both_keep_their_change(vault: Vault) -> None:
    with Client(vault.url, vault.token) as c:
        engine = SessionEngine(c)
        sid = generate_session_id()
        engine.save(sid, {"a": 0, "b": 0, "gone": 1}, HOUR, SessionState())
        one, two = SessionState(), SessionState()
        first, second = engine.load(sid, one), engine.load(sid, two)
        assert first is not None and second is not None
        first["a"] = 1
        del first["gone"]
        second["b"] = 2
        assert engine.save(sid, first, HOUR, one) == "written"
        assert engine.save(sid, second, HOUR, two) == "written"
        assert engine.load(sid, SessionState()) == {"a": 1, "b": 2}
        # Unchanged: no write at all.
        state = SessionState()
        data = engine.load(sid, state)
        assert data is not None
        version = c.get_session(sid).version  # type: ignore[union-attr]
        assert engine.save(sid, data, HOUR, state) == "skipped"
        assert c.get_session(sid).version == version  # type: ignore[union-attr]


def test_a_session_deleted_while_a_request_holds_it_stays_deleted(vault: Vault) -> None:
    with Client(vault.url, vault.token) as c:
        engine = SessionEngine(c)
        sid = generate_session_id()
        engine.save(sid, {"n": 1}, HOUR, SessionState())
        state = SessionState()
        data = engine.load(sid, state)
        assert data is not None
        engine.destroy(sid)  # signed out in another tab, or revoked
        data["n"] = 2
        assert engine.save(sid, data, HOUR, state) == "gone"
        assert c.get_session(sid) is None


def test_the_user_link_lives_in_the_record_and_moves_to_a_regenerated_id(vault: Vault) -> None:
    with Client(vault.url, vault.token) as c:
        engine = SessionEngine(c)
        email = f"e-{uuid.uuid4().hex}@example.org"
        token = c.create_user({"email": email})
        sid, state = generate_session_id(), SessionState()
        engine.save(sid, {"n": 1}, HOUR, state)
        engine.link_user(state, token)
        assert state.user_token == token
        engine.save(sid, {"n": 1}, HOUR, state)  # only the link changed
        assert c.get_session(sid).usertoken == token  # type: ignore[union-attr]
        assert "usertoken" not in c.get_session(sid).data  # type: ignore[union-attr]
        # A regenerate: the same state writes a new id whole, with the link.
        loaded = SessionState()
        data = engine.load(sid, loaded)
        assert data is not None and loaded.link == token
        new = generate_session_id()
        loaded.clear()
        engine.save(new, data, HOUR, loaded)
        engine.destroy(sid)
        assert [r.sessionuuid for r in engine.list_sessions("email", email)] == [new]
        engine.link_user(loaded, None)
        engine.save(new, data, HOUR, loaded)
        assert engine.list_sessions("email", email) == []
        assert c.get_session(new).usertoken is None  # type: ignore[union-attr]


def test_strict_mode_refuses_pii_with_paths_and_never_the_value(vault: Vault) -> None:
    with Client(vault.url, vault.token) as c:
        engine = SessionEngine(c, strict=True, unchecked_keys=["framework"])
        sid = generate_session_id()
        with pytest.raises(SessionError) as refused:
            engine.save(sid, {"contact": {"email": "ada@example.org"}}, HOUR, SessionState())
        assert refused.value.code == "pii_refused" and refused.value.paths == ["contact.email"]
        assert "ada@example.org" not in f"{refused.value} {refused.value.to_dict()}"
        assert c.get_session(sid) is None
        engine.save(sid, {"framework": "+44 20 7946 0958"}, HOUR, SessionState())
        assert c.get_session(sid) is not None


def test_vault_failures_are_session_errors_with_codes(vault: Vault) -> None:
    with Client(vault.url, "wrong-token-0000000000") as wrong:
        with pytest.raises(SessionError) as refused:
            SessionEngine(wrong).load(generate_session_id(), SessionState())
        assert refused.value.code == "vault_refused" and refused.value.status == 500
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        dead = sock.getsockname()[1]
    with Client(f"http://127.0.0.1:{dead}", vault.token, retries=0) as down:
        engine = SessionEngine(down)
        with pytest.raises(SessionError) as unavailable:
            engine.load(generate_session_id(), SessionState())
        assert unavailable.value.code == "vault_unavailable" and unavailable.value.status == 503
        # An id that cannot be one is a miss without a call, not an outage.
        assert engine.load("bad id", SessionState()) is None
        with pytest.raises(SessionError) as invalid:
            engine.save("bad id", {}, HOUR, SessionState())
        assert invalid.value.code == "invalid_session_id"


def test_the_async_engine_does_the_same(vault: Vault) -> None:
    async def main() -> None:
        async with AsyncClient(vault.url, vault.token) as c:
            engine = AsyncSessionEngine(c, strict=True)
            sid, state = generate_session_id(), SessionState()
            assert await engine.load(sid, state) is None
            assert await engine.save(sid, {"n": 1}, HOUR, state) == "written"
            data = await engine.load(sid, state)
            assert data == {"n": 1}
            assert await engine.save(sid, data, HOUR, state) == "skipped"
            with pytest.raises(SessionError):
                await engine.save(sid, {"n": "4242 4242 4242 4242"}, HOUR, state)
            await engine.destroy(sid, state)
            assert await engine.load(sid, SessionState()) is None

    asyncio.run(main())
