"""판매집계: a period's sales for the owner — summary, 기타정보, charts, 분류/메뉴별 tables,
exports (엑셀, CSV) and the X report. Queries run on the db worker (ui.ops.run_op)."""

from __future__ import annotations

import logging
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, QLocale, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCalendarWidget,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kspos.config.writer import remembered_export_dir
from kspos.reports.periods import preset
from kspos.reports.summary import SalesSummary, load_summary, other_info, overview
from kspos.sales.staff import AuthError, StaffMember
from ui.dialogs.base import TouchDialog
from ui.i18n import current_language, t, won
from ui.ops import run_op
from ui.theme import TOKENS
from ui.widgets.charts import BarChart, PieChart
from ui.widgets.common import button, label, message_label

if TYPE_CHECKING:
    from kspos.context import AppContext

log = logging.getLogger(__name__)
PRESETS = (("오늘", "today"), ("어제", "yesterday"), ("이번 주", "week"), ("이번 달", "month"),
           ("직접 선택", "custom"))
INFO_SHOWN = ("현금비율", "신용카드비율", "간편결제비율", "현금영수증", "객단가", "부가세")
INFO_COLUMNS = 3
STACK_PIES_BELOW = 1240  # screen width (px) under which the pies stack (see _arrange_charts)
TOP_ITEMS = 8  # slices of the 메뉴별 pie besides 기타 (5 when the pies are stacked)
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
CALENDAR_CELL = TOKENS.target + 4  # px: a day in 직접 선택's calendars


def make_table(name: str, headers: list[str], stretch: int = 1) -> QTableWidget:
    """A read-only report table: right-aligned numbers, one stretching name column."""
    table = QTableWidget(0, len(headers))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(30)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    for column in range(len(headers)):
        if column != stretch:
            item = table.horizontalHeaderItem(column)
            if item is not None:
                item.setTextAlignment(RIGHT)
    return table


def column_words(columns: list[str]) -> list[str]:
    """Column headers; in English 서비스 is "Comp." (Complimentary pushed the name out at
    1024 px)."""
    if current_language() == "en":
        return ["Comp." if c == "서비스" else t(c) for c in columns]
    return [t(c) for c in columns]


def fill_table(table: QTableWidget, rows: list[list[str]], left: tuple[int, ...] = (1,),
               bold_last: bool = False) -> None:
    table.setRowCount(len(rows))
    for r, cells in enumerate(rows):
        for c, text in enumerate(cells):
            item = QTableWidgetItem(text)
            if c not in left:
                item.setTextAlignment(RIGHT)
            if bold_last and r == len(rows) - 1:
                font = item.font()
                font.setBold(True)
                item.setFont(font)
            table.setItem(r, c, item)


class RangeDialog(TouchDialog):
    """직접 선택: first and last business day on two calendars."""

    def __init__(self, parent: QWidget | None, start: date, end: date) -> None:
        super().__init__(parent, t("직접 선택"))
        self.setObjectName("RangeDialog")
        row = QHBoxLayout()
        self.calendars = []
        for caption, value in (("시작일", start), ("종료일", end)):
            column = QVBoxLayout()
            column.addWidget(label(t(caption), "muted"))
            calendar = QCalendarWidget()
            calendar.setSelectedDate(QDate(value.year, value.month, value.day))
            calendar.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
            calendar.setLocale(QLocale())  # the screen's language (install_language sets it)
            # every day a finger-sized cell: 7 columns, a weekday row and 6 weeks, the month bar
            calendar.setMinimumSize(7 * CALENDAR_CELL, 7 * CALENDAR_CELL + TOKENS.target + 8)
            column.addWidget(calendar)
            row.addLayout(column)
            self.calendars.append(calendar)
        self.body.addLayout(row)
        self.add_ok(t("확인"), self._confirm, name="range-ok")

    def dates(self) -> tuple[date, date]:
        start, end = (c.selectedDate().toPython() for c in self.calendars)
        assert isinstance(start, date) and isinstance(end, date)
        return (start, end) if start <= end else (end, start)

    def _confirm(self) -> None:
        self.accept()


