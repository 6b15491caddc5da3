"""The office's sales reads: what the back office pages and ``kspos office report`` call.

Every function takes the caller's connection and ``stores``, the store codes the user may see
(an admin: all; an owner: theirs): a store outside it is never read, and an empty set reads
nothing. Sales figures come from ``sales_rollup`` (kept at ingest, :mod:`office.store.rollups`)
and mean exactly what kspos's reports mean (the package doc of :mod:`kspos.reports`): the
summary is kspos's own :class:`~kspos.reports.summary.SalesSummary`, so
:mod:`kspos.reports.export` writes it and :func:`kspos.reports.summary.other_info` and
:func:`kspos.reports.vat.vat_filing` read it.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.engine import Connection

from kspos.reports.facts import Facts
from kspos.reports.summary import SalesSummary
from kspos.reports.tally import Tally
from kspos.reports.vat import VatFiling, vat_filing
from office.store.tables import ROLLUP_FIELDS, facts, payments, refunds, sales_rollup, stores

WEEKDAYS = "월화수목금토일"


def _scope(stores_: Collection[str]) -> list[str]:
    return sorted(set(stores_))


def _sums() -> list[Any]:
    return [func.sum(sales_rollup.c[n]).label(n) for n in ROLLUP_FIELDS]


def _where(codes: list[str], date_from: date, date_to: date) -> list[Any]:
    r = sales_rollup.c
    return [r.store_code.in_(codes), r.business_day.between(date_from, date_to)]


def sales_summary(conn: Connection, stores_: Collection[str], date_from: date,
                  date_to: date) -> SalesSummary:
    """판매집계 of ``stores_`` over business days ``date_from``..``date_to`` (inclusive): every
    grouping (day, hour, category, item, tender; ``summary.rows(by)``) summed over the stores.

    Labels are the newest day's (a renamed item shows its new name). Two aggregate queries
    on the rollups, however long the period."""
    f = Facts()
    codes = _scope(stores_)
    if codes:
        r = sales_rollup.c
        days = conn.execute(select(r.business_day, *_sums()).where(
            *_where(codes, date_from, date_to), r.dim == "total").group_by(r.business_day))
        for row in days:
            day, tally = _day(row[0]), Tally.of([int(v) for v in row[1:]])
            f.totals += tally
            f.row("day", day, day, day).__iadd__(tally)
        for dim, key, label, newest, *values in conn.execute(_rows_query(conn, codes,
                                                                         date_from, date_to)):
            f.row(dim, key, label, _day(newest)).__iadd__(Tally.of([int(v) for v in values]))
    return SalesSummary(date_from, date_to, f, sealed_days=len(f.dims["day"]))


def _day(value: Any) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)[:10]


def _rows_query(conn: Connection, codes: list[str], date_from: date, date_to: date) -> Any:
    """(dim, key, newest label, newest day, Σ fields) of every grouping row in the range."""
    r = sales_rollup.c
    if conn.dialect.name == "postgresql":
        label: Any = func.array_agg(aggregate_order_by(r.label, r.business_day.desc()))[1]
    else:  # SQLite: a bare column next to max() comes from the row holding the max
        label = r.label
    newest = func.max(r.business_day)
    return select(r.dim, r.key, label, newest, *_sums()).where(
        *_where(codes, date_from, date_to), r.dim != "total").group_by(r.dim, r.key)


@dataclass(frozen=True, slots=True)
class OtherInfo:
    """기타정보 as numbers (kspos.reports.summary.other_info gives the same as text):
    tender shares of 순매출 in %, 객단가 (순매출 ÷ 건수), 현금영수증, and the VAT split."""

    cash_ratio: float
    card_ratio: float
    easy_pay_ratio: float
    average_ticket: int
    cash_receipts: int
    cash_receipt_amount: int
    supply: int
    vat: int
    tax_free: int


def other_info(summary: SalesSummary) -> OtherInfo:
    """기타정보 of a summary, by kspos's own figures (SalesSummary.cash/card/easy_pay)."""
    t = summary.totals
    receipts = summary.facts.dims["tender"].get("cash_receipt")
    issued = receipts.tally if receipts else Tally()
    return OtherInfo(summary.ratio(summary.cash), summary.ratio(summary.card),
                     summary.ratio(summary.easy_pay), t.net_sales // t.orders if t.orders else 0,
                     issued.qty, issued.net_sales, t.supply, t.vat, t.tax_free)


@dataclass(frozen=True, slots=True)
class HeatMap:
    """순매출 and 건수 by weekday (0 = 월요일) × hour (0..23) over a period."""

    net_sales: list[list[int]]
    orders: list[list[int]]


