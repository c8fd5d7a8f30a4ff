"""openapi/conformance/cases.json through the sessionvault clients' transport (sync and async)
against a real vault."""

from __future__ import annotations

import json
from typing import Any

import pytest

from clients import KINDS, Kind, make
from conformance_engine import CASES, CaseFailure, load_cases, match, run_case
from conftest import Vault
from sessionvault import Client


@pytest.mark.parametrize("kind", KINDS)
def test_every_conformance_case_passes(vault: Vault, kind: Kind, capsys: Any) -> None:
    data = load_cases()
    clients: dict[tuple[str | None, str], Client] = {}

    def client(tenant: str | None, token: str) -> Client:
        key = (tenant, token)
        if key not in clients:
            clients[key] = make(kind, vault.url, token, tenant=tenant, retries=0)
        return clients[key]

    def send(call: str, body: Any, raw: str | None, auth: str, tenant: str | None) -> tuple[int, Any]:
        c = client(tenant, "wrong-token-0000000000000000" if auth == "wrong" else vault.token)
        content = raw.encode() if raw is not None else json.dumps(body).encode()
        response = c.raw(call, content, {"x-bunker-token": ""} if auth == "none" else None)
        try:
            return response.status_code, response.json()
        except ValueError:
            return response.status_code, None

    failures = []
    for case in data["cases"]:
        try:
            run_case(case, send)
        except CaseFailure as error:
            failures.append(f"{case['name']}: {error}")
    for c in clients.values():
        c.close()
    passed = len(data["cases"]) - len(failures)
    with capsys.disabled():
        report = "".join(f"\nFAIL {f}" for f in failures)
        print(f"{report}\nconformance ({kind}): {passed} passed, {len(failures)} failed")
    assert failures == []
    assert passed > 0


def test_matcher_rejects_mismatches() -> None:
    assert match({"a": 1}, {"a": 2}) is not None
    assert match({"a": {"$absent": True}}, {"a": 1}) is not None
    assert match([1, 2], [1]) is not None
    assert match({"$unordered": [1, 2]}, [2, 2]) is not None
    assert match({"$type": "integer"}, True) is not None
    assert match({"$unordered": [{"x": 1}, 2]}, [2, {"x": 1, "y": 3}]) is None


def test_case_file_matches_its_json_schema() -> None:
    import jsonschema

    schema = json.loads((CASES.parent / "schema.json").read_text("utf8"))
    jsonschema.Draft202012Validator(schema).validate(load_cases())
    names = [c["name"] for c in load_cases()["cases"]]
    assert len(names) == len(set(names))
