"""Sales rollups kept current at ingest: ``sales_rollup`` (store × business day × dim/key).

What a fact adds is computed by kspos's own report code (:func:`kspos.reports.facts.add_sale`,
:func:`~kspos.reports.facts.add_tenders`, :func:`~kspos.reports.facts.add_refund`), so the
office counts exactly what a terminal's ``kspos report sales`` counts (the package doc of
:mod:`kspos.reports`). Only facts the ingest's ``INSERT ... ON CONFLICT DO NOTHING`` actually
stored reach :func:`feed`, in the same transaction: a batch sent twice adds nothing.

Facts may arrive in any order (a refused fact is re-sent later, a batch is split):

- a paid order adds its sale (totals, hour, items, categories) when it arrives;
- its tenders need all of its payments (the VAT is shared over them): they are added when the
  order arrives, and when a payment of an order already here arrives later the order's tender
  rows are taken out as they were and put back with the new payment set;
- a refund needs its order, its payment and the refund that names the lines of its call; it is
  counted once all are here (whichever arrives last triggers it), on the day it counts on
  (the ``business_day`` its body carries, docs/outbox.md), and ``rollup_refunds`` remembers it.

Voids, 망취소 results and day closes add nothing: a sale counts once paid whatever happened
later, a voided paid order's money came back as refunds (their own facts), a 망취소 undid an
approval that never became a payment, and the closings page reads ``day_close`` facts.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from sqlalchemy import String, any_, bindparam, or_, select
from sqlalchemy.dialects import sqlite
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.engine import Connection

from kspos.reports.facts import (
    DIMS,
    Facts,
    Seat,
    add_refund,
    add_sale,
    add_tenders,
    tender_key,
)
from office.store.tables import (
    ROLLUP_FIELDS,
    facts,
    payments,
    refunds,
    rollup_refunds,
    sales_rollup,
)

_CHUNK = 1000
Key = tuple[str, str, str]  # business day, dim, key
Delta = dict[Key, tuple[str, list[int]]]  # → label, field values


class FactLike(Protocol):
    """A stored fact (office.api.validate.Fact, or a row read back)."""

    @property
    def uuid(self) -> str: ...

    @property
    def seq(self) -> int: ...

    @property
    def kind(self) -> str: ...

    @property
    def body(self) -> dict[str, Any]: ...


@dataclass(frozen=True, slots=True)
class _Stored:
    seq: int
    body: dict[str, Any]


def _chunks(values: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start:start + _CHUNK]


def _among(conn: Connection, column: Any, values: Sequence[str]) -> Iterable[Any]:
    """Filters ``column`` is one of ``values``: one ``= ANY(array)`` on PostgreSQL (a single
    parameter, nothing to compile per value), IN lists of at most 1,000 on SQLite."""
    if conn.dialect.name == "postgresql":
        if values:
            yield column == any_(bindparam(None, list(values), type_=ARRAY(String)))
        return
    for part in _chunks(values):
        yield column.in_(part)


def _bodies(conn: Connection, uuids: Iterable[str],
            have: dict[str, _Stored] | None = None) -> dict[str, _Stored]:
    """uuid → (seq, body) of stored facts (those in ``have`` are not read again)."""
    found = {u: have[u] for u in set(uuids) if have and u in have}
    wanted = sorted(set(uuids) - set(found))
    for where in _among(conn, facts.c.uuid, wanted):
        for uuid, seq, body in conn.execute(select(facts.c.uuid, facts.c.seq, facts.c.body)
                                            .where(where)):
            found[str(uuid)] = _Stored(int(seq), body)
    return found


def _children(conn: Connection, table: Any, column: str, parents: Iterable[str]
              ) -> dict[str, list[str]]:
    """parent uuid → the uuids of ``table``'s rows whose ``column`` names it."""
    found: dict[str, list[str]] = {}
    col = table.c[column]
    for where in _among(conn, col, sorted(set(parents))):
        for uuid, parent in conn.execute(select(table.c.uuid, col).where(where)):
            found.setdefault(str(parent), []).append(str(uuid))
    return found


def counts(body: dict[str, Any]) -> bool:
    """An order body that is a sale: paid, not training (kspos/store/reports.py's filter)."""
    return body.get("paid_at") is not None and not body.get("training")


