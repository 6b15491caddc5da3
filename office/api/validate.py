"""What the office accepts from a terminal: the batch envelope and each fact, checked by hand.

Pure functions (no database, no HTTP) so the rules are tested alone. Two kinds of failure:

- :class:`BadBatch`: the request as a whole is wrong (not JSON, not a batch, too many facts,
  another store's or terminal's facts): a 4xx status with a reason, nothing is stored.
- A refused fact: the batch is fine but this fact is not (an unknown kind or version, a
  missing or mistyped field, a card number that is not masked). Its ``(seq, uuid, reason)``
  goes back to the terminal, which keeps it in its outbox; the batch's other facts are stored.

The fields checked are the ones the office's tables and reports rely on (docs/outbox.md);
anything more a body carries is kept as it came, in ``facts.body``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

MAX_FACTS = 5000
"""Facts in one batch; the pusher sends 500 at a time."""
MAX_BYTES = 16 * 1024 * 1024
"""A request body's size (5,000 orders of ~2 KB fit with room to spare)."""
VERSIONS = {"order": 1, "payment": 1, "refund": 1, "void": 1, "reversal": 1, "day_close": 1,
            "staff_change": 1, "menu_change": 1}
"""The body version this office reads, by kind (docs/outbox.md)."""

_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_STORE = re.compile(r"[A-Z0-9]{1,12}")
_TERMINAL = re.compile(r"(0[1-9]|[1-9][0-9])")
_MASKED_PAN = re.compile(r"\d{6}\*{2,9}\d{4}|\*+\d{4}")
_MAX_WON = 10**13  # a bound far above any real sale; it keeps BIGINT and sums safe


class BadBatch(Exception):
    """The request cannot be taken at all: ``status`` (4xx) and a one-line ``reason``."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status, self.reason = status, reason


class Refused(Exception):
    """One fact is not acceptable; ``str()`` is the reason sent back."""


@dataclass(frozen=True, slots=True)
class Fact:
    """A fact that passed the checks: an outbox row as the terminal sent it."""

    seq: int
    uuid: str
    kind: str
    version: int
    body: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Batch:
    """A checked batch: the facts to store and the ones refused (``seq``, ``uuid``, reason)."""

    facts: list[Fact]
    refused: list[dict[str, Any]]


# --- field checks: each returns nothing and raises Refused with the field's name ------------------


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _text(value: object) -> bool:
    return isinstance(value, str) and 0 < len(value) <= 200


def _won(value: object) -> bool:
    return _is_int(value) and 0 <= value <= _MAX_WON  # type: ignore[operator]


def _signed_won(value: object) -> bool:
    return _is_int(value) and -_MAX_WON <= value <= _MAX_WON  # type: ignore[operator]


def _time(value: object) -> bool:
    if not isinstance(value, str) or not 10 <= len(value) <= 32:
        return False
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


def _day(value: object) -> bool:
    if not isinstance(value, str) or not _DAY.fullmatch(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _uuid(value: object) -> bool:
    return isinstance(value, str) and _UUID.fullmatch(value) is not None


def _or_null(check: Callable[[object], bool]) -> Callable[[object], bool]:
    return lambda value: value is None or check(value)


def _one_of(*allowed: str) -> Callable[[object], bool]:
    return lambda value: value in allowed


_CHECKS: dict[str, dict[str, Callable[[object], bool]]] = {
    "order": {"receipt_no": _text, "business_day": _day, "day_uuid": _or_null(_uuid),
              "state": _one_of("paid", "voided"), "training": lambda v: isinstance(v, bool),
              "created_at": _time, "paid_at": _or_null(_time), "gross": _won,
              "discount_total": _won, "service_total": _won, "total": _won, "supply": _won,
              "vat": _won, "tax_free": _won, "lines": lambda v: isinstance(v, list)},
    "payment": {"order_uuid": _uuid, "receipt_no": _text,
                "method": _one_of("cash", "card", "easypay"), "amount": _won,
                "training": lambda v: isinstance(v, bool), "created_at": _time,
                "installment": _won, "masked_pan": _or_null(
                    lambda v: isinstance(v, str) and _MASKED_PAN.fullmatch(v) is not None),
                "card_bin": _or_null(lambda v: isinstance(v, str) and v.isdigit()
                                     and 6 <= len(v) <= 8)},
    "refund": {"order_uuid": _uuid, "receipt_no": _text, "payment_uuid": _uuid,
               "method": _one_of("cash", "card", "easypay"), "amount": _won,
               "created_at": _time, "training": lambda v: isinstance(v, bool),
               "lines": lambda v: isinstance(v, list)},
    "void": {"at": _time, "order_uuid": _uuid, "receipt_no": _text, "total": _won,
             "after_payment": lambda v: isinstance(v, bool)},
    "reversal": {"at": _time, "receipt_no": _or_null(_text), "total": _won},
    "day_close": {"at": _time, "day_uuid": _uuid, "business_day": _day,
                  "opening_float": _won, "expected_cash": _signed_won,
                  "counted_cash": _won, "over_short": _signed_won,
                  "pieces": lambda v: isinstance(v, dict)},
    "staff_change": {"at": _time, "action": _text, "staff_uuid": _or_null(_uuid)},
    "menu_change": {"at": _time, "action": _text},
}

_LINE_CHECKS: dict[str, Callable[[object], bool]] = {
    "uuid": _uuid, "position": _won, "item_uuid": _or_null(_uuid),
    "category": _or_null(lambda v: isinstance(v, str)), "name": lambda v: isinstance(v, str),
    "unit_price": _signed_won, "qty": _won, "discount": _won,
    "complimentary": lambda v: isinstance(v, bool), "tax_free": lambda v: isinstance(v, bool),
    "amount": _signed_won,
}


def _check_fields(what: str, data: dict[str, Any],
                  checks: dict[str, Callable[[object], bool]]) -> None:
    for name, check in checks.items():
        if name not in data:
            raise Refused(f"{what}: missing field {name!r}")
        if not check(data[name]):
            # the value is never echoed: a reason is logged on both sides, and a bad value
            # may be the very card number that must not be written anywhere
            raise Refused(f"{what}: bad value for {name!r} ({type(data[name]).__name__})")


# Fields a newer terminal adds (restaurant mode): checked when present, older bodies lack them
_ORDER_OPTIONAL: dict[str, Callable[[object], bool]] = {
    "guests": lambda v: _is_int(v) and 0 <= v <= 999,  # type: ignore[operator]
    "table": _or_null(_text), "zone": _or_null(_text),
}


def _check_order(body: dict[str, Any]) -> None:
    _check_fields("order", {k: v for k, v in body.items() if k in _ORDER_OPTIONAL},
                  {k: c for k, c in _ORDER_OPTIONAL.items() if k in body})
    if body["supply"] + body["vat"] + body["tax_free"] != body["total"]:
        raise Refused("order: supply + vat + tax_free is not total")
    for number, line in enumerate(body["lines"]):
        if not isinstance(line, dict):
            raise Refused(f"order: line {number} is not an object")
        _check_fields(f"order line {number}", line, _LINE_CHECKS)


# --- a fact, and the batch ---------------------------------------------------------------------


def check_fact(raw: object, store: str, terminal: str) -> Fact:
    """The fact in ``raw`` (one outbox row) checked; Refused with the reason, or BadBatch 403
    when it names another store or terminal than the token's."""
    if not isinstance(raw, dict):
        raise Refused("a fact must be an object {seq, uuid, kind, version, body}")
    seq, uuid, kind, version, body = (raw.get(k) for k in ("seq", "uuid", "kind", "version",
                                                            "body"))
    if not _uuid(uuid):
        raise Refused("uuid: not a lower-case UUID")
    if not _is_int(seq) or not 0 < seq < 2**62:  # type: ignore[operator]
        raise Refused("seq: not a positive whole number")
    if kind not in VERSIONS:
        raise Refused(f"kind: unknown kind {str(kind)[:20]!r}")
    if version != VERSIONS[str(kind)]:
        raise Refused(f"version: this office reads {kind} version {VERSIONS[str(kind)]}, "
                      f"not {str(version)[:10]}")
    if not isinstance(body, dict):
        raise Refused("body: not an object")
    if body.get("store") != store or body.get("terminal") != terminal:
        raise BadBatch(403, f"fact {uuid} belongs to store {str(body.get('store'))[:12]!r} "
                            f"terminal {str(body.get('terminal'))[:2]!r}, not to this token's "
                            f"{store}/{terminal}")
    if body.get("uuid") != uuid:
        raise Refused("body: its uuid is not the row's")
    _check_fields(str(kind), body, _CHECKS[str(kind)])
    if kind == "order":
        _check_order(body)
    return Fact(seq, str(uuid), str(kind), int(version), body)  # type: ignore[arg-type]


