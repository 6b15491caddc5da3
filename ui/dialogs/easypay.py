"""간편결제: "고객 바코드를 스캔하세요" → the detected wallet by name (or a manual pick) →
승인 요청 → approved, or the host's message with 다시 시도."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QButtonGroup, QGridLayout, QWidget

from kspos.devices.scanning import WALLET_NAMES, classify_scan
from kspos.sales.payments import Method, TenderRequest
from kspos.sales.tenders import wallet_name
from ui.dialogs.base import TouchDialog
from ui.i18n import current_language, localize, t, won
from ui.ops import run_op
from ui.widgets.common import button, label, restyle

if TYPE_CHECKING:
    from kspos.context import AppContext

DEMO_CODE = "281006123456789012"  # a Kakao Pay-shaped code for the demo's simulated scanner


class EasyPayDialog(TouchDialog):
    def __init__(self, context: AppContext, amount: int, parent: QWidget | None = None) -> None:
        super().__init__(parent, t("간편결제"))
        self.setObjectName("EasyPayDialog")
        self.context, self.amount = context, amount
        self.code = ""
        self.result: Any = None
        self.busy = False
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

    def take_scan(self, raw: str) -> bool:
        """A scan arrived while this dialog is open; True when it was a usable code."""
        if self.busy:
            return False
        kind = classify_scan(raw)
        if not kind.value or kind.kind == "product":
            self.say("결제 코드가 아닙니다: 고객의 결제 바코드를 스캔하세요 "
                     "(not a payment code)", danger=True)
            return False
        self.code = kind.value
        if kind.wallet:
            self.wallet_label.setText(wallet_name(kind.wallet, current_language()))
            self.wallet_box.hide()
            self._pick(kind.wallet)
            self._approve()
        else:
            self.wallet_label.setText("")
            self.wallet_box.show()
            self.say("지갑을 선택하세요 (pick the wallet)")
            self.ok.setEnabled(True)
        return True

    def _pick(self, wallet: str) -> None:
        for b in self.wallets.buttons():
            b.setChecked(b.property("wallet") == wallet)

    def _wallet(self) -> str | None:
        chosen = self.wallets.checkedButton()
        return str(chosen.property("wallet")) if chosen else None

    def say(self, text: str, danger: bool = False) -> None:
        self.step.setText(localize(text))  # a core message: "한국어 (English)" shows one half
        restyle(self.step, "error" if danger else "title")

    def _approve(self) -> None:
        wallet = self._wallet()
        if not self.code or wallet is None:
            self.say("지갑을 선택하세요 (pick the wallet)", danger=True)
            return
        if self.context.reversal_pending():
            self.say(t("망취소 대기 중 — 카드 결제 중지"), danger=True)
            return
        self.busy = True
        self.ok.setEnabled(False)
        self.cancel_button.setEnabled(False)
        self.say(t("승인 요청 중..."))
        request = TenderRequest(Method.EASYPAY, self.amount, "", code=self.code, wallet=wallet)
        self.code = ""  # a payment code is good for one request
        register = self.context.register
        run_op(self, lambda: register.pay(request), device="van", on_success=self._done,
               on_error=lambda e: self._done_error(str(e)))

    def _done(self, result: Any) -> None:
        self.busy = False
        self.cancel_button.setEnabled(True)
        if result.approved:
            self.result = result
            self.accept()
            return
        self._done_error(result.message)

    def _done_error(self, message: str) -> None:
        self.busy = False
        self.cancel_button.setEnabled(True)
        self.say(f"{message} — {t('고객 바코드를 스캔하세요')}", danger=True)
