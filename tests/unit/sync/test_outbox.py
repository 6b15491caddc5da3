"""The outbox on a real temp SQLite file: every fact writes its row, in the office's words,
with the store code and terminal, and nothing a reader elsewhere must not have."""

from __future__ import annotations

import json
import re
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from kspos.menu.admin import ItemForm, MenuAdmin
from kspos.menu.options import ChoiceForm, GroupForm
from kspos.sales.orders import Order, OrderLine, OrderState
from kspos.sales.payments import CashGateway, Method, TenderRequest
from kspos.sales.service import SalesService
from kspos.sales.staff import Role, StaffDirectory
from kspos.sales.staff_admin import StaffAdmin
from kspos.store import Database
from kspos.sync import outbox
from kspos.sync.identity import Identity
from tests.unit.core.test_sales import FakeCardGateway

PAN = "5365101234560006"  # the card the fake gateway "read": only 536510******0006 may leave
WHEN = datetime(2026, 11, 25, 12, 30)


@pytest.fixture
def store(data_dir: Path) -> Any:
    db = Database(data_dir / "kspos.sqlite3", Identity("GN7", "05")).open()
    directory = StaffDirectory(db)
    staff = {role: directory.add(name, role, pin) for name, role, pin in
             (("김민지", Role.CASHIER, "1357"), ("홍길동", Role.OWNER, "2468"))}
    card = FakeCardGateway(db)
    sales = SalesService(db, {Method.CASH: CashGateway(db), Method.CARD: card},
                         clock=lambda: WHEN)
    sales.days.open(staff[Role.OWNER], 100_000)
    yield db, sales, staff
    db.close()


def _order(*prices: int) -> Order:
    order = Order()
    for i, price in enumerate(prices):
        order.add(OrderLine(item_id=None, name=f"메뉴{i}", base_price=price))
    return order


def _facts(db: Database, kind: str | None = None) -> list[dict[str, Any]]:
    rows = outbox.pending(db)
    return [r for r in rows if kind is None or r["kind"] == kind]


def _no_secrets(db: Database) -> None:
    """No row holds a card number (13-19 digits in a row), a PIN hash or a row id."""
    hashes = [h for (h,) in db.read("SELECT pin_hash FROM staff")]
    for (text,) in db.read("SELECT body FROM outbox"):
        assert not re.search(r"\d{13,19}", text), text
        assert PAN not in text and "pin_hash" not in text and "\"id\"" not in text
        assert not any(h in text for h in hashes)


def test_a_card_sale_writes_its_tender_and_its_order_with_the_masked_pan_only(store) -> None:  # type: ignore[no-untyped-def]
    db, sales, staff = store
    order = _order(4_500, 5_000)
    sales.take_tender(order, TenderRequest(Method.CARD, 9_500, ""), staff[Role.CASHIER])
    assert order.receipt_no == "20261125-05-0001"  # this terminal's number in it
    payment, sold = _facts(db)
    assert (payment["kind"], sold["kind"]) == ("payment", "order")
    order_uuid, payment_uuid = db.read(
        "SELECT o.uuid, p.uuid FROM sale_order o JOIN payment p ON p.order_id = o.id")[0]
    body = payment["body"]
    assert (body["store"], body["terminal"], body["uuid"], body["order_uuid"]) == (
        "GN7", "05", payment_uuid, order_uuid)
    assert (body["method"], body["amount"], body["masked_pan"], body["card_bin"]) == (
        "card", 9_500, "536510******0006", "536510")
    assert sold["uuid"] == sold["body"]["uuid"] == order_uuid
    assert sold["body"]["receipt_no"] == "20261125-05-0001" and sold["body"]["total"] == 9_500
    assert [ln["amount"] for ln in sold["body"]["lines"]] == [4_500, 5_000]
    assert len({ln["uuid"] for ln in sold["body"]["lines"]}) == 2
    _no_secrets(db)


def test_an_open_order_is_not_a_fact_until_it_is_paid(store) -> None:  # type: ignore[no-untyped-def]
    db, sales, staff = store
    order = _order(3_000)
    sales.save(order, staff[Role.CASHIER])
    assert _facts(db) == []
    sales.take_tender(order, TenderRequest(Method.CASH, 3_000, "", tendered=5_000),
                      staff[Role.CASHIER])
    assert [f["kind"] for f in _facts(db)] == ["payment", "order"]
    assert _facts(db, "payment")[0]["body"]["change"] == 2_000


