"""거래내역: today's orders, one order's lines and tenders, reprint and refund (whole or by line)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QScrollArea,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kspos.sales.orders import STATE_WORDS, OrderError, OrderState
from kspos.sales.payments import METHOD_WORDS, Method, PaymentError
from kspos.sales.staff import AuthError, StaffMember
from ui.dialogs.misc import ask_for_pin
from ui.i18n import current_language, t, won
from ui.ops import run_op
from ui.printing import retry_printing
from ui.widgets.common import Stepper, button, label, message_label, scroll_area

if TYPE_CHECKING:
    from kspos.context import AppContext

log = logging.getLogger(__name__)
COLUMNS = ("주문번호", "시간", "상태", "결제수단", "금액")
CASH_RECEIPT_PURPOSES = {"deduction": "소득공제", "expense": "지출증빙"}


class HistoryScreen(QWidget):
    def __init__(self, context: AppContext, window: Any) -> None:
        super().__init__()
        self.setObjectName("Screen")
        self.context = context
        self.window_ = window
        self.order_id: int | None = None
        self._order_total = 0
        self.line_amounts: dict[int, int] = {}
        self.qty_boxes: list[tuple[int, Stepper]] = []
        root = QHBoxLayout(self)
        root.setContentsMargins(12, 12, 12, 12)
        root.setSpacing(12)
        left = QVBoxLayout()
        top = QHBoxLayout()
        top.addWidget(button("◀ " + t("캐셔 화면"), "", self.back, name="history-back"))
        top.addWidget(label(t("거래내역"), "title"))
        top.addStretch(1)
        left.addLayout(top)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("HistoryTable")
        self.table.setHorizontalHeaderLabels([t(c) for c in COLUMNS])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(52)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        # the receipt number whole (20261126-0001), the other columns share the rest
        self.table.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.ResizeToContents)
        self.table.itemSelectionChanged.connect(self._selected)
        left.addWidget(self.table, 1)
        root.addLayout(left, 3)
        root.addWidget(self._detail_panel(), 2)

    def _detail_panel(self) -> QWidget:
        panel = QWidget()
        panel.setObjectName("Panel")
        col = QVBoxLayout(panel)
        col.setContentsMargins(12, 12, 12, 12)
        self.detail_title = label("", "title", name="history-title")
        col.addWidget(self.detail_title)
        self.message = message_label("error", name="history-message")
        self.message.setMinimumHeight(2 * self.message.fontMetrics().lineSpacing())
        col.addWidget(self.message)
        self.lines_host = QWidget()
        self.lines_layout = QVBoxLayout(self.lines_host)
        self.lines_layout.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.lines_host.setObjectName("Surface")
        scroll.setWidget(self.lines_host)
        self.preview = QLabel()
        self.preview.setObjectName("receipt-preview")
        self.preview.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.preview_scroll = scroll_area(self.preview, frame=True)
        self.preview_scroll.viewport().installEventFilter(self)
        self.detail_stack = QStackedWidget()
        self.detail_stack.addWidget(scroll)
        self.detail_stack.addWidget(self.preview_scroll)
        col.addWidget(self.detail_stack, 1)
        self.tenders = label("", "", name="history-tenders")
        self.tenders.setWordWrap(True)
        col.addWidget(self.tenders)
        # Two rows of two: at 1024 px four in a row cut their words ("|수증 미리보기").
        row = QGridLayout()
        row.setSpacing(8)
        self.preview_button = button(t("영수증 미리보기"), "", self.toggle_preview,
                                     name="history-preview")
        self.reprint_button = button(t("재발행"), "", self.reprint, name="history-reprint")
        self.refund_lines_button = button(t("선택 환불"), "danger", self.refund_selected,
                                          name="history-refund-lines")
        self.refund_all_button = button(t("전체 환불"), "danger", self.refund_all,
                                        name="history-refund-all")
        # 분할 환불: a check paid in parts gives back one part's tenders (shown for such checks)
        self.refund_part_button = button(t("분할 환불"), "danger", self.refund_part,
                                         name="history-refund-part")
        for n, b in enumerate((self.preview_button, self.reprint_button,
                               self.refund_lines_button, self.refund_all_button,
                               self.refund_part_button)):
            b.setMinimumHeight(56)
            row.addWidget(b, n // 2, n % 2, 1, 2 if n == 4 else 1)
        self.refund_part_button.hide()
        col.addLayout(row)
        return panel

    # --- data -----------------------------------------------------------------------------------

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self.reload()

    def reload(self) -> None:
        try:
            summaries = self.context.register.history(limit=300)
        except AuthError as exc:  # logged out (or a technician): no one's sales are shown
            self.table.setRowCount(0)
            self.show_order(None)
            self.message.setText(exc)
            return
        self.table.setRowCount(len(summaries))
        for row, s in enumerate(summaries):
            when = s.paid_at or s.created_at
            methods = "+".join(t(METHOD_WORDS[Method(m)]) for m in dict.fromkeys(s.methods))
            state = t(STATE_WORDS[s.state]) + (" · " + t("연습 모드") if s.training else "")
            cells = (s.receipt_no, f"{when:%H:%M:%S}", state, methods, f"{s.total:,}")
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, s.id)
                if col == 4:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, col, item)
        # The highlighted row must be the order the buttons act on: rows move down as sales
        # come in, and a tap on a row that is already highlighted changes nothing.
        shown = next((n for n, s in enumerate(summaries) if s.id == self.order_id), None)
        if shown is None:
            shown = 0 if summaries else None
        if shown is None:
            self.show_order(None)
            return
        self.table.blockSignals(True)  # one show_order below, not a second from the signal
        self.table.selectRow(shown)
        self.table.blockSignals(False)
        self.show_order(summaries[shown].id)

    def _selected(self) -> None:
        items = self.table.selectedItems()
        self.show_order(int(items[0].data(Qt.ItemDataRole.UserRole)) if items else None)

    def show_order(self, order_id: int | None) -> None:
        if order_id != self.order_id:
            self.detail_stack.setCurrentIndex(0)
        self.order_id = order_id
        self.qty_boxes = []
        while self.lines_layout.count():
            taken = self.lines_layout.takeAt(0)
            old = taken.widget() if taken is not None else None
            if old is not None:
                old.deleteLater()
        self.message.say("")
        self.refund_part_button.hide()
        if order_id is None:
            self.detail_title.setText("")
            self.tenders.setText("")
            for b in (self.preview_button, self.reprint_button, self.refund_lines_button,
                      self.refund_all_button):
                b.setEnabled(False)
            return
        order = self.context.sales.load(order_id)
        self._order_total = order.total
        self.detail_title.setText(f"#{order.receipt_no} · {t(STATE_WORDS[order.state])}")
        refundable = order.state in (OrderState.PAID, OrderState.PARTLY_REFUNDED)
        rows = self._line_rows(order_id)
        for position, (text, remaining) in enumerate(rows):
            self._add_line_row(position, text, remaining, refundable)
        self.lines_layout.addStretch(1)
        pays = self.context.sales.payments(order_id)
        self.tenders.setText("\n".join([*(self._tender_text(p) for p in pays),
                                        *self._total_lines(order)]))
        self.reprint_button.setEnabled(bool(pays))
        self.preview_button.setEnabled(bool(pays))
        self.refund_lines_button.setEnabled(refundable)
        self.refund_all_button.setEnabled(refundable)
        from ui.dialogs.part_refund import parts_holding_money

        self.refund_part_button.setVisible(refundable and bool(parts_holding_money(pays)))

    @staticmethod
    def _total_lines(order: Any) -> list[str]:
        """The order discount (it is on no line) and the total."""
        totals = order.totals()
        lines = []
        if totals.order_discount:
            lines.append(f"{t('주문 할인')} -{won(totals.order_discount)}")
        lines.append(f"{t('합계')} {won(order.total)}")
        return lines

    def _line_rows(self, order_id: int) -> list[tuple[str, int]]:
        from kspos.sales.history import sold_lines

        lines = sold_lines(self.context.db, order_id)
        english = current_language() == "en"
        rows = []
        self.line_amounts = {ln.position: ln.amount for ln in lines}
        for ln in lines:
            name = ln.name_en if english and ln.name_en else ln.name
            mark = f" [{t('서비스')}]" if ln.complimentary else ""
            if ln.discount_amount and not ln.complimentary:
                mark += f" [{t('할인')} -{ln.discount_amount:,}]"
            refunded = f" [{t('환불')} {ln.refunded_qty}]" if ln.refunded_qty else ""
            rows.append((f"{name}{mark} ×{ln.qty}  {won(ln.amount)}{refunded}",
                         ln.qty - ln.refunded_qty))
        return rows

    def _add_line_row(self, position: int, text: str, remaining: int, refundable: bool) -> None:
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        caption = QLabel(text)
        caption.setWordWrap(True)
        layout.addWidget(caption, 1)
        if refundable and remaining > 0:
            box = Stepper(remaining, name=f"refund-qty-{position}")
            layout.addWidget(box)
            self.qty_boxes.append((position, box))
        self.lines_layout.addWidget(row)

    @staticmethod
    def _tender_text(p: Any) -> str:
        r = p.row
        text = f"{t(METHOD_WORDS[p.method])} {won(p.amount)}"
        if r.split_part is not None:  # which guest's part of a split check it paid
            text = f"[{t('{n}번').replace('{n}', str(r.split_part + 1))}] {text}"
        if p.method is Method.CASH and p.tendered:
            text += f" · {t('받은 금액')} {p.tendered:,} / {t('거스름돈')} {p.change:,}"
        if r.masked_pan:
            text += f" · {r.masked_pan}"
        if r.approval_no:
            text += f" · {t('승인번호')} {r.approval_no}"
        if r.cash_receipt_approval_no:
            purpose = t(CASH_RECEIPT_PURPOSES.get(r.cash_receipt_purpose or "", ""))
            text += (f" · {t('현금영수증')} {purpose} {r.cash_receipt_id_masked or ''} "
                     f"{t('승인번호')} {r.cash_receipt_approval_no}").replace("  ", " ")
        if p.refunded:
            text += f" · {t('환불')} {won(p.refunded)}"
        return text

    # --- actions --------------------------------------------------------------------------------

    def back(self) -> None:
        self.window_.show_screen("cashier")

    def authorized(self, action: str) -> StaffMember | None:
        staff = self.context.register.staff
        if staff is not None and staff.may(action):
            return staff
        return ask_for_pin(self, self.context.staff, action, self.message.say)

    def refund_all(self) -> None:
        self._refund(None)

    def refund_selected(self) -> None:
        picks = {pos: box.value() for pos, box in self.qty_boxes if box.value() > 0}
        if not picks:
            self.message.say("환불할 수량을 고르세요 (choose quantities to refund)")
            return
        if self._order_total > 0 and not any(self.line_amounts.get(pos, 0) for pos in picks):
            # a 0원 서비스 line gives nothing back: say so before asking for a PIN
            self.message.say("환불할 금액이 없습니다 (nothing left to refund)")
            return
        self._refund(picks)

    def refund_part(self) -> None:
        """분할 환불: the part the cashier picks gets back exactly its own tenders (card 취소,
        cash back); the other parts stay paid."""
        from ui.dialogs.part_refund import PartRefundDialog, parts_holding_money

        order_id = self.order_id
        if order_id is None:
            return
        parts = parts_holding_money(self.context.sales.payments(order_id))
        dialog = PartRefundDialog(self, parts)
        accepted = dialog.exec() == PartRefundDialog.DialogCode.Accepted
        part = dialog.chosen
        dialog.deleteLater()
        staff = self.authorized("refund") if accepted and part is not None else None
        if part is None or staff is None:
            return
        identity, _new = self._receipt_identity(order_id, parts[part])
        if identity == "":
            return  # the cashier gave up on the customer's 현금영수증 number
        checks = self.context.checks
        run_op(self, lambda: checks.refund_part(order_id, part, staff, "고객 요청",
                                                cash_receipt_identity=identity),
               on_success=self._refunded, on_error=self._failed, label=t("환불") + "...",
               device="van")

    def _refund(self, picks: dict[int, int] | None) -> None:
        order_id = self.order_id
        staff = self.authorized("refund")
        if order_id is None or staff is None:
            return
        identities = self._receipt_identity(order_id)
        if identities == ("", None):
            return
        identity, new = identities
        run_op(self, lambda: self.context.sales.refund(order_id, staff, picks, "고객 요청",
                                                       cash_receipt_identity=identity,
                                                       new_cash_receipt_identity=new),
               on_success=self._refunded, on_error=self._failed, label=t("환불") + "...",
               device="van")

    def _receipt_identity(self, order_id: int, tenders: list[Any] | None = None
                          ) -> tuple[str | None, str | None]:
        """A cash tender with a 현금영수증 (not self-issued) needs the customer's number again to
        cancel it: it is not stored, only masked, and the number typed must match that. With
        번호 변경 a second pad asks where the receipt for the rest goes. ``tenders``: only
        these are given back (one part of a check), else the order's.
        (None, None) = not needed; ("", None) = the cashier gave up."""
        from kspos.devices.cards import mask_identity
        from kspos.sales.payments import SELF_ISSUED_ID
        from ui.dialogs.cash_receipt import CashReceiptDialog

        given_back = self.context.sales.payments(order_id) if tenders is None else tenders
        needs = [p for p in given_back
                 if p.row.cash_receipt_approval_no and p.refundable > 0
                 and p.row.cash_receipt_id_masked != mask_identity(SELF_ISSUED_ID)]
        if not needs:
            return None, None
        shown = needs[0].row.cash_receipt_id_masked
        dialog = CashReceiptDialog(self, expect=shown)
        dialog.title.setText(f"{t('현금영수증')} 취소: {shown}")
        if tenders is not None and dialog.change_number is not None:
            dialog.change_number.hide()  # a part's tenders go back whole: nothing is kept
        if dialog.exec() != CashReceiptDialog.DialogCode.Accepted or dialog.request is None:
            return "", None
        if not dialog.wants_new_number:
            return dialog.request.identity, None
        again = CashReceiptDialog(self)
        again.title.setText(f"{t('현금영수증')}: {t('새 번호')}")
        if again.exec() != CashReceiptDialog.DialogCode.Accepted or again.request is None:
            return "", None
        return dialog.request.identity, again.request.identity

    def _refunded(self, outcome: Any) -> None:
        self.reload()
        self.message.say(" · ".join([f"{t('환불')} {won(outcome.amount)}", *outcome.warnings]),
                         ok=not outcome.warnings)
        # the 취소/환불 영수증 the refund queued, for the customer (added to the message)
        retry_printing(self, self.context, lambda text: self.message.say(
            f"{self.message.text()} · {text}", ok=not outcome.warnings))
        if outcome.cash_back > 0:
            run_op(self, lambda: self.context.open_drawer("refund"), device="printer",
                   on_success=lambda _r: None,
                   on_error=lambda e: self.message.setText(
                       f"{self.message.text()} · {t('프린터')}: {e}"))  # added, not replaced

    def _failed(self, error: BaseException) -> None:
        self.reload()
        from kspos.store.db import StoreError

        if isinstance(error, (OrderError, PaymentError, AuthError, StoreError)):
            self.message.say(error)
        else:
            log.error("refund failed: %r", error)
            self.message.say(f"{t('오류')}: {error}")

    def reprint(self) -> None:
        from ui.printing import print_order

        if self.order_id is not None:
            self.message.say(t("재발행"), ok=True)
            print_order(self, self.context, self.order_id, True, self.message.say)

    def toggle_preview(self) -> None:
        """Show the slip as the printer prints it (the same layout, rendered to an image)."""
        if self.detail_stack.currentIndex() == 1 or self.order_id is None:
            self.detail_stack.setCurrentIndex(0)
            return
        printing = self.context.printing
        if printing is None:
            self.message.say(f"{t('프린터')}: 설정되지 않았습니다 (no printer)")
            return
        from PySide6.QtGui import QPixmap

        self._preview_pixmap = QPixmap()
        self._preview_pixmap.loadFromData(printing.preview_png(self.order_id))
        self.detail_stack.setCurrentIndex(1)
        self._fit_preview()

    def _fit_preview(self) -> None:
        pixmap = getattr(self, "_preview_pixmap", None)
        if pixmap is None or pixmap.isNull():
            return
        width = max(200, self.preview_scroll.viewport().width() - 4)
        self.preview.setPixmap(pixmap.scaledToWidth(
            min(width, pixmap.width()), Qt.TransformationMode.SmoothTransformation))

    def eventFilter(self, watched: Any, event: Any) -> bool:  # noqa: N802 - Qt override
        if watched is self.preview_scroll.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_preview()
        return False


def create(context: AppContext, window: Any) -> HistoryScreen:
    return HistoryScreen(context, window)


def prepare_for_shot(widget: QWidget, window: Any) -> None:
    """Pay the sample order in cash so history has something to show."""
    from ui.screens.samples import demo_sample_order

    assert isinstance(widget, HistoryScreen)
    context = widget.context
    if not context.sales.history(limit=1):
        demo_sample_order(context)
        context.register.pay_cash(50_000)
    widget.order_id = None
    widget.reload()
    widget.toggle_preview()
