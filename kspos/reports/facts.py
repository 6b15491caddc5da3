"""Report facts from the base tables: the sales of business days, and the refunds of a period.

``Facts`` is the one additive shape every summary is built from: a Tally per row of each
grouping. Sales and refunds are computed separately because they count in different periods
(see the package doc); both are plain SQL on indexed columns plus integer arithmetic here.
"""

from __future__ import annotations

import bisect
import json
import math
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime, timedelta

from kspos.devices.scanning import WALLET_NAMES
from kspos.records import FrozenRecord, Record
from kspos.reports.tally import Tally, allocate, refund_split

DIMS = ("day", "hour", "category", "item", "tender")
TENDER_ORDER = ("cash", "cash_receipt", "card")  # then easy-pay wallets
TENDER_LABELS = {"cash": "현금", "cash_receipt": "현금(현금영수증)", "card": "신용카드"}
_CHUNK = 500  # SQLite host parameters per IN (...) list


class Row(Record):
    """One report row: a key, the words shown for it, and its tally."""

    __slots__ = _fields = ("key", "label", "tally", "label_day")
    key: str
    label: str
    tally: Tally
    label_day: str  # a renamed item shows its newest name

    def __init__(self, key: str, label: str, tally: Tally | None = None,
                 label_day: str = "") -> None:
        self.key = key
        self.label = label
        self.tally = Tally() if tally is None else tally
        self.label_day = label_day


class Facts(Record):
    """Rows per grouping (``dims[dim][key]``) plus the grand total, for some period."""

    __slots__ = _fields = ("totals", "dims")
    totals: Tally
    dims: dict[str, dict[str, Row]]

    def __init__(self, totals: Tally | None = None,
                 dims: dict[str, dict[str, Row]] | None = None) -> None:
        self.totals = Tally() if totals is None else totals
        self.dims = {d: {} for d in DIMS} if dims is None else dims

    def row(self, dim: str, key: str, label: str, day: str) -> Tally:
        rows = self.dims[dim]
        found = rows.get(key)
        if found is None:
            found = rows[key] = Row(key, label, Tally(), day)
        elif label and day >= found.label_day:
            found.label, found.label_day = label, day
        return found.tally

    def merge(self, other: Facts) -> None:
        self.totals += other.totals
        for dim, rows in other.dims.items():
            for key, row in rows.items():
                self.row(dim, key, row.label, row.label_day).__iadd__(row.tally)


def tender_key(method: str, wallet: str | None, cash_receipt_no: str | None) -> str:
    if method == "cash":
        return "cash_receipt" if cash_receipt_no else "cash"
    if method == "easypay":
        return f"easypay:{wallet or '?'}"
    return method


def tender_label(key: str) -> str:
    if key.startswith("easypay:"):
        code = key.split(":", 1)[1]
        return "간편결제 " + WALLET_NAMES.get(code, (code, code))[0]
    return TENDER_LABELS.get(key, key)


def item_key(item_id: int | None, name: str) -> str:
    return str(item_id) if item_id is not None else f"name:{name}"


def category_key(category_id: int | None, name: str) -> str:
    return str(category_id) if category_id is not None else f"name:{name or '-'}"


def chunks(values: Sequence[int]) -> Iterator[Sequence[int]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start:start + _CHUNK]


def marks(values: Sequence[int]) -> str:
    return ",".join("?" * len(values))


# --- lines ---------------------------------------------------------------------------------------

LINE_COLUMNS = ("l.order_id, l.id, l.item_id, l.name, l.category_id, l.category_name, l.qty, "
                "l.complimentary, l.discount_amount, l.amount, l.unit_price")


class Line(Record):
    """An order line as the reports count it."""

    __slots__ = _fields = ("id", "item", "name", "category", "category_name", "qty",
                           "complimentary", "gross", "discount", "net")
    id: int
    item: str
    name: str
    category: str
    category_name: str
    qty: int
    complimentary: bool
    gross: int
    discount: int  # the line's own discount plus its share of the order discount
    net: int

    def __init__(self, id: int, item: str, name: str, category: str, category_name: str,
                 qty: int, complimentary: bool, gross: int, discount: int, net: int) -> None:
        self.id = id
        self.item = item
        self.name = name
        self.category = category
        self.category_name = category_name
        self.qty = qty
        self.complimentary = complimentary
        self.gross = gross
        self.discount = discount
        self.net = net