def check_batch(data: object, store: str, terminal: str) -> Batch:
    """The request body (parsed JSON) checked against the token's ``store`` and ``terminal``.

    BadBatch when the envelope is wrong or any fact belongs elsewhere (nothing is stored);
    otherwise the good facts (each UUID once) and the refused ones with their reasons.
    """
    if not isinstance(data, dict):
        raise BadBatch(422, "the body must be a JSON object {store, terminal, facts}")
    if not (isinstance(data.get("store"), str) and _STORE.fullmatch(data["store"])
            and isinstance(data.get("terminal"), str) and _TERMINAL.fullmatch(data["terminal"])):
        raise BadBatch(422, "store and terminal: the codes of the sending terminal")
    if (data["store"], data["terminal"]) != (store, terminal):
        raise BadBatch(403, f"this token pushes for {store}/{terminal}, not for "
                            f"{data['store']}/{data['terminal']}")
    rows = data.get("facts")
    if not isinstance(rows, list):
        raise BadBatch(422, "facts: must be a list of outbox rows")
    if len(rows) > MAX_FACTS:
        raise BadBatch(413, f"facts: at most {MAX_FACTS} in one batch, got {len(rows)}")
    good: dict[str, Fact] = {}
    refused: list[dict[str, Any]] = []
    for raw in rows:
        try:
            fact = check_fact(raw, store, terminal)
        except Refused as exc:
            where = raw if isinstance(raw, dict) else {}
            refused.append({"seq": where.get("seq") if _is_int(where.get("seq")) else None,
                            "uuid": where.get("uuid") if _uuid(where.get("uuid")) else None,
                            "reason": str(exc)})
            continue
        good.setdefault(fact.uuid, fact)  # the same fact twice in a batch is stored once
    return Batch(list(good.values()), refused)
