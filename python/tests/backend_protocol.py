"""What every framework backend must do, checked over real HTTP with a cookie jar against a real
vault. Each framework test serves an app with these routes:

- ``GET /visits`` counts per session: ``{"visits": n}``;
- ``POST /login {"email", "name"}`` stores the profile with tokenize_profile, keeps only the token in
  the session and signs in (a new id, linked to the user);
- ``GET /me`` resolves the profile from the vault, 401 when signed out;
- ``POST /remember {"note"}`` puts the note into the session (strict mode refuses PII there);
- ``POST /logout`` clears the session, which deletes it in the vault.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable

import httpx

from sessionvault import Client
from sessionvault.pii import find_pii


def browser(url: str) -> httpx.Client:
    """A client with a cookie jar, like a browser."""
    return httpx.Client(base_url=url, timeout=10.0)


def visits(b: httpx.Client) -> int:
    r = b.get("/visits")
    assert r.status_code == 200, r.text
    return int(r.json()["visits"])


def replay(url: str, cookie: str, value: str, path: str) -> httpx.Response:
    """One request carrying an old cookie by hand, as an attacker replaying it would."""
    with httpx.Client(base_url=url, timeout=10.0) as c:
        return c.get(path, headers={"cookie": f"{cookie}={value}"})


def sign_in(b: httpx.Client, email: str) -> httpx.Response:
    r = b.post("/login", json={"email": email, "name": "Ada"})
    assert r.status_code == 200, r.text
    return r


def check_backend(url: str, vault: Client, cookie: str) -> None:
    a = browser(url)
    assert [visits(a), visits(a), visits(a)] == [1, 2, 3]
    other = browser(url)
    assert visits(other) == 1  # a second browser has its own session
    first_id = a.cookies[cookie]
    assert vault.get_session(first_id) is not None

    # Login: a new id (the pre-login one is deleted in the vault), the data carried over, linked to the user.
    email = f"py-{uuid.uuid4().hex}@example.com"
    login = sign_in(a, email)
    set_cookie = login.headers.get("set-cookie", "")
    assert "httponly" in set_cookie.lower() and "samesite=lax" in set_cookie.lower()
    signed_in_id = a.cookies[cookie]
    assert signed_in_id != first_id
    assert vault.get_session(first_id) is None
    assert replay(url, cookie, first_id, "/me").status_code == 401
    assert visits(a) == 4
    me = a.get("/me")
    assert me.status_code == 200, me.text
    assert me.json()["email"] == email
    rows = vault.list_user_sessions("email", email)
    assert [r.sessionuuid for r in rows] == [signed_in_id]
    assert rows[0].usertoken is not None and len(rows[0].usertoken) == 36
    assert find_pii(rows[0].data) == []

    # A second device of the same user; "sign out everywhere else" from the first one.
    phone = browser(url)
    sign_in(phone, email)
    assert len(vault.list_user_sessions("email", email)) == 2
    assert vault.revoke_user_sessions("email", email, keep=[signed_in_id]) == 1
    assert phone.get("/me").status_code == 401
    assert a.get("/me").status_code == 200

    # Strict mode: PII never reaches the session, the request fails loudly.
    refused = a.post("/remember", json={"note": "call me on +44 20 7946 0958"})
    assert refused.status_code == 500
    stored = vault.get_session(signed_in_id)
    assert stored is not None and find_pii(stored.data) == []
    assert a.post("/remember", json={"note": "fine"}).status_code == 200
    assert vault.get_session(signed_in_id).data["note"] == "fine"  # type: ignore[union-attr]

    # Logout deletes the record: the old cookie is refused afterwards.
    out = a.post("/logout")
    assert out.status_code == 200, out.text
    assert vault.get_session(signed_in_id) is None
    assert a.get("/me").status_code == 401
    assert replay(url, cookie, signed_in_id, "/me").status_code == 401
    fresh = replay(url, cookie, signed_in_id, "/visits")
    assert fresh.status_code == 200 and fresh.json()["visits"] == 1
    assert vault.list_user_sessions("email", email) == []
    for b in (a, other, phone):
        b.close()


def check_expiry(url: str, vault: Client, cookie: str, age: float) -> None:
    """With a cookie age of ``age`` seconds, the vault record is gone once the cookie has expired."""
    b = browser(url)
    assert visits(b) == 1
    sid = b.cookies[cookie]
    assert visits(b) == 2
    time.sleep(age + 1.5)
    assert vault.get_session(sid) is None
    again = replay(url, cookie, sid, "/visits")
    assert again.status_code == 200 and again.json()["visits"] == 1
    b.close()


def check_outage(url: str, stop_vault: Callable[[], None], cookie: str) -> None:
    """A stopped vault is a 5xx for the request, never an empty session that signs the user out."""
    b = browser(url)
    assert visits(b) == 1
    sid = b.cookies[cookie]
    stop_vault()
    down = b.get("/visits")
    assert 500 <= down.status_code <= 599
    assert "visits" not in down.text
    assert 500 <= replay(url, cookie, sid, "/me").status_code <= 599
    fresh = browser(url)
    assert 500 <= fresh.get("/visits").status_code <= 599  # a new session cannot be written either
    b.close()
    fresh.close()


def check_quickstart(url: str, vault: Client) -> None:
    """The docs' quickstart apps (visits, login, me, logout): what the TypeScript quickstarts pass."""
    a = browser(url)
    assert [visits(a), visits(a), visits(a)] == [1, 2, 3]
    other = browser(url)
    assert visits(other) == 1
    assert len(a.cookies) == 1
    cookie = next(iter(a.cookies.keys()))
    before = a.cookies[cookie]
    email = f"docs-{uuid.uuid4().hex}@example.com"
    login = sign_in(a, email)
    set_cookie = login.headers.get("set-cookie", "").lower()
    assert "httponly" in set_cookie and "samesite=lax" in set_cookie
    assert a.cookies[cookie] != before
    assert vault.get_session(before) is None
    me = a.get("/me")
    assert me.status_code == 200, me.text
    assert me.json() == {"email": email, "name": "Ada"}
    rows = vault.list_user_sessions("email", email)
    assert len(rows) == 1 and find_pii(rows[0].data) == []
    assert rows[0].usertoken is not None and len(rows[0].usertoken) == 36
    out = a.post("/logout")
    assert out.status_code == 200, out.text
    assert a.get("/me").status_code == 401
    assert vault.list_user_sessions("email", email) == []
    for b in (a, other):
        b.close()
