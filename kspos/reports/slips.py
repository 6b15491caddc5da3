"""X and Z reports as printable slips: ``kspos.receipts`` Layout lines for the ESC/POS printer.

The receipt model describes one sale, so a report is laid out here with the receipts
package's own Builder (same grid, same Hangul widths, same renderers and print queue).
X (중간 집계) reads the open day without closing anything; Z (마감) is printed after
``BusinessDays.close`` with the counted cash and 과부족, and can be printed again later
(:func:`reprint_z`, marked 재출력) from what the close kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from kspos.receipts.layout import Builder, Layout, store_block
from kspos.receipts.model import StoreHeader
from kspos.reports.periods import day_label
from kspos.reports.summary import SalesSummary, overview

if TYPE_CHECKING:
    from kspos.config import StoreSettings
    from kspos.sales.days import DayInfo
    from kspos.sales.staff import StaffMember

REPRINT_MARK = "재출력 (REPRINT)"


@dataclass(frozen=True)
class CashCount:
    """The drawer at the time of the report: float, what should be there, what was counted."""

    opening_float: int
    expected: int
    counted: int | None = None
    pieces: dict[int, int] = field(default_factory=dict)  # denomination → pieces

    @property
    def over_short(self) -> int | None:
        return None if self.counted is None else self.counted - self.expected


def _signed(amount: int) -> str:
    return f"{amount:+,}" if amount else "0"


def _sales_block(b: Builder, summary: SalesSummary) -> None:
    b.rule("-")
    b.row("구분", "건수", "금액", bold=True)
    b.rule("-")
    for line in overview(summary):
        b.row(line.label, f"{line.count:,}", f"{line.amount:,}",
              bold=line.label == "순매출")
    t = summary.totals
    b.rule("-")
    b.pair("과세물품가액", f"{t.supply:,}")
    b.pair("부가세", f"{t.vat:,}")
    b.pair("면세물품가액", f"{t.tax_free:,}")
    b.rule("-")
    b.text("결제수단별", bold=True)
    for row in summary.rows("tender"):
        b.row(row.label, f"{row.tally.qty:,}", f"{row.tally.net_sales:,}")
    b.rule("-")
    b.text("분류별", bold=True)
    for row in summary.rows("category"):
        b.row(row.label, f"{row.tally.qty:,}", f"{row.tally.net_sales:,}")


def _cash_block(b: Builder, cash: CashCount) -> None:
    b.rule("=")
    b.pair("시재금", f"{cash.opening_float:,}")
    b.pair("예상 현금", f"{cash.expected:,}", bold=True)
    if cash.counted is None:
        return
    b.rule("-")
    for denomination, pieces in sorted(cash.pieces.items(), reverse=True):
        if pieces:
            b.row(f"{denomination:,}원", f"{pieces:,}", f"{denomination * pieces:,}")
    b.pair("실제 현금", f"{cash.counted:,}", bold=True)
    over_short = cash.over_short or 0
    word = "과잉" if over_short > 0 else "부족" if over_short < 0 else "일치"
    b.pair(f"과부족 ({word})", _signed(over_short), bold=True, double=True)


def report_slip(kind: str, store: StoreSettings, day: str, summary: SalesSummary,
                cash: CashCount, printed_at: datetime, staff: str = "",
                closed_at: datetime | None = None, columns: int = 48,
                reprint: bool = False) -> Layout:
    """``kind`` "X" (mid-day, nothing reset) or "Z" (day close) for business day ``day``.

    ``reprint`` marks a Z printed again after the close (:data:`REPRINT_MARK` under the title);
    ``closed_at`` and ``staff`` are then the original close's.
    """
    if kind not in ("X", "Z"):
        raise ValueError(f"report kind must be X or Z, got {kind!r}")
    if reprint and kind != "Z":
        raise ValueError("only a Z report is reprinted (an X report is simply printed again)")
    b = Builder(columns)
    store_block(b, StoreHeader.from_settings(store))
    b.rule("=")
    b.text("X 리포트 (중간 집계)" if kind == "X" else "Z 리포트 (마감)", "center",
           bold=True, double=columns >= 42)
    if reprint:
        b.text(REPRINT_MARK, "center", bold=True)
    b.field("영업일", day_label(day))
    b.field("출력일시", f"{printed_at:%Y-%m-%d %H:%M:%S}")
    if closed_at is not None:
        b.field("마감일시", f"{closed_at:%Y-%m-%d %H:%M:%S}")
    if staff:
        b.field("담당자", staff)
    _sales_block(b, summary)
    _cash_block(b, cash)
    b.rule("=")
    if kind == "X":
        b.text("중간 집계입니다 - 마감되지 않았습니다", "center")
    b.feed()
    return b.layout()


def day_slip(kind: str, db_path: object, store: StoreSettings, day: str, cash: CashCount,
             staff: str = "", closed_at: datetime | None = None, columns: int = 48,
             reprint: bool = False, printed_at: datetime | None = None, *,
             viewer: StaffMember | None) -> Layout:
    """The X or Z slip of business day ``day`` read from the store file (blocking); for a
    ``viewer`` whose role may read reports."""
    from datetime import date

    from kspos.reports.summary import load_summary

    when = date.fromisoformat(day)
    summary = load_summary(db_path, when, when, viewer)
    return report_slip(kind, store, day, summary, cash, printed_at or datetime.now(), staff,
                       closed_at, columns, reprint)


def reprint_z(db_path: object, store: StoreSettings, day: DayInfo, columns: int = 48,
              printed_at: datetime | None = None, *, viewer: StaffMember | None) -> Layout:
    """The Z slip of closed day ``day`` (``BusinessDays.closed_days``) printed again: the same
    sales, cash and 과부족, the original 마감일시 and 담당자, 출력일시 = now, marked 재출력.

    A day closed before counts were kept has no denomination rows; the rest is the same.
    """
    if not day.closed or day.expected_cash is None or day.counted_cash is None:
        raise ValueError(f"{day.day} 영업일은 마감되지 않았습니다 (not closed: nothing to reprint)")
    cash = CashCount(day.opening_float, day.expected_cash, day.counted_cash, day.counts)
    return day_slip("Z", db_path, store, day.day, cash, day.closed_by, day.closed_at, columns,
                    reprint=True, printed_at=printed_at, viewer=viewer)
