"""Paperless receipts through the real print queue: a real SQLite file, the VAN simulator on
loopback, the simulated printer in text mode read back by the ESC/POS decoder. ``receipt =
"none"`` prints no sale slip (the QR text holds its approval instead); ``"ask"`` keeps it until
the customer says 출력, and then the original slip prints, once, not marked 재발행."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from drivers.sim.printer import SimPrinter
from drivers.sim.reader import SimCardReader
from kspos.config import demo_settings
from kspos.context import AppContext
from kspos.ports import Devices
from kspos.receipts.decode import decode
from kspos.receipts.printing import SKIP_ASK, SKIP_NONE
from kspos.sales.payments import Method, TenderRequest
from kspos.sales.staff import Role
from kspos.store import Database
from kspos.van.link import TcpVanLink
from kspos.van.simulator import SimulatorThread

Store = Callable[..., tuple[AppContext, SimPrinter]]


@pytest.fixture
def store(data_dir: Path) -> Iterator[Store]:
    """``store(receipt=...)``: a store (a context on the data dir's file) with that mode; call
    it twice for two registers on one file, each with its own printer."""
    contexts: list[AppContext] = []
    with SimulatorThread() as sim:
        def make(receipt: str) -> tuple[AppContext, SimPrinter]:
            settings = demo_settings(data_dir)
            settings = settings.copy_with(
                store=settings.store.copy_with(receipt=receipt, pickup_slip=False),  # paper-free
                devices=settings.devices.copy_with(printer_mode="text"))
            printer = SimPrinter()
            devices = Devices(printer=printer, van=TcpVanLink("127.0.0.1", sim.port))
            context = AppContext.create(settings, Database(settings.db_path).open(), devices,
                                        start_workers=False)
            contexts.append(context)
            context.register.staff = context.staff.first(Role.CASHIER)
            if len(contexts) == 1:
                context.sales.days.open(context.register.staff, 0)
            return context, printer

        yield make
        for context in contexts:
            context.close()


def sell(context: AppContext, method: Method, **extra: Any) -> Any:
    register = context.register
    plain = [i for i in context.catalog.by_id.values() if not i.groups and not i.sold_out]
    for item in plain[:3]:
        register.add_item(item.id)
    if method is Method.CARD:
        extra.setdefault("card", SimCardReader().read_card(0, 1))
    else:
        extra.setdefault("tendered", register.remaining())  # 딱맞게
    result = register.pay(TenderRequest(method, register.remaining(), "", **extra))
    assert result.approved, result.message
    return register.last_paid


def rows(printer: SimPrinter) -> list[str]:
    return ["".join(row.split()) for row in decode(printer.output).rows]


def approval_of(context: AppContext, order_id: int) -> str:
    [payment] = context.sales.payments(order_id)
    return str(payment.row.approval_no)


def test_receipt_none_prints_no_sale_slip_and_the_qr_holds_its_approval(store: Store) -> None:
    context, printer = store("none")
    printing = context.printing
    assert printing is not None
    paid = {method: sell(context, method) for method in (Method.CARD, Method.CASH)}
    for order in paid.values():
        job_id = printing.queue_order(order.id)  # the screen's print step after the sale
        assert printing.print_pending() == []
        job = printing.queue.get(job_id)
        assert job is not None and job.state == "skipped" and job.last_error == SKIP_NONE
    assert printer.output == b""  # no paper at all
    cash = paid[Method.CASH]
    text = printing.receipt_qr(cash.id)
    assert cash.receipt_no in text and f"합계 {cash.total:,}원" in text
    card = paid[Method.CARD]
    card_text = printing.receipt_qr(card.id)
    assert approval_of(context, card.id) in card_text and "**" in card_text


def test_receipt_none_still_prints_an_installment_sale_and_a_refund(store: Store) -> None:
    from drivers.sim.reader import sample_signature
    from kspos.ports import Signature

    context, printer = store("none")
    printing = context.printing
    assert printing is not None
    register = context.register
    item = next(i for i in context.catalog.by_id.values() if not i.groups and i.price >= 10_000)
    register.add_item(item.id, qty=-(-50_001 // item.price))
    result = register.pay(TenderRequest(Method.CARD, register.remaining(), "",
                                        card=SimCardReader().read_card(0, 1), installment=3,
                                        signature=Signature(sample_signature())))
    assert result.approved, result.message
    [printed] = printing.print_pending()
    assert printed.kind == "sale" and printed.printed and "3개월" in "".join(rows(printer))
    printer.clear()
    cash_sale = sell(context, Method.CASH)
    context.sales.refund(cash_sale.id, context.staff.first(Role.OWNER), None, "고객 요청")
    [refund] = printing.print_pending()
    assert refund.kind == "refund" and printer.output != b""


def test_receipt_ask_then_print_prints_the_original_slip_once(store: Store) -> None:
    context, printer = store("ask")
    printing = context.printing
    assert printing is not None
    paid = sell(context, Method.CARD)
    job_id = printing.queue_order(paid.id)
    assert printing.asking(job_id) and printing.print_pending() == []
    assert printer.output == b""  # nothing until the customer answers
    job = printing.queue.get(job_id)
    assert job is not None and job.last_error == SKIP_ASK

    assert printing.print_asked(paid.id) == job_id  # 출력
    assert printing.print_asked(paid.id) == job_id  # a second tap
    [printed] = printing.print_pending()
    assert printed.id == job_id and printed.kind == "sale" and printed.printed
    slip = rows(printer)
    assert f"영수증번호:{paid.receipt_no}" in slip
    assert not any("재발행" in r for r in slip)  # the original, not a copy
    assert f"승인번호:{approval_of(context, paid.id)}" in slip
    assert printer.output == printing.queue.payload(job_id)  # exactly the kept slip, once
    assert printing.print_asked(paid.id) == job_id and printing.print_pending() == []
    assert not printing.asking(job_id)


def test_two_registers_answering_print_for_one_sale_print_it_once(store: Store) -> None:
    (a, printer_a), (b, printer_b) = store("ask"), store("ask")
    assert a.printing is not None and b.printing is not None
    paid = sell(a, Method.CASH)
    a.printing.queue_order(paid.id)
    a.printing.print_asked(paid.id)  # the customer said 출력 at one register,
    b.printing.print_asked(paid.id)  # and someone tapped it again at the other
    b.printing.print_pending()
    a.printing.print_pending()
    a.printing.print_asked(paid.id)
    assert a.printing.print_pending() == [] and b.printing.print_pending() == []
    assert len(printer_a.sent) + len(printer_b.sent) == 1


def test_the_qr_never_shows_more_of_a_card_than_the_slip(store: Store) -> None:
    context, _ = store("none")
    printing = context.printing
    assert printing is not None
    paid = sell(context, Method.CARD)
    full = "5365101234560006"  # a payment row that kept the whole number (a bug elsewhere)
    context.db.write("UPDATE payment SET masked_pan = ? WHERE order_id = ?", (full, paid.id))
    text = printing.receipt_qr(paid.id)
    assert full not in text and "123456" not in text.replace("-", "")
    assert "5365-10**-****-0006" in text