def weekday_hours(conn: Connection, stores_: Collection[str], date_from: date,
                  date_to: date) -> HeatMap:
    """The weekday × hour matrix of 판매집계 (sales by the hour paid, refunds by the hour
    made, as in the by-hour grouping)."""
    net = [[0] * 24 for _ in range(7)]
    count = [[0] * 24 for _ in range(7)]
    codes = _scope(stores_)
    if codes:
        r = sales_rollup.c
        for day, hour, sales, orders in conn.execute(
                select(r.business_day, r.key, func.sum(r.net_sales), func.sum(r.orders)).where(
                    *_where(codes, date_from, date_to), r.dim == "hour")
                .group_by(r.business_day, r.key)):
            weekday = date.fromisoformat(_day(day)).weekday()
            net[weekday][int(hour)] += int(sales)
            count[weekday][int(hour)] += int(orders)
    return HeatMap(net, count)


@dataclass(frozen=True, slots=True)
class StoreToday:
    """매출 현황 of one store: 순매출 and 건수 today, yesterday, and a week ago."""

    store: str
    name: str
    net_sales: int
    orders: int
    yesterday_net_sales: int
    yesterday_orders: int
    last_week_net_sales: int
    last_week_orders: int


def today_by_store(conn: Connection, stores_: Collection[str], today: date) -> list[StoreToday]:
    """Each visible store's business day ``today`` (live: the rollups are current at every
    ingest) beside the day before and the same weekday last week; stores without sales show
    zeros. By store code."""
    codes = _scope(stores_)
    if not codes:
        return []
    days = [today, today - timedelta(days=1), today - timedelta(days=7)]
    r = sales_rollup.c
    found: dict[tuple[str, str], tuple[int, int]] = {}
    for code, day, net, orders in conn.execute(
            select(r.store_code, r.business_day, r.net_sales, r.orders).where(
                r.store_code.in_(codes), r.business_day.in_(days), r.dim == "total")):
        found[(str(code), _day(day))] = (int(net), int(orders))
    names = {str(c): str(n) for c, n in conn.execute(
        select(stores.c.code, stores.c.name).where(stores.c.code.in_(codes)))}
    out = []
    for code in codes:
        (n0, o0), (n1, o1), (n7, o7) = (found.get((code, d.isoformat()), (0, 0)) for d in days)
        out.append(StoreToday(code, names.get(code, ""), n0, o0, n1, o1, n7, o7))
    return out


@dataclass(frozen=True, slots=True)
class Approval:
    """One card / easy-pay approval (or a 망취소) as 카드 승인 내역 lists it. Card data is the
    masked PAN and BIN only; ``status`` is ``approved``, ``cancelled`` (refunded in full),
    ``partly_cancelled`` or ``reversed`` (망취소: the host's approval undone by the terminal)."""

    store: str
    terminal: str
    at: datetime
    receipt_no: str
    method: str
    amount: int
    approval_no: str | None
    masked_pan: str | None
    card_bin: str | None
    issuer: str | None
    installment: int
    status: str
    refunded: int


def card_approvals(conn: Connection, stores_: Collection[str], date_from: date, date_to: date,
                   amount: int | None = None, approval_no: str | None = None,
                   last4: str | None = None, limit: int = 1000) -> list[Approval]:
    """Approvals made ``date_from``..``date_to`` (calendar dates of the approval), newest
    first, at most ``limit``; filtered by exact ``amount``, ``approval_no`` and the card's
    ``last4`` digits when given (ValueError unless 4 digits: it is matched against the masked
    PAN). Training payments are left out."""
    if last4 is not None and not (len(last4) == 4 and last4.isdigit()):
        raise ValueError("last4: the card's last 4 digits")
    codes = _scope(stores_)
    if not codes:
        return []
    p = payments.c
    start, end = datetime.combine(date_from, datetime.min.time()), \
        datetime.combine(date_to + timedelta(days=1), datetime.min.time())
    refunded = (select(func.coalesce(func.sum(refunds.c.amount), 0))
                .where(refunds.c.payment_uuid == p.uuid).scalar_subquery())
    query = select(p.store_code, p.terminal, p.created_at, p.receipt_no, p.method, p.amount,
                   p.approval_no, p.masked_pan, p.card_bin, p.issuer, p.installment,
                   refunded).where(p.store_code.in_(codes), p.method.in_(("card", "easypay")),
                                   p.training.is_(False), p.created_at >= start,
                                   p.created_at < end)
    if amount is not None:
        query = query.where(p.amount == amount)
    if approval_no:
        query = query.where(p.approval_no == approval_no)
    if last4:
        query = query.where(p.masked_pan.like(f"%{last4}"))
    out = []
    for row in conn.execute(query.order_by(p.created_at.desc()).limit(limit)):
        given = int(row[11])
        status = ("cancelled" if given >= int(row[5]) and given else
                  "partly_cancelled" if given else "approved")
        out.append(Approval(str(row[0]), str(row[1]), row[2], str(row[3]), str(row[4]),
                            int(row[5]), row[6], row[7], row[8], row[9], int(row[10]),
                            status, given))
    out += _reversals(conn, codes, start, end, amount, approval_no, last4)
    out.sort(key=lambda a: a.at, reverse=True)
    return out[:limit]


