"""판매집계: the sales summary of a range of business days, and its rows per grouping."""

from __future__ import annotations

from datetime import date

from kspos.records import FrozenRecord, Record
from kspos.reports import rollup
from kspos.reports.facts import NO_TABLE, TENDER_ORDER, Facts, Row, refund_facts, sales_facts
from kspos.reports.periods import day_label
from kspos.reports.tally import Tally
from kspos.store import reports as stored
from kspos.store.readonly import snapshot

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs `kspos report` time
if TYPE_CHECKING:
    from kspos.sales.staff import StaffMember
    from kspos.store.readonly import Connection

GROUPINGS = ("day", "hour", "category", "item", "tender", "zone", "table")
SEATED = ("zone", "table")  # restaurant groupings: shown when some sale was made at a table
GROUP_WORDS = {"day": "일별", "hour": "시간대별", "category": "분류별", "item": "메뉴별",
               "tender": "결제수단별", "zone": "구역별", "table": "테이블별"}
KEY_WORDS = {"day": "날짜", "hour": "시간대", "category": "분류명", "item": "메뉴명",
             "tender": "결제수단", "zone": "구역", "table": "테이블"}


class ReportRow(FrozenRecord):
    """One row of a grouping, with its share (%) of the period's 순매출."""

    __slots__ = _fields = ("key", "label", "tally", "share")
    key: str
    label: str
    tally: Tally
    share: float

    def __init__(self, key: str, label: str, tally: Tally, share: float) -> None:
        object.__setattr__(self, "key", key)
        object.__setattr__(self, "label", label)
        object.__setattr__(self, "tally", tally)
        object.__setattr__(self, "share", share)

    @property
    def net_sales(self) -> int:
        return self.tally.net_sales


class SalesSummary(Record):
    """What a range of business days sold, refunded and took, grouped every way the owner
    asks. Every grouping's rows sum to ``totals.net_sales`` (see the package doc)."""

    __slots__ = _fields = ("date_from", "date_to", "facts", "sealed_days", "live_days",
                           "closed_days")
    date_from: date
    date_to: date
    facts: Facts
    sealed_days: int
    live_days: int
    closed_days: list[str]

    def __init__(self, date_from: date, date_to: date, facts: Facts, sealed_days: int = 0,
                 live_days: int = 0, closed_days: list[str] | None = None) -> None:
        self.date_from = date_from
        self.date_to = date_to
        self.facts = facts
        self.sealed_days = sealed_days
        self.live_days = live_days
        self.closed_days = [] if closed_days is None else closed_days

    @property
    def totals(self) -> Tally:
        return self.facts.totals

    @property
    def seated(self) -> bool:
        """Whether some sale of the period was made at a restaurant table."""
        return any(key != NO_TABLE for key in self.facts.dims["table"])

    def groupings(self) -> tuple[str, ...]:
        """The groupings worth showing: the restaurant ones only when some sale had a table."""
        return GROUPINGS if self.seated else tuple(g for g in GROUPINGS if g not in SEATED)

    def share(self, amount: int) -> float:
        net = self.totals.net_sales
        return round(amount * 100 / net, 2) if net else 0.0

    def rows(self, by: str) -> list[ReportRow]:
        """Rows of one grouping: days and hours in time order, tenders cash → card → wallets,
        categories and items by 순매출 (largest first)."""
        if by not in GROUPINGS:
            raise ValueError(f"unknown grouping {by!r}")
        rows = list(self.facts.dims[by].values())
        if by in ("day", "hour"):
            rows.sort(key=lambda r: r.key)
        elif by == "tender":
            order = {k: n for n, k in enumerate(TENDER_ORDER)}
            rows.sort(key=lambda r: (order.get(r.key, len(order)), -r.tally.net_sales, r.key))
        else:
            rows.sort(key=lambda r: (-r.tally.net_sales, r.label, r.key))
        return [ReportRow(r.key, self._label(by, r), r.tally, self.share(r.tally.net_sales))
                for r in rows]

    @staticmethod
    def _label(by: str, row: Row) -> str:
        if by == "day":
            return day_label(row.key)
        if by == "hour":
            return f"{int(row.key):02d}시"
        return row.label

    def tender_amount(self, *keys: str, prefix: str = "") -> int:
        return sum(r.tally.net_sales for k, r in self.facts.dims["tender"].items()
                   if k in keys or (prefix and k.startswith(prefix)))

    @property
    def cash(self) -> int:
        return self.tender_amount("cash", "cash_receipt")

    @property
    def card(self) -> int:
        return self.tender_amount("card")

    @property
    def easy_pay(self) -> int:
        return self.tender_amount(prefix="easypay:")

    def ratio(self, amount: int) -> float:
        """A tender's share of 순매출 in % (현금비율, 신용카드비율)."""
        return self.share(amount)


