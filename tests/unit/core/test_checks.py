"""A table's check on a real temp SQLite file: rounds to the kitchen, memos, 같은 메뉴 한 번
더, cancels of sent lines, moves, 합석, the pre-bill and what the floor shows."""

from __future__ import annotations

import json
from typing import Any

import pytest

from kspos.sales.checks import CheckError
from kspos.sales.floor import TableState
from kspos.sales.orders import OrderError, OrderState
from kspos.store import Database
from tests.unit.core.checks_rig import Shop, cash, line, seated
from tests.unit.core.checks_rig import shop as shop  # the pytest fixture


def audits(db: Any, action: str) -> list[dict[str, Any]]:
    return [json.loads(d) for (d,) in db.read(
        "SELECT detail FROM audit_log WHERE action = ? ORDER BY id", (action,))]


def test_nothing_is_written_until_the_first_round_is_sent(shop: Shop) -> None:
    check = shop.checks.open_check(shop.tables["T1"], shop.cashier, guests=3)
    check.order.add(line("삼겹살", 15_000, 2))
    assert check.order.id is None
    assert shop.db.read("SELECT count(*) FROM sale_order")[0][0] == 0
    assert shop.checks.floor().tile(shop.tables["T1"]).state is TableState.EMPTY  # type: ignore[union-attr]


def test_rounds_send_only_the_new_lines_with_their_memos(shop: Shop) -> None:
    check = shop.checks.open_check(shop.tables["T1"], shop.cashier, guests=3)
    check.order.add(line("삼겹살", 15_000, 2))
    check.order.add(line("김치찌개", 8_000, note="덜 맵게", category="식사류"))
    shop.checks.send_round(check, shop.cashier, memo="빨리 부탁")
    first = shop.slips[-1]
    assert (first.table, first.round_no, first.memo, first.server) == ("T1", 1, "빨리 부탁",
                                                                      "김민지")
    assert [(s.name, s.qty, s.memo, s.category) for s in first.lines] == [
        ("삼겹살", 2, "", "고기류"), ("김치찌개", 1, "덜 맵게", "식사류")]
    assert first.order_ref == check.order.receipt_no and first.guests == 3
    check.order.add(line("삼겹살", 15_000, 1))  # same item again: a new line of round 2
    check.order.add(line("소주", 5_000, 2, category="주류"))
    shop.clock.tick(20)
    shop.checks.send_round(check, shop.cashier)
    second = shop.slips[-1]
    assert second.round_no == 2
    assert [(s.name, s.qty) for s in second.lines] == [("삼겹살", 1), ("소주", 2)]
    assert [(ln.name, ln.qty, ln.round_no) for ln in check.order.lines] == [
        ("삼겹살", 2, 1), ("김치찌개", 1, 1), ("삼겹살", 1, 2), ("소주", 2, 2)]
    assert check.order.total == 63_000
    again = shop.checks.load_check(check.order.id)  # type: ignore[arg-type]
    assert [(r.no, r.memo, r.server) for r in again.rounds] == [(1, "빨리 부탁", "김민지"),
                                                               (2, "", "김민지")]
    assert again.order.lines == check.order.lines and again.order.lines[1].note == "덜 맵게"
    assert [a["round"] for a in audits(shop.db, "check_round")] == [1, 2]


def test_an_empty_round_is_refused(shop: Shop) -> None:
    check = seated(shop, "T1")
    sent = len(shop.slips)
    with pytest.raises(CheckError) as refused:
        shop.checks.send_round(check, shop.cashier)
    assert refused.value.code == "check.empty_round" and len(shop.slips) == sent


def test_a_sent_line_cannot_be_changed_only_cancelled(shop: Shop) -> None:
    check = seated(shop, "T1")
    for change in (lambda: check.order.remove(0), lambda: check.order.set_qty(0, 1),
                   lambda: check.order.change_qty(0, -1), check.order.clear):
        with pytest.raises(OrderError) as refused:
            change()
        assert refused.value.code == "check.line_sent"
    assert check.order.lines[0].qty == 2


def test_repeat_round_adds_the_last_round_again_as_drafts(shop: Shop) -> None:
    check = seated(shop, "T1", line("삼겹살", 15_000, 2), line("냉면", 9_000, note="식초 많이"))
    shop.checks.repeat_round(check)
    assert [(ln.name, ln.qty, ln.note) for ln in check.draft_lines] == [
        ("삼겹살", 2, ""), ("냉면", 1, "식초 많이")]
    shop.checks.send_round(check, shop.cashier)
    assert [(s.name, s.qty, s.memo) for s in shop.slips[-1].lines] == [
        ("삼겹살", 2, ""), ("냉면", 1, "식초 많이")]
    assert check.order.total == 2 * (30_000 + 9_000)


