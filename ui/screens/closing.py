"""마감 (closing): expected cash, the count by denomination on a keypad, 과부족 in colour,
the X report, the Z close confirmed with an owner PIN (BusinessDays.close), and 지난 마감 재출력:
a past day's Z report printed again, also behind the owner PIN (it holds the day's sales)."""

from __future__ import annotations

import logging
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from kspos.sales.days import DENOMINATIONS, DayInfo, count_cash
from kspos.sales.orders import OrderError
from kspos.sales.staff import AuthError, StaffMember
from ui.dialogs.closed_days import over_short_words
from ui.dialogs.misc import ask_for_pin
from ui.i18n import current_language, day_text, message, t, won
from ui.ops import run_op
from ui.widgets.common import Keypad, button, label, message_label, restyle, scroll_area

if TYPE_CHECKING:
    from kspos.context import AppContext
    from kspos.receipts.layout import Layout

log = logging.getLogger(__name__)
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
DAY_LINES = ("순매출", "현금", "신용카드", "간편결제", "할인", "환불")


class ClosingScreen(QWidget):
    def __init__(self, context: AppContext, window: Any) -> None:
        super().__init__()
        self.setObjectName("Screen")
        self.context = context
        self.window_ = window
        self.day: DayInfo | None = None
        self.expected: int | None = None
        self.counts: dict[int, int] = {d: 0 for d in DENOMINATIONS}
        self.selected = DENOMINATIONS[0]
        self.owner: StaffMember | None = None  # who unlocked the screen (the cashier screen sets it)
        self._build()

    def viewer(self) -> StaffMember | None:
        """Who reads the day's figures: the member who unlocked the screen, else who is logged
        in (the core refuses anyone whose role may not read reports)."""
        return self.owner or self.context.register.staff

    # --- layout ---------------------------------------------------------------------------------

    def _build(self) -> None:
        root = QVBoxLayout(self)
        root.setContentsMargins(12, 12, 12, 8)
        root.setSpacing(8)
        top = QHBoxLayout()
        top.addWidget(button("◀ " + t("캐셔 화면"), "", self.back, name="closing-back"))
        top.addWidget(label(t("마감"), "title"))
        self.day_label = label("", "muted", name="closing-day")
        top.addWidget(self.day_label, 1)
        self.reprint_button = button(t("지난 마감 재출력"), "", self.reprint_past,
                                     name="closing-reprint")  # open day or not
        self.x_button = button(t("X 리포트"), "", self.print_x, name="closing-x")
        self.z_button = button(t("Z 마감"), "primary", self.close_day, name="closing-z")
        for b in (self.reprint_button, self.x_button, self.z_button):
            b.setMinimumWidth(140)
            top.addWidget(b)
        root.addLayout(top)
        body = QHBoxLayout()
        body.setSpacing(12)
        body.addWidget(self._count_panel(), 4)
        self.keypad = Keypad(max_digits=5, digits_only=False)
        self.keypad.setObjectName("closing-keypad")
        self.keypad.changed.connect(self._typed)
        pad = QVBoxLayout()
        pad.addWidget(label(t("선택한 권종의 수량"), "muted"))
        pad.addWidget(self.keypad, 1)
        body.addLayout(pad, 5)
        body.addWidget(self._totals_panel(), 4)
        root.addLayout(body, 1)
        self.message = message_label("status", name="closing-message")
        root.addWidget(self.message)

    def _count_panel(self) -> QWidget:
        panel = QWidget()
        panel.setObjectName("Panel")
        grid = QGridLayout(panel)
        grid.setContentsMargins(12, 12, 12, 12)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(6)
        grid.addWidget(label(t("권종"), "caption"), 0, 0)
        grid.addWidget(label(t("수량"), "caption", align=RIGHT), 0, 1)
        grid.addWidget(label(t("금액"), "caption", align=RIGHT), 0, 2)
        self.rows = QButtonGroup(self)
        self.row_buttons: dict[int, Any] = {}
        self.piece_labels: dict[int, QLabel] = {}
        self.amount_labels: dict[int, QLabel] = {}
        for n, denomination in enumerate(DENOMINATIONS, start=1):
            b = button(f"{denomination:,}" + ("원" if current_language() != "en" else ""),
                       "count-row",
                       lambda d=denomination: self.select(d), name=f"count-{denomination}")
            b.setCheckable(True)
            self.rows.addButton(b)
            self.row_buttons[denomination] = b
            pieces = label("0", "stat", name=f"pieces-{denomination}", align=RIGHT)
            amount = label("0", "", name=f"amount-{denomination}", align=RIGHT)
            self.piece_labels[denomination], self.amount_labels[denomination] = pieces, amount
            grid.addWidget(b, n, 0)
            grid.addWidget(pieces, n, 1)
            grid.addWidget(amount, n, 2)
        grid.setRowStretch(len(DENOMINATIONS) + 1, 1)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(2, 2)
        self.row_buttons[self.selected].setChecked(True)
        return panel

    def _totals_panel(self) -> QWidget:
        panel = QWidget()
        panel.setObjectName("Panel")
        col = QVBoxLayout(panel)
        col.setContentsMargins(16, 12, 16, 12)
        col.setSpacing(2)
        self.values: dict[str, QLabel] = {}
        for key, caption, role in (("float", "시재금", "stat"), ("sales", "현금 매출", "stat"),
                                   ("expected", "예상 현금", "total"),
                                   ("counted", "실제 현금", "total"),
                                   ("over_short", "과부족", "amount-ok")):
            col.addWidget(label(t(caption), "caption", name=f"caption-{key}"))
            value = label("-", role, name=f"closing-{key}", align=RIGHT)
            self.values[key] = value
            col.addWidget(value)
        col.addSpacing(12)
        col.addWidget(label(t("오늘 판매"), "title"))
        sales = QGridLayout()
        sales.setVerticalSpacing(2)
        self.sales_values: dict[str, QLabel] = {}
        for n, caption in enumerate(DAY_LINES):
            sales.addWidget(label(t(caption), "muted"), n, 0)
            value = label("-", "", name=f"day-{caption}", align=RIGHT)
            sales.addWidget(value, n, 1)
            self.sales_values[caption] = value
        col.addLayout(sales)
        self.preview = QLabel()
        self.preview.setObjectName("z-preview")
        self.preview.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.preview_scroll = scroll_area(self.preview, frame=True)
        self.preview_scroll.hide()
        col.addWidget(self.preview_scroll, 1)
        col.addStretch(0)
        return panel

    # --- data -----------------------------------------------------------------------------------

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self.reload()

    def reload(self) -> None:
        days = self.context.sales.days
        run_op(self, lambda: self._read(days), on_success=self._show_day,
               on_error=self._failed)

    def _read(self, days: Any) -> tuple[DayInfo | None, int | None, Any]:
        from kspos.reports.summary import load_summary

        day = days.current()
        if day is None:
            return None, None, None
        when = date.fromisoformat(day.day)
        return day, days.expected_cash(day.id), load_summary(self.context.db.path, when, when,
                                                             self.viewer())

    def load_now(self) -> None:
        """Read on this thread (screenshots and tests)."""
        self._show_day(self._read(self.context.sales.days))

    def _show_day(self, found: tuple[DayInfo | None, int | None, Any]) -> None:
        from kspos.reports.summary import overview

        self.day, self.expected, summary = found
        lines = {line.label: line for line in overview(summary)} if summary else {}
        for caption, value in self.sales_values.items():
            line = lines.get(caption)
            value.setText(f"{count_words(line.count)}  {won(line.amount)}" if line else "-")
        open_day = self.day is not None
        self.z_button.setEnabled(open_day)
        self.x_button.setEnabled(open_day)
        if self.day is None:
            self.day_label.setText(t("영업 중이 아닙니다"))
            for value in self.values.values():
                value.setText("-")
            return
        self.day_label.setText(f"{t('영업일')} {day_text(self.day.day)} · {t('영업 중')}")
        self.values["float"].setText(won(self.day.opening_float))
        assert self.expected is not None
        self.values["sales"].setText(won(self.expected - self.day.opening_float))
        self.values["expected"].setText(won(self.expected))
        self._recount()

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, OrderError) and error.code == "day.checks_open":
            self.message.say(error)
            self._offer_carry_over(error)
        elif isinstance(error, (OrderError, AuthError)):
            self.message.say(error)
        else:
            log.error("closing: %r", error)
            self.message.say(f"{t('오류')}: {error}")

    def _offer_carry_over(self, error: OrderError) -> None:
        """A restaurant's tables still open at 마감: the owner who closes may carry them over
        (이월) to the next 영업일, then the day closes; 돌아가기 leaves the day open."""
        from ui.dialogs.misc import ConfirmDialog

        owner = getattr(self, "_closer", None)
        if owner is None:
            return
        dialog = ConfirmDialog(self, t("계산하지 않은 테이블"),
                               f"{message(error)}\n\n{t('다음 영업일로 이월하고 마감할까요?')}",
                               t("이월하고 마감"))
        accepted = dialog.exec() == ConfirmDialog.DialogCode.Accepted
        dialog.deleteLater()
        if accepted:
            run_op(self, lambda: self.context.checks.carry_over(owner),
                   on_success=lambda _carried: self._close_as(owner), on_error=self._failed,
                   label=t("이월 중..."))

    # --- counting -------------------------------------------------------------------------------

    def select(self, denomination: int) -> None:
        self.selected = denomination
        self.row_buttons[denomination].setChecked(True)
        pieces = self.counts[denomination]
        self.keypad.text = str(pieces) if pieces else ""

    def _typed(self, text: str) -> None:
        self.set_count(self.selected, int(text or 0))

    def set_count(self, denomination: int, pieces: int) -> None:
        self.counts[denomination] = pieces
        self.piece_labels[denomination].setText(f"{pieces:,}")
        self.amount_labels[denomination].setText(f"{denomination * pieces:,}")
        self._recount()

    def counted(self) -> int:
        return count_cash(self.counts)

    def over_short(self) -> int | None:
        return None if self.expected is None else self.counted() - self.expected

    def _recount(self) -> None:
        counted = self.counted()
        self.values["counted"].setText(won(counted))
        difference = self.over_short()
        widget = self.values["over_short"]
        if difference is None:
            widget.setText("-")
            return
        widget.setText(over_short_words(difference))
        restyle(widget, "amount-ok" if difference == 0 else "amount-bad")

    # --- actions --------------------------------------------------------------------------------

    def back(self) -> None:
        self.window_.show_screen("cashier")

    def owner_pin(self, title: str = "") -> StaffMember | None:
        return ask_for_pin(self, self.context.staff, "close_day", self.message.say,
                           title or t("점주 PIN으로 마감을 확인하세요"))

    def _columns(self) -> int:
        printing = self.context.printing
        return printing.queue.columns if printing is not None else 48

    def _slip(self, kind: str, day: DayInfo, expected: int, counted: int | None,
              pieces: dict[int, int], staff: str, closed_at: datetime | None,
              viewer: StaffMember | None) -> Layout:
        from kspos.reports.slips import CashCount, day_slip

        cash = CashCount(day.opening_float, expected, counted, pieces)
        return day_slip(kind, self.context.db.path, self.context.settings.store, day.day, cash,
                        staff, closed_at, self._columns(), viewer=viewer)

    def print_x(self) -> None:
        day, expected = self.day, self.expected
        if day is None or expected is None:
            return
        staff = self.viewer()
        name = staff.name if staff else ""
        run_op(self, lambda: self._slip("X", day, expected, None, {}, name, None, staff),
               on_success=lambda slip: self._print(slip, f"X-{day.day}",
                                                   t("X 리포트를 인쇄했습니다")),
               on_error=self._failed)

    def close_day(self) -> None:
        day = self.day
        if day is None:
            return
        owner = self.owner_pin()
        if owner is None:
            return
        self._close_as(owner)

    def _close_as(self, owner: StaffMember) -> None:
        self._closer = owner  # asked again to 이월 a restaurant's open checks (see _failed)
        counted, pieces = self.counted(), dict(self.counts)

        def job() -> tuple[DayInfo, Layout]:
            from kspos.reports.connect import connect
            from kspos.reports.rollup import seal_day

            # the count goes with the close, so a reprint of this Z shows the same rows
            info = self.context.sales.days.close(owner, counted, pieces)
            conn = connect(self.context.db.path)
            try:
                seal_day(conn, info.day)  # the day's report is fixed from now on: keep it
            finally:
                conn.close()
            assert info.expected_cash is not None
            return info, self._slip("Z", info, info.expected_cash, counted, pieces, owner.name,
                                    info.closed_at, owner)  # the time kept, as a reprint shows it

        run_op(self, job, on_success=self._closed, on_error=self._failed,
               label=t("마감 중..."))

    def _closed(self, result: tuple[DayInfo, Layout]) -> None:
        info, slip = result
        self.context.start_backup(after_close=True)  # the daily backup, now with the closed day
        over_short = info.over_short or 0
        self.message.say(f"{day_text(info.day)} {t('마감되었습니다')} · {t('과부족')} "
                         f"{over_short_words(over_short)}", ok=True)
        self.show_preview(slip)
        self._print(slip, f"Z-{info.day}")
        self.day = None
        self.z_button.setEnabled(False)
        self.x_button.setEnabled(False)
        self.day_label.setText(f"{t('영업일')} {day_text(info.day)} · {t('마감')}")

    # --- 지난 마감 재출력 -------------------------------------------------------------------------

    def reprint_past(self) -> None:
        """The owner's PIN first (past days' sales and 과부족 are the owner's to see), then
        the recent closed days (read off the UI thread), then :meth:`_pick_day`."""
        owner = self.owner_pin(t("점주 PIN으로 재출력을 확인하세요"))
        if owner is None:
            return
        days = self.context.sales.days
        run_op(self, days.closed_days, on_success=lambda found: self._pick_day(found, owner),
               on_error=self._failed)

    def _pick_day(self, days: list[DayInfo], owner: StaffMember) -> None:
        from ui.dialogs.closed_days import ClosedDaysDialog

        dialog = ClosedDaysDialog(days, self)
        accepted = dialog.exec() == ClosedDaysDialog.DialogCode.Accepted
        day = dialog.chosen
        dialog.deleteLater()  # a dialog per visit: not kept alive under the screen
        if not accepted or day is None:
            return

        def job() -> Layout:
            from kspos.reports.slips import reprint_z
            from kspos.sales.audit import audit_now

            slip = reprint_z(self.context.db.path, self.context.settings.store, day,
                             self._columns(), viewer=owner)
            audit_now(self.context.db, "z_reprint", owner.id, day=day.day)  # who saw the day
            return slip

        run_op(self, job, on_success=lambda slip: self._reprinted(day, slip),
               on_error=self._failed, label=t("재출력 준비 중..."))

    def _reprinted(self, day: DayInfo, slip: Layout) -> None:
        self.message.say(f"{day_text(day.day)} {t('Z 리포트를 재출력했습니다')}", ok=True)
        self.show_preview(slip)
        self._print(slip, f"Z-{day.day}-R")

    def show_preview(self, slip: Layout) -> None:
        from kspos.receipts.raster import preview_png

        pixmap = QPixmap()
        pixmap.loadFromData(preview_png(slip, slip.columns))
        # Lay the panel out with the preview in it first: a never-shown scroll area still has
        # its default size, and the slip scaled to that was cut off at the panel's edge.
        self.preview_scroll.show()
        panel = self.preview_scroll.parentWidget()
        layout = panel.layout() if panel is not None else None
        if layout is not None:
            layout.activate()
        bar = self.preview_scroll.verticalScrollBar().sizeHint().width()
        width = max(200, self.preview_scroll.width() - bar - 4)
        self.preview.setPixmap(pixmap.scaledToWidth(
            min(width, pixmap.width()), Qt.TransformationMode.SmoothTransformation))

    def _print(self, slip: Layout, ref: str, printed: str = "") -> None:
        """Queue ``slip`` and print it; ``printed`` is said once the printer took it."""
        printing = self.context.printing
        if printing is None:
            self.message.setText(f"{self.message.text()} · {t('프린터')}: "
                                 "설정되지 않았습니다 (no printer)")
            return

        def done(job: Any) -> None:
            if not job.printed:
                self.message.say(f"{t('프린터')}: {job.last_error} — {t('인쇄 대기')}")
            elif printed:
                self.message.say(printed, ok=True)

        run_op(self, lambda: printing.queue.submit(slip, "report", ref), device="printer",
               on_success=done, on_error=lambda e: self.message.say(f"{t('프린터')}: {e}"))


def count_words(count: int) -> str:
    """``12건`` / ``12 ×``: how many orders (or tenders) a line of the day's sales holds."""
    return f"{count:,}건" if current_language() != "en" else f"{count:,} ×"


def create(context: AppContext, window: Any) -> ClosingScreen:
    return ClosingScreen(context, window)


def fill_count(screen: ClosingScreen, amount: int) -> None:
    """Count ``amount`` in the fewest notes and coins (screenshots, tests)."""
    for denomination in DENOMINATIONS:
        screen.set_count(denomination, amount // denomination)
        amount %= denomination


def prepare_for_shot(widget: QWidget, window: Any) -> None:
    """An open day with a few cash sales, counted 1,000원 short."""
    from kspos.sales.staff import Role
    from ui.screens.cashier import demo_sample_order

    assert isinstance(widget, ClosingScreen)
    context = widget.context
    widget.owner = context.staff.first(Role.OWNER)  # as after the owner's PIN
    for _ in range(3):
        demo_sample_order(context)
        context.register.pay_cash(50_000)
    widget.load_now()
    if widget.expected is not None:
        fill_count(widget, widget.expected - 1_000)
    widget.select(10_000)
