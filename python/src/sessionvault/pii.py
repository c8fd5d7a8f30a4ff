"""Finds emails, phone numbers and card numbers in session data: the detector behind strict mode.

It passes the shared vectors of ``openapi/conformance/pii-detection.json``, the same cases as
the TypeScript detector (``@sessionvault/tokenize/detect``); the vectors are shared, the code is
not. Findings name a path and a kind, never the value, so they are safe to log.

Example::

    from sessionvault.pii import assert_no_pii, find_pii

    find_pii({"user": {"contacts": [{"note": "hi"}, {"email": "ada@example.com"}]}})
    # [PIIFinding(path='user.contacts[1].email', kind='email')]
    assert_no_pii({"usertoken": "7d0c3a2e-1f7b-4c5e-9a61-2b8d1e4f6a90"})  # passes
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

__all__ = [
    "PIIError",
    "PIIFinding",
    "PIIKind",
    "PIIScan",
    "assert_no_pii",
    "find_pii",
    "is_card_number",
    "is_phone_number",
    "luhn_valid",
    "scan_pii",
]

PIIKind = Literal["email", "phone", "card"]


@dataclass(frozen=True)
class PIIFinding:
    """One place that holds personal data: ``path`` like ``user.contacts[1].email`` (``$`` for the root)."""

    path: str
    kind: PIIKind


@dataclass(frozen=True)
class PIIScan:
    findings: list[PIIFinding]
    #: True when ``max_depth`` or ``max_nodes`` stopped the walk before it saw everything.
    truncated: bool


class PIIError(Exception):
    """Raised by :func:`assert_no_pii` (and strict mode). ``code`` is ``PII_DETECTED`` or
    ``PII_SCAN_LIMIT``; ``findings`` hold paths and kinds only."""

    DETECTED = "PII_DETECTED"
    SCAN_LIMIT = "PII_SCAN_LIMIT"

    def __init__(self, code: str, findings: list[PIIFinding]) -> None:
        super().__init__(_describe(code, findings))
        self.code = code
        self.findings = list(findings)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": "PIIError",
            "code": self.code,
            "message": str(self),
            "findings": [{"path": f.path, "kind": f.kind} for f in self.findings],
        }


def _describe(code: str, findings: list[PIIFinding]) -> str:
    if code == PIIError.SCAN_LIMIT:
        return (
            "Session data is too deep or too large to check for personal data; keep sessions small and store "
            "profiles with tokenize_profile() from sessionvault.tokenize."
        )
    shown = ", ".join(f"{f.path} ({f.kind})" for f in findings[:10])
    more = f" and {len(findings) - 10} more" if len(findings) > 10 else ""
    return (
        f"Session data contains personal data at {shown}{more}. Store it in the vault with tokenize_profile() "
        "(or tokenize() for single values) from sessionvault.tokenize and keep only the token in the session."
    )


# Text folding ---------------------------------------------------------------------------


def _fold_char(ch: str) -> str | None:
    """The ASCII a non-ASCII character folds to; None when it stays as it is."""
    code = ord(ch)
    if 0xFF01 <= code <= 0xFF5E:  # full-width ASCII
        return chr(code - 0xFEE0)
    if 0x2000 <= code <= 0x206F:
        if code <= 0x200A or code in (0x202F, 0x205F):
            return " "
        if code <= 0x200F or 0x202A <= code <= 0x202E or code >= 0x2060:
            return ""
        if code <= 0x2015 or code == 0x2043:
            return "-"
        if code in (0x2028, 0x2029):
            return "\n"
        return None
    if code in (0x00A0, 0x1680, 0x3000):
        return " "
    if code in (0x00AD, 0x180E, 0xFEFF):
        return ""
    if code in (0x2212, 0x30FC, 0xFE58, 0xFE63):
        return "-"
    if code == 0xFE6B:
        return "@"
    digit = unicodedata.decimal(ch, None)
    return None if digit is None else str(digit)


def fold_text(text: str) -> str:
    """Full-width forms, every script's decimal digits, Unicode spaces and dashes folded to ASCII;
    zero-width and bidirectional marks removed."""
    if text.isascii():
        return text
    out: list[str] = []
    for ch in text:
        if ord(ch) < 0x80:
            out.append(ch)
            continue
        folded = _fold_char(ch)
        out.append(ch if folded is None else folded)
    return "".join(out)


_PERCENT = re.compile(r"%[0-9A-Fa-f]{2}")
_PERCENT_RUN = re.compile(r"(?:%[0-9A-Fa-f]{2})+")
# `key=value` at the start or after `&`: a form-encoded string, where `+` is a space.
_FORM_FIELD = re.compile(r"(?:^|&)[A-Za-z0-9_.\[\]-]+=[^&]*\+")


def _percent_decode(text: str) -> str:
    def run(m: re.Match[str]) -> str:
        raw = bytes.fromhex(m.group(0).replace("%", ""))
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            # Not UTF-8 as a whole: decode the ASCII bytes, keep the rest as written.
            return "".join(chr(b) if b < 0x80 else f"%{b:02X}" for b in raw)

    return _PERCENT_RUN.sub(run, text)


def _decode_twice(text: str) -> str:
    once = _percent_decode(text)
    return _percent_decode(once) if _PERCENT.search(once) else once


def _percent_encoded(folded: str) -> bool:
    return "%" in folded and _PERCENT.search(folded) is not None


def _form_encoded(folded: str) -> bool:
    return "+" in folded and "=" in folded and _FORM_FIELD.search(folded) is not None


def _readings(folded: str) -> list[str]:
    """The folded text and, when it is URL- or form-encoded, its decoded forms."""
    out = [folded]
    if _percent_encoded(folded):
        out.append(fold_text(_decode_twice(folded)))
    if _form_encoded(folded):
        out.append(fold_text(_decode_twice(folded.replace("+", " "))))
    return out


# Emails --------------------------------------------------------------------------------

_ATEXT_SYMBOLS = frozenset("!#$%&'*+/=?^_`{|}~-")
# `//user@host`, `//user:secret@host`: URL userinfo (ssh remotes), not a mailbox.
_USERINFO = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^/?#@\s]*$")
# `logo@2x.png`: the retina image naming convention.
_IMAGE_SCALE = re.compile(r"^[0-9]+(?:\.[0-9]+)?x\.(?:png|jpe?g|gif|webp|avif|svg|bmp|ico|tiff?)$", re.I)
_XN_TLD = re.compile(r"xn--[A-Za-z0-9-]{2,59}")
# RFC 5321 limits: 64 characters before the `@`, 255 after.
_MAX_LOCAL = 64
_MAX_DOMAIN = 255


def _category(ch: str) -> str:
    return unicodedata.category(ch)[0]


def _lmn(ch: str) -> bool:
    if ch.isascii():
        return ch.isalnum()
    return _category(ch) in ("L", "M", "N")


def _label(segment: str) -> bool:
    return (
        0 < len(segment) <= 63 and _lmn(segment[0]) and _lmn(segment[-1]) and all(_lmn(c) or c == "-" for c in segment)
    )


def _tld(segment: str) -> bool:
    if _XN_TLD.fullmatch(segment):
        return True
    return 2 <= len(segment) <= 63 and _category(segment[0]) == "L" and all(_category(c) in ("L", "M") for c in segment)


def _domain(after: str) -> str | None:
    """The longest ``label.(label.)*tld`` at the start of ``after`` not glued to more of a name."""
    end = 0
    while end < len(after) and (_lmn(after[end]) or after[end] in "-."):
        end += 1
    segments = after[:end].split(".")
    for n in range(len(segments) - 1, 0, -1):
        if _tld(segments[n]) and all(_label(s) for s in segments[:n]):
            return ".".join(segments[: n + 1])
    return None


def _has_email(text: str) -> bool:
    at = text.find("@")
    while at != -1:
        before = text[max(0, at - _MAX_LOCAL) : at]
        last = before[-1:] if before else ""
        local_ok = bool(last) and (_lmn(last) or last in _ATEXT_SYMBOLS)
        if local_ok and not _USERINFO.search(before):
            domain = _domain(text[at + 1 : at + 1 + _MAX_DOMAIN])
            if domain is not None:
                rest = text[at + 1 + len(domain) : at + 3 + len(domain)]
                # `host:path` (scp-style remote) or `host:port`; a colon that ends a sentence is fine.
                remote = rest[:1] == ":" and len(rest) == 2 and not rest[1].isspace()
                if not remote and not _IMAGE_SCALE.match(domain):
                    return True
        at = text.find("@", at + 1)
    return False


# Digits --------------------------------------------------------------------------------

# A run of digits joined by the separators phone and card numbers use.
_DIGIT_RUN = re.compile(r"[+(]?[0-9](?:[ \t\u00a0()./_-]*[0-9])*")
_INNER_SPACE = re.compile(r"[ \t\u00a0]+")
_MAX_CHUNKS = 9
_RUN_SEPARATORS = frozenset(" \t\u00a0()./-+_")

# Scripts written without spaces: a number right beside them is still a number in a sentence.
_UNSPACED_SCRIPTS = (
    (0x0E00, 0x0EFF),  # Thai, Lao
    (0x1000, 0x109F),  # Myanmar
    (0x1100, 0x11FF),  # Hangul Jamo
    (0x1780, 0x17FF),  # Khmer
    (0x19E0, 0x19FF),
    (0x2E80, 0x2FDF),  # CJK radicals
    (0x3005, 0x3007),
    (0x3021, 0x3029),
    (0x3038, 0x303B),
    (0x3040, 0x30FF),  # Hiragana, Katakana
    (0x3130, 0x318F),  # Hangul compatibility Jamo
    (0x31F0, 0x31FF),
    (0x3400, 0x4DBF),  # CJK extension A
    (0x4E00, 0x9FFF),  # CJK unified
    (0xA960, 0xA97F),
    (0xA9E0, 0xA9FF),
    (0xAA60, 0xAA7F),
    (0xAC00, 0xD7FF),  # Hangul syllables
    (0xF900, 0xFAFF),
    (0xFF66, 0xFFDC),  # half-width Katakana and Hangul
    (0x20000, 0x3134F),
)


def _wordish(ch: str) -> bool:
    """A character that glues a number to a word."""
    if ch.isascii():
        return ch.isalnum() or ch == "_"
    if _category(ch) not in ("L", "N"):
        return False
    code = ord(ch)
    return not any(low <= code <= high for low, high in _UNSPACED_SCRIPTS)


@dataclass
class _Digits:
    phone: bool = False
    grouped_card: bool = False  # with separators: a card in any context
    bare_card: bool = False  # bare digits, not right after an id label


def _longest_digit_run(text: str) -> int:
    longest = current = 0
    for ch in text:
        if "0" <= ch <= "9":
            current += 1
            longest = max(longest, current)
        elif ch not in _RUN_SEPARATORS:
            current = 0
    return longest


def _count_digits(s: str) -> int:
    return sum(1 for c in s if "0" <= c <= "9")


def _glued_before(text: str, start: int) -> bool:
    if start == 0:
        return False
    prev = text[start - 1]
    if prev == ":":
        # `12:30:45 …` is a clock; `tel:+1…` is not.
        return start >= 2 and "0" <= text[start - 2] <= "9"
    return _wordish(prev) or prev in "-./+#_"


def _glued_after(text: str, end: int) -> bool:
    if end >= len(text):
        return False
    nxt = text[end]
    if _wordish(nxt) or nxt == "/":
        return True
    if nxt in "-.:":
        return end + 1 < len(text) and _wordish(text[end + 1])
    return False


def _scan_digits(text: str) -> _Digits:
    found = _Digits()
    if _longest_digit_run(text) < 7:
        return found
    for m in _DIGIT_RUN.finditer(text):
        run = m.group(0)
        if _count_digits(run) < 7:
            continue
        start, end = m.start(), m.end()
        chunks: list[str] = []
        offsets: list[int] = []
        at = 0
        for space in _INNER_SPACE.finditer(run):
            chunks.append(run[at : space.start()])
            offsets.append(at)
            at = space.end()
        chunks.append(run[at:])
        offsets.append(at)
        # A run glued to a word, a path or an id: drop the chunk that touches that edge.
        first = 1 if _glued_before(text, start) else 0
        last = len(chunks) - (1 if _glued_after(text, end) else 0)
        i = first
        while i < last and not (found.phone and found.grouped_card):
            nxt = i + 1
            # Only the first chunk of a run may be a lone digit (`1 415 555 2671`).
            if i > first and len(chunks[i]) == 1:
                i = nxt
                continue
            for j in range(min(last, i + _MAX_CHUNKS), i, -1):
                candidate = " ".join(chunks[i:j])
                # An opening parenthesis of the prose around it, not an area code's.
                if candidate.startswith("(") and not _AREA_CODE.match(candidate):
                    candidate = candidate[1:]
                if not found.grouped_card and _card_shaped(candidate):
                    if not _BARE.fullmatch(candidate):
                        found.grouped_card = True
                    elif not _id_label_before(text, start + offsets[i]):
                        found.bare_card = True
                    # Labelled as an id or not, these digits are a card-shaped number, not a phone.
                    nxt = j
                    break
                if not found.phone and _phone_shaped(candidate):
                    found.phone = True
                    nxt = j
                    break
            i = nxt
        if found.phone and found.grouped_card:
            break
    return found


_AREA_CODE = re.compile(r"\([0-9]{1,5}\)")
_BARE = re.compile(r"[0-9]+")

# Words that name a card; in keys and before a bare number they win over id words.
_CARD_WORDS = frozenset(
    "card cards cc ccn pan credit creditcard debit visa mastercard amex payment carte karte kreditkarte "
    "tarjeta cartao carta".split()
)
# Words that name an identifier: a bare digit string after one, or under such a key, is an id.
_ID_WORDS = frozenset(
    "id ids uid guid no nr num number numbers ref refs reference key seq sequence serial sku order orders "
    "invoice invoices tracking txn transaction trace request correlation account customer ticket case booking "
    "shipment parcel ts timestamp time epoch nonce version build snowflake hash checksum isbn ean upc gtin "
    "barcode".split()
)
_CAMEL = re.compile(r"([a-z0-9])([A-Z])")
_NON_WORD = re.compile(r"[^a-z0-9]+")
_LABEL_BEFORE = re.compile(r"([A-Za-z]+)[\s:=#.\"'()\[\]-]*$")
_WORDS = re.compile(r"[A-Za-z]+")


def _key_context(key: str) -> Literal["card", "id", "neutral"]:
    """What a key says about a bare digit string stored under it."""
    is_id = False
    for word in _NON_WORD.split(_CAMEL.sub(r"\1 \2", key).lower()):
        singular = word[:-1] if word.endswith("s") else word
        if word in _CARD_WORDS or singular in _CARD_WORDS:
            return "card"
        if word in _ID_WORDS or singular in _ID_WORDS:
            is_id = True
    return "id" if is_id else "neutral"


def _id_label_before(text: str, start: int) -> bool:
    window = text[max(0, start - 40) : start]
    label = _LABEL_BEFORE.search(window)
    if label is None:
        return False
    word = label.group(1).lower()
    if word not in _ID_WORDS and not (word.endswith("s") and word[:-1] in _ID_WORDS):
        return False
    return not any(w.lower() in _CARD_WORDS for w in _WORDS.findall(window))


# Phones --------------------------------------------------------------------------------

_E164 = re.compile(r"\+[1-9][0-9]*(?:(?:[ .-]|[ ]?\([0-9]{1,4}\)[ ]?)[0-9]+)*")
_INTERNATIONAL_PREFIX = re.compile(r"00(?:[17]|[2-9][0-9]{1,2})[ .-]")
_NANP = re.compile(
    r"(?:1([ .-]))?(?:\([2-9][0-9]{2}\) ?[2-9][0-9]{2}[ .-]|[2-9][0-9]{2}([ .-])[2-9][0-9]{2}\2)[0-9]{4}"
)
_TRUNK = re.compile(
    r"0[1-9][0-9]{0,3}([ .-])[0-9]{2,8}(?:\1[0-9]{2,8}){0,4}"
    r"|\(0[1-9][0-9]{0,3}\) ?[0-9]{2,8}(?:[ -][0-9]{2,8}){0,3}"
    r"|0[1-9][0-9]{0,3}/[0-9]{3,8}(?:[ -][0-9]{2,8}){0,3}"
)
# The 3-7-7 of marketplace order numbers, which no phone plan uses.
_ORDER_3_7_7 = re.compile(r"[0-9]{3}-[0-9]{7}-[0-9]{7}")


def _phone_shaped(candidate: str) -> bool:
    digits = _count_digits(candidate)
    if digits == 17 and _ORDER_3_7_7.fullmatch(candidate):
        return False
    if candidate.startswith("+"):
        return 7 <= digits <= 15 and _E164.fullmatch(candidate) is not None
    # `00` is the international prefix outside North America; bare, it is just an id.
    if _INTERNATIONAL_PREFIX.match(candidate):
        return _phone_shaped(f"+{candidate[2:]}")
    if digits in (10, 11) and _NANP.fullmatch(candidate):
        return True
    return 9 <= digits <= 12 and _TRUNK.fullmatch(candidate) is not None


def is_phone_number(candidate: str) -> bool:
    """A phone number as people write it: E.164 (or ``00`` for ``+``), North American forms, and
    trunk-prefixed national numbers with separators, in any script's digits. Bare national digits
    are left alone: they are indistinguishable from ids.

    Example::

        is_phone_number("+44 20 7946 0958")  # True
        is_phone_number("2024-01-15")  # False
    """
    return _phone_shaped(fold_text(candidate))


# Cards ---------------------------------------------------------------------------------

_CARD_SHAPE = re.compile(
    r"[0-9]{12,19}"
    r"|[0-9]{4}( [-./_] |[ ./_-])[0-9]{4}\1[0-9]{4}(?:\1[0-9]{1,4}(?:\1[0-9]{1,3})?)?"
    r"|[0-9]{4}( [-./_] |[ ./_-])[0-9]{6}\2[0-9]{4,5}"
)
_CARD_SEPARATORS = re.compile(r"[ ./_-]")

# (low, high) prefix range with the same number of digits, allowed lengths. Visa's legacy
# 13-digit numbers and 12-digit Maestro ones are left out: they collide with ms timestamps.
_ISSUERS = (
    (4, 4, 16, 19),  # Visa
    (51, 55, 16, 16),  # Mastercard
    (2221, 2720, 16, 16),
    (34, 34, 15, 15),  # American Express
    (37, 37, 15, 15),
    (300, 305, 14, 19),  # Diners Club
    (3095, 3095, 14, 19),
    (36, 36, 14, 19),
    (38, 39, 16, 19),
    (3528, 3589, 16, 19),  # JCB
    (6011, 6011, 16, 19),  # Discover
    (644, 649, 16, 19),
    (65, 65, 16, 19),
    (62, 62, 16, 19),  # UnionPay
    (81, 82, 16, 19),
    (60, 60, 16, 19),  # RuPay
    (508, 508, 16, 16),
    (50, 50, 13, 19),  # Maestro
    (56, 58, 13, 19),
    (6304, 6304, 13, 19),
    (639, 639, 13, 19),
    (67, 67, 13, 19),
    (636, 636, 16, 19),  # InterPayment
    (637, 638, 16, 16),  # InstaPayment
    (2200, 2204, 16, 19),  # Mir
    (9792, 9792, 16, 16),  # Troy
)


def luhn_valid(digits: str) -> bool:
    """The Luhn (mod 10) check over a string of ASCII digits.

    Example::

        luhn_valid("79927398713")  # True
    """
    if not digits or not digits.isascii() or not digits.isdigit():
        return False
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _known_issuer(digits: str) -> bool:
    for low, high, min_len, max_len in _ISSUERS:
        if min_len <= len(digits) <= max_len and low <= int(digits[: len(str(low))]) <= high:
            return True
    return False


def _card_shaped(candidate: str) -> bool:
    if not _CARD_SHAPE.fullmatch(candidate):
        return False
    digits = _CARD_SEPARATORS.sub("", candidate)
    return 12 <= len(digits) <= 19 and _known_issuer(digits) and luhn_valid(digits)


def is_card_number(candidate: str) -> bool:
    """A card number: card-shaped (bare, or grouped like a card), a known issuer range for its
    length, and a valid Luhn digit.

    Example::

        is_card_number("4242 4242 4242 4242")  # True
        is_card_number("1700000000000123")  # False: no issuer starts with 1
    """
    return _card_shaped(fold_text(candidate))


# The walk ------------------------------------------------------------------------------

_IDENTIFIER = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*")
# A key that is itself personal data must not end up in a path that is logged.
_REDACTED_KEY = "[<redacted>]"
_NONE: tuple[PIIKind, ...] = ()


def _kinds_in_text(text: str, key: str | None = None) -> tuple[PIIKind, ...]:
    folded = fold_text(text)
    email = "@" in folded and _has_email(folded)
    digits = _scan_digits(folded)
    if _percent_encoded(folded) or _form_encoded(folded):
        for reading in _readings(folded)[1:]:
            email = email or ("@" in reading and _has_email(reading))
            more = _scan_digits(reading)
            digits.phone = digits.phone or more.phone
            digits.grouped_card = digits.grouped_card or more.grouped_card
            digits.bare_card = digits.bare_card or more.bare_card
    card = digits.grouped_card or (digits.bare_card and not _under_id_key(key))
    if not (email or digits.phone or card):
        return _NONE
    kinds: list[PIIKind] = []
    if email:
        kinds.append("email")
    if digits.phone:
        kinds.append("phone")
    if card:
        kinds.append("card")
    return tuple(kinds)


def _under_id_key(key: str | None) -> bool:
    return key is not None and _key_context(key) == "id"


def _join_key(path: str, key: str) -> str:
    if _IDENTIFIER.fullmatch(key):
        return f"{path}.{key}" if path else key
    return f"{path}[{json.dumps(key, ensure_ascii=False)}]"


def scan_pii(data: Any, *, max_depth: int = 64, max_nodes: int = 100_000) -> PIIScan:
    """Like :func:`find_pii`, and also says whether a bound stopped the walk early.

    Example::

        scan = scan_pii({"phone": "+44 20 7946 0958"}, max_depth=8)
        # scan.findings == [PIIFinding("phone", "phone")], scan.truncated is False
    """
    findings: list[PIIFinding] = []
    seen: set[tuple[str, str]] = set()
    ancestors: set[int] = set()
    nodes = 0
    truncated = False

    def report(path: str, kinds: tuple[PIIKind, ...]) -> None:
        for kind in kinds:
            where = path or "$"
            if (kind, where) not in seen:
                seen.add((kind, where))
                findings.append(PIIFinding(where, kind))

    def number(value: int, path: str, key: str | None) -> None:
        if value >= 100_000_000_000 and _card_shaped(str(value)) and not _under_id_key(key):
            report(path, ("card",))

    # `key` is the nearest object key above a leaf (an array's elements share their array's key).
    def visit(value: Any, path: str, depth: int, key: str | None) -> None:
        nonlocal nodes, truncated
        if nodes >= max_nodes:
            truncated = True
            return
        nodes += 1
        if isinstance(value, str):
            report(path, _kinds_in_text(value, key))
            return
        if isinstance(value, bool) or value is None:
            return
        if isinstance(value, int):
            number(value, path, key)
            return
        if isinstance(value, float):
            if value.is_integer() and abs(value) <= 2**53 - 1:
                number(int(value), path, key)
            return
        if not isinstance(value, Mapping | list | tuple | set | frozenset):
            return
        if id(value) in ancestors:
            return
        if depth >= max_depth:
            truncated = True
            return
        ancestors.add(id(value))
        try:
            if isinstance(value, Mapping):
                for child_key, child in value.items():
                    entry(child_key, child, path, depth)
            else:
                for i, child in enumerate(value):
                    visit(child, f"{path}[{i}]", depth + 1, key)
        finally:
            # Only the current branch counts as a cycle: a value reached twice through siblings is scanned twice.
            ancestors.discard(id(value))

    def entry(key: Any, child: Any, path: str, depth: int) -> None:
        if isinstance(key, str):
            key_kinds = _kinds_in_text(key)
            if key_kinds:
                child_path = f"{path}{_REDACTED_KEY}"
                report(child_path, key_kinds)
            else:
                child_path = _join_key(path, key)
        elif isinstance(key, int) and not isinstance(key, bool):
            child_path = f"{path}[{key}]"
        else:
            child_path = f"{path}[?]"
        visit(child, child_path, depth + 1, key if isinstance(key, str) else None)

    visit(data, "", 0, None)
    return PIIScan(findings, truncated)


def find_pii(data: Any, *, max_depth: int = 64, max_nodes: int = 100_000) -> list[PIIFinding]:
    """Every email, phone number and card number in ``data`` (dicts, lists, tuples, sets, keys and
    free text), one finding per path and kind, never the values.

    Example::

        find_pii({"user": {"email": "ada@example.com"}})  # [PIIFinding("user.email", "email")]
    """
    return scan_pii(data, max_depth=max_depth, max_nodes=max_nodes).findings


def assert_no_pii(data: Any, *, max_depth: int = 64, max_nodes: int = 100_000) -> None:
    """Raise :class:`PIIError` when ``data`` holds personal data or is too large to scan completely.

    Example::

        assert_no_pii({"usertoken": "7d0c3a2e-1f7b-4c5e-9a61-2b8d1e4f6a90", "role": "admin"})  # passes
        assert_no_pii({"user": {"email": "ada@example.com"}})  # raises PIIError (user.email: email)
    """
    scan = scan_pii(data, max_depth=max_depth, max_nodes=max_nodes)
    if scan.findings:
        raise PIIError(PIIError.DETECTED, scan.findings)
    if scan.truncated:
        raise PIIError(PIIError.SCAN_LIMIT, [])
