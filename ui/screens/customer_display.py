"""The customer display (고객 표시기): a second window facing the customer.

It draws :class:`kspos.sales.customer_view.CustomerView` and nothing else: the idle page (the
store's name, or a slideshow from ``[ui] customer_images``), the order as it is rung up with
its total always in view, each payment step with its amount, the change, the pickup number and
the receipt's QR, and on a touch display the 현금영수증 keypad and the signature pad. Views come
from the feed on any thread and are drawn on the GUI thread, coalesced: a burst of taps at the
counter makes one repaint here, after the cashier's own.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kspos.sales.customer_view import (
    DONE_HOLD_S,
    PROMPTS,
    QR_HOLD_S,
    Ask,
    CustomerFeed,
    CustomerView,
    Page,
)
from ui.i18n import current_language, t, won
from ui.widgets.common import Keypad, button, label

if TYPE_CHECKING:
    from kspos.context import AppContext

log = logging.getLogger(__name__)
SLIDE_S = 8.0
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp")
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
CENTER = Qt.AlignmentFlag.AlignCenter


def slide_files(folder: str) -> list[Path]:
    """The pictures of the idle slideshow, in name order (none when the folder is unset or
    cannot be read: the idle page then shows the store's name)."""
    if not folder:
        return []
    try:
        return sorted(p for p in Path(folder).expanduser().iterdir()
                      if p.suffix.lower() in IMAGE_SUFFIXES and p.is_file())
    except OSError as exc:
        log.warning("customer display: cannot read the slideshow folder %s: %s", folder, exc)
        return []


class CustomerDisplay(QWidget):
    """The customer's screen, drawn from ``feed``; ``board`` (optional) is a pickup board
    widget shown as the right half."""

    view_ready = Signal()

    def __init__(self, feed: CustomerFeed, store_name: str, images: str = "",
                 board: QWidget | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("CustomerDisplay")
        self.feed = feed
        self.store_name = store_name
        self._pending: CustomerView | None = None
        self._shown_lines: tuple[Any, ...] | None = None
        self.shown = CustomerView()
        self._words: list[tuple[Any, str]] = []  # (label or button, its Korean words)
        outer = QHBoxLayout(self)
        outer.setContentsMargins(24, 20, 24, 20)
        outer.setSpacing(24)
        self.pages = QStackedWidget()
        self.pages.addWidget(self._idle_page(images))
        self.pages.addWidget(self._sale_page())
        self.pages.addWidget(self._done_page())
        self.pages.addWidget(self._sign_page())
        outer.addWidget(self.pages, 3)
        self.board = board
        if board is not None:
            outer.addWidget(board, 2)
        self.done_timer = QTimer(self)
        self.done_timer.setSingleShot(True)
        self.done_timer.timeout.connect(self._done_over)
        self.view_ready.connect(self._draw_pending, Qt.ConnectionType.QueuedConnection)
        self._unsubscribe = feed.subscribe(self._view_changed)
        self.draw(feed.view)

    # --- words -----------------------------------------------------------------------------------

    def _tr(self, words: str, widget: Any) -> Any:
        """Show ``words`` on ``widget`` in the UI's language, again after a live switch."""
        widget.setText(t(words))
        self._words.append((widget, words))
        return widget

    def _headers(self) -> None:
        self.lines.setHorizontalHeaderLabels([t("메뉴"), t("수량"), t("금액")])

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.LanguageChange and hasattr(self, "_words"):
            for widget, words in self._words:
                widget.setText(t(words))
            self._headers()
            self.feed.lang = current_language()  # the lines' names too (영문명)
            self._shown_lines = None
            self.draw(self.feed.view)
        super().changeEvent(event)

    # --- pages -----------------------------------------------------------------------------------

    def _idle_page(self, images: str) -> QWidget:
        page = QWidget()
        col = QVBoxLayout(page)
        col.addStretch(1)
        self.slide = QLabel()
        self.slide.setObjectName("cd-slide")
        self.slide.setAlignment(CENTER)
        self.slide.setMinimumSize(QSize(1, 1))
        col.addWidget(self.slide, 8)
        self.idle_name = label(self.store_name, "cd-store", name="cd-idle-store", align=CENTER)
        self.idle_name.setWordWrap(True)
        col.addWidget(self.idle_name)
        self.welcome = self._tr("어서 오세요", label("", "cd-caption", name="cd-welcome", align=CENTER))
        col.addWidget(self.welcome)
        col.addStretch(1)
        self.slides = slide_files(images)
        self.slide_at = 0
        self.slide_timer = QTimer(self)
        self.slide_timer.setInterval(int(SLIDE_S * 1000))
        self.slide_timer.timeout.connect(self._next_slide)
        self.slide.setVisible(bool(self.slides))
        return page

    def _sale_page(self) -> QWidget:
        page = QWidget()
        row = QHBoxLayout(page)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(24)
        self.lines = QTableWidget(0, 3)
        self.lines.setObjectName("cd-lines")
        self._headers()
        header = self.lines.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.lines.verticalHeader().hide()
        self.lines.verticalHeader().setDefaultSectionSize(60)
        self.lines.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.lines.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.lines.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.lines.setShowGrid(False)
        row.addWidget(self.lines, 3)
        side = QWidget()
        side.setObjectName("Panel")
        col = QVBoxLayout(side)
        col.setContentsMargins(20, 16, 20, 16)
        col.setSpacing(8)
        self.discount_label = label("", "cd-caption", name="cd-discount", align=RIGHT)
        col.addWidget(self.discount_label)
        col.addWidget(self._tr("합계", label("", "cd-caption")))
        self.total_label = label("0원", "cd-total", name="cd-total", align=RIGHT)
        col.addWidget(self.total_label)
        self.step = QStackedWidget()
        self.step.addWidget(QWidget())  # ordering: the total says it all
        self.step.addWidget(self._pay_panel())
        self.step.addWidget(self._receipt_panel())
        col.addWidget(self.step, 1)
        row.addWidget(side, 2)
        return page

    def _pay_panel(self) -> QWidget:
        panel = QWidget()
        col = QVBoxLayout(panel)
        col.setContentsMargins(0, 16, 0, 0)
        self.part_label = label("", "cd-caption", name="cd-part")
        col.addWidget(self.part_label)
        col.addWidget(self._tr("결제하실 금액", label("", "cd-caption")))
        self.amount_label = label("", "cd-amount", name="cd-amount", align=RIGHT)
        col.addWidget(self.amount_label)
        self.prompt = label("", "cd-prompt", name="cd-prompt", align=CENTER)
        self.prompt.setWordWrap(True)
        col.addWidget(self.prompt, 1)
        self.change_caption = self._tr("거스름돈", label("", "cd-caption"))
        col.addWidget(self.change_caption)
        self.change_label = label("", "cd-change", name="cd-change", align=RIGHT)
        col.addWidget(self.change_label)
        return panel

    def _receipt_panel(self) -> QWidget:
        """The customer types the 현금영수증 number (a touch display)."""
        panel = QWidget()
        col = QVBoxLayout(panel)
        col.setContentsMargins(0, 8, 0, 0)
        col.addWidget(self._tr("현금영수증 번호를 입력해 주세요", label("", "title")))
        purposes = QHBoxLayout()
        self.purpose = QButtonGroup(panel)
        for n, (key, text) in enumerate((("deduction", "소득공제"), ("expense", "지출증빙"))):
            b = self._tr(text, button("", "choice", name=f"cd-purpose-{key}"))
            b.setCheckable(True)
            b.setProperty("purpose", key)
            self.purpose.addButton(b, n)
            purposes.addWidget(b)
        col.addLayout(purposes)
        self.typed = label("", "big-amount", name="cd-typed", align=CENTER)
        col.addWidget(self.typed)
        self.keypad = Keypad(max_digits=19, digits_only=True)
        self.keypad.setObjectName("cd-keypad")
        self.keypad.changed.connect(self._typed)
        col.addWidget(self.keypad, 1)
        self.entry_problem = label("", "error", name="cd-problem")
        self.entry_problem.setWordWrap(True)
        col.addWidget(self.entry_problem)
        self.entry_ok = self._tr("확인", button("", "pay", self._entered, name="cd-receipt-ok"))
        col.addWidget(self.entry_ok)
        return panel

    def _done_page(self) -> QWidget:
        page = QWidget()
        row = QHBoxLayout(page)
        col = QVBoxLayout()
        col.addStretch(1)
        col.addWidget(self._tr("결제가 완료되었습니다", label("", "cd-done", name="cd-done", align=CENTER)))
        self.done_change = label("", "cd-change", name="cd-done-change", align=CENTER)
        col.addWidget(self.done_change)
        self.order_no_caption = self._tr("주문번호", label("", "cd-caption", align=CENTER))
        col.addWidget(self.order_no_caption)
        self.order_no = label("", "cd-order-no", name="cd-order-no", align=CENTER)
        col.addWidget(self.order_no)
        col.addStretch(1)
        row.addLayout(col, 3)
        self.qr_box = QWidget()
        qcol = self.qr_column = QVBoxLayout(self.qr_box)
        self.qr: Any = None  # ui.widgets.qr.QrView, made when a receipt is first shown
        self.qr_caption = self._tr("영수증을 출력하지 않았습니다 — 휴대폰 카메라로 찍어 가세요",
                                   label("", "cd-caption", align=CENTER))
        self.qr_caption.setWordWrap(True)
        qcol.addStretch(1)
        qcol.addWidget(self.qr_caption)
        qcol.addStretch(1)
        row.addWidget(self.qr_box, 2)
        self.qr_box.hide()
        return page

    def _sign_page(self) -> QWidget:
        from ui.widgets.signature import SignaturePad

        page = QWidget()
        col = QVBoxLayout(page)
        self.sign_amount = label("", "cd-caption", name="cd-sign-amount", align=CENTER)
        col.addWidget(self.sign_amount)
        col.addWidget(self._tr("서명해 주세요", label("", "cd-prompt", align=CENTER)))
        self.pad = SignaturePad()
        col.addWidget(self.pad, 1)
        self.sign_problem = label("", "error", name="cd-sign-problem", align=CENTER)
        col.addWidget(self.sign_problem)
        buttons = QHBoxLayout()
        buttons.addWidget(self._tr("지우기", button("", "", self.pad.clear, name="cd-sign-clear")))
        buttons.addWidget(self._tr("확인", button("", "pay", self._signed, name="cd-sign-ok")), 2)
        col.addLayout(buttons)
        return page

    # --- drawing ---------------------------------------------------------------------------------

    def _view_changed(self, view: CustomerView) -> None:
        """Any thread: keep the newest view, and ask the GUI thread once to draw it."""
        first = self._pending is None
        self._pending = view
        if first:
            self.view_ready.emit()

    def _draw_pending(self) -> None:
        view, self._pending = self._pending, None
        if view is not None:
            self.draw(view)

    def draw(self, view: CustomerView) -> None:
        """Show ``view`` (the only place that decides what the customer sees)."""
        before, self.shown = self.shown, view
        if view.ask is Ask.SIGNATURE:
            if before.ask is not Ask.SIGNATURE:
                self.pad.clear()
            self.sign_amount.setText(f"{t('결제하실 금액')} {won(view.amount)}")
            self.sign_problem.setText(t(view.problem) if view.problem else "")
            self.pages.setCurrentIndex(3)
        elif view.page is Page.IDLE:
            self.pages.setCurrentIndex(0)
        elif view.page is Page.DONE:
            self._draw_done(view)
        else:
            self._draw_sale(view, before)
        self._sync_timers(view, before)

    def _draw_sale(self, view: CustomerView, before: CustomerView) -> None:
        if view.lines != self._shown_lines:
            self._fill_lines(view)
        cuts = [f"{t(word)} -{won(amount)}" for word, amount in
                (("할인", view.discount), ("서비스", view.service)) if amount]
        self.discount_label.setText("  ".join(cuts))
        self.total_label.setText(won(view.total))
        if view.ask is Ask.CASH_RECEIPT:
            if before.ask is not Ask.CASH_RECEIPT:
                self.keypad.text = ""
                self.typed.setText("")
                self.purpose.button(0).setChecked(True)
            self.entry_problem.setText(t(view.problem) if view.problem else "")
            self.step.setCurrentIndex(2)
        elif view.page is Page.PAY:
            self._draw_pay(view)
            self.step.setCurrentIndex(1)
        else:
            self.step.setCurrentIndex(0)
        self.pages.setCurrentIndex(1)

    def _fill_lines(self, view: CustomerView) -> None:
        """Rewrite only the rows that changed (a tap changes one line of many)."""
        before = self._shown_lines or ()
        self._shown_lines = view.lines
        grew = len(view.lines) > len(before)
        if len(view.lines) != len(before):
            self.lines.setRowCount(len(view.lines))
        for row, line in enumerate(view.lines):
            if row < len(before) and before[row] == line:
                continue
            name = line.name + (f" ({line.options})" if line.options else "")
            if line.complimentary:
                name += f" · {t('서비스')}"
            for column, text in enumerate((name, str(line.qty), won(line.amount))):
                item = self.lines.item(row, column)
                if item is None:
                    item = QTableWidgetItem(text)
                    if column:
                        item.setTextAlignment(RIGHT)
                    self.lines.setItem(row, column, item)
                elif item.text() != text:
                    item.setText(text)
        if grew:
            self.lines.scrollToBottom()  # the line just added is the one the customer checks

    def _draw_pay(self, view: CustomerView) -> None:
        if view.part is not None:
            self.part_label.setText(f"{t('나눠 내기')} {view.part[0]}/{view.part[1]}")
        elif view.paid:
            self.part_label.setText(f"{t('받은 금액')} {won(view.paid)} · "
                                    f"{t('남은 금액')} {won(view.due)}")
        else:
            self.part_label.setText("")
        self.amount_label.setText(won(view.amount))
        self.prompt.setText(t(PROMPTS.get(view.prompt, view.prompt)))
        counted = view.tendered > 0
        self.change_caption.setVisible(counted)
        self.change_label.setVisible(counted)
        self.change_label.setText(won(view.change))

    def _draw_done(self, view: CustomerView) -> None:
        self.done_change.setText(f"{t('거스름돈')} {won(view.change)}" if view.change else "")
        self.done_change.setVisible(bool(view.change))
        has_no = view.order_no is not None
        self.order_no_caption.setVisible(has_no)
        self.order_no.setVisible(has_no)
        self.order_no.setText(str(view.order_no) if has_no else "")
        if view.qr_text:
            if self.qr is None:
                from ui.widgets.qr import QrView

                self.qr = QrView()
                self.qr.setObjectName("cd-qr")
                self.qr.setMinimumSize(300, 300)  # a phone reads it from arm's length
                self.qr_column.insertWidget(1, self.qr)
            self.qr.set_text(view.qr_text)
        self.qr_box.setVisible(bool(view.qr_text))
        self.pages.setCurrentIndex(2)

    def _sync_timers(self, view: CustomerView, before: CustomerView) -> None:
        if view.page is Page.DONE and (before.page is not Page.DONE
                                       or view.qr_text != before.qr_text):
            self.done_timer.start(int((QR_HOLD_S if view.qr_text else DONE_HOLD_S) * 1000))
        elif view.page is not Page.DONE:
            self.done_timer.stop()
        idle = view.page is Page.IDLE and bool(self.slides)
        if idle and not self.slide_timer.isActive():
            self._show_slide()
            self.slide_timer.start()
        elif not idle:
            self.slide_timer.stop()

    def _done_over(self) -> None:
        if self.feed.view.page is Page.DONE:
            self.feed.idle()

    def _show_slide(self) -> None:
        if not self.slides:
            return
        path = self.slides[self.slide_at % len(self.slides)]
        picture = QPixmap(str(path))
        if picture.isNull():  # a broken file: skip it, the show goes on
            log.warning("customer display: cannot show %s", path)
            self.slides.remove(path)
            self.slide.setVisible(bool(self.slides))
            return
        size = self.slide.size()
        self.slide.setPixmap(picture.scaled(size, Qt.AspectRatioMode.KeepAspectRatio,
                                            Qt.TransformationMode.SmoothTransformation))

    def _next_slide(self) -> None:
        self.slide_at += 1
        self._show_slide()

    # --- the customer's taps -------------------------------------------------------------------

    def _typed(self, digits: str) -> None:
        self.typed.setText(digits)  # the customer sees their own number in full
        self.feed.customer_typed(digits)

    def _entered(self) -> None:
        checked = self.purpose.checkedButton()
        purpose = str(checked.property("purpose")) if checked is not None else "deduction"
        self.feed.customer_entered(self.keypad.text, purpose)

    def _signed(self) -> None:
        self.feed.customer_signed(self.pad.signature())

    def stop_background(self) -> None:
        self.done_timer.stop()
        self.slide_timer.stop()
        self._unsubscribe()
        if self.board is not None and hasattr(self.board, "stop_background"):
            self.board.stop_background()


def pickup_board_for(context: AppContext) -> QWidget | None:
    """The pickup board as the display's right half (``[ui] order_board = "customer"``)."""
    if context.settings.ui.order_board != "customer" or getattr(context, "pickup", None) is None:
        return None
    from ui.screens.order_call import OrderBoardWindow

    return OrderBoardWindow(context)  # a widget like any other, refreshing itself


def build_display(context: AppContext) -> CustomerDisplay:
    ui = context.settings.ui
    return CustomerDisplay(context.customer, context.settings.store.name, ui.customer_images,
                           pickup_board_for(context))


class CustomerDisplayWindow(CustomerDisplay):
    """The display as a window of its own, full screen on ``[ui] customer_display``'s screen."""

    def __init__(self, context: AppContext) -> None:
        ui = context.settings.ui
        super().__init__(context.customer, context.settings.store.name, ui.customer_images,
                         pickup_board_for(context))
        self.setWindowTitle(f"KSPOS# — {t('고객 표시기')}")
        self.setWindowFlag(Qt.WindowType.WindowDoesNotAcceptFocus)  # the wedge scanner's
        # keystrokes stay with the cashier's window


def open_on_screen(window: QWidget, index: int | None) -> str:
    """Show ``window`` full screen on screen ``index`` (0-based); "" when shown, else why not
    (the screen is not there: the cashier is told, the window is not put over theirs)."""
    screens = QGuiApplication.screens()
    if index is None:
        return "off"
    if index >= len(screens):
        return f"screen:{index + 1} {t('화면이 없습니다')} ({len(screens)})"
    geometry = screens[index].geometry()
    window.setGeometry(geometry)
    window.showFullScreen()
    window.windowHandle().setScreen(screens[index])
    return ""


def create(context: AppContext, window: Any) -> QWidget:
    """The display inside the main window: what `kspos shot customer-display` draws."""
    widget = build_display(context)
    widget.setObjectName("Screen")
    return widget


def prepare_for_shot(widget: QWidget, window: Any) -> None:
    """The demo order on the counter and a card payment asked for: what a customer sees
    mid-sale (KSPOS_SHOT_PAGE=idle|order|pay|receipt|done|paperless picks another moment)."""
    import os

    from ui.screens.samples import demo_sample_order

    assert isinstance(widget, CustomerDisplay)
    context = window.context
    if widget.board is not None:  # the pickup board's half: some orders called, some not
        from ui.screens.order_call import prepare_for_shot as board_shot

        board_shot(widget.board, window)
    demo_sample_order(context)
    feed = context.customer
    order = context.register.order
    feed.show_order(order)
    page = os.environ.get("KSPOS_SHOT_PAGE", "pay")
    if page == "idle":
        feed.idle()
    elif page in ("pay", "receipt"):
        feed.ask_tender("card" if page == "pay" else "cash", order.total)
        if page == "receipt":
            feed.touch = True
            feed.ask_cash_receipt(lambda _r: None)
            feed.customer_typed("0101234")
    elif page in ("done", "paperless"):
        feed.settled(change=5_500 if page == "done" else 0, order_no=42)
        if page == "paperless":
            from kspos.receipts.receipt_qr import receipt_qr_text
            from kspos.receipts.samples import sample_receipt

            feed.show_receipt_qr(receipt_qr_text(sample_receipt()))
    widget.draw(feed.view)
