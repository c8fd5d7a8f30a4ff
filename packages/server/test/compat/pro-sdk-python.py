"""Drives every session, user and token method of Databunker Pro's published Python SDK
(`databunkerpro` on PyPI) against a vault, and prints each call's reply as JSON lines:
{"call": name, "reply": ...}. The TypeScript test beside this file checks the data."""

import json
import sys

from databunkerpro import DatabunkerproAPI

url, token, suffix = sys.argv[1], sys.argv[2], sys.argv[3]
api = DatabunkerproAPI(url, token)


def out(name, reply):
    print(json.dumps({"call": name, "reply": reply}), flush=True)


email = f"ada{suffix}@example.org"
login = f"ada{suffix}"
created = api.create_user({"email": email, "login": login, "name": "Ada Example"})
out("create_user", created)
user = created.get("token", "")
out("get_user:email", api.get_user("email", email))
out("get_user:login", api.get_user("login", login))
out("get_user:token", api.get_user("token", user))

session = f"52465015-23cb-4566-93e6-{suffix[-12:].rjust(12, '0')}"
out("upsert_session", api.upsert_session(session, {"cart": [1, 2], "theme": "dark"}, {"slidingtime": "1h", "usertoken": user}))
out("get_session", api.get_session(session))
out("list_user_sessions:email", api.list_user_sessions("email", email))
out("list_user_sessions:login", api.list_user_sessions("login", login))
out("delete_session", api.delete_session(session))
out("get_session:deleted", api.get_session(session))

card = api.create_token("creditcard", "4111111111111111")
out("create_token", card)
out("get_token", api.get_token(card.get("tokenuuid", "")))
out("get_token:tokenbase", api.get_token(card.get("tokenbase", "")))
bulk = api.create_tokens_bulk([
    {"tokentype": "creditcard", "record": "5500005555555559"},
    {"tokentype": "email", "record": email},
])
out("create_tokens_bulk", bulk)
for i, row in enumerate(bulk.get("created", [])):
    out(f"get_token:bulk{i}", api.get_token(row.get("tokenuuid", "")))
out("delete_token", api.delete_token(card.get("tokenuuid", "")))
out("get_token:deleted", api.get_token(card.get("tokenuuid", "")))

out("update_user", api.update_user("email", email, {"name": "Ada Lovelace"}))
out("get_user:token:updated", api.get_user("token", user))
out("get_user:login:updated", api.get_user("login", login))

# Pro operations the vault does not serve (yet or by design).
patch = [{"op": "replace", "path": "/name", "value": "A"}]
out("create_users_bulk", api.create_users_bulk([{"profile": {"login": f"bulk{suffix}"}}]))
out("patch_user", api.patch_user("token", user, patch))
out("delete_users_bulk", api.delete_users_bulk([{"mode": "token", "identity": user}]))
out("search_user", api.search_user(login, "00000000-0000-4000-8000-000000000000"))
out("list_user_versions", api.list_user_versions("token", user))
out("create_user_x_token", api.create_user_x_token("token", user))
out("request_user_update", api.request_user_update("token", user, {"name": "B"}))
out("request_user_patch", api.request_user_patch("token", user, patch))
out("request_user_deletion", api.request_user_deletion("token", user))
out("get_user_request", api.get_user_request("00000000-0000-4000-8000-000000000000"))
out("list_user_requests", api.list_user_requests("token", user))
out("cancel_user_request", api.cancel_user_request("00000000-0000-4000-8000-000000000000"))
out("approve_user_request", api.approve_user_request("00000000-0000-4000-8000-000000000000"))
out("bulk_list_unlock", api.bulk_list_unlock())
out("bulk_list_tokens", api.bulk_list_tokens("00000000-0000-4000-8000-000000000000", [user]))
out("bulk_delete_tokens", api.bulk_delete_tokens("00000000-0000-4000-8000-000000000000", [user]))

out("delete_user", api.delete_user("token", user))
out("get_user:deleted", api.get_user("token", user))
