"""카드 결제: 할부 first (50,000원 and up) → wait for the reader (cancelable) → signature above
50,000원 → 승인 요청 → approved, or the host's Message1 in red with 다시 시도 / 다른 결제수단.
Nothing blocks the window: the reader and the VAN each work on their own thread.

With the simulated reader (demo) the read starts only once the cashier picks a test card (승인,
한도초과, 잔액부족...): the simulator would otherwise answer before anything can be chosen."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QStackedWidget, QVBoxLayout, QWidget

from kspos.ports import CardRead, ReadResult
from kspos.sales.payments import Method, PaymentError, TenderRequest
from kspos.van.codes import RESPONSE_CODES
from kspos.van.host import TEST_CARDS
from ui.dialogs.base import TouchDialog
from ui.i18n import localize, t, won
from ui.ops import run_op
from ui.widgets.common import button, label, restyle
from ui.widgets.signature import SignaturePad

if TYPE_CHECKING:
    from kspos.context import AppContext

INSTALLMENT_FROM = 50_000
SIGNATURE_ABOVE = 50_000
READ_TIMEOUT_S = 60.0
MAX_MONTHS = 12  # korean-rules: 2-36 allowed, the UI offers 2-12
DEMO_APPROVE_PAN = "4111111111111111"
PAGE_INSERT, PAGE_SIGN, PAGE_APPROVING, PAGE_INSTALLMENT = range(4)


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

    def __init__(self, context: AppContext, amount: int, parent: QWidget | None = None) -> None:
        super().__init__(parent, t("카드") + " " + t("결제"))
        self.setObjectName("CardDialog")
        self.context, self.amount = context, amount
        self.reader = context.devices.card_reader
        self.card: CardRead | None = None
        self.result: Any = None
        self.reading = False
        self.months: int | None = None  # chosen 할부; None: not chosen yet
        self.rechoosing = False  # 할부 변경 cancelled the read: its end leads back to 할부
        self.keep_months = False  # 다시 시도 keeps the 할부 (not after the host declined)
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
        change.setVisible(self.amount >= INSTALLMENT_FROM)
        col.addWidget(change)
        return page

    def _installment_page(self) -> QWidget:
        """일시불 and 2-12개월 as big buttons: the choice is made before the card is read."""
        page = QWidget()
        grid = QGridLayout(page)
        for at, months in enumerate([0, *range(2, MAX_MONTHS + 1)]):
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

    # --- steps ----------------------------------------------------------------------------------

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if not self.reading and self.card is None and self.result is None:
            self.start()

    def say(self, text: str, danger: bool = False) -> None:
        self.step.setText(localize(text))  # a core message: "한국어 (English)" shows one half
        restyle(self.step, "error" if danger else "title")

    def _retry(self) -> None:
        self.start(self.months if self.keep_months else None)

    def start(self, months: int | None = None) -> None:
        """(Re)start: 할부 first when the amount allows it (unless ``months`` is already
        chosen), then the card step."""
        self.retry.hide()
        self.card = None
        self.months = None
        self.keep_months = True
        self.pages.setCurrentIndex(PAGE_INSERT)
        self.demo_picker.setEnabled(False)  # no test card before the checks below pass
        if self.context.reversal_pending():
            self.say(t("망취소 대기 중 — 카드 결제 중지"), danger=True)
            self.retry.show()
            return
        if self.reader is None:
            problem = self.context.devices.problems.get("card_reader", "")
            self.say("카드 리더기가 없습니다 (no card reader)"
                     + (f" · {problem}" if problem else ""), danger=True)
            return
        if self.amount >= INSTALLMENT_FROM and months is None:
            self.pages.setCurrentIndex(PAGE_INSTALLMENT)
            self.say(t("할부를 선택하세요"))
            return
        self._choose(months or 0)

    def _choose(self, months: int) -> None:
        """The 할부 is set: wait for the card (in demo, for the cashier's test card)."""
        self.months = months
        self.pages.setCurrentIndex(PAGE_INSERT)
        self.say(self._with_months(t("카드를 넣어주세요")))
        self.demo_picker.setEnabled(True)
        if self.demo and self.reader is not None and self.reader.status().state != "card":
            return  # the simulated reader would answer at once: the cashier picks a card first
        self._read()

    def _with_months(self, text: str) -> str:
        if self.amount < INSTALLMENT_FROM:
            return text
        return f"{t('할부')} {months_text(self.months or 0)} · {text}"

    def _read(self) -> None:
        assert self.reader is not None
        self.demo_picker.setEnabled(False)
        self.reading = True
        reader, amount = self.reader, self.amount

        def read() -> CardRead:
            reader.open()
            reader.display(f"{amount:,}원", "카드를 넣어주세요")
            return reader.read_card(amount, READ_TIMEOUT_S)

        run_op(self, read, device="card_reader", on_success=self._read_done,
               on_error=self._device_failed)

    def _insert_test_card(self, pan: str) -> None:
        if self.reading or self.months is None:
            return
        self.reader.insert_card(pan)  # type: ignore[union-attr]
        self._read()

    def _change_installment(self) -> None:
        """Back to 할부 before the card is read; a pending read is cancelled first."""
        if self.reading and self.reader is not None:
            self.rechoosing = True
            self.say(t("할부를 선택하세요"))
            threading.Thread(target=self.reader.cancel_read, daemon=True).start()
            return
        self.start()

    def _read_done(self, card: CardRead) -> None:
        self.reading = False
        if not self.isVisible():
            return
        if self.rechoosing:  # whatever the read brought (a card read too late is dropped)
            self.rechoosing = False
            self.start()
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
            self.pages.setCurrentIndex(PAGE_SIGN)
            self.say(self._with_months(f"{card.brand} {card.masked_pan} — {t('서명해 주세요')}"))
        else:
            self._approve(None)

    def _signed(self) -> None:
        if self.pad.is_empty():
            self.say(t("서명해 주세요"), danger=True)
            return
        self._approve(self.pad.signature())

    def _approve(self, signature: Any) -> None:
        assert self.card is not None
        self.pages.setCurrentIndex(PAGE_APPROVING)
        self.say(t("승인 요청 중..."))
        self.cancel_button.setEnabled(False)  # a request on the wire cannot be taken back
        request = TenderRequest(Method.CARD, self.amount, "", card=self.card,
                                signature=signature,
                                installment=self.months or 0)
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
        self.keep_months = False  # e.g. 할부불가: the cashier chooses again
        self.retry.show()

    def _device_failed(self, error: BaseException) -> None:
        self.reading = False
        self.rechoosing = False
        self.cancel_button.setEnabled(True)
        self.say(str(error) if isinstance(error, (PaymentError, Exception)) else repr(error),
                 danger=True)
        self.retry.show()

    def reject(self) -> None:
        if self.reading and self.reader is not None:
            # cancel_read talks to the reader (it may wait for an ACK): not on the GUI thread
            threading.Thread(target=self.reader.cancel_read, daemon=True).start()
        super().reject()
