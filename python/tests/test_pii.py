"""openapi/conformance/pii-detection.json: the detection vectors every language's strict mode
shares. A vector added to the file runs here with no code change."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from sessionvault.pii import (
    PIIError,
    PIIFinding,
    assert_no_pii,
    find_pii,
    is_card_number,
    is_phone_number,
    luhn_valid,
    scan_pii,
)

VECTORS = json.loads(
    (Path(__file__).resolve().parents[2] / "openapi" / "conformance" / "pii-detection.json").read_text("utf8")
)
_TOKEN = re.compile(r'\.?([A-Za-z_$][A-Za-z0-9_$]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]|\[(<redacted>)\]|\[(\?)\]')


def to_shared_path(path: str) -> str:
    """``user.contacts[1]["e-mail"]`` / ``seen[<redacted>]`` -> the vectors' ``user.contacts.1.e-mail``."""
    if path == "$":
        return "$"
    parts: list[str] = []
    rest = path
    while rest:
        m = _TOKEN.match(rest)
        assert m is not None, f"unparseable finding path: {path}"
        quoted = m.group(3)
        parts.append(
            m.group(1) or m.group(2) or (json.loads(quoted) if quoted else None) or m.group(4) or m.group(5) or ""
        )
        rest = rest[m.end() :]
    return ".".join(parts)


def label(vector: dict[str, Any]) -> str:
    return f"{vector['class']}: {vector.get('note', '')}"


@pytest.mark.parametrize("vector", VECTORS["positives"], ids=label)
def test_positive_vector_is_found_with_exactly_its_kind(vector: dict[str, Any]) -> None:
    assert {f.kind for f in find_pii(vector["value"])} == {vector["kind"]}


@pytest.mark.parametrize("vector", VECTORS["negatives"], ids=label)
def test_negative_vector_is_not_flagged(vector: dict[str, Any]) -> None:
    assert find_pii(vector["value"]) == []


@pytest.mark.parametrize("vector", VECTORS["structures"], ids=lambda v: v.get("note", ""))
def test_structure_vector_reports_exactly_its_paths(vector: dict[str, Any]) -> None:
    assert {to_shared_path(f.path) for f in find_pii(vector["data"])} == set(vector["paths"])


def test_vectors_are_well_formed() -> None:
    assert VECTORS["version"] == 1
    assert len(VECTORS["positives"]) > 0 and len(VECTORS["negatives"]) > 0 and len(VECTORS["structures"]) > 0
    assert {p["kind"] for p in VECTORS["positives"]} == {"email", "phone", "card"}


def test_paths_are_written_like_the_typescript_detector() -> None:
    data = {"user": {"contacts": [{"note": "hi"}, {"email": "ada@example.com"}]}, "first contact": "+44 20 7946 0958"}
    assert find_pii(data) == [
        PIIFinding("user.contacts[1].email", "email"),
        PIIFinding('["first contact"]', "phone"),
    ]
    assert find_pii({"seen": {"ada@example.org": True}}) == [PIIFinding("seen[<redacted>]", "email")]
    assert find_pii("ada@example.org") == [PIIFinding("$", "email")]


def test_assert_no_pii_names_paths_and_kinds_never_values() -> None:
    assert_no_pii({"usertoken": "7d0c3a2e-1f7b-4c5e-9a61-2b8d1e4f6a90", "role": "admin", "n": 3})
    with pytest.raises(PIIError) as refused:
        assert_no_pii({"phone": "+44 20 7946 0958", "card": 4242424242424242})
    assert refused.value.code == "PII_DETECTED"
    assert [(f.path, f.kind) for f in refused.value.findings] == [("phone", "phone"), ("card", "card")]
    text = f"{refused.value} {refused.value.to_dict()}"
    assert "7946" not in text and "4242" not in text
    assert "tokenize_profile" in str(refused.value)


def test_a_payload_past_the_bounds_is_refused_not_passed() -> None:
    deep: Any = "x"
    for _ in range(70):
        deep = [deep]
    assert scan_pii(deep).truncated
    with pytest.raises(PIIError) as too_deep:
        assert_no_pii(deep)
    assert too_deep.value.code == "PII_SCAN_LIMIT"
    with pytest.raises(PIIError):
        assert_no_pii(list(range(20)), max_nodes=10)


def test_cycles_end_and_shared_values_are_reported_on_every_path() -> None:
    loop: dict[str, Any] = {"email": "ada@example.org"}
    loop["self"] = loop
    assert find_pii(loop) == [PIIFinding("email", "email")]
    shared = {"phone": "+44 20 7946 0958"}
    assert {f.path for f in find_pii({"a": shared, "b": shared})} == {"a.phone", "b.phone"}


def test_single_value_recognisers() -> None:
    assert luhn_valid("79927398713") and not luhn_valid("79927398710")
    assert is_card_number("4242 4242 4242 4242") and not is_card_number("1700000000000123")
    assert is_phone_number("(415) 555-2671") and not is_phone_number("2024-01-15")


def test_scanning_stays_fast_on_hostile_input() -> None:
    import time

    for hostile in ("1 " * 20_000, "a" * 50_000 + "@", "4" * 50_000, "a." * 20_000 + "@x"):
        started = time.perf_counter()
        find_pii(hostile)
        assert time.perf_counter() - started < 2.0
