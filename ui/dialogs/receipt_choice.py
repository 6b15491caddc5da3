"""영수증을 출력할까요? — the question after a sale when the store asks (``[store] receipt =
"ask"``): 출력 prints the slip, 안 함 leaves it unprinted and the customer display shows its QR.
Enter is 출력, Esc 안 함 (a USB keypad answers too)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from ui.dialogs.base import TouchDialog
from ui.i18n import t
from ui.widgets.common import label


class ReceiptChoiceDialog(TouchDialog):
    """Accepted: 출력; rejected (안 함, Esc, closed): not printed. ``printed`` says which."""

    def __init__(self, parent: QWidget | None, amount_text: str) -> None:
        super().__init__(parent, t("영수증을 출력할까요?"))
        self.setObjectName("ReceiptChoiceDialog")
        self.printed = False
        self.body.addWidget(label(amount_text, "big-amount", name="receipt-choice-amount"))
        self.body.addWidget(label(t("출력하지 않으면 고객 화면에 영수증 QR이 표시됩니다"), "muted",
                                  name="receipt-choice-hint"))
        # 안 함 is the base dialog's cancel button (Esc rejects), renamed for this question.
        self.cancel_button.setText(t("안 함"))
        self.cancel_button.setObjectName("receipt-none")
        self.print_button = self.add_ok(t("출력"), self._print, name="receipt-print")
        # Two equal big buttons (their size is the theme's #ReceiptChoiceDialog rule).
        self.buttons.setStretch(0, 1)
        self.buttons.setStretch(1, 1)

    def _print(self) -> None:
        self.printed = True
        self.accept()
