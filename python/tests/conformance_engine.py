"""The conformance case engine: placeholders, captures, matchers (openapi/conformance/README.md).

It knows nothing about HTTP: a runner hands it a ``send`` function that performs one
contract call through that runner's client layer and returns ``(status, body)``.
"""

from __future__ import annotations

import json
import secrets
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

CASES = Path(__file__).resolve().parents[2] / "openapi" / "conformance" / "cases.json"

# send(call, body, raw_body, auth, tenant) -> (status, parsed JSON body or None)
Send = Callable[[str, Any, str | None, str, str | None], tuple[int, Any]]


class CaseFailure(Exception):
    pass


class _Bindings:
    def __init__(self) -> None:
        self.values: dict[str, Any] = {}

    def resolve(self, text: str) -> Any:
        if not (text.startswith("{{") and text.endswith("}}")):
            return text
        kind, _, name = text[2:-2].partition(":")
        key = f"{kind}:{name}"
        if kind == "var":
            if name not in self.values:
                raise CaseFailure(f"{{{{var:{name}}}}} used before it was captured")
            return self.values[name]
        if key not in self.values:
            if kind == "uuid":
                self.values[key] = str(uuid.uuid4())
            elif kind == "email":
                self.values[key] = f"c-{secrets.token_hex(8)}@example.org"
            elif kind == "str":
                self.values[key] = secrets.token_hex(8)
            else:
                return text
        return self.values[key]

    def substitute(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.resolve(value)
        if isinstance(value, list):
            return [self.substitute(v) for v in value]
        if isinstance(value, dict):
            return {k: self.substitute(v) for k, v in value.items()}
        return value


_TYPES: dict[str, Callable[[Any], bool]] = {
    "string": lambda v: isinstance(v, str),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "null": lambda v: v is None,
}


def match(matcher: Any, actual: Any, path: str = "") -> str | None:
    """None when ``actual`` matches, else a description of the first mismatch."""
    where = path or "/"
    if isinstance(matcher, dict):
        if "$type" in matcher:
            return None if _TYPES[matcher["$type"]](actual) else f"{where}: expected {matcher['$type']}"
        if "$any" in matcher:
            return None
        if "$len" in matcher:
            ok = isinstance(actual, list | str) and len(actual) == matcher["$len"]
            return None if ok else f"{where}: expected length {matcher['$len']}"
        if "$gte" in matcher:
            ok = _TYPES["number"](actual) and actual >= matcher["$gte"]
            return None if ok else f"{where}: expected >= {matcher['$gte']}"
        if "$lte" in matcher:
            ok = _TYPES["number"](actual) and actual <= matcher["$lte"]
            return None if ok else f"{where}: expected <= {matcher['$lte']}"
        if "$contains" in matcher:
            ok = isinstance(actual, list) and any(match(matcher["$contains"], a) is None for a in actual)
            return None if ok else f"{where}: no element matches"
        if "$unordered" in matcher:
            wanted = matcher["$unordered"]
            if not isinstance(actual, list) or len(actual) != len(wanted):
                return f"{where}: expected an array of {len(wanted)}"
            return None if _assign(wanted, actual, set()) else f"{where}: elements do not match in any order"
        if not isinstance(actual, dict):
            return f"{where}: expected an object"
        for key, sub in matcher.items():
            if isinstance(sub, dict) and sub.get("$absent") is True:
                if key in actual:
                    return f"{path}/{key}: expected absent"
                continue
            if key not in actual:
                return f"{path}/{key}: missing"
            problem = match(sub, actual[key], f"{path}/{key}")
            if problem:
                return problem
        return None
    if isinstance(matcher, list):
        if not isinstance(actual, list) or len(actual) != len(matcher):
            return f"{where}: expected an array of {len(matcher)}"
        for i, (m, a) in enumerate(zip(matcher, actual, strict=True)):
            problem = match(m, a, f"{path}/{i}")
            if problem:
                return problem
        return None
    same = matcher == actual and type(matcher) is type(actual)
    return None if same else f"{where}: expected {json.dumps(matcher)}"


def _assign(wanted: list[Any], actual: list[Any], used: set[int]) -> bool:
    if not wanted:
        return True
    for i, a in enumerate(actual):
        if i not in used and match(wanted[0], a) is None and _assign(wanted[1:], actual, used | {i}):
            return True
    return False


def pointer(doc: Any, ptr: str) -> Any:
    if ptr == "":
        return doc
    for raw in ptr.lstrip("/").split("/"):
        part = raw.replace("~1", "/").replace("~0", "~")
        doc = doc[int(part)] if isinstance(doc, list) else doc[part]
    return doc


def run_case(case: dict[str, Any], send: Send) -> None:
    b = _Bindings()
    for index, step in enumerate(case["steps"]):
        if "sleep_ms" in step:
            time.sleep(step["sleep_ms"] / 1000)
            continue
        body = b.substitute(step.get("body", {}))
        if "pad_bytes" in step:
            body = {**body, "pad": "a" * step["pad_bytes"]}
        status, reply = send(step["call"], body, step.get("raw_body"), step.get("auth", "ok"), step.get("tenant"))
        expect = step["expect"]
        label = f"step {index} ({step['call']})"
        if status != expect["status"]:
            raise CaseFailure(f"{label}: status {status}, expected {expect['status']}")
        if "body" in expect:
            problem = match(b.substitute(expect["body"]), reply)
            if problem:
                raise CaseFailure(f"{label}: {problem}")
        for name, ptr in step.get("capture", {}).items():
            b.values[name] = pointer(reply, ptr)


def load_cases() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(CASES.read_text("utf8"))
    return data