def line_rows(body: dict[str, Any]) -> list[tuple[Any, ...]]:
    """An order body's lines as rows of kspos.store.reports.LINE_COLUMNS: the line's UUID as
    its id, the item's UUID as the item, no category id (the office keys categories by name)."""
    rows = [(body["uuid"], ln["uuid"], ln.get("item_uuid"), ln["name"], None,
             ln.get("category"), ln["qty"], ln["complimentary"], ln["discount"], ln["amount"],
             ln["unit_price"], ln["position"]) for ln in body.get("lines", ())]
    return [row[:11] for row in sorted(rows, key=lambda r: r[11])]


def _money(body: dict[str, Any]) -> tuple[int, int, int, int, int, int, int]:
    return (body["gross"], body["discount_total"], body["service_total"], body["total"],
            body["supply"], body["vat"], body["tax_free"])


def _pay_rows(pays: list[_Stored]) -> list[tuple[Any, ...]]:
    return [(b["order_uuid"], b["method"], b.get("wallet"), b["amount"],
             b.get("cash_receipt_approval_no"))
            for b in (p.body for p in sorted(pays, key=lambda p: p.seq))]


def _tenders(order: dict[str, Any], pays: list[_Stored]) -> Facts:
    f = Facts()
    if pays:
        add_tenders(f, order["business_day"], _pay_rows(pays), order["vat"], order["tax_free"])
    return f


def _add(delta: Delta, f: Facts, sign: int = 1) -> None:
    """Fold ``f``'s rows into ``delta`` (the 'day' dim is the 'total' row of its day). ``f``
    holds one day: its rows are filed under the day they were made on."""
    for dim in DIMS:
        if dim == "day":
            continue
        for row in f.dims[dim].values():
            _fold(delta, (row.label_day, dim, row.key), row.label, row.tally.values(), sign)
    for row in f.dims["day"].values():
        _fold(delta, (row.key, "total", ""), "", row.tally.values(), sign)


def _fold(delta: Delta, key: Key, label: str, values: tuple[int, ...], sign: int) -> None:
    found = delta.get(key)
    if found is None:
        delta[key] = (label, [v * sign for v in values])
        return
    kept = found[1]
    for n, v in enumerate(values):
        kept[n] += v * sign
    if label and sign > 0:
        delta[key] = (label, kept)


def feed(conn: Connection, store: str, new: Sequence[FactLike]) -> int:
    """Add what the just-stored facts ``new`` of ``store`` count to the rollups; returns the
    rollup rows touched. Runs in the ingest's transaction."""
    orders = {f.uuid: f.body for f in new if f.kind == "order"}
    new_pays = {f.uuid: f.body for f in new if f.kind == "payment"}
    have = {f.uuid: _Stored(f.seq, f.body) for f in new}
    delta: Delta = {}
    days: dict[str, Facts] = {}  # one Facts per day: a Facts's rows are not split by day
    for body in orders.values():
        if counts(body):
            add_sale(days.setdefault(body["business_day"], Facts()), body["business_day"],
                     body["paid_at"], _money(body), line_rows(body), seat_of(body))
    for f in days.values():
        _add(delta, f)
    _feed_tenders(conn, orders, new_pays, have, delta)
    _feed_refunds(conn, store, orders, new_pays, [f.uuid for f in new if f.kind == "refund"],
                  have, delta)
    return upsert(conn, store, delta)


def _feed_tenders(conn: Connection, orders: dict[str, dict[str, Any]],
                  new_pays: dict[str, dict[str, Any]], have: dict[str, _Stored],
                  delta: Delta) -> None:
    """Tender rows of the orders that arrived and of those whose payments did."""
    late = {b["order_uuid"] for b in new_pays.values()} - set(orders)
    known = {u: s.body for u, s in _bodies(conn, late).items()}
    affected = {u: b for u, b in {**known, **orders}.items() if counts(b)}
    if not affected:
        return
    pay_ids = _children(conn, payments, "order_uuid", affected)
    stored = _bodies(conn, [p for ids in pay_ids.values() for p in ids], have)
    days: dict[str, Facts] = {}
    for order_uuid, body in affected.items():
        pays = [stored[p] for p in pay_ids.get(order_uuid, ()) if p in stored]
        if order_uuid not in orders:  # arrived before: out with its tenders as they were
            _add(delta, _tenders(body, [p for p in pays if p.body["uuid"] not in new_pays]),
                 -1)
            _add(delta, _tenders(body, pays))
        elif pays:
            day = body["business_day"]
            add_tenders(days.setdefault(day, Facts()), day, _pay_rows(pays), body["vat"],
                        body["tax_free"])
    for f in days.values():
        _add(delta, f)


