"""카드 결제: 할부 first (50,000원 and up) → wait for the reader (cancelable) → signature above
50,000원 → 승인 요청 → approved, or the host's Message1 in red with 다시 시도 / 다른 결제수단.
The flow is kspos.sales.checkout.CardCheckout: this dialog draws its state and forwards taps
and device results to it. Nothing blocks the window: the reader and the VAN each work on their
own thread.

With the simulated reader (demo) the read starts only once the cashier picks a test card (승인,
한도초과, 잔액부족...): the simulator would otherwise answer before anything can be chosen."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QStackedWidget, QVBoxLayout, QWidget

from kspos.ports import CardRead, ReadResult, Signature
from kspos.sales.checkout import (
    MAX_INSTALLMENT_MONTHS,
    Answered,
    Cancel,
    CardCheckout,
    CardState,
    ChangeInstallment,
    ChooseInstallment,
    Event,
    Failed,
    Notice,
    Open,
    ReadStarted,
    Retry,
    Signed,
    offers_installments,
    read_event,
)
from kspos.van.codes import RESPONSE_CODES
from kspos.van.host import TEST_CARDS
from ui.dialogs.base import TouchDialog
from ui.i18n import localize, message, t, won
from ui.ops import run_op
from ui.widgets.common import button, label, restyle
from ui.widgets.signature import SignaturePad

if TYPE_CHECKING:
    from kspos.context import AppContext

READ_TIMEOUT_S = 60.0
DEMO_APPROVE_PAN = "4111111111111111"
PAGE_INSERT, PAGE_SIGN, PAGE_APPROVING, PAGE_INSTALLMENT = range(4)
# The page each state shows; a state not listed keeps the page it found (an error shows over
# whatever step it ended).
PAGES = {CardState.NO_READER: PAGE_INSERT, CardState.REVERSAL_PENDING: PAGE_INSERT,
         CardState.CHOOSING_INSTALLMENT: PAGE_INSTALLMENT,
         CardState.WAITING_FOR_CARD: PAGE_INSERT, CardState.SIGNATURE: PAGE_SIGN,
         CardState.APPROVING: PAGE_APPROVING}
RETRYABLE = frozenset({CardState.REVERSAL_PENDING, CardState.CHIP_FALLBACK, CardState.FAILED,
                       CardState.DECLINED})
READ_FAILURES = {ReadResult.TIMED_OUT: "시간 초과 (timed out)",
                 ReadResult.CANCELLED: "취소됨 (cancelled)",
                 ReadResult.ERROR: "카드를 읽지 못했습니다 (read error)"}


def months_text(months: int) -> str:
    """일시불 for 0, else ``N개월`` in the UI's language."""
    return t("일시불") if months == 0 else t("{n}개월").replace("{n}", str(months))


def demo_cards() -> list[tuple[str, str, str]]:
    """(button name, label, PAN) of the simulator's test cards, the approving one first."""
    cards = [("card-test-approve", t("승인"), DEMO_APPROVE_PAN)]
    for pan, code in TEST_CARDS.items():
        cards.append((f"card-test-{code}", t(RESPONSE_CODES[code][1]), pan))
    return cards


