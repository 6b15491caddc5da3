"""A refund prints a 취소/환불 영수증 for the customer, through the same print queue as the sale
slip; a refunded order's reprint shows the cancellation. Real SQLite file, the VAN simulator on
loopback, the printer in text mode read back as a printer would."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from drivers.sim.printer import SimPrinter
from drivers.sim.reader import SimCardReader
from kspos.config import demo_settings
from kspos.context import AppContext
from kspos.ports import Devices
from kspos.receipts.decode import decode
from kspos.sales.payments import CashReceiptRequest, Method, TenderRequest
from kspos.sales.staff import Role
from kspos.store import Database
from kspos.van.link import TcpVanLink
from kspos.van.simulator import SimulatorThread


@pytest.fixture
def store(data_dir: Path) -> Iterator[Any]:
    with SimulatorThread() as sim:
        settings = demo_settings(data_dir)
        settings = settings.copy_with(devices=settings.devices.copy_with(printer_mode="text"))
        db = Database(settings.db_path).open()
        devices = Devices(printer=SimPrinter(), van=TcpVanLink("127.0.0.1", sim.port))
        context = AppContext.create(settings, db, devices, start_workers=False)
        context.register.staff = context.staff.first(Role.CASHIER)
        context.sales.days.open(context.register.staff, 0)
        yield context
        context.close()


def sell(context: Any, method: Method, **extra: Any) -> Any:
    register = context.register
    plain = [i for i in context.catalog.by_id.values() if not i.groups and not i.sold_out]
    register.add_item(plain[0].id)
    register.add_item(plain[1].id, qty=2)
    result = register.pay(TenderRequest(method, register.remaining(), "", **extra))
    assert result.approved, result.message
    return register.last_paid


def refund(context: Any, order_id: int, lines: dict[int, int] | None = None) -> Any:
    owner = context.staff.first(Role.OWNER)
    return context.sales.refund(order_id, owner, lines, "고객 요청")


def printed(context: Any, kind: str) -> list[str]:
    """The rows of the one pending job of ``kind``, as the printer prints them (spaces out)."""
    [job] = [j for j in context.printing.pending() if j.kind == kind]
    return ["".join(row.split()) for row in decode(context.printing.queue.payload(job.id)).rows]


def test_a_card_refund_prints_a_cancel_slip_with_the_cancel_approval_number(
        store: Any) -> None:
    context = store
    paid = sell(context, Method.CARD, card=SimCardReader().read_card(0, 1))
    [payment] = context.sales.payments(paid.id)
    outcome = refund(context, paid.id)
    cancel_no = outcome.results[0].approval_no
    assert cancel_no and cancel_no != payment.row.approval_no
    rows = printed(context, "refund")
    text = "\n".join(rows)
    assert "취소영수증" in text
    assert f"영수증번호:{paid.receipt_no}" in rows
    assert f"신용카드취소-{paid.total:,}" in rows
    assert f"승인번호:{cancel_no}" in rows  # the cancel's own approval number
    assert f"원승인번호:{payment.row.approval_no}" in rows
    assert "4111-11**-****-1111" in text and "4111111111111111" not in text
    assert f"합계-{paid.total:,}" in rows


def test_a_cash_refund_by_line_prints_the_amount_given_back(store: Any) -> None:
    context = store
    paid = sell(context, Method.CASH, tendered=100_000)
    outcome = refund(context, paid.id, {1: 1})  # one of the two of the second item
    rows = printed(context, "refund")
    assert "환불영수증" in "\n".join(rows)
    assert f"현금환불-{outcome.amount:,}" in rows
    assert f"합계-{outcome.amount:,}" in rows
    assert outcome.cash_back == outcome.amount


def test_a_refund_cancels_the_cash_receipt_on_the_slip(store: Any) -> None:
    context = store
    paid = sell(context, Method.CASH, tendered=100_000,
                cash_receipt=CashReceiptRequest("0100001234", self_issued=True))
    outcome = refund(context, paid.id)
    rows = printed(context, "refund")
    text = "\n".join(rows)
    assert "현금영수증취소(소득공제)자진발급" in text
    assert f"승인번호:{outcome.results[0].approval_no}" in rows


def test_a_refunded_orders_reprint_shows_the_cancellation(store: Any) -> None:
    context = store
    paid = sell(context, Method.CARD, card=SimCardReader().read_card(0, 1))
    refund(context, paid.id)
    context.printing.print_pending()  # the sale and the refund slip went out
    context.printing.queue_order(paid.id, reprint=True)
    kinds = [j.kind for j in context.printing.pending()]
    assert kinds == ["reprint", "refund"]
    rows = printed(context, "refund")
    text = "\n".join(rows)
    assert "취소영수증" in text and "재발행" in text


def test_a_refunded_orders_preview_shows_the_refund_slip_under_the_sale(store: Any) -> None:
    import io

    from PIL import Image

    context = store
    paid = sell(context, Method.CARD, card=SimCardReader().read_card(0, 1))
    with Image.open(io.BytesIO(context.printing.preview_png(paid.id))) as image:
        sale_only = image.height
    refund(context, paid.id)
    with Image.open(io.BytesIO(context.printing.preview_png(paid.id))) as image:
        assert image.height > 1.6 * sale_only  # the 취소 영수증 follows the sale slip


def test_a_partial_cash_refund_shows_the_receipt_issued_again_for_what_was_kept(
        store: Any) -> None:
    context = store
    paid = sell(context, Method.CASH, tendered=100_000,
                cash_receipt=CashReceiptRequest("01012345678"))
    owner = context.staff.first(Role.OWNER)
    outcome = context.sales.refund(paid.id, owner, {1: 1}, "고객 요청",
                                   cash_receipt_identity="01012345678")
    [payment] = context.sales.payments(paid.id)
    rows = printed(context, "refund")
    text = "\n".join(rows)
    assert f"승인번호:{outcome.results[0].approval_no}" in rows  # the cancel
    assert f"현금영수증재발급(소득공제){paid.total - outcome.amount:,}" in rows
    assert f"승인번호:{payment.row.cash_receipt_approval_no}" in rows  # the new one
    assert "010****5678" in text and "01012345678" not in text