def _feed_refunds(conn: Connection, store: str, orders: dict[str, dict[str, Any]],
                  new_pays: dict[str, dict[str, Any]], new_refunds: list[str],
                  have: dict[str, _Stored], delta: Delta) -> None:
    """Count each refund whose order and payment are here now; and when a refund arrives
    after a later one of its order that named no lines (which took the lines of the latest
    line-naming refund before it), recount that later one with the lines it now inherits."""
    candidates = set(new_refunds) | _refunds_of(conn, orders, new_pays)
    if not candidates:
        return
    mine = _bodies(conn, candidates, have)
    order_ids = {s.body["order_uuid"] for s in mine.values()}
    siblings = _children(conn, refunds, "order_uuid", order_ids)
    everyone = {u for ids in siblings.values() for u in ids}
    done = {str(u) for part in _chunks(sorted(everyone | candidates)) for u in conn.execute(
        select(rollup_refunds.c.uuid).where(rollup_refunds.c.uuid.in_(part))).scalars()}
    stored = _bodies(conn, order_ids | everyone, have)
    stored.update(_bodies(conn, {s.body["payment_uuid"] for s in stored.values()
                                 if "payment_uuid" in s.body}, have))
    counted = []
    for uuid in sorted(candidates - done, key=lambda u: mine[u].seq if u in mine else 0):
        refund = stored.get(uuid)
        if refund is None:
            continue
        kin = [stored[u] for u in siblings.get(refund.body["order_uuid"], ()) if u in stored]
        f = _refund(stored, refund, _picked(uuid, kin))
        if f is not None:
            counted.append({"uuid": uuid, "store_code": store,
                            "business_day": date.fromisoformat(_refund_day(refund.body))})
            _add(delta, f)
    fresh = set(new_refunds)
    for ids in siblings.values():
        if not fresh & set(ids):
            continue
        kin = [stored[u] for u in ids if u in stored]
        before = [s for s in kin if s.body["uuid"] not in fresh]
        for s in kin:
            u = s.body["uuid"]
            if u in done and not s.body.get("lines") and \
                    _picked(u, before) != _picked(u, kin):
                _add(delta, _refund(stored, s, _picked(u, before)) or Facts(), -1)
                _add(delta, _refund(stored, s, _picked(u, kin)) or Facts())
    if counted:
        conn.execute(rollup_refunds.insert(), counted)


def _refunds_of(conn: Connection, orders: dict[str, Any], pays: dict[str, Any]) -> set[str]:
    """The stored refunds of these orders or on these payments."""
    r = refunds.c
    clauses = [*_among(conn, r.order_uuid, sorted(orders)),
               *_among(conn, r.payment_uuid, sorted(pays))]
    if conn.dialect.name == "postgresql" and clauses:  # one query: two = ANY(array) filters
        clauses = [or_(*clauses)]
    found: set[str] = set()
    for where in clauses:
        found.update(str(u) for u in conn.execute(select(r.uuid).where(where)).scalars())
    return found


def seat_of(order: dict[str, Any]) -> Seat:
    """A restaurant order's guests, zone and table as its fact carries them (older facts and
    a cafe's orders have none)."""
    return Seat(int(order.get("guests") or 0), order.get("zone"), order.get("table_no"))


def _refund_day(body: dict[str, Any]) -> str:
    return str(body.get("business_day") or str(body["created_at"])[:10])