def test_a_refund_names_its_tender_and_lines_and_a_void_its_order(store) -> None:  # type: ignore[no-untyped-def]
    db, sales, staff = store
    paid = _order(4_000, 6_000)
    sales.take_tender(paid, TenderRequest(Method.CARD, 10_000, ""), staff[Role.CASHIER])
    assert paid.id is not None
    sales.refund(paid.id, staff[Role.OWNER], {1: 1}, "고객 요청")
    refund = _facts(db, "refund")[0]["body"]
    sold = _facts(db, "order")[0]["body"]
    assert refund["payment_uuid"] == _facts(db, "payment")[0]["uuid"]
    assert refund["order_uuid"] == sold["uuid"] and refund["amount"] == 6_000
    assert refund["lines"] == [{"line_uuid": sold["lines"][1]["uuid"], "qty": 1}]
    held = _order(2_000)
    sales.hold(held, staff[Role.CASHIER])
    sales.void(held, staff[Role.CASHIER], "손님이 안 오심")
    void = _facts(db, "void")[0]["body"]
    voided = [f["body"] for f in _facts(db, "order") if f["body"]["state"] == "voided"]
    assert [v["uuid"] for v in voided] == [void["order_uuid"]]  # the office learns of it
    assert void["reason"] == "손님이 안 오심" and void["total"] == 2_000
    _no_secrets(db)


def test_a_day_close_carries_its_cash_count(store) -> None:  # type: ignore[no-untyped-def]
    db, sales, staff = store
    sales.take_tender(_order(5_000), TenderRequest(Method.CASH, 5_000, "", tendered=5_000),
                      staff[Role.CASHIER])
    sales.days.close(staff[Role.OWNER], 105_000, {50_000: 2, 5_000: 1})
    body = _facts(db, "day_close")[0]["body"]
    day_uuid, day = db.read("SELECT uuid, day FROM business_day")[0]
    assert (body["day_uuid"], body["business_day"], body["terminal"]) == (day_uuid, day, "05")
    assert (body["opening_float"], body["expected_cash"], body["counted_cash"],
            body["over_short"]) == (100_000, 105_000, 105_000, 0)
    assert body["pieces"] == {"50000": 2, "5000": 1} and body["closed_at"]


def test_staff_changes_say_what_changed_and_never_the_pin(store) -> None:  # type: ignore[no-untyped-def]
    db, _sales, staff = store
    admin = StaffAdmin(StaffDirectory(db))
    owner = staff[Role.OWNER]
    new = admin.add("박서준", Role.CASHIER, "8642", owner)
    admin.rename(new.id, "박서준B", owner)
    admin.set_pin(new.id, "9753", owner)
    admin.deactivate(new.id, owner)
    changes = [f["body"] for f in _facts(db, "staff_change")]
    new_uuid, = db.read("SELECT uuid FROM staff WHERE id = ?", (new.id,))[0]
    owner_uuid, = db.read("SELECT uuid FROM staff WHERE id = ?", (owner.id,))[0]
    assert [c["action"] for c in changes] == ["staff_add", "staff_rename", "staff_pin",
                                              "staff_deactivate"]
    assert {c["staff_uuid"] for c in changes} == {new_uuid}
    assert {c["by_uuid"] for c in changes} == {owner_uuid}
    assert changes[0]["name"] == "박서준" and changes[0]["role"] == "cashier"
    assert set(changes[2]) == {"store", "terminal", "uuid", "at", "action", "staff_uuid",
                               "by_uuid"}  # that the PIN changed: nothing of it
    _no_secrets(db)


def test_menu_changes_name_their_item_group_or_category(store) -> None:  # type: ignore[no-untyped-def]
    db, _sales, staff = store
    owner = staff[Role.OWNER]
    admin = MenuAdmin(db)
    category = admin.save_category("디저트", owner)
    item = admin.save_item(ItemForm(category, "치즈케이크", 6_500), owner)
    admin.save_item(ItemForm(category, "치즈케이크", 7_000, id=item), owner)
    group = admin.save_option_group(GroupForm("포장", [ChoiceForm("포크", 0)]), owner)
    group_uuid, = db.read("SELECT uuid FROM option_group WHERE id = ?", (group,))[0]
    admin.delete_option_group(group, owner)
    changes = {f["body"]["action"]: f["body"] for f in _facts(db, "menu_change")}
    item_uuid, = db.read("SELECT uuid FROM item WHERE id = ?", (item,))[0]
    assert changes["menu_item_add"]["item_uuid"] == item_uuid
    assert (changes["price_change"]["old"], changes["price_change"]["new"]) == (6_500, 7_000)
    assert changes["menu_category_save"]["category_uuid"] == db.read(
        "SELECT uuid FROM category WHERE id = ?", (category,))[0][0]
    assert changes["option_group_delete"]["group_uuid"] == group_uuid  # though it is gone


