"""sessionvault.tokenize against a real vault, with a Client and with an AsyncClient."""

from __future__ import annotations

import asyncio
import uuid

import pytest

from conftest import Vault
from sessionvault import AsyncClient, Client, VaultConflictError
from sessionvault.tokenize import (
    ForgetUserResult,
    detokenize,
    find_pii,
    forget_user,
    resolve_profile,
    tokenize,
    tokenize_profile,
)


def email() -> str:
    return f"ada-{uuid.uuid4().hex}@example.com"


def test_tokenize_profile_keeps_pii_out_of_the_session_and_resolves_it(vault: Vault) -> None:
    with Client(vault.url, vault.token) as c:
        address = email()
        token = tokenize_profile(c, {"email": address, "name": "Ada Lovelace"})
        assert find_pii({"usertoken": token}) == []
        assert resolve_profile(c, token) == {"email": address, "name": "Ada Lovelace"}
        assert resolve_profile(c, str(uuid.uuid4())) is None


def test_on_conflict_error_reuse_and_update(vault: Vault) -> None:
    with Client(vault.url, vault.token) as c:
        address = email()
        first = tokenize_profile(c, {"email": address, "name": "Ada"})
        with pytest.raises(VaultConflictError):
            tokenize_profile(c, {"email": address, "name": "Ada"})
        assert tokenize_profile(c, {"email": address, "name": "Other"}, on_conflict="reuse") == first
        assert resolve_profile(c, first) == {"email": address, "name": "Ada"}  # reuse leaves it unchanged
        # Found by its login, the second identity field looked up.
        login = f"ada-{uuid.uuid4().hex[:8]}"
        c.update_user("token", first, {"login": login})
        assert tokenize_profile(c, {"login": login, "role": "admin"}, on_conflict="update") == first
        assert resolve_profile(c, first) == {"email": address, "name": "Ada", "login": login, "role": "admin"}
        with pytest.raises(ValueError):
            tokenize_profile(c, {"email": address}, on_conflict="merge")  # type: ignore[call-overload]


def test_forget_user_revokes_sessions_then_the_profile_then_tokens_and_is_idempotent(vault: Vault) -> None:
    with Client(vault.url, vault.token) as c:
        address = email()
        token = tokenize_profile(c, {"email": address})
        for _ in range(2):
            c.upsert_session(f"sid-{uuid.uuid4()}", {"usertoken": token}, usertoken=token, slidingtime="1h")
        card = tokenize(c, "4242424242424242", "creditcard")
        assert len(card["tokenbase"]) == 16 and card["tokenbase"].endswith("4242")
        assert detokenize(c, card["tokenuuid"]) == "4242424242424242"
        result = forget_user(c, "email", address, tokens=[card["tokenuuid"], str(uuid.uuid4())])
        assert result == ForgetUserResult(sessions_revoked=2, profile_deleted=True, tokens_deleted=1)
        assert resolve_profile(c, token) is None
        assert detokenize(c, card["tokenuuid"]) is None
        assert c.list_user_sessions("token", token) == []
        assert forget_user(c, "token", token) == ForgetUserResult(0, False, 0)


def test_detokenize_takes_a_token_base_only_with_baselookup(vault: Vault) -> None:
    with Client(vault.url, vault.token) as c:
        hidden = tokenize(c, "4242424242424242", "creditcard")
        assert detokenize(c, hidden["tokenbase"]) is None
        shown = tokenize(c, "4242424242424242", "creditcard", baselookup=True)
        assert detokenize(c, shown["tokenbase"]) == "4242424242424242"
        name = tokenize(c, "山田太郎 東京都港区六本木一丁目1-2-3", "string")
        assert all(ch.isascii() for ch in name["tokenbase"])


def test_the_same_helpers_await_with_an_async_client(vault: Vault) -> None:
    async def main() -> None:
        async with AsyncClient(vault.url, vault.token) as c:
            address = email()
            token = await tokenize_profile(c, {"email": address, "name": "Ada"})
            assert await tokenize_profile(c, {"email": address}, on_conflict="reuse") == token
            assert await resolve_profile(c, token) == {"email": address, "name": "Ada"}
            await c.upsert_session(f"sid-{uuid.uuid4()}", {}, usertoken=token)
            card = await tokenize(c, "5555555555554444", "creditcard")
            assert await detokenize(c, card["tokenuuid"]) == "5555555555554444"
            result = await forget_user(c, "email", address, tokens=[card["tokenuuid"]])
            assert result == ForgetUserResult(1, True, 1)
            assert await resolve_profile(c, token) is None

    asyncio.run(main())