def order_lines(rows: Iterable[tuple], discount_total: int) -> list[Line]:  # type: ignore[type-arg]
    """An order's lines with the order discount shared out (largest remainder)."""
    raw = list(rows)
    order_off = discount_total - sum(r[8] for r in raw)
    shares = allocate(order_off, [r[9] for r in raw]) if raw else []
    lines = []
    for r, off in zip(raw, shares, strict=True):
        _order, line_id, item_id, name, cat_id, cat_name, qty, comp, disc, amount, unit = r
        lines.append(Line(line_id, item_key(item_id, name), name, category_key(cat_id, cat_name),
                          cat_name or "-", qty, bool(comp), unit * qty, disc + off, amount - off))
    return lines


def hour_of(stamp: str) -> str:
    return stamp[11:13]


# --- sales of business days ----------------------------------------------------------------------

ORDER_FILTER = "o.business_day_id IN ({}) AND o.training = 0 AND o.paid_at IS NOT NULL"


def _grouped(conn: sqlite3.Connection, sql: str, ids: Sequence[int]) -> dict[int, list[tuple]]:  # type: ignore[type-arg]
    out: dict[int, list[tuple]] = {}  # type: ignore[type-arg]
    for part in chunks(ids):
        for row in conn.execute(sql.format(marks(part)), tuple(part)):
            out.setdefault(row[0], []).append(row)
    return out


def sales_facts(conn: sqlite3.Connection, days: dict[int, str]) -> dict[str, Facts]:
    """The sales of business days {business_day id: date}, one Facts per date."""
    ids = sorted(days)
    result = {days[i]: Facts() for i in ids}
    if not ids:
        return result
    orders = _grouped(conn, (
        "SELECT o.id, o.business_day_id, o.paid_at, o.gross, o.discount_total, o.service_total,"
        " o.total, o.supply, o.vat, o.tax_free FROM sale_order o WHERE " + ORDER_FILTER), ids)
    lines = _grouped(conn, (
        f"SELECT {LINE_COLUMNS} FROM order_line l JOIN sale_order o ON o.id = l.order_id "
        f"WHERE {ORDER_FILTER} ORDER BY l.order_id, l.position"), ids)
    pays = _grouped(conn, (
        "SELECT p.order_id, p.method, p.wallet, p.amount, p.cash_receipt_approval_no "
        f"FROM payment p JOIN sale_order o ON o.id = p.order_id WHERE {ORDER_FILTER} "
        "ORDER BY p.order_id, p.id"), ids)
    for order_id in sorted(orders):
        (_id, day_id, paid_at, gross, discounts, service, total, supply, vat, tax_free), \
            = orders[order_id]
        day = days[day_id]
        f = result[day]
        money = Tally(orders=1, gross=gross, discounts=discounts, service=service,
                      net_sales=total, supply=supply, vat=vat, tax_free=tax_free,
                      discount_orders=int(discounts > 0), service_orders=int(service > 0))
        its = order_lines(lines.get(order_id, ()), discounts)
        money.qty = sum(ln.qty for ln in its if not ln.complimentary)
        money.service_qty = sum(ln.qty for ln in its if ln.complimentary)
        f.totals += money
        f.row("day", day, day, day).__iadd__(money)
        f.row("hour", hour_of(paid_at), "", day).__iadd__(money)
        _add_lines(f, its, day)
        _add_payments(f, pays.get(order_id, ()), vat, tax_free, day)
    return result


def _add_lines(f: Facts, lines: list[Line], day: str) -> None:
    seen: set[tuple[str, str]] = set()
    for ln in lines:
        for dim, key, label in (("item", ln.item, ln.name),
                                ("category", ln.category, ln.category_name)):
            t = f.row(dim, key, label, day)
            if (dim, key) not in seen:
                seen.add((dim, key))
                t.orders += 1
            t.gross += ln.gross
            if ln.complimentary:
                t.service_qty += ln.qty
                t.service += ln.gross
            else:
                t.qty += ln.qty
                t.discounts += ln.discount
            t.net_sales += ln.net


