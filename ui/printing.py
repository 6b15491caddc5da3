"""Printing from the screens: queue the slip (a database write), then print on the printer's
worker thread; trouble comes back as a message, the job stays queued for a retry."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from kspos.receipts.queue import SKIPPED
from ui.i18n import message, printed_count, t, waiting_to_print
from ui.ops import run_op

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from kspos.context import AppContext


def print_order(parent: QWidget, context: AppContext, order_id: int, reprint: bool,
                say: Callable[[str], None]) -> None:
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

    def job() -> tuple[bool, list[Any]]:
        job_id = printing.reprint(order_id, staff) if reprint else printing.queue_order(order_id)
        queued = printing.queue.get(job_id)
        skipped = queued is not None and queued.state == SKIPPED
        return skipped, printing.print_pending()

    def done(outcome: tuple[bool, list[Any]]) -> None:
        skipped, jobs = outcome
        failed = [j for j in jobs if not j.printed]
        if failed:
            say(f"{t('프린터')}: {failed[0].last_error} — {waiting_to_print(len(printing.pending()))}")
        elif skipped:  # [store] print_card_receipt = false: said, so the cashier can offer it
            say(t("카드 영수증은 요청 시 출력합니다 (거래내역 → 재발행)"))

    run_op(parent, job, device="printer", on_success=done,
           on_error=lambda e: say(f"{t('프린터')}: {e}"))


def retry_printing(parent: QWidget, context: AppContext, say: Callable[[str], None]) -> None:
    printing = context.printing
    if printing is None:
        return
    run_op(parent, printing.print_pending, device="printer",
           on_success=lambda jobs: say(f"{t('프린터')}: {printed_count(sum(j.printed for j in jobs))}")
           if jobs else None,
           on_error=lambda e: say(f"{t('프린터')}: {e}"))
