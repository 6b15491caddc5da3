"""카드 결제: wait for the reader (cancelable) → signature above 50,000원 → 승인 요청 →
approved, or the host's Message1 in red with 다시 시도 / 다른 결제수단. Nothing blocks the
window: the reader and the VAN each work on their own thread."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QStackedWidget, QVBoxLayout, QWidget

from kspos.payments import Method, PaymentError, TenderRequest
from kspos.ports import CardRead, ReadResult
from ui.dialogs.base import TouchDialog
from ui.i18n import t
from ui.ops import run_op
from ui.widgets.common import button, label, restyle
from ui.widgets.signature import SignaturePad

if TYPE_CHECKING:
    from kspos.context import AppContext

INSTALLMENT_FROM = 50_000
SIGNATURE_ABOVE = 50_000
READ_TIMEOUT_S = 60.0


class CardDialog(TouchDialog):
    """Takes ``amount`` of the register's order by card; ``result`` holds the TenderResult."""

    def __init__(self, context: AppContext, amount: int, parent: QWidget | None = None) -> None:
        super().__init__(parent, t("카드") + " " + t("결제"))
        self.setObjectName("CardDialog")
        self.context, self.amount = context, amount
        self.reader = context.devices.card_reader
        self.card: CardRead | None = None
        self.result: Any = None
        self.reading = False
        self.amount_label = label(f"{amount:,}원", "big-amount", name="card-amount",
                                  align=Qt.AlignmentFlag.AlignCenter)
        self.body.addWidget(self.amount_label)
        self.step = label(t("카드를 넣어주세요"), "title", name="card-step",
                          align=Qt.AlignmentFlag.AlignCenter)
        self.step.setWordWrap(True)
        self.body.addWidget(self.step)
        self.pages = QStackedWidget()
        self.pages.addWidget(self._insert_page())
        self.pages.addWidget(self._sign_page())
        self.pages.addWidget(QWidget())  # approving: the step line says it all
        self.body.addWidget(self.pages, 1)
        self.retry = button(t("다시 시도"), "primary", self.start, name="card-retry")
        self.retry.setMinimumHeight(64)
        self.retry.hide()
        self.buttons.addWidget(self.retry, 2)
        self.cancel_button.setText(t("다른 결제수단"))
        self.setMinimumSize(640, 520)

    def _insert_page(self) -> QWidget:
        page = QWidget()
        col = QVBoxLayout(page)
        row = QHBoxLayout()
        self.installment = QComboBox()
        self.installment.setObjectName("card-installment")
        self.installment.addItem(t("일시불"), 0)
        for months in range(2, 13):
            self.installment.addItem(f"{months}개월", months)
        self.installment.setMinimumHeight(56)
        row.addWidget(label(t("할부"), "muted"))
        row.addWidget(self.installment, 1)
        self.installment_row = QWidget()
        self.installment_row.setLayout(row)
        self.installment_row.setVisible(self.amount >= INSTALLMENT_FROM)
        col.addWidget(self.installment_row)
        if self.reader is not None and hasattr(self.reader, "insert_card"):
            demo = button("테스트 카드 넣기 (demo)", "", self._insert_test_card,
                          name="card-demo-insert")
            col.addWidget(demo)
        col.addStretch(1)
        return page

    def _sign_page(self) -> QWidget:
        page = QWidget()
        col = QVBoxLayout(page)
        self.pad = SignaturePad()
        col.addWidget(self.pad, 1)
        row = QHBoxLayout()
        row.addWidget(button(t("지우기"), "", self.pad.clear, name="sign-clear"))
        ok = button(t("확인"), "primary", self._signed, name="sign-ok")
        row.addWidget(ok, 2)
        col.addLayout(row)
        return page

    # --- steps ----------------------------------------------------------------------------------

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if not self.reading and self.card is None and self.result is None:
            self.start()

    def say(self, text: str, danger: bool = False) -> None:
        self.step.setText(text)
        restyle(self.step, "error" if danger else "title")

    def start(self) -> None:
        """(Re)start at the card step."""
        self.retry.hide()
        self.card = None
        self.pages.setCurrentIndex(0)
        if self.context.reversal_pending():
            self.say(t("망취소 대기 중 — 카드 결제 중지"), danger=True)
            self.retry.show()
            return
        if self.reader is None:
            problem = self.context.devices.problems.get("card_reader", "")
            self.say(f"카드 리더기가 없습니다 (no card reader) {problem}", danger=True)
            return
        self.say(t("카드를 넣어주세요"))
        self.reading = True
        reader, amount = self.reader, self.amount

        def read() -> CardRead:
            reader.open()
            reader.display(f"{amount:,}원", "카드를 넣어주세요")
            return reader.read_card(amount, READ_TIMEOUT_S)

        run_op(self, read, device="card_reader", on_success=self._read_done,
               on_error=self._device_failed)

    def _insert_test_card(self) -> None:
        self.reader.insert_card()  # type: ignore[union-attr]

    def _read_done(self, card: CardRead) -> None:
        self.reading = False
        if not self.isVisible():
            return
        if card.result is ReadResult.FALLBACK:
            self.say("IC 인식 실패 — 카드를 긁어주세요 (swipe the card)", danger=True)
            self.retry.show()
            return
        if card.result is not ReadResult.READ:
            words = {ReadResult.TIMED_OUT: "시간 초과 (timed out)",
                     ReadResult.CANCELLED: "취소됨 (cancelled)",
                     ReadResult.ERROR: "카드를 읽지 못했습니다 (read error)"}
            self.say(words.get(card.result, str(card.result)), danger=True)
            self.retry.show()
            return
        self.card = card
        if self.amount > SIGNATURE_ABOVE:
            self.pad.clear()
            self.pages.setCurrentIndex(1)
            self.say(f"{card.brand} {card.masked_pan} — {t('서명해 주세요')}")
        else:
            self._approve(None)

    def _signed(self) -> None:
        if self.pad.is_empty():
            self.say(t("서명해 주세요"), danger=True)
            return
        self._approve(self.pad.signature())

    def _approve(self, signature: Any) -> None:
        assert self.card is not None
        self.pages.setCurrentIndex(2)
        self.say(t("승인 요청 중..."))
        self.cancel_button.setEnabled(False)  # a request on the wire cannot be taken back
        request = TenderRequest(Method.CARD, self.amount, "", card=self.card,
                                signature=signature,
                                installment=int(self.installment.currentData() or 0))
        self.card = None  # track-2 lives only in the request from here on
        register = self.context.register
        run_op(self, lambda: register.pay(request), device="van", on_success=self._approved,
               on_error=self._device_failed)

    def _approved(self, result: Any) -> None:
        self.cancel_button.setEnabled(True)
        if result.approved:
            self.result = result
            self.accept()
            return
        self.say(result.message, danger=True)
        self.retry.show()

    def _device_failed(self, error: BaseException) -> None:
        self.reading = False
        self.cancel_button.setEnabled(True)
        self.say(str(error) if isinstance(error, (PaymentError, Exception)) else repr(error),
                 danger=True)
        self.retry.show()

    def reject(self) -> None:
        if self.reading and self.reader is not None:
            # cancel_read talks to the reader (it may wait for an ACK): not on the GUI thread
            threading.Thread(target=self.reader.cancel_read, daemon=True).start()
        super().reject()