def _add_payments(f: Facts, pays: Sequence[tuple], vat: int, tax_free: int,  # type: ignore[type-arg]
                  day: str) -> None:
    amounts = [p[3] for p in pays]
    vats, frees = allocate(vat, amounts), allocate(tax_free, amounts)
    seen: set[str] = set()
    for (_o, method, wallet, amount, receipt_no), v, tf in zip(pays, vats, frees, strict=True):
        key = tender_key(method, wallet, receipt_no)
        t = f.row("tender", key, tender_label(key), day)
        if key not in seen:
            seen.add(key)
            t.orders += 1
        t.qty += 1
        t.net_sales += amount
        t.vat += v
        t.tax_free += tf
        t.supply += amount - v - tf


# --- refunds of a period -------------------------------------------------------------------------


class DaySpan(FrozenRecord):
    """When a business day was open (closed_at None: still open)."""

    __slots__ = _fields = ("opened_at", "closed_at", "day")
    opened_at: str
    closed_at: str | None
    day: str

    def __init__(self, opened_at: str, closed_at: str | None, day: str) -> None:
        object.__setattr__(self, "opened_at", opened_at)
        object.__setattr__(self, "closed_at", closed_at)
        object.__setattr__(self, "day", day)


class RefundCalendar:
    """Which report date a refund made at some moment belongs to: the business day open then,
    else the calendar date.

    Built for one report period: ``window`` bounds the created_at of every refund dated in it,
    and only the business days that can hold such a moment are read (the latest one opened
    before the window, and those opened inside it), so a day's report does not read the
    store's whole history.
    """

    def __init__(self, conn: sqlite3.Connection, date_from: str, date_to: str) -> None:
        self.window = self._window(conn, date_from, date_to)
        lower, upper = self.window
        before = conn.execute(
            "SELECT opened_at, closed_at, day FROM business_day WHERE opened_at <= ? "
            "ORDER BY opened_at DESC LIMIT 1", (lower,)).fetchall()
        inside = conn.execute(
            "SELECT opened_at, closed_at, day FROM business_day WHERE opened_at > ?"
            + ("" if upper is None else " AND opened_at < ?") + " ORDER BY opened_at",
            (lower,) if upper is None else (lower, upper)).fetchall()
        self.spans = [DaySpan(o, c, d) for o, c, d in before + inside]
        self._opened = [s.opened_at for s in self.spans]

    def date_of(self, stamp: str) -> str:
        """The report date of a refund made at ``stamp`` (inside ``window``)."""
        at = bisect.bisect_right(self._opened, stamp) - 1
        if at >= 0:
            span = self.spans[at]
            if span.closed_at is None or stamp <= span.closed_at:
                return span.day
        return stamp[:10]

    @staticmethod
    def _window(conn: sqlite3.Connection, date_from: str, date_to: str) -> tuple[str, str | None]:
        """created_at bounds that hold every refund dated in [date_from, date_to]: up to the
        day after date_to, or later while a business day of the period was still open."""
        upper = (date.fromisoformat(date_to) + timedelta(days=1)).isoformat()
        for (closed_at,) in conn.execute(
                "SELECT closed_at FROM business_day WHERE day BETWEEN ? AND ?",
                (date_from, date_to)):
            if closed_at is None:
                return date_from, None
            upper = max(upper, closed_at + "~")
        return date_from, upper


REFUND_SQL = (
    "SELECT r.id, r.order_id, r.amount, r.lines_json, r.created_at, p.method, p.wallet, "
    "p.cash_receipt_approval_no, o.total, o.tax_free, o.discount_total FROM refund r "
    "JOIN payment p ON p.id = r.payment_id JOIN sale_order o ON o.id = r.order_id "
    # o.paid_at: the tenders of an order never paid (an abandoned 복합결제, given back) were
    # never a sale, so giving them back is no refund either
    "WHERE r.training = 0 AND o.training = 0 AND o.paid_at IS NOT NULL "
    "AND r.created_at >= ?{upper} ORDER BY r.id")


