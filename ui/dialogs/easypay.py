"""간편결제: "고객 바코드를 스캔하세요" → the detected wallet by name (or a manual pick) →
승인 요청 → approved, or the host's message with 다시 시도. The flow is
kspos.sales.checkout.EasyPayCheckout: this dialog draws its state and forwards the scans, the
taps and the tender's outcome to it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QButtonGroup, QGridLayout, QWidget

from kspos.devices.scanning import WALLET_NAMES
from kspos.sales.checkout import (
    Answered,
    Cancel,
    EasyPayCheckout,
    EasyPayState,
    Event,
    Failed,
    Notice,
    Pay,
    Scanned,
)
from kspos.sales.tenders import wallet_name
from ui.dialogs.base import TouchDialog
from ui.i18n import current_language, localize, message, t, won
from ui.ops import run_op
from ui.widgets.common import button, label, restyle

if TYPE_CHECKING:
    from kspos.context import AppContext

DEMO_CODE = "281006123456789012"  # a Kakao Pay-shaped code for the demo's simulated scanner


class EasyPayDialog(TouchDialog):
    def __init__(self, context: AppContext, amount: int, parent: QWidget | None = None,
                 pay: Any = None) -> None:
        super().__init__(parent, t("간편결제"))
        self.setObjectName("EasyPayDialog")
        self.context, self.amount = context, amount
        # what takes the tender: the register's order, or a part of a table's check
        self.pay = pay if pay is not None else context.register.pay
        self.checkout = EasyPayCheckout(amount, reversal_pending=context.reversal_pending)
        self.result: Any = None
        self.body.addWidget(label(won(amount), "big-amount", name="easypay-amount",
                                  align=Qt.AlignmentFlag.AlignCenter))
        self.step = label(t("고객 바코드를 스캔하세요"), "title", name="easypay-step",
                          align=Qt.AlignmentFlag.AlignCenter)
        self.step.setWordWrap(True)
        self.body.addWidget(self.step)
        self.wallet_label = label("", "title", name="easypay-wallet",
                                  align=Qt.AlignmentFlag.AlignCenter)
        self.body.addWidget(self.wallet_label)
        self.wallets = QButtonGroup(self)
        grid = QGridLayout()
        grid.setSpacing(8)
        for n, (code, (ko, en)) in enumerate(WALLET_NAMES.items()):
            b = button(en if current_language() == "en" else ko, "choice",
                       name=f"wallet-{code}")
            b.setCheckable(True)
            b.setProperty("wallet", code)
            self.wallets.addButton(b, n)
            grid.addWidget(b, n // 4, n % 4)
        self.wallet_box = QWidget()
        self.wallet_box.setLayout(grid)
        self.wallet_box.hide()
        self.body.addWidget(self.wallet_box)
        scanner = context.devices.scanner
        if scanner is not None and scanner.simulated:
            self.body.addWidget(button("테스트 코드 스캔 (demo)", "",
                                       lambda: scanner.queue_scan(DEMO_CODE),
                                       name="easypay-demo-scan"))
        self.ok = self.add_ok(t("결제"), self._approve, name="easypay-pay")
        self.ok.setEnabled(False)
        self.setMinimumSize(640, 480)

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        # Scans come here while the dialog is open, whichever screen opened it
        # (the cashier's order, or a part of a table's check).
        from ui.scanning import claim

        claim(self)
        super().showEvent(event)

    def done(self, result: int) -> None:
        from ui.scanning import release

        release(self)
        super().done(result)

    @property
    def busy(self) -> bool:
        """A request is on the wire (the soak rig waits on it)."""
        return self.checkout.state is EasyPayState.APPROVING

    def take_scan(self, raw: str) -> bool:
        """A scan arrived while this dialog is open; True when it was a usable code."""
        if not self._fire(Scanned(raw)):
            return False  # a request is on the wire
        m = self.checkout
        if m.notice is Notice.NOT_A_PAYMENT_CODE:
            return False
        if m.detected:
            self.wallet_label.setText(wallet_name(m.wallet, current_language()))
            self.wallet_box.hide()
            self._pick(m.wallet)
        else:
            self.wallet_label.setText("")
            self.wallet_box.show()
        return True

    def _pick(self, wallet: str | None) -> None:
        for b in self.wallets.buttons():
            b.setChecked(b.property("wallet") == wallet)

    def _wallet(self) -> str | None:
        chosen = self.wallets.checkedButton()
        return str(chosen.property("wallet")) if chosen else None

    def say(self, text: str, danger: bool = False) -> None:
        self.step.setText(localize(text))  # a core message: "한국어 (English)" shows one half
        restyle(self.step, "error" if danger else "title")

    def _approve(self) -> None:
        self._fire(Pay(self._wallet()))

    def _fire(self, event: Event) -> bool:
        """Forward ``event``, draw the state it leads to and send the tender when it asks;
        False when the state does not take it."""
        if not self.checkout.accepts(event):
            return False
        before = self.checkout.state
        state = self.checkout.handle(event)
        self._show(state)
        if state is EasyPayState.APPROVING and before is not state:
            request, pay = self.checkout.take_request(), self.pay
            run_op(self, lambda: pay(request), device="van", on_success=self._answered,
                   on_error=self._failed)
        elif state is EasyPayState.DONE:
            self.result = self.checkout.result
            self.accept()
        return True

    def _answered(self, result: Any) -> None:
        self._fire(Answered(result))

    def _failed(self, error: BaseException) -> None:
        self._fire(Failed(message(error)))  # the sentence in the screen's language

    def _show(self, state: EasyPayState) -> None:
        """State → step line and buttons."""
        m = self.checkout
        self.cancel_button.setEnabled(state is not EasyPayState.APPROVING)
        # 결제 by tap: a code whose wallet the cashier picks (the detected ones go by themselves)
        self.ok.setEnabled(state in (EasyPayState.CHOOSING_WALLET, EasyPayState.REVERSAL_PENDING)
                           and bool(m.code) and not m.detected)
        if m.notice is Notice.NOT_A_PAYMENT_CODE:
            self.say("결제 코드가 아닙니다: 고객의 결제 바코드를 스캔하세요 "
                     "(not a payment code)", danger=True)
        elif m.notice is Notice.PICK_WALLET:
            self.say("지갑을 선택하세요 (pick the wallet)", danger=True)
        elif state is EasyPayState.CHOOSING_WALLET:
            self.say("지갑을 선택하세요 (pick the wallet)")
        elif state is EasyPayState.APPROVING:
            self.say(t("승인 요청 중..."))
        elif state is EasyPayState.REVERSAL_PENDING and not m.message:
            self.say(t("망취소 대기 중 — 카드 결제 중지"), danger=True)
        elif state in (EasyPayState.DECLINED, EasyPayState.FAILED,
                       EasyPayState.REVERSAL_PENDING):
            self.say(f"{m.message} — {t('고객 바코드를 스캔하세요')}", danger=True)

    def reject(self) -> None:
        if self._fire(Cancel()):
            super().reject()
