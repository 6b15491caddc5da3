"""A sale's slip is queued in the transaction that records the payment: once, never lost."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from drivers.sim.printer import SimPrinter
from drivers.sim.reader import SimCardReader
from kspos.config import demo_settings
from kspos.context import AppContext
from kspos.ports import Devices
from kspos.sales.payments import Method, TenderRequest
from kspos.store import Database
from kspos.van.link import TcpVanLink
from kspos.van.simulator import SimulatorThread


@pytest.fixture
def store(data_dir: Path) -> Iterator[Any]:
    with SimulatorThread() as sim:
        settings = demo_settings(data_dir)
        db = Database(settings.db_path).open()
        printer = SimPrinter()
        devices = Devices(printer=printer, van=TcpVanLink("127.0.0.1", sim.port))
        context = AppContext.create(settings, db, devices, start_workers=False)
        context.register.staff = context.staff.all()[0]
        context.sales.days.open(context.register.staff, 0)
        yield context, printer
        context.close()


def sale_jobs(context: Any) -> list[Any]:
    """The pending jobs but the pickup slip each numbered cafe order also queues
    (tests/integration/printing/test_pickup_slips.py is about that one)."""
    return [j for j in context.printing.pending() if j.kind != "pickup"]


def sell(context: Any, method: Method, **extra: Any) -> Any:
    register = context.register
    plain = [i for i in context.catalog.by_id.values() if not i.groups and not i.sold_out]
    register.add_item(plain[0].id)
    register.add_item(plain[1].id)
    if method is Method.CASH:
        extra.setdefault("tendered", register.remaining())  # 딱맞게
    result = register.pay(TenderRequest(method, register.remaining(), "", **extra))
    assert result.approved, result.message
    return register.last_paid


def test_a_card_sale_leaves_its_slip_queued_and_the_screen_does_not_queue_it_again(
        store: Any) -> None:
    context, printer = store
    paid = sell(context, Method.CARD, card=SimCardReader().read_card(0, 1))
    [job] = sale_jobs(context)
    assert job.kind == "sale" and job.ref == paid.receipt_no
    assert context.printing.queue_order(paid.id) == job.id  # what the screen does after a sale
    assert len(sale_jobs(context)) == 1
    context.printing.print_pending()
    assert printer.output.startswith(context.printing.queue.payload(job.id))  # the slip went
    # out (the pickup slip follows it)
    assert context.printing.pending() == []
    assert context.printing.queue_order(paid.id, reprint=True) != job.id  # 재출력 is new


def test_a_split_sale_queues_one_slip_when_it_is_paid_in_full(store: Any) -> None:
    context, _ = store
    register = context.register
    plain = [i for i in context.catalog.by_id.values() if not i.groups and not i.sold_out]
    register.add_item(plain[0].id)
    register.add_item(plain[1].id)
    part = register.remaining() // 2
    register.pay(TenderRequest(Method.CARD, part, "", card=SimCardReader().read_card(0, 1)))
    assert context.printing.pending() == []  # not paid yet: no slip (nor a number)
    register.pay(TenderRequest(Method.CASH, register.remaining(), "",
                               tendered=register.remaining()))
    [job] = sale_jobs(context)
    assert job.ref == register.last_paid.receipt_no


def test_a_slip_that_cannot_be_drawn_does_not_undo_the_payment(store: Any) -> None:
    context, _ = store

    def broken(receipt: Any) -> bytes:
        raise OSError("no Korean font on this PC")

    context.printing.queue.render = broken  # the queue's own renderer fails (fonts gone)
    paid = sell(context, Method.CASH)
    assert context.sales.payments(paid.id)[0].amount == paid.total  # the sale stands
    assert context.printing.pending() == []


@pytest.mark.parametrize(("printer_qr", "codes_by_printer"), [("native", 1), ("image", 0)])
def test_the_slips_qr_code_is_drawn_where_the_config_says(
        data_dir: Path, printer_qr: str, codes_by_printer: int) -> None:
    """`printer_qr = "image"` (old firmware without GS ( k) puts the code in the picture."""
    from kspos.receipts.decode import decode

    with SimulatorThread() as sim:
        settings = demo_settings(data_dir)
        settings = settings.copy_with(devices=settings.devices.copy_with(printer_qr=printer_qr))
        db = Database(settings.db_path).open()
        devices = Devices(printer=SimPrinter(), van=TcpVanLink("127.0.0.1", sim.port))
        context = AppContext.create(settings, db, devices, start_workers=False)
        try:
            context.register.staff = context.staff.all()[0]
            context.sales.days.open(context.register.staff, 0)
            paid = sell(context, Method.CARD, card=SimCardReader().read_card(0, 1))
            [job] = sale_jobs(context)
            printout = decode(context.printing.queue.payload(job.id))
            assert len(printout.qr_payloads) == codes_by_printer
            assert printout.qr_payloads in ([], [f"KSPOS:{paid.receipt_no}"])
            drawn_rows = sum(rows for _, rows, _ in printout.images)
            with Image.open(io.BytesIO(context.printing.preview_png(paid.id))) as preview:
                whole = preview.height  # the slip as the screen shows it, code included
            assert (drawn_rows == whole) == (printer_qr == "image")
            assert drawn_rows <= whole
        finally:
            context.close()


@pytest.fixture
def quiet_store(data_dir: Path) -> Iterator[Any]:
    """A store that prints the card slip only when the customer asks (print_card_receipt)."""
    with SimulatorThread() as sim:
        settings = demo_settings(data_dir)
        settings = settings.copy_with(store=settings.store.copy_with(print_card_receipt=False))
        db = Database(settings.db_path).open()
        devices = Devices(printer=SimPrinter(), van=TcpVanLink("127.0.0.1", sim.port))
        context = AppContext.create(settings, db, devices, start_workers=False)
        context.register.staff = context.staff.all()[0]
        context.sales.days.open(context.register.staff, 0)
        yield context
        context.close()


def test_a_card_slip_is_not_printed_when_the_store_says_so_but_kept_for_a_reprint(
        quiet_store: Any) -> None:
    context = quiet_store
    paid = sell(context, Method.CARD, card=SimCardReader().read_card(0, 1))
    # no sale slip comes out of the printer; the pickup slip does (the number is the
    # customer's claim on the order, whatever the card slip setting)
    assert [j.kind for j in context.printing.pending()] == ["pickup"]
    job_id = context.printing.queue_order(paid.id)  # the screen's print step after the sale
    assert [j.kind for j in context.printing.print_pending()] == ["pickup"]  # only it
    assert context.printing.queue.get(job_id).state == "skipped"
    context.printing.queue_order(paid.id, reprint=True)  # the customer asks for it
    assert [j.kind for j in context.printing.pending()] == ["reprint"]


def test_an_installment_sale_always_prints_its_card_slip(quiet_store: Any) -> None:
    from drivers.sim.reader import sample_signature
    from kspos.ports import Signature

    context = quiet_store
    register = context.register
    item = next(i for i in context.catalog.by_id.values() if not i.groups and i.price >= 10_000)
    register.add_item(item.id, qty=-(-50_001 // item.price))
    result = register.pay(TenderRequest(Method.CARD, register.remaining(), "",
                                        card=SimCardReader().read_card(0, 1), installment=3,
                                        signature=Signature(sample_signature())))
    assert result.approved, result.message
    [job] = sale_jobs(context)
    assert job.kind == "sale" and job.ref == register.last_paid.receipt_no


def test_cash_slips_print_whatever_the_card_setting(quiet_store: Any) -> None:
    paid = sell(quiet_store, Method.CASH)
    [job] = sale_jobs(quiet_store)
    assert job.ref == paid.receipt_no