def refund_facts(conn: sqlite3.Connection, date_from: str, date_to: str,
                 into: Facts | None = None) -> dict[str, Facts]:
    """Refunds dated in [date_from, date_to] (see RefundCalendar), one Facts per date, or all
    added straight ``into`` one Facts (then the result is empty)."""
    calendar = RefundCalendar(conn, date_from, date_to)
    lower, upper = calendar.window
    sql = REFUND_SQL.format(upper="" if upper is None else " AND r.created_at < ?")
    params = (lower,) if upper is None else (lower, upper)
    picked = []
    for row in conn.execute(sql, params):
        day = calendar.date_of(row[4])
        if date_from <= day <= date_to:
            picked.append((day, row))
    result: dict[str, Facts] = {}
    if not picked:
        return result
    order_ids = sorted({row[1] for _d, row in picked})
    lines = _grouped(conn, f"SELECT {LINE_COLUMNS} FROM order_line l WHERE l.order_id IN ({{}})"
                           " ORDER BY l.order_id, l.position", order_ids)
    events = _refund_events(conn, order_ids)
    for day, (rid, order_id, amount, own_marks, stamp, method, wallet, receipt_no, total,
              tax_free, discounts) in picked:
        f = into if into is not None else result.setdefault(day, Facts())
        supply, vat, free = refund_split(amount, tax_free, total)
        money = Tally(refunds=amount, refund_count=1, net_sales=-amount, supply=-supply,
                      vat=-vat, tax_free=-free)
        key = tender_key(method, wallet, receipt_no)
        f.row("tender", key, tender_label(key), day).__iadd__(money)
        its = order_lines(lines.get(order_id, ()), discounts)
        money.qty, money.service_qty = _refund_lines(
            f, its, amount, events.get(rid, []), own_marks not in ("[]", ""), day)
        f.totals += money
        f.row("day", day, day, day).__iadd__(money)
        f.row("hour", hour_of(stamp), "", day).__iadd__(money)
    return result


def _refund_events(conn: sqlite3.Connection, order_ids: Sequence[int]) -> dict[int, list[list[int]]]:
    """refund id → the lines its refund call marked. One call refunds tender by tender; only the
    first row carries the lines, the rows after it (same order, no lines) belong to it."""
    events: dict[int, list[list[int]]] = {}
    for part in chunks(order_ids):
        current: dict[int, list[list[int]]] = {}
        for rid, order_id, lines_json in conn.execute(
                f"SELECT id, order_id, lines_json FROM refund WHERE order_id IN ({marks(part)}) "
                "ORDER BY id", tuple(part)):
            picked = json.loads(lines_json or "[]")
            if picked:
                current[order_id] = picked
            events[rid] = current.get(order_id, [])
    return events


def _refund_lines(f: Facts, lines: list[Line], amount: int, picked: list[list[int]],
                  own: bool, day: str) -> tuple[int, int]:
    """Share a refund over the lines it returned; returns the units returned (−qty,
    −service qty) when this row is the one that carries the lines."""
    units, service_units = 0, 0
    if not lines:
        return units, service_units
    by_id = {ln.id: ln for ln in lines}
    chosen = [(by_id[line_id], qty) for line_id, qty in picked if line_id in by_id]
    if chosen:
        scale = math.lcm(*(ln.qty for ln, _q in chosen))
        weights = [ln.net * q * (scale // ln.qty) for ln, q in chosen]
    else:
        chosen = [(ln, 0) for ln in lines]
        weights = [ln.net for ln in lines]
    for (ln, qty), part in zip(chosen, allocate(amount, weights), strict=True):
        for dim, key, label in (("item", ln.item, ln.name),
                                ("category", ln.category, ln.category_name)):
            t = f.row(dim, key, label, day)
            t.refunds += part
            t.net_sales -= part
            if own and qty:
                if ln.complimentary:
                    t.service_qty -= qty
                else:
                    t.qty -= qty
        if own and qty:
            if ln.complimentary:
                service_units -= qty
            else:
                units -= qty
    return units, service_units


def now_stamp() -> str:
    return datetime.now().strftime("%Y-%m-%d %H:%M:%S.%f")