def _refund(stored: dict[str, _Stored], refund: _Stored,
            picked: list[list[object]]) -> Facts | None:
    """What ``refund`` counts (on its day), or None while its order or payment is missing
    or when it is no refund of a sale (training, an order never paid)."""
    b = refund.body
    order, pay = stored.get(b["order_uuid"]), stored.get(b["payment_uuid"])
    if order is None or pay is None or b.get("training") or not counts(order.body):
        return None
    o, f = order.body, Facts()
    add_refund(f, _refund_day(b), b["created_at"], b["amount"],
               tender_key(pay.body["method"], pay.body.get("wallet"),
                          pay.body.get("cash_receipt_approval_no")),
               (o["total"], o["tax_free"], o["discount_total"]), line_rows(o),
               picked, bool(b.get("lines")), seat_of(o))
    return f


def _picked(uuid: str, siblings: list[_Stored]) -> list[list[object]]:
    """The [line uuid, qty] of ``uuid``'s refund call: its own lines, or those of the latest
    refund of the order before it that named lines (kspos.reports.facts._refund_events)."""
    current: list[list[object]] = []
    for s in sorted(siblings, key=lambda s: s.seq):
        lines = s.body.get("lines") or []
        if lines:
            current = [[ln["line_uuid"], ln["qty"]] for ln in lines]
        if s.body["uuid"] == uuid:
            return current
    return current


def upsert(conn: Connection, store: str, delta: Delta) -> int:
    """Add ``delta`` to ``store``'s rollup rows (made when missing); in key order, so two
    batches of one store lock rows in the same order and never deadlock."""
    rows = [{"store_code": store, "business_day": date.fromisoformat(day), "dim": dim,
             "key": key, "label": label, **dict(zip(ROLLUP_FIELDS, values, strict=True))}
            for (day, dim, key), (label, values) in sorted(delta.items())
            if any(values)]
    if not rows:
        return 0
    if conn.dialect.name == "postgresql":
        _copy_upsert(conn, rows)
        return len(rows)
    insert = sqlite.insert(sales_rollup)
    excluded = insert.excluded
    statement = insert.on_conflict_do_update(
        index_elements=["store_code", "business_day", "dim", "key"],
        set_={"label": excluded.label,
              **{n: sales_rollup.c[n] + excluded[n] for n in ROLLUP_FIELDS}})
    conn.execute(statement, rows)
    return len(rows)


def _copy_upsert(conn: Connection, rows: list[dict[str, Any]]) -> None:
    """PostgreSQL: COPY the rows into a temporary twin, then one ``INSERT ... SELECT ... ON
    CONFLICT DO UPDATE`` adding them up (a row at a time costs a round trip each; see
    office.store.ingest._copy_insert for the same reasoning)."""
    names = [c.name for c in sales_rollup.columns]
    listed = ", ".join(names)
    added = ", ".join(f"{n} = sales_rollup.{n} + EXCLUDED.{n}" for n in ROLLUP_FIELDS)
    raw = conn.connection.driver_connection
    assert raw is not None
    with raw.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE IF NOT EXISTS _in_sales_rollup "
                       "(LIKE sales_rollup) ON COMMIT DELETE ROWS")
        with cursor.copy(f"COPY _in_sales_rollup ({listed}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([row[n] for n in names])
        cursor.execute(f"INSERT INTO sales_rollup ({listed}) SELECT {listed} FROM "
                       "_in_sales_rollup ORDER BY store_code, business_day, dim, key "
                       "ON CONFLICT (store_code, business_day, dim, key) DO UPDATE SET "
                       f"label = EXCLUDED.label, {added}")
        cursor.execute("DELETE FROM _in_sales_rollup")


def rebuild(conn: Connection) -> int:
    """Count every stored sales fact again from nothing (the migration that made the tables,
    a repair): the same :func:`feed`, store by store. Returns rollup rows touched."""
    conn.execute(sales_rollup.delete())
    conn.execute(rollup_refunds.delete())
    touched = 0
    stores = [str(s) for s in conn.execute(select(facts.c.store_code).distinct()).scalars()]
    for store in stores:
        found = conn.execute(select(facts.c.uuid, facts.c.kind, facts.c.body, facts.c.seq)
                             .where(facts.c.store_code == store,
                                    facts.c.kind.in_(("order", "payment", "refund")))
                             .order_by(facts.c.seq))
        touched += feed(conn, store, [_Fact(str(u), str(k), b, int(q)) for u, k, b, q in found])
    return touched


@dataclass(frozen=True, slots=True)
class _Fact:
    uuid: str
    kind: str
    body: dict[str, Any]
    seq: int
