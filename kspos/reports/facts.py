"""Report facts from the base tables: the sales of business days, and the refunds of a period.

``Facts`` is the one additive shape every summary is built from: a Tally per row of each
grouping. Sales and refunds are computed separately because they count in different periods
(see the package doc); both are plain SQL on indexed columns plus integer arithmetic here.
"""

from __future__ import annotations

import bisect
import json
import math
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta

from kspos.devices.scanning import WALLET_NAMES
from kspos.records import FrozenRecord, Record
from kspos.reports.tally import Tally, allocate, refund_split
from kspos.store import reports as stored

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs `kspos report` time
if TYPE_CHECKING:
    from kspos.store.readonly import Connection

DIMS = ("day", "hour", "category", "item", "tender", "zone", "table")
NO_TABLE = "-"  # the zone/table key of a sale not made at a table (포장, a cafe's counter)
NO_TABLE_LABEL = "테이블 없음"
TENDER_ORDER = ("cash", "cash_receipt", "card")  # then easy-pay wallets
TENDER_LABELS = {"cash": "현금", "cash_receipt": "현금(현금영수증)", "card": "신용카드"}


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


# --- lines ---------------------------------------------------------------------------------------

class Line(Record):
    """An order line as the reports count it."""

    __slots__ = _fields = ("id", "item", "name", "category", "category_name", "qty",
                           "complimentary", "gross", "discount", "net")
    id: int | str  # the terminal's row id; the line's UUID at the office
    item: str
    name: str
    category: str
    category_name: str
    qty: int
    complimentary: bool
    gross: int
    discount: int  # the line's own discount plus its share of the order discount
    net: int

    def __init__(self, id: int | str, item: str, name: str, category: str, category_name: str,
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
    """An order's lines (rows of :data:`kspos.store.reports.LINE_COLUMNS`) with the order
    discount shared out (largest remainder)."""
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

def sales_facts(conn: Connection, days: dict[int, str]) -> dict[str, Facts]:
    """The sales of business days {business_day id: date}, one Facts per date."""
    ids = sorted(days)
    result = {days[i]: Facts() for i in ids}
    if not ids:
        return result
    orders = stored.day_orders(conn, ids)
    lines = stored.day_lines(conn, ids)
    pays = stored.day_payments(conn, ids)
    for order_id in sorted(orders):
        (_id, day_id, paid_at, gross, discounts, service, total, supply, vat, tax_free,
         guests, zone, table), = orders[order_id]
        day = days[day_id]
        f = result[day]
        add_sale(f, day, paid_at, (gross, discounts, service, total, supply, vat, tax_free),
                 lines.get(order_id, ()), Seat(guests, zone, table))
        add_tenders(f, day, pays.get(order_id, ()), vat, tax_free)
    return result


OrderMoney = tuple[int, int, int, int, int, int, int]
"""(gross, discount_total, service_total, total, supply, vat, tax_free) of an order."""


class Seat(FrozenRecord):
    """Where a sale was made in a restaurant: its guests (객수), zone and table (names as they
    were on the order; empty for a sale not made at a table)."""

    __slots__ = _fields = ("guests", "zone", "table")
    guests: int
    zone: str
    table: str

    def __init__(self, guests: int | None = 0, zone: str | None = "",
                 table: str | None = "") -> None:
        object.__setattr__(self, "guests", guests or 0)
        object.__setattr__(self, "zone", zone or "")
        object.__setattr__(self, "table", table or "")

    def rows(self) -> tuple[tuple[str, str, str], tuple[str, str, str]]:
        """(dim, key, label) of its zone row and its table row."""
        if not self.table:
            return (("zone", NO_TABLE, NO_TABLE_LABEL), ("table", NO_TABLE, NO_TABLE_LABEL))
        zone = self.zone or NO_TABLE
        label = f"{self.zone} {self.table}" if self.zone else self.table
        return (("zone", zone, self.zone or NO_TABLE_LABEL), ("table", f"{zone}/{self.table}",
                                                             label))


NO_SEAT = Seat()


def add_sale(f: Facts, day: str, paid_at: str, money_of: OrderMoney,
             line_rows: Iterable[tuple],  # type: ignore[type-arg]
             seat: Seat = NO_SEAT) -> None:
    """Count one paid order on ``day`` (totals, day, hour, zone, table, item, category:
    everything but the tenders, see :func:`add_tenders`). ``line_rows`` are rows of
    :data:`kspos.store.reports.LINE_COLUMNS`; the office builds the same rows from its facts,
    so both sides count a sale by this one function."""
    gross, discounts, service, total, supply, vat, tax_free = money_of
    money = Tally(orders=1, gross=gross, discounts=discounts, service=service,
                  net_sales=total, supply=supply, vat=vat, tax_free=tax_free,
                  discount_orders=int(discounts > 0), service_orders=int(service > 0),
                  guests=seat.guests)
    its = order_lines(line_rows, discounts)
    money.qty = sum(ln.qty for ln in its if not ln.complimentary)
    money.service_qty = sum(ln.qty for ln in its if ln.complimentary)
    f.totals += money
    f.row("day", day, day, day).__iadd__(money)
    f.row("hour", hour_of(paid_at), "", day).__iadd__(money)
    for dim, key, label in seat.rows():
        f.row(dim, key, label, day).__iadd__(money)
    _add_lines(f, its, day)


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


def add_tenders(f: Facts, day: str, pays: Sequence[tuple],  # type: ignore[type-arg]
                vat: int, tax_free: int) -> None:
    """Count one paid order's tenders on ``day``: ``pays`` are (order, method, wallet,
    amount, cash_receipt_approval_no) of all its payments; the order's VAT and tax-free
    parts are shared over them (largest remainder), so the tender rows sum to the order."""
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

    def __init__(self, conn: Connection, date_from: str, date_to: str) -> None:
        self.window = self._window(conn, date_from, date_to)
        lower, upper = self.window
        before = stored.day_opened_before(conn, lower)
        inside = stored.days_opened_after(conn, lower, upper)
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
    def _window(conn: Connection, date_from: str, date_to: str) -> tuple[str, str | None]:
        """created_at bounds that hold every refund dated in [date_from, date_to]: up to the
        day after date_to, or later while a business day of the period was still open."""
        upper = (date.fromisoformat(date_to) + timedelta(days=1)).isoformat()
        for closed_at in stored.closings(conn, date_from, date_to):
            if closed_at is None:
                return date_from, None
            upper = max(upper, closed_at + "~")
        return date_from, upper


def refund_facts(conn: Connection, date_from: str, date_to: str,
                 into: Facts | None = None) -> dict[str, Facts]:
    """Refunds dated in [date_from, date_to] (see RefundCalendar), one Facts per date, or all
    added straight ``into`` one Facts (then the result is empty)."""
    calendar = RefundCalendar(conn, date_from, date_to)
    lower, upper = calendar.window
    picked = []
    for row in stored.refunds_made(conn, lower, upper):
        day = calendar.date_of(row[4])
        if date_from <= day <= date_to:
            picked.append((day, row))
    result: dict[str, Facts] = {}
    if not picked:
        return result
    order_ids = sorted({row[1] for _d, row in picked})
    lines = stored.order_lines(conn, order_ids)
    events = _refund_events(conn, order_ids)
    for day, (rid, order_id, amount, own_marks, stamp, method, wallet, receipt_no, total,
              tax_free, discounts, zone, table) in picked:
        f = into if into is not None else result.setdefault(day, Facts())
        add_refund(f, day, stamp, amount, tender_key(method, wallet, receipt_no),
                   (total, tax_free, discounts), lines.get(order_id, ()),
                   events.get(rid, []), own_marks not in ("[]", ""), Seat(0, zone, table))
    return result


def add_refund(f: Facts, day: str, stamp: str, amount: int, tender: str,
               order: tuple[int, int, int], line_rows: Iterable[tuple],  # type: ignore[type-arg]
               picked: list[list[int]] | list[list[object]], own: bool,
               seat: Seat = NO_SEAT) -> None:
    """Count one refund row on ``day`` (the report date of when it was made, ``stamp``).

    ``order`` is (total, tax_free, discount_total) of the refunded order, ``line_rows`` its
    lines, ``picked`` the [line id, qty] its refund call returned and ``own`` whether this row
    is the one that carries them (see :func:`_refund_events`); ``seat`` its zone and table
    (a refund takes money off them, never guests). Shared with the office."""
    total, tax_free, discounts = order
    supply, vat, free = refund_split(amount, tax_free, total)
    money = Tally(refunds=amount, refund_count=1, net_sales=-amount, supply=-supply,
                  vat=-vat, tax_free=-free)
    f.row("tender", tender, tender_label(tender), day).__iadd__(money)
    its = order_lines(line_rows, discounts)
    money.qty, money.service_qty = _refund_lines(f, its, amount, picked, own, day)
    f.totals += money
    f.row("day", day, day, day).__iadd__(money)
    f.row("hour", hour_of(stamp), "", day).__iadd__(money)
    for dim, key, label in seat.rows():
        f.row(dim, key, label, day).__iadd__(money)


def _refund_events(conn: Connection, order_ids: Sequence[int]) -> dict[int, list[list[int]]]:
    """refund id → the lines its refund call marked. One call refunds tender by tender; only the
    first row carries the lines, the rows after it (same order, no lines) belong to it."""
    events: dict[int, list[list[int]]] = {}
    current: dict[int, list[list[int]]] = {}  # order id → the lines of its latest marked call
    for rid, order_id, lines_json in stored.refund_marks(conn, order_ids):
        picked = json.loads(lines_json or "[]")
        if picked:
            current[order_id] = picked
        events[rid] = current.get(order_id, [])
    return events


def _refund_lines(f: Facts, lines: list[Line], amount: int,
                  picked: list[list[int]] | list[list[object]],
                  own: bool, day: str) -> tuple[int, int]:
    """Share a refund over the lines it returned; returns the units returned (−qty,
    −service qty) when this row is the one that carries the lines."""
    units, service_units = 0, 0
    if not lines:
        return units, service_units
    by_id = {ln.id: ln for ln in lines}
    chosen = [(by_id[line_id], int(qty))  # type: ignore[call-overload]
              for line_id, qty in picked if line_id in by_id]
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