class SalesScreen(QWidget):
    def __init__(self, context: AppContext, window: Any) -> None:
        super().__init__()
        self.setObjectName("Screen")
        self.context = context
        self.window_ = window
        self.summary: SalesSummary | None = None
        self.export_dir: Path | None = remembered_export_dir(context.settings)
        self.range = preset("today", date.today())
        self.preset_name = "today"
        self._token = 0
        self.owner: StaffMember | None = None  # who unlocked the screen (the cashier screen sets it)
        self._build()

    def viewer(self) -> StaffMember | None:
        """Who reads the figures: the member who unlocked the screen, else who is logged in
        (the core refuses anyone whose role may not read reports)."""
        return self.owner or self.context.register.staff

    # --- layout ---------------------------------------------------------------------------------

    def _build(self) -> None:
        root = QVBoxLayout(self)
        root.setContentsMargins(12, 12, 12, 8)
        root.setSpacing(8)
        root.addLayout(self._top_bar())
        self.charts = QGridLayout()
        self.charts.setSpacing(8)
        self.charts.addWidget(self._summary_panel(), 0, 0, 2, 1)
        self.category_pie = PieChart(t("분류별"), decimals=0)
        self.category_pie.setObjectName("CategoryPie")
        self.item_pie = PieChart(t("메뉴별"))
        self.item_pie.setObjectName("ItemPie")
        self.bar = BarChart(t("시간대별"))
        self.bar.setObjectName("SalesBar")
        self.stacked_pies: bool | None = None
        self._arrange_charts(stacked=False)
        root.addLayout(self.charts, 11)
        bottom = QHBoxLayout()
        bottom.setSpacing(8)
        columns = ["순서", "분류명", "수량", "서비스", "금액", "%"]
        self.category_table = make_table("CategoryTable", column_words(columns))
        columns[1] = "메뉴명"
        self.item_table = make_table("ItemTable", column_words(columns))
        bottom.addWidget(self.category_table, 4)
        bottom.addWidget(self.item_table, 5)
        root.addLayout(bottom, 9)
        self.message = message_label("status", name="sales-message")
        line = QHBoxLayout()
        line.addWidget(self.message, 1)
        self.folder_button = button(t("저장 폴더"), "", self.choose_export_folder,
                                    name="export-folder")
        self.folder_button.setToolTip(str(self.export_dir or ""))
        line.addWidget(self.folder_button)
        root.addLayout(line)

    def _arrange_charts(self, stacked: bool) -> None:
        """Side by side on a wide screen; on a narrow one (1024×768) the two pies share a
        column, one above the other, so their legends keep the names readable."""
        if stacked == self.stacked_pies:
            return
        self.stacked_pies = stacked
        for chart in (self.category_pie, self.item_pie, self.bar):
            self.charts.removeWidget(chart)
        if stacked:
            self.charts.addWidget(self.category_pie, 0, 1)
            self.charts.addWidget(self.item_pie, 1, 1)
            self.charts.addWidget(self.bar, 0, 2, 2, 1)
            stretches = (0, 11, 8, 0)
        else:
            self.charts.addWidget(self.category_pie, 0, 1, 2, 1)
            self.charts.addWidget(self.item_pie, 0, 2, 2, 1)
            self.charts.addWidget(self.bar, 0, 3, 2, 1)
            stretches = (0, 6, 9, 5)
        for column, stretch in enumerate(stretches):
            self.charts.setColumnStretch(column, stretch)
        if self.summary is not None:
            self._fill_charts(self.summary)

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._arrange_charts(stacked=self.width() < STACK_PIES_BELOW)
        self._fit_top_bar()

    def _fit_top_bar(self) -> None:
        """On a narrow screen the period goes on two lines, and if the buttons still do not
        fit (English at 1024 px) the screen's title gives way: the buttons are never cut."""
        start, end = self.range
        one_line = f"{start}" if start == end else f"{start} ~ {end}"
        fits = self.period.fontMetrics().horizontalAdvance(one_line) <= self.period.width()
        self.period.setText(one_line if fits or start == end else f"{start} ~\n{end}")
        self.period.setToolTip(one_line)
        spacing = self.top_bar.spacing()
        widths = [w.sizeHint().width() for w in self.top_buttons]
        needed = sum(widths) + spacing * (len(widths) + 1) + self.period.minimumWidth()
        room = self.width() - 24  # the screen's side margins
        self.title.setVisible(needed + self.title.sizeHint().width() + spacing <= room)

    def _top_bar(self) -> QHBoxLayout:
        top = self.top_bar = QHBoxLayout()
        top.setSpacing(8)
        top.addWidget(button("◀ " + t("캐셔 화면"), "", self.back, name="sales-back"))
        self.title = label(t("판매집계"), "title")
        top.addWidget(self.title)
        self.preset_buttons = {}
        for text, key in PRESETS:
            b = button(t(text), "choice", lambda k=key: self.choose(k), name=f"range-{key}")
            b.setCheckable(True)
            self.preset_buttons[key] = b
            top.addWidget(b)
        self.preset_buttons["today"].setChecked(True)
        self.period = label("", "muted", name="sales-period")
        # The period may shrink (and elide) on a narrow screen; the buttons never do.
        self.period.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.period.setMinimumWidth(40)
        top.addWidget(self.period, 1)
        top.addWidget(button(t("엑셀"), "", lambda: self.export("xlsx"), name="export-xlsx"))
        top.addWidget(button(t("CSV"), "", lambda: self.export("csv"), name="export-csv"))
        top.addWidget(button(t("X 리포트"), "primary", self.print_x, name="print-x"))
        widgets = [item.widget() for item in map(top.itemAt, range(top.count())) if item]
        self.top_buttons = [w for w in widgets if w is not None and w not in (self.period,
                                                                              self.title)]
        return top

    def _summary_panel(self) -> QWidget:
        panel = QWidget()
        panel.setObjectName("Panel")
        panel.setFixedWidth(340)
        col = QVBoxLayout(panel)
        col.setContentsMargins(8, 8, 8, 8)
        col.setSpacing(4)
        self.overview_table = make_table("SalesOverview", [t("구분"), t("건수"), t("금액")], 0)
        self.overview_table.verticalHeader().setDefaultSectionSize(28)
        self.overview_table.setFixedHeight(36 + 8 * 28)  # all eight lines, never a scrollbar
        self.overview_table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        col.addWidget(self.overview_table)
        col.addWidget(label(t("기타정보"), "title"))
        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(0)
        self.info: dict[str, Any] = {}
        self.info_captions: dict[str, Any] = {}
        for n, name in enumerate(INFO_SHOWN):
            row, column = divmod(n, INFO_COLUMNS)
            caption = label(t(name), "caption", name=f"info-caption-{name}")
            value = label("", "stat", name=f"info-{name}")
            grid.addWidget(caption, row * 2, column)
            grid.addWidget(value, row * 2 + 1, column)
            self.info[name], self.info_captions[name] = value, caption
        col.addLayout(grid)
        return panel

    # --- data -----------------------------------------------------------------------------------

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self.reload()

    def choose(self, key: str) -> None:
        for name, b in self.preset_buttons.items():
            b.setChecked(name == key)
        if key == "custom":
            dialog = RangeDialog(self, *self.range)
            if dialog.exec() != RangeDialog.DialogCode.Accepted:
                self.choose(self.preset_name) if self.preset_name != "custom" else None
                return
            self.set_range(*dialog.dates(), name="custom")
            return
        self.set_range(*preset(key, date.today()), name=key)

    def set_range(self, start: date, end: date, name: str = "custom") -> None:
        self.range, self.preset_name = (start, end), name
        for key, b in self.preset_buttons.items():
            b.setChecked(key == name)
        self.reload()

    def reload(self) -> None:
        start, end = self.range
        self._token += 1
        token = self._token
        self._fit_top_bar()
        self.message.setText(t("집계 중..."))
        path, viewer = self.context.db.path, self.viewer()
        run_op(self, lambda: load_summary(path, start, end, viewer),
               on_success=lambda s: self._loaded(token, s), on_error=self._failed)

    def load_now(self, start: date, end: date, name: str = "custom") -> None:
        """Compute on this thread (screenshots and tests that must not wait)."""
        self.range, self.preset_name = (start, end), name
        for key, b in self.preset_buttons.items():
            b.setChecked(key == name)
        self._token += 1
        self._fit_top_bar()
        self.show_summary(load_summary(self.context.db.path, start, end, self.viewer()))

    def _loaded(self, token: int, summary: SalesSummary) -> None:
        if token == self._token:  # a newer range was asked for meanwhile
            self.show_summary(summary)

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, AuthError):  # not the owner's: nothing shown, nothing logged
            self.message.setText(error)
            return
        log.error("sales summary failed: %r", error)
        self.message.setText(f"{t('판매집계')}: {t('오류')}: {error}")

    def show_summary(self, summary: SalesSummary) -> None:
        self.summary = summary
        fill_table(self.overview_table, [[t(line.label), f"{line.count:,}", f"{line.amount:,}"]
                                         for line in overview(summary)], left=(0,))
        info = dict(other_info(summary))
        receipts = summary.facts.dims["tender"].get("cash_receipt")
        info["현금영수증"] = f"{receipts.tally.net_sales if receipts else 0:,}"
        self.info_captions["현금영수증"].setText(
            f"{t('현금영수증')} ({receipts.tally.qty if receipts else 0:,})")
        guests = summary.totals.guests  # a restaurant's: 객단가 is then shown per guest
        self.info_captions["객단가"].setText(
            f"{t('1인 객단가')} · {t('객수')} {guests:,}" if guests else t("객단가"))
        if guests:
            info["객단가"] = info["1인 객단가"]
        for name, widget in self.info.items():
            widget.setText(info.get(name, ""))
        self._fill_groups(summary)
        self._fill_charts(summary)
        days, orders = summary.sealed_days + summary.live_days, summary.totals.orders
        counts = (f"영업일 {days}일 · 주문 {orders:,}건" if current_language() != "en"
                  else f"{days} business days · {orders:,} orders")
        self.message.setText(f"{counts} · {t('순매출')} {won(summary.totals.net_sales)}")

    def _fill_groups(self, summary: SalesSummary) -> None:
        t_ = summary.totals
        for table, by in ((self.category_table, "category"), (self.item_table, "item")):
            rows = [[str(n), self._name(by, r), f"{r.tally.qty:,}", f"{r.tally.service_qty:,}",
                     f"{r.net_sales:,}", f"{r.share:.2f} %"]
                    for n, r in enumerate(summary.rows(by), start=1)]
            rows.append([t("합계"), "", f"{t_.qty:,}", f"{t_.service_qty:,}",
                         f"{t_.net_sales:,}", "100.00 %" if t_.net_sales else "0.00 %"])
            fill_table(table, rows, bold_last=True)

    def _fill_charts(self, summary: SalesSummary) -> None:
        colors = {str(c.id): c.color for c in self.context.catalog.categories}
        self.category_pie.set_slices([(self._name("category", r), r.net_sales, colors.get(r.key))
                                      for r in summary.rows("category")])
        items = summary.rows("item")
        most = 5 if self.stacked_pies else TOP_ITEMS  # a stacked pie's legend has six lines
        top: list[tuple[str, int, str | None]] = [(self._name("item", r), r.net_sales, None)
                                                  for r in items[:most]]
        rest = sum(r.net_sales for r in items[most:])
        if rest > 0:
            top.append((t("기타"), rest, "#9CA3AF"))
        self.item_pie.set_slices(top)
        title, labels, amounts = bar_data(summary)
        self.bar.set_bars(t(title), labels, amounts)

    def _name(self, by: str, row: Any) -> str:
        """A category's or item's name in the screen's language (its English name when the
        menu has one; the report keeps the Korean name it was sold under)."""
        if current_language() != "en" or not row.key.isdigit():
            return str(row.label)
        catalog = self.context.catalog
        if by == "item":
            item = catalog.by_id.get(int(row.key))
            return item.name_en if item is not None and item.name_en else str(row.label)
        category = next((c for c in catalog.categories if str(c.id) == row.key), None)
        return category.name_en if category is not None and category.name_en else str(row.label)

    # --- actions --------------------------------------------------------------------------------

    def back(self) -> None:
        self.window_.show_screen("cashier")

    def export(self, kind: str) -> None:
        from kspos.reports.export import as_csv, export_path, write_xlsx
        from kspos.reports.summary import GROUPINGS

        summary = self.summary
        if summary is None:
            return
        path = export_path(self.context.settings.data_dir, summary, kind)
        if self.export_dir is not None:  # the folder the owner picked (저장 폴더), else exports/
            path = self.export_dir / path.name

        def job() -> Any:
            if kind == "xlsx":
                write_xlsx(summary, GROUPINGS, path)
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(as_csv(summary, "item"))
            return path

        run_op(self, job, on_success=lambda p: self.message.say(f"{t('저장했습니다')}: {p}", True),
               on_error=lambda e: self.message.say(f"{t('저장하지 못했습니다')}: {e}"))

    def pick_folder(self, start: str) -> str:
        """The folder dialog ("" when the owner cancels it)."""
        from PySide6.QtWidgets import QFileDialog

        return QFileDialog.getExistingDirectory(self, t("저장 폴더"), start)

    def choose_export_folder(self) -> None:
        """Ask where exports go (a USB stick, a shared folder) and remember it for the next
        export and the next start (cancelled: nothing changes)."""
        from kspos.config.writer import remember_export_dir

        start = self.export_dir or self.context.settings.data_dir / "exports"
        chosen = self.pick_folder(str(start))
        if not chosen:
            return
        self.export_dir = Path(chosen)
        self.folder_button.setToolTip(chosen)
        try:
            remember_export_dir(self.context.settings, self.export_dir)
        except OSError as exc:
            log.warning("export folder not remembered: %s", exc)
        self.message.say(f"{t('저장 폴더')}: {chosen}", ok=True)

    def print_x(self) -> None:
        from kspos.reports.slips import CashCount, day_slip

        context = self.context
        day = context.sales.days.current()
        printing = context.printing
        if day is None:
            self.message.setText(t("영업 중이 아닙니다"))
            return
        if printing is None:
            self.message.setText(f"{t('프린터')}: 설정되지 않았습니다 (no printer)")
            return
        staff = self.viewer()

        def job() -> Any:
            cash = CashCount(day.opening_float, context.sales.days.expected_cash(day.id))
            slip = day_slip("X", context.db.path, context.settings.store, day.day, cash,
                            staff.name if staff else "", columns=printing.queue.columns,
                            viewer=staff)
            return printing.queue.submit(slip, "report", f"X-{day.day}")

        def done(printed: Any) -> None:
            self.message.setText(t("X 리포트를 인쇄했습니다") if printed.printed else
                                 f"{t('프린터')}: {printed.last_error} — {t('인쇄 대기')}")

        run_op(self, job, device="printer", on_success=done,
               on_error=lambda e: self.message.setText(f"{t('프린터')}: {e}"))


