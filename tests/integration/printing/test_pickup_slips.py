"""주문번호 on paper: the sale slip prints the number four times the size (text mode: GS ! 0x33;
raster: a glyph four rows tall), and the pickup slip is queued with it in the payment's own
transaction (a payment that rolls back leaves neither, and uses up no number)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from drivers.sim.printer import SimPrinter
from kspos.config import demo_settings
from kspos.context import AppContext
from kspos.ports import Devices
from kspos.receipts.decode import decode
from kspos.receipts.layout import TextLine, lay_out
from kspos.receipts.pickup_slip import PickupSlip, lay_out_pickup_slip
from kspos.receipts.raster import renderer_for
from kspos.receipts.render import render
from kspos.receipts.samples import sample_receipt
from kspos.sales.pickup import pickup_number
from kspos.store import Database


def cafe(data_dir: Path, mode: str = "text", **store: Any) -> AppContext:
    settings = demo_settings(data_dir)
    settings = settings.copy_with(devices=settings.devices.copy_with(printer_mode=mode),
                                  store=settings.store.copy_with(**store))
    db = Database(settings.db_path).open()
    printer = SimPrinter()
    context = AppContext.create(settings, db, Devices(printer=printer, drawer=printer),
                                start_workers=False)
    context.register.staff = context.staff.all()[0]
    context.sales.days.open(context.register.staff, 0)
    return context


@pytest.fixture
def text_cafe(data_dir: Path) -> Iterator[AppContext]:
    context = cafe(data_dir)
    yield context
    context.close()


def sell(context: AppContext, qty: int = 2) -> Any:
    register = context.register
    plain = [i for i in context.catalog.by_id.values() if not i.groups and not i.sold_out]
    register.add_item(plain[0].id, qty=qty)
    assert register.pay_cash(register.remaining()).approved
    return register.last_paid


def test_a_cafe_sale_queues_its_slip_then_the_pickup_slip_both_with_the_number(
        text_cafe: AppContext) -> None:
    context = text_cafe
    paid = sell(context)
    sale, slip = context.printing.pending()
    assert (sale.kind, slip.kind) == ("sale", "pickup")
    assert sale.ref == slip.ref == paid.receipt_no
    printout = decode(context.printing.queue.payload(sale.id))
    assert [row.strip() for row in printout.quad_rows] == ["1"]  # GS ! 0x33: ×4 both ways
    assert any("주문번호" in row for row in printout.rows)
    pickup = decode(context.printing.queue.payload(slip.id))
    assert [row.strip() for row in pickup.quad_rows] == ["1"]
    item = next(ln for ln in context.sales.load(paid.id).lines)
    assert f"{item.name} ×2" in [row.strip() for row in pickup.rows]
    assert context.settings.store.name in [row.strip() for row in pickup.rows]
    assert not any("원" in row or "합계" in row for row in pickup.rows)  # no amounts
    assert pickup.cuts == 1


def test_the_second_order_is_number_two_on_both_slips(text_cafe: AppContext) -> None:
    sell(text_cafe)
    sell(text_cafe, qty=1)
    jobs = text_cafe.printing.pending()
    numbers = [decode(text_cafe.printing.queue.payload(j.id)).quad_rows[0].strip()
               for j in jobs]
    assert numbers == ["1", "1", "2", "2"]


def test_a_payment_that_rolls_back_leaves_no_slip_and_uses_no_number(
        text_cafe: AppContext) -> None:
    context = text_cafe
    queue_slips = context.sales.on_paid
    assert queue_slips is not None

    def fails_after_queueing(session: Any, order_id: int) -> None:
        queue_slips(session, order_id)  # both slips written in the payment's transaction...
        raise OSError("disk full")  # ...which then fails

    context.sales.on_paid = fails_after_queueing
    register = context.register
    plain = [i for i in context.catalog.by_id.values() if not i.groups and not i.sold_out]
    register.add_item(plain[0].id)
    with pytest.raises(OSError):
        register.pay_cash(register.remaining())
    assert context.printing.pending() == []
    assert context.db.read("SELECT count(*) FROM sale_order WHERE pickup_no IS NOT NULL") \
        == [(0,)]
    context.sales.on_paid = queue_slips
    assert register.pay_cash(register.remaining()).approved
    assert pickup_number(context.db, register.last_paid.id) == 1  # not 2: nothing was taken
    assert [j.kind for j in context.printing.pending()] == ["sale", "pickup"]


def test_no_pickup_slip_when_the_store_says_so_but_the_number_still_prints(
        data_dir: Path) -> None:
    context = cafe(data_dir, pickup_slip=False)
    try:
        sell(context)
        [sale] = context.printing.pending()
        assert [r.strip() for r in decode(context.printing.queue.payload(sale.id)).quad_rows] \
            == ["1"]
    finally:
        context.close()


def test_order_numbers_off_prints_no_number_and_no_pickup_slip(data_dir: Path) -> None:
    context = cafe(data_dir, order_numbers="off")
    try:
        sell(context)
        [sale] = context.printing.pending()
        assert decode(context.printing.queue.payload(sale.id)).quad_rows == []
        assert context.pickup is None
    finally:
        context.close()


@pytest.mark.parametrize("columns", [48, 42, 32])
def test_the_number_is_drawn_four_rows_tall_in_raster_mode(columns: int) -> None:
    receipt = dataclasses.replace(sample_receipt(), order_no=327)
    layout = lay_out(receipt, columns)
    [big] = [ln for ln in layout.lines if isinstance(ln, TextLine) and ln.quad]
    assert big.text.strip() == "327"
    renderer = renderer_for(columns)
    strips = renderer.strips(layout)
    strip = strips[layout.lines.index(big)]
    row_bytes = renderer.grid.dots // 8
    assert len(strip) == row_bytes * renderer.grid.row * 4  # four text rows tall
    assert strip.count(b"\xff") < len(strip)  # and inked
    printout = decode(render(receipt, "raster", columns))
    drawn = sum(rows for _, rows, _ in printout.images)
    plain = decode(render(sample_receipt(), "raster", columns))
    assert drawn - sum(rows for _, rows, _ in plain.images) >= renderer.grid.row * 4


def test_the_pickup_slip_in_raster_mode_carries_the_big_number() -> None:
    from datetime import datetime

    slip = PickupSlip("카페 예시", 58, "20261206-01-0058", datetime(2026, 12, 6, 13, 5),
                      ("아메리카노 (ICE) ×2", "머핀 ×1"))
    layout = lay_out_pickup_slip(slip, 48)
    assert "아메리카노 (ICE) ×2" in [row.strip() for row in layout.as_text()]
    printout = decode(render(layout, "raster", 48))
    assert printout.images and printout.cuts == 1
    text = decode(render(layout, "text", 48))
    assert [row.strip() for row in text.quad_rows] == ["58"]