class CardDialog(TouchDialog):
    """Takes ``amount`` of the register's order by card; ``result`` holds the TenderResult."""

    def __init__(self, context: AppContext, amount: int, parent: QWidget | None = None,
                 pay: Any = None) -> None:
        super().__init__(parent, t("카드") + " " + t("결제"))
        self.setObjectName("CardDialog")
        self.context, self.amount = context, amount
        # what takes the tender: the register's order, or a part of a table's check
        self.pay = pay if pay is not None else context.register.pay
        self.reader = context.devices.card_reader
        self.checkout = CardCheckout(amount, reversal_pending=context.reversal_pending,
                                     has_reader=self.reader is not None)
        self.result: Any = None
        self.demo = self.reader is not None and self.reader.simulated
        self.amount_label = label(won(amount), "big-amount", name="card-amount",
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
        self.pages.addWidget(self._installment_page())
        self.body.addWidget(self.pages, 1)
        self.retry = button(t("다시 시도"), "primary", self._retry, name="card-retry")
        self.retry.setMinimumHeight(64)
        self.retry.hide()
        self.buttons.addWidget(self.retry, 2)
        self.cancel_button.setText(t("다른 결제수단"))
        self.setMinimumSize(640, 520)

    def _insert_page(self) -> QWidget:
        page = QWidget()
        col = QVBoxLayout(page)
        self.demo_picker = QWidget()
        if self.demo:
            grid = QGridLayout(self.demo_picker)
            grid.setContentsMargins(0, 0, 0, 0)
            grid.addWidget(label(t("테스트 카드 (데모)"), "muted"), 0, 0, 1, 3)
            for at, (name, text, pan) in enumerate(demo_cards()):
                pick = button(text, "primary" if at == 0 else "", name=name,
                              on_click=lambda pan=pan: self._insert_test_card(pan))
                pick.setMinimumHeight(56)
                grid.addWidget(pick, 1 + at // 3, at % 3)
        self.demo_picker.setVisible(self.demo)
        col.addWidget(self.demo_picker)
        col.addStretch(1)
        change = button(t("할부 변경"), "", self._change_installment,
                        name="card-installment-change")
        change.setMinimumHeight(56)
        change.setVisible(offers_installments(self.amount))
        col.addWidget(change)
        return page

    def _installment_page(self) -> QWidget:
        """일시불 and 2-12개월 as big buttons: the choice is made before the card is read."""
        page = QWidget()
        grid = QGridLayout(page)
        for at, months in enumerate([0, *range(2, MAX_INSTALLMENT_MONTHS + 1)]):
            choose = button(months_text(months), "primary" if months == 0 else "",
                            name=f"card-installment-{months}",
                            on_click=lambda months=months: self._choose(months))
            choose.setMinimumHeight(64)
            grid.addWidget(choose, at // 4, at % 4)
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

    @property
    def reading(self) -> bool:
        """A read is on the reader (the soak rig waits on it)."""
        return self.checkout.reading

    # --- the machine's state on the screen -----------------------------------------------------

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if self.checkout.state is CardState.NEW:
            self._fire(Open())

    def say(self, text: str, danger: bool = False) -> None:
        self.step.setText(localize(text))  # a core message: "한국어 (English)" shows one half
        restyle(self.step, "error" if danger else "title")

    def _fire(self, event: Event) -> None:
        """Forward a tap or a device result; draw the state it leads to and start the device
        work that state asks for. A device result the state no longer takes (a read ending
        after 다른 결제수단) is dropped."""
        if not self.checkout.accepts(event):
            return
        before = self.checkout.state
        state = self.checkout.handle(event)
        self._show(state)
        if state is not before:
            self._enter(state)

    def _show(self, state: CardState) -> None:
        """State → page and step line (the only place the dialog decides what to draw)."""
        m = self.checkout
        page = PAGES.get(state)
        if page is not None:
            self.pages.setCurrentIndex(page)
        self.retry.setVisible(state in RETRYABLE)
        self.demo_picker.setEnabled(state is CardState.WAITING_FOR_CARD and not m.reading)
        self.cancel_button.setEnabled(state is not CardState.APPROVING)
        if m.notice is Notice.SIGN_FIRST:
            self.say(t("서명해 주세요"), danger=True)
        elif state is CardState.NO_READER:
            problem = self.context.devices.problems.get("card_reader", "")
            self.say("카드 리더기가 없습니다 (no card reader)"
                     + (f" · {problem}" if problem else ""), danger=True)
        elif state is CardState.REVERSAL_PENDING:
            self.say(m.message or t("망취소 대기 중 — 카드 결제 중지"), danger=True)
        elif state in (CardState.CHOOSING_INSTALLMENT, CardState.RECHOOSING):
            self.say(t("할부를 선택하세요"))
        elif state is CardState.WAITING_FOR_CARD:
            self.say(self._with_months(t("카드를 넣어주세요")))
        elif state is CardState.CHIP_FALLBACK:
            self.say("IC 인식 실패 — 카드를 긁어주세요 (swipe the card)", danger=True)
        elif state is CardState.SIGNATURE and m.card is not None:
            card = m.card
            self.say(self._with_months(f"{card.brand} {card.masked_pan} — {t('서명해 주세요')}"))
        elif state is CardState.APPROVING:
            self.say(t("승인 요청 중..."))
        elif state in (CardState.FAILED, CardState.DECLINED):
            words = READ_FAILURES.get(m.read_result) if m.read_result else None
            self.say(words or m.message, danger=True)

    def _enter(self, state: CardState) -> None:
        """The device work a state asks for, on the device worker threads."""
        if state is CardState.WAITING_FOR_CARD:
            if self.demo and self.reader is not None and self.reader.status().state != "card":
                return  # the simulated reader would answer at once: the cashier picks a card
            self._read()
        elif state is CardState.RECHOOSING:
            self._cancel_read()
        elif state is CardState.SIGNATURE:
            self.pad.clear()
            if self.context.customer.ask_signature(self.amount, self._customer_signed):
                self.say(t("고객 화면에서 서명을 받고 있습니다 — 여기서 서명해도 됩니다"))
        elif state is CardState.APPROVING:
            self.context.customer.step("approving")
            request, pay = self.checkout.take_request(), self.pay
            run_op(self, lambda: pay(request), device="van",
                   on_success=lambda result: self._fire(Answered(result)),
                   on_error=self._device_failed)
        elif state is CardState.DONE:
            self.result = self.checkout.result
            self.accept()

    def _with_months(self, text: str) -> str:
        if not offers_installments(self.amount):
            return text
        return f"{t('할부')} {months_text(self.checkout.months or 0)} · {text}"

    # --- the cashier's taps and the devices' results, as events -------------------------------

    def _retry(self) -> None:
        self._fire(Retry())

    def _choose(self, months: int) -> None:
        self._fire(ChooseInstallment(months))

    def _change_installment(self) -> None:
        """Back to 할부 before the card is read; a pending read is cancelled first."""
        self._fire(ChangeInstallment())

    def _insert_test_card(self, pan: str) -> None:
        if self.reader is None or not self.checkout.accepts(ReadStarted()):
            return
        self.reader.insert_card(pan)
        self._read()

    def _read(self) -> None:
        if self.reader is None or not self.checkout.accepts(ReadStarted()):
            return
        self._fire(ReadStarted())
        reader, amount = self.reader, self.amount

        def read() -> CardRead:
            reader.open()
            reader.display(f"{amount:,}원", "카드를 넣어주세요")
            return reader.read_card(amount, READ_TIMEOUT_S)

        run_op(self, read, device="card_reader",
               on_success=lambda card: self._fire(read_event(card)),
               on_error=self._device_failed)

    def _cancel_read(self) -> None:
        if self.reader is not None:
            # cancel_read talks to the reader (it may wait for an ACK): not on the GUI thread
            threading.Thread(target=self.reader.cancel_read, daemon=True).start()

    def _signed(self) -> None:
        self.context.customer.take_over()  # the cashier's pad: the customer's goes away
        self._fire(Signed(None if self.pad.is_empty() else self.pad.signature()))

    def _customer_signed(self, signature: Signature) -> None:
        """The customer signed on their display (``[ui] customer_signature``)."""
        self._fire(Signed(signature))

    def done(self, code: int) -> None:
        self.context.customer.take_over()
        super().done(code)

    def _device_failed(self, error: BaseException) -> None:
        self._fire(Failed(message(error) if isinstance(error, Exception) else repr(error)))

    def reject(self) -> None:
        if not self.checkout.accepts(Cancel()):
            return  # a request on the wire cannot be taken back (Escape included)
        reading = self.checkout.reading
        self.checkout.handle(Cancel())
        if reading:
            self._cancel_read()
        super().reject()