def test_guests_are_kept_and_bounded(shop: Shop) -> None:
    check = seated(shop, "T1", guests=2)
    shop.checks.set_guests(check, 5, shop.cashier)
    assert shop.checks.load_check(check.order.id).guests == 5  # type: ignore[arg-type]
    for bad in (0, 100):
        with pytest.raises(CheckError):
            shop.checks.set_guests(check, bad, shop.cashier)


def test_a_check_is_there_after_a_restart(shop: Shop) -> None:
    check = seated(shop, "T2", line("삼겹살", 15_000, 2, note="바싹"), guests=4)
    path = shop.db.path
    shop.db.close()
    with Database(path).open() as again:
        from kspos.sales.checks import CheckService
        from kspos.sales.service import SalesService

        service = CheckService(again, SalesService(again, {}))
        tile = service.floor().tile(shop.tables["T2"])
        assert tile is not None and tile.state is TableState.ORDERING
        assert (tile.order_id, tile.guests, tile.amount) == (check.order.id, 4, 30_000)
        loaded = service.load_check(check.order.id)  # type: ignore[arg-type]
        assert loaded.order.lines[0].note == "바싹" and loaded.rounds[0].no == 1
        shop.db.open()


def test_cancel_of_a_sent_line_needs_a_reason_prints_a_slip_and_is_audited(shop: Shop
                                                                          ) -> None:
    check = seated(shop, "T1", line("삼겹살", 15_000, 3), line("소주", 5_000, 2))
    with pytest.raises(CheckError) as refused:
        shop.checks.cancel_sent_line(check, 0, 1, "  ", shop.cashier)
    assert refused.value.code == "check.reason_required"
    shop.checks.cancel_sent_line(check, 0, 1, "주문 실수", shop.cashier)
    slip = shop.slips[-1]
    assert slip.cancel and slip.reason == "주문 실수" and slip.round_no == 1
    assert [(s.name, s.qty) for s in slip.lines] == [("삼겹살", 1)]
    assert check.order.lines[0].qty == 2 and check.order.total == 40_000
    shop.checks.cancel_sent_line(check, 1, 2, "품절", shop.cashier)
    assert [ln.name for ln in check.order.lines] == ["삼겹살"]
    loaded = shop.checks.load_check(check.order.id)  # type: ignore[arg-type]
    assert loaded.order.total == 30_000
    assert [(a["name"], a["qty"], a["reason"]) for a in audits(shop.db, "check_cancel")] == [
        ("삼겹살", 1, "주문 실수"), ("소주", 2, "품절")]


def test_cancel_below_what_is_paid_is_refused(shop: Shop) -> None:
    check = seated(shop, "T1", line("삼겹살", 15_000, 2), line("소주", 5_000))
    shop.checks.pay(check, cash(30_000), shop.cashier)
    with pytest.raises(OrderError) as refused:
        shop.checks.cancel_sent_line(check, 0, 1, "실수", shop.cashier)
    assert refused.value.code == "order.below_paid"
    shop.checks.cancel_sent_line(check, 1, 1, "품절", shop.cashier)  # 35,000 → 30,000 is fine


def test_cancelling_every_line_frees_the_table(shop: Shop) -> None:
    check = seated(shop, "T1", line("삼겹살", 15_000, 1))
    shop.checks.cancel_sent_line(check, 0, 1, "손님 나감", shop.cashier)
    assert check.order.state is OrderState.VOIDED
    assert shop.checks.floor().tile(shop.tables["T1"]).state is TableState.EMPTY  # type: ignore[union-attr]


def test_move_to_an_empty_table_and_refused_onto_a_busy_one(shop: Shop) -> None:
    check = seated(shop, "T1")
    seated(shop, "T2")
    shop.checks.move(check, shop.tables["룸 1"], shop.cashier)
    floor = shop.checks.floor()
    assert floor.tile(shop.tables["T1"]).order_id is None  # type: ignore[union-attr]
    assert floor.tile(shop.tables["룸 1"]).order_id == check.order.id  # type: ignore[union-attr]
    assert shop.checks.load_check(check.order.id).order.table_no == "룸 1"  # type: ignore[arg-type]
    with pytest.raises(CheckError) as refused:
        shop.checks.move(check, shop.tables["T2"], shop.cashier)
    assert refused.value.code == "check.table_occupied"
    assert audits(shop.db, "check_move") == [{"to": "룸 1", "from": "T1"}]