def _reversals(conn: Connection, codes: list[str], start: datetime, end: datetime,
               amount: int | None, approval_no: str | None,
               last4: str | None) -> list[Approval]:
    """망취소 results (``reversal`` facts) in the window, as rows marked ``reversed``."""
    if last4:  # a reversal carries no card number at all
        return []
    out = []
    for code, terminal, body in conn.execute(select(facts.c.store_code, facts.c.terminal,
                                                    facts.c.body).where(
            facts.c.store_code.in_(codes), facts.c.kind == "reversal")):
        at = datetime.fromisoformat(body["at"])
        if not start <= at < end or (amount is not None and body.get("total") != amount):
            continue
        if approval_no and body.get("orig_approval_no") != approval_no:
            continue
        out.append(Approval(str(code), str(terminal), at, str(body.get("receipt_no") or ""),
                            "card", int(body.get("total") or 0), body.get("orig_approval_no"),
                            None, None, None, int(body.get("installment") or 0), "reversed",
                            0))
    return out


@dataclass(frozen=True, slots=True)
class Closing:
    """마감 of one terminal's business day (its Z): the cash count and 과부족, beside the
    store's 순매출 and 건수 that day."""

    store: str
    terminal: str
    business_day: str
    opened_at: str | None
    closed_at: str | None
    expected_cash: int
    counted_cash: int
    over_short: int
    store_net_sales: int
    store_orders: int


def closings(conn: Connection, stores_: Collection[str], date_from: date,
             date_to: date) -> list[Closing]:
    """Every day close (``day_close`` fact) of the visible stores dated in the range, by
    day, store and terminal."""
    codes = _scope(stores_)
    if not codes:
        return []
    r = sales_rollup.c
    sales = {(str(c), _day(d)): (int(n), int(o)) for c, d, n, o in conn.execute(
        select(r.store_code, r.business_day, r.net_sales, r.orders).where(
            *_where(codes, date_from, date_to), r.dim == "total"))}
    out = []
    lo, hi = date_from.isoformat(), date_to.isoformat()
    for code, terminal, body in conn.execute(select(facts.c.store_code, facts.c.terminal,
                                                    facts.c.body).where(
            facts.c.store_code.in_(codes), facts.c.kind == "day_close")):
        day = str(body["business_day"])
        if not lo <= day <= hi:
            continue
        net, orders = sales.get((str(code), day), (0, 0))
        out.append(Closing(str(code), str(terminal), day, body.get("opened_at"),
                           body.get("closed_at"), int(body.get("expected_cash") or 0),
                           int(body.get("counted_cash") or 0), int(body.get("over_short") or 0),
                           net, orders))
    out.sort(key=lambda c: (c.business_day, c.store, c.terminal))
    return out


def quarter_range(year: int, quarter: int) -> tuple[date, date]:
    """First and last day of a quarter (1..4); ValueError otherwise."""
    if not 1 <= quarter <= 4:
        raise ValueError(f"quarter is 1 to 4, not {quarter}")
    start = date(year, 3 * quarter - 2, 1)
    end = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
    return start, end - timedelta(days=1)


def vat_quarter(conn: Connection, stores_: Collection[str], year: int,
                quarter: int) -> VatFiling:
    """부가세 신고 자료 of a quarter: 신용카드·간편결제 / 현금영수증 / 기타 현금, each with 공급가액,
    부가세 and 면세, by kspos/reports/vat.py's rules over the quarter's 판매집계."""
    start, end = quarter_range(year, quarter)
    return vat_filing(sales_summary(conn, stores_, start, end))


def known_stores(conn: Connection) -> list[tuple[str, str]]:
    """(code, name) of every store the office knows, by code."""
    return [(str(c), str(n)) for c, n in conn.execute(
        select(stores.c.code, stores.c.name).order_by(stores.c.code))]