def bar_data(summary: SalesSummary) -> tuple[str, list[str], list[int]]:
    """시간대별 for one day, 일별 up to a month, 월별 beyond."""
    start, end = summary.date_from, summary.date_to
    if start == end:
        hours = {int(r.key): r.net_sales for r in summary.rows("hour")}
        first, last = min([8, *hours]), max([21, *hours])
        return "시간대별", [str(h) for h in range(first, last + 1)], \
            [hours.get(h, 0) for h in range(first, last + 1)]
    days = {r.key: r.net_sales for r in summary.rows("day")}
    span = (end - start).days + 1
    if span <= 31:
        dates = [start + timedelta(days=n) for n in range(span)]
        return "일별", [f"{d.day}" for d in dates], \
            [days.get(d.isoformat(), 0) for d in dates]
    months: dict[str, int] = {}
    cursor = start
    while cursor <= end:
        key = cursor.strftime("%Y-%m")
        months[key] = months.get(key, 0) + days.get(cursor.isoformat(), 0)
        cursor += timedelta(days=1)
    return "월별", [f"{k[2:4]}.{k[5:]}" for k in months], list(months.values())


def create(context: AppContext, window: Any) -> SalesScreen:
    return SalesScreen(context, window)


def ensure_demo_history(context: AppContext, days: int = 10, orders_per_day: int = 40) -> None:
    """A store with no closed day gets a small demo history (screenshots of a fresh install)."""
    from kspos.sales.demo_data import DemoError, generate
    from kspos.sales.history import any_day_closed

    if any_day_closed(context.db):
        return
    try:
        generate(context.db, days, orders_per_day, seed=7)
    except DemoError as exc:
        log.warning("no demo history for the screenshot: %s", exc)


def prepare_for_shot(widget: QWidget, window: Any) -> None:
    from kspos.sales.staff import Role

    assert isinstance(widget, SalesScreen)
    widget.owner = widget.context.staff.first(Role.OWNER)  # as after the owner's PIN
    ensure_demo_history(widget.context)
    today = date.today()
    widget.load_now(today - timedelta(days=10), today - timedelta(days=1))