def test_two_registers_moving_onto_one_table_one_wins(shop: Shop) -> None:
    first, other = shop.checks, shop.register()
    a = seated(shop, "T1")
    b = other.load_check(seated(shop, "T2").order.id)  # type: ignore[arg-type]
    first.move(a, shop.tables["T3"], shop.cashier)
    with pytest.raises(CheckError) as refused:
        other.move(b, shop.tables["T3"], shop.cashier)
    assert refused.value.code == "check.table_occupied"
    floor = first.floor()
    assert floor.tile(shop.tables["T3"]).order_id == a.order.id  # type: ignore[union-attr]
    assert floor.tile(shop.tables["T2"]).order_id == b.order.id  # type: ignore[union-attr]


def test_a_stale_copy_cannot_overwrite_a_newer_round(shop: Shop) -> None:
    mine = seated(shop, "T1")
    theirs = shop.register().load_check(mine.order.id)  # type: ignore[arg-type]
    mine.order.add(line("소주", 5_000))
    shop.checks.send_round(mine, shop.cashier)
    theirs.order.add(line("맥주", 6_000))
    with pytest.raises(OrderError) as refused:
        shop.register().send_round(theirs, shop.cashier)
    assert refused.value.code == "check.changed_elsewhere"
    assert theirs.draft_lines[0].name == "맥주"  # kept on the stale register's screen
    names = [ln.name for ln in shop.checks.load_check(mine.order.id).order.lines]  # type: ignore[arg-type]
    assert names == ["삼겹살", "소주"]


def test_merge_joins_lines_and_guests_and_voids_the_other(shop: Shop) -> None:
    into = seated(shop, "T1", line("삼겹살", 15_000, 2), guests=2)
    other = seated(shop, "T2", line("소주", 5_000, 2), guests=3)
    other.order.add(line("맥주", 6_000))
    shop.checks.send_round(other, shop.cashier)
    into.order.add(line("냉면", 9_000))  # a draft of this register stays a draft
    shop.checks.merge(into, shop.tables["T2"], shop.cashier)
    assert into.guests == 5
    assert [(ln.name, ln.round_no) for ln in into.order.lines] == [
        ("삼겹살", 1), ("소주", 1), ("맥주", 2), ("냉면", 0)]
    saved = shop.checks.load_check(into.order.id)  # type: ignore[arg-type]
    assert saved.order.total == 46_000 and saved.guests == 5
    state = shop.db.read("SELECT state FROM sale_order WHERE id = ?", (other.order.id,))
    assert state == [("voided",)]
    assert [a["reason"] for a in audits(shop.db, "void")] == ["합석"]
    facts = [json.loads(b) for (b,) in shop.db.read(
        "SELECT body FROM outbox WHERE kind = 'order'")]
    assert [(f["state"], f["table"], f["guests"]) for f in facts] == [("voided", "T2", 3)]
    assert shop.checks.floor().tile(shop.tables["T2"]).order_id is None  # type: ignore[union-attr]


def test_merge_is_refused_once_payment_started(shop: Shop) -> None:
    into = seated(shop, "T1")
    other = seated(shop, "T2")
    shop.checks.pay(other, cash(10_000), shop.cashier)
    with pytest.raises(CheckError) as refused:
        shop.checks.merge(into, shop.tables["T2"], shop.cashier)
    assert refused.value.code == "check.merge_paid"


def test_floor_tiles_show_each_state(shop: Shop) -> None:
    printed = []
    shop.checks.on_prebill = printed.append
    ordering = seated(shop, "T1", guests=2)
    billed = seated(shop, "T2", guests=3)
    paying = seated(shop, "T3", guests=4)
    shop.clock.tick(25)
    shop.checks.print_prebill(billed, shop.cashier)
    assert printed == [billed]
    shop.checks.pay(paying, cash(10_000), shop.cashier)
    floor = shop.checks.floor()
    tiles = {name: floor.tile(shop.tables[name]) for name in ("T1", "T2", "T3", "T4")}
    assert {n: t.state for n, t in tiles.items()} == {  # type: ignore[union-attr]
        "T1": TableState.ORDERING, "T2": TableState.BILLED, "T3": TableState.PAYING,
        "T4": TableState.EMPTY}
    t3 = tiles["T3"]
    assert t3 is not None and (t3.guests, t3.amount, t3.paid) == (4, 30_000, 10_000)
    assert tiles["T1"].minutes(shop.clock()) == 25  # type: ignore[union-attr]
    assert [z.name for z in floor.zones] == ["홀", "룸"] and floor.open_checks == 3
    billed.order.add(line("소주", 5_000))
    shop.checks.send_round(billed, shop.cashier)  # a new round: the bill printed is stale
    assert shop.checks.floor().tile(shop.tables["T2"]).state is TableState.ORDERING  # type: ignore[union-attr]
    assert ordering.order.id is not None