def _business_days(conn: Connection, start: str, end: str
                   ) -> tuple[dict[int, str], dict[int, str]]:
    """(closed, open) business days in the range: {id: date}."""
    closed: dict[int, str] = {}
    still_open: dict[int, str] = {}
    for day_id, day, closed_at in stored.business_days(conn, start, end):
        (closed if closed_at is not None else still_open)[int(day_id)] = day
    return closed, still_open


def load_summary(path: object, date_from: date, date_to: date,
                 viewer: StaffMember | None) -> SalesSummary:
    """Open the store file, summarise, close: for a worker thread (its own connection).

    ``viewer`` is who asks on a screen: the figures are for a role that may read reports
    (the owner), checked here and not only on the screen. ``kspos report`` (the store
    computer's shell) calls :func:`sales_summary` itself."""
    from pathlib import Path

    from kspos.sales.staff import require
    from kspos.store.readonly import connect

    require(viewer, "reports")

    conn = connect(Path(str(path)))
    try:
        return sales_summary(conn, date_from, date_to)
    finally:
        conn.close()


def sales_summary(conn: Connection, date_from: date, date_to: date,
                  seal: bool = True, use_rollups: bool = True) -> SalesSummary:
    """The summary of business days ``date_from``..``date_to`` (inclusive).

    Sealed closed days come from their rollups (unless ``use_rollups`` is off), the rest from
    the base tables, and a closed day met unsealed is sealed on the way when ``seal``. All
    reads run in one snapshot. A store that cannot be read raises
    :class:`~kspos.store.errors.PlainStoreError`.
    """
    start, end = date_from.isoformat(), date_to.isoformat()
    with snapshot(conn):
        closed, still_open = _business_days(conn, start, end)
        trusted = rollup.valid_days(conn, closed) if use_rollups else set()
        facts = Facts()
        stale = {i: d for i, d in closed.items() if d not in trusted}
        rollup.read(conn, trusted, set(stale.values()) | set(still_open.values()), facts)
        live = sales_facts(conn, {**stale, **still_open})
        for day in sorted(live):
            facts.merge(live[day])
        refund_facts(conn, start, end, into=facts)
    if seal and stale:
        rollup.store(conn, stale, live)
    return SalesSummary(date_from, date_to, facts, sealed_days=len(trusted),
                        live_days=len(live), closed_days=sorted(closed.values()))


class Line(FrozenRecord):
    """One line of the 판매집계 overview: 구분, 건수, 금액."""

    __slots__ = _fields = ("label", "count", "amount")
    label: str
    count: int
    amount: int

    def __init__(self, label: str, count: int, amount: int) -> None:
        object.__setattr__(self, "label", label)
        object.__setattr__(self, "count", count)
        object.__setattr__(self, "amount", amount)


def _tender_count(summary: SalesSummary, keys: tuple[str, ...] = (), prefix: str = "") -> int:
    return sum(r.tally.qty for k, r in summary.facts.dims["tender"].items()
               if k in keys or (prefix and k.startswith(prefix)))


def overview(summary: SalesSummary) -> list[Line]:
    """총매출, 할인, 서비스, 환불, 순매출, 현금, 신용카드, 간편결제 (as on KSPOS#'s screen)."""
    t = summary.totals
    return [
        Line("총매출", t.orders, t.gross),
        Line("할인", t.discount_orders, t.discounts),
        Line("서비스", t.service_orders, t.service),
        Line("환불", t.refund_count, t.refunds),
        Line("순매출", t.orders, t.net_sales),
        Line("현금", _tender_count(summary, ("cash", "cash_receipt")), summary.cash),
        Line("신용카드", _tender_count(summary, ("card",)), summary.card),
        Line("간편결제", _tender_count(summary, prefix="easypay:"), summary.easy_pay),
    ]


def other_info(summary: SalesSummary) -> list[tuple[str, str]]:
    """기타정보: ratios and the VAT split, as label → text."""
    t = summary.totals
    receipts = summary.facts.dims["tender"].get("cash_receipt")
    issued = receipts.tally if receipts else Tally()
    average = t.net_sales // t.orders if t.orders else 0
    # A restaurant counts its guests (객수) and its 객단가 per guest besides per receipt.
    seated = [("객수", f"{t.guests:,}"), ("1인 객단가", f"{t.per_guest:,}")] if t.guests else []

    return [
        ("현금비율", f"{summary.ratio(summary.cash):.2f} %"),
        ("신용카드비율", f"{summary.ratio(summary.card):.2f} %"),
        ("간편결제비율", f"{summary.ratio(summary.easy_pay):.2f} %"),
        ("현금영수증", f"{issued.qty:,}건 {issued.net_sales:,}"),
        ("객단가", f"{average:,}"),
        *seated,
        ("공급가액", f"{t.supply:,}"),
        ("부가세", f"{t.vat:,}"),
        ("면세", f"{t.tax_free:,}"),
    ]
