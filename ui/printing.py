"""Printing from the screens: queue the slip (a database write), then print on the printer's
worker thread; trouble comes back as a message, the job stays queued for a retry."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kspos.receipts.queue import SKIPPED
from ui.i18n import message, printed_count, t, waiting_to_print, won
from ui.ops import run_op

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from kspos.context import AppContext


@dataclass(frozen=True, slots=True)
class _Queued:
    """What the printer's worker found after queueing a slip (read off the GUI thread)."""

    skipped: bool  # kept, not printed (the store's receipt rule)
    asking: bool  # kept until the customer answers ([store] receipt = "ask")
    on_request: bool  # kept for a 재발행 (print_card_receipt = false)
    jobs: list[Any]  # the jobs tried on the printer
    qr_text: str = ""  # the paperless receipt's QR, when not printed
    total: int = 0


def print_order(parent: QWidget, context: AppContext, order_id: int, reprint: bool,
                say: Callable[[str], None], *,
                on_paperless: Callable[[int, str], None] | None = None) -> None:
    """Queue and print the order's slip (a reprint marked 재발행). A sale slip the store does
    not print (``[store] receipt``) calls ``on_paperless(order_id, qr_text)`` on the GUI
    thread, for the customer display's QR; in "ask" mode the customer is asked first."""
    from kspos.sales.staff import AuthError, require

    printing = context.printing
    if printing is None:
        say(f"{t('프린터')}: 설정되지 않았습니다 (no printer)")
        return
    staff = context.register.staff
    if reprint:
        try:
            require(staff, "reprint")  # said here at once; the core checks again
        except AuthError as exc:
            say(message(exc))
            return

    def job() -> _Queued:
        from kspos.receipts.printing import SKIP_CARD, receipt_for_order
        from kspos.receipts.receipt_qr import receipt_qr_text

        job_id = printing.reprint(order_id, staff) if reprint else printing.queue_order(order_id)
        queued = printing.queue.get(job_id)
        if queued is None or queued.state != SKIPPED:
            return _Queued(False, False, False, printing.print_pending())
        receipt = receipt_for_order(printing.db, printing.store, order_id)  # the QR's data
        # The kept slip is not among the pending jobs; others waiting (a retry) still print.
        return _Queued(True, printing.asking(job_id), queued.last_error == SKIP_CARD,
                       printing.print_pending(), receipt_qr_text(receipt), receipt.totals.total)

    def done(outcome: _Queued) -> None:
        failed = _report(printing, outcome.jobs, say)  # other jobs waiting may have failed
        if outcome.asking:
            _ask(parent, context, order_id, outcome, say, on_paperless)
            return
        if not outcome.skipped:
            return
        if outcome.on_request and not failed:  # said, so the cashier can offer it
            say(t("카드 영수증은 요청 시 출력합니다 (거래내역 → 재발행)"))
        if on_paperless is not None:
            on_paperless(order_id, outcome.qr_text)

    run_op(parent, job, device="printer", on_success=done,
           on_error=lambda e: say(f"{t('프린터')}: {e}"))


def _ask(parent: QWidget, context: AppContext, order_id: int, outcome: _Queued,
         say: Callable[[str], None], on_paperless: Callable[[int, str], None] | None) -> None:
    """영수증을 출력할까요? — 출력 prints the kept slip (the original, once); 안 함 shows the QR."""
    from ui.dialogs.receipt_choice import ReceiptChoiceDialog

    printing = context.printing
    assert printing is not None
    dialog = ReceiptChoiceDialog(parent, won(outcome.total))

    def print_it() -> list[Any]:  # on the printer's worker thread
        printing.print_asked(order_id)
        return printing.print_pending()

    def printed(jobs: list[Any]) -> None:
        _report(printing, jobs, say)

    def answered(_code: int) -> None:
        dialog.deleteLater()
        if dialog.printed:
            run_op(parent, print_it, device="printer",
                   on_success=printed,
                   on_error=lambda e: say(f"{t('프린터')}: {e}"))
        elif on_paperless is not None:
            on_paperless(order_id, outcome.qr_text)

    dialog.finished.connect(answered)
    dialog.open()  # not exec(): the screen's event loop keeps running while the customer thinks


def _report(printing: Any, jobs: list[Any], say: Callable[[str], None]) -> bool:
    """A job the printer could not print is said, with how many wait for a retry; True then."""
    failed = [j for j in jobs if not j.printed]
    if failed:
        say(f"{t('프린터')}: {failed[0].last_error} — {waiting_to_print(len(printing.pending()))}")
    return bool(failed)


def retry_printing(parent: QWidget, context: AppContext, say: Callable[[str], None]) -> None:
    printing = context.printing
    if printing is None:
        return
    run_op(parent, printing.print_pending, device="printer",
           on_success=lambda jobs: say(f"{t('프린터')}: {printed_count(sum(j.printed for j in jobs))}")
           if jobs else None,
           on_error=lambda e: say(f"{t('프린터')}: {e}"))