def test_a_round_is_printed_again_marked_as_a_reprint(shop: Shop) -> None:
    check = seated(shop, "T1", line("삼겹살", 15_000, 2), line("냉면", 9_000, note="곱빼기"))
    check.order.add(line("소주", 5_000))
    shop.checks.send_round(check, shop.cashier, memo="2차")
    again = shop.checks.reprint_round(check, shop.cashier, 1)
    assert again.reprint and again.round_no == 1 and shop.slips[-1] == again
    assert [(s.name, s.qty, s.memo) for s in again.lines] == [("삼겹살", 2, ""),
                                                            ("냉면", 1, "곱빼기")]
    assert shop.checks.reprint_round(check, shop.cashier).memo == "2차"


def test_start_up_leaves_table_checks_on_the_floor(shop: Shop, tmp_path: Any) -> None:
    from kspos.context import _hold_interrupted_orders
    from kspos.sales.orders import Order
    from kspos.sales.terminal import Terminal

    check = seated(shop, "T1")
    counter = Order()
    counter.add(line("커피", 4_500))
    shop.sales.save(counter, shop.cashier)  # an order left on a counter that is gone
    _hold_interrupted_orders(shop.db, Terminal(tmp_path / "terminals"))
    states = dict(shop.db.read("SELECT id, state FROM sale_order"))
    assert states == {check.order.id: "open", counter.id: "held"}
    assert shop.checks.floor().tile(shop.tables["T1"]).order_id == check.order.id  # type: ignore[union-attr]


def test_the_register_pays_a_check_on_screen_and_never_holds_it(shop: Shop) -> None:
    from kspos.menu.catalog import Catalog
    from kspos.sales.register import Register
    from kspos.sales.staff import StaffDirectory

    register = Register(Catalog.build(()), shop.sales, StaffDirectory(shop.db), shop.cashier)
    check = seated(shop, "T1")
    register.show_check(check)
    assert register.order is check.order
    with pytest.raises(OrderError) as refused:
        register.hold()
    assert refused.value.code == "check.no_hold"
    check.order.add(line("소주", 5_000))
    assert not register.checkpoint()  # drafts of a check are saved by sending them
    with pytest.raises(OrderError) as unsent:
        register.pay(cash(35_000))
    assert unsent.value.code == "check.unsent_lines"
    shop.checks.send_round(check, shop.cashier)
    register.pay(cash(35_000))
    assert check.order.state is OrderState.PAID and register.check is None
    assert shop.checks.floor().tile(shop.tables["T1"]).state is TableState.EMPTY  # type: ignore[union-attr]


def test_two_registers_opening_one_empty_table_the_second_is_told(shop: Shop) -> None:
    other = shop.register()
    mine = shop.checks.open_check(shop.tables["T4"], shop.cashier, 2)
    theirs = other.open_check(shop.tables["T4"], shop.cashier, 3)
    mine.order.add(line("삼겹살", 15_000, 2))
    theirs.order.add(line("소주", 5_000))
    shop.checks.send_round(mine, shop.cashier)
    with pytest.raises(CheckError) as refused:
        other.send_round(theirs, shop.cashier)
    assert refused.value.code == "check.table_taken"
    assert theirs.order.id is None and theirs.draft_lines[0].name == "소주"
    assert shop.db.read("SELECT count(*) FROM sale_order") == [(1,)]
    assert shop.db.read("SELECT count(*) FROM check_round") == [(1,)]
    joined = other.open_check(shop.tables["T4"], shop.cashier)  # open it again: the check
    assert joined.order.id == mine.order.id


def test_the_pre_bill_lists_the_check_and_what_is_left(shop: Shop) -> None:
    from kspos.receipts.prebill import lay_out_prebill
    from kspos.sales.split_bill import split_equal

    check = seated(shop, "룸 1", line("삼겹살", 15_000, 2), line("냉면", 9_000), guests=3)
    shop.checks.set_split(check, split_equal(check.due, 2), shop.cashier)
    shop.checks.pay_part(check, 0, cash(19_500), shop.cashier)
    for columns in (48, 42, 32):
        rows = lay_out_prebill(check, columns=columns, now=shop.clock()).as_text()
        assert all(len(r.encode("euc-kr")) <= columns for r in rows), rows
        text = "\n".join(rows)
        assert "중간 계산서" in text and "영수증이 아닙니다" in text
        assert "룸 1" in text and "3명" in text and "삼겹살" in text
        assert "39,000" in text and "19,500" in text and "결제 완료" in text