def test_a_network_cancel_result_is_a_fact(store) -> None:  # type: ignore[no-untyped-def]
    from kspos.van.journal import NetworkCancelJournal
    from kspos.van.telegram import Request

    db, _sales, _staff = store
    journal = NetworkCancelJournal(db, tid="DPT0TEST03")
    draft = Request(type="0200", klass="IC", tid="DPT0TEST03", serial="", total=9_500,
                    pos_ref="20261125-05-0009")
    _request, entry = journal.begin(draft, journal=True, deadline_s=30)
    assert entry is not None
    journal.mark_pending(entry, "timeout")
    assert _facts(db, "reversal") == []  # owed is not done
    journal.mark_reversed(entry, "망취소완료")
    body = _facts(db, "reversal")[0]["body"]
    assert (body["receipt_no"], body["total"], body["result_message"]) == (
        "20261125-05-0009", 9_500, "망취소완료")
    assert body["uuid"] == db.read("SELECT uuid FROM van_reversal WHERE id = ?", (entry,))[0][0]


def test_compact_drops_only_what_the_office_has_and_never_a_fact(store) -> None:  # type: ignore[no-untyped-def]
    db, sales, staff = store
    for _ in range(2):
        sales.take_tender(_order(1_000), TenderRequest(Method.CASH, 1_000, "", tendered=1_000),
                          staff[Role.CASHIER])
    first, second, *rest = _facts(db)
    assert outbox.mark_sent(db, [first["seq"], second["seq"]], WHEN) == 2
    assert outbox.compact(db, WHEN + timedelta(days=1)) == 0  # sent a day ago: kept a while
    assert outbox.compact(db, WHEN + timedelta(days=31)) == 2
    assert [f["seq"] for f in _facts(db)] == [f["seq"] for f in rest]
    assert db.read("SELECT count(*) FROM sale_order")[0][0] == 2  # the facts stay
    conn = sqlite3.connect(db.path)
    try:
        with pytest.raises(sqlite3.IntegrityError, match="not yet sent"):
            conn.execute("DELETE FROM outbox")  # by hand, too: a trigger refuses
    finally:
        conn.close()


def test_the_pusher_reads_rows_as_json_in_sequence(store) -> None:  # type: ignore[no-untyped-def]
    db, sales, staff = store
    sales.take_tender(_order(1_000), TenderRequest(Method.CASH, 1_000, "", tendered=1_000),
                      staff[Role.CASHIER])
    rows = outbox.pending(db)
    assert [r["seq"] for r in rows] == sorted(r["seq"] for r in rows)
    assert all(r["version"] == outbox.VERSION for r in rows)
    assert outbox.pending(db, after_seq=rows[0]["seq"]) == rows[1:]
    assert json.loads(db.read("SELECT body FROM outbox WHERE seq = ?",
                              (rows[0]["seq"],))[0][0]) == rows[0]["body"]


def test_an_order_rolled_back_leaves_no_outbox_row(store) -> None:  # type: ignore[no-untyped-def]
    db, sales, staff = store
    order = _order(3_000)
    sales.take_tender(order, TenderRequest(Method.CARD, 3_000, ""), staff[Role.CASHIER])
    card = sales.gateways[Method.CARD]
    other = _order(2_000)
    card.authorize = _failing_after_record(card.authorize)
    with pytest.raises(RuntimeError):
        sales.take_tender(other, TenderRequest(Method.CARD, 2_000, ""), staff[Role.CASHIER])
    assert db.read("SELECT count(*) FROM payment")[0][0] == 1
    assert len(_facts(db, "payment")) == 1 and len(_facts(db, "order")) == 1
    assert OrderState.PAID is order.state


def _failing_after_record(authorize: Any) -> Any:
    """The gateway's transaction fails after the tender and its outbox rows were written."""
    def fail(request: TenderRequest, record: Any) -> Any:
        def then_fail(s: Any, result: Any) -> None:
            record(s, result)
            raise RuntimeError("disk pulled")
        return authorize(request, then_fail)
    return fail
