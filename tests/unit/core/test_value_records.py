"""The POS's value classes (frozen, slotted dataclasses) as every caller relies on them:
keywords, defaults, ==, hash, immutability, repr without card data, ``dataclasses.replace()``
with validation, pickle, and mutable defaults never shared."""

from __future__ import annotations

import copy
import dataclasses
import pickle

import pytest

from kspos.menu.catalog import Catalog, MenuCategory, MenuItem
from kspos.ports import CardRead, Devices, PrinterStatus, ReadResult, Signature
from kspos.sales.orders import ChosenOption, Discount, Order, OrderError, OrderLine
from kspos.sales.payments import Method, TenderRequest, TenderResult
from kspos.sales.staff import Role, StaffMember

TRACK2 = "4111111111111111=29121010000000000000"


def card() -> CardRead:
    return CardRead(ReadResult.READ, "I", "411111******1111", "411111", "VISA",
                    track2=TRACK2, expiry="2912", reader="sim")


def test_a_card_reads_repr_never_shows_track_2_or_expiry() -> None:
    read = card()
    text = repr(read) + repr(TenderRequest(Method.CARD, 1000, "R1", card=read, code="2810061"))
    assert TRACK2 not in text and "2912" not in text and "2810061" not in text
    assert "411111******1111" in text
    assert [f.name for f in dataclasses.fields(CardRead) if not f.repr] == ["track2", "expiry"]


def test_frozen_records_refuse_assignment_and_hash_by_value() -> None:
    read = card()
    with pytest.raises(AttributeError):
        read.track2 = ""  # type: ignore[misc]
    assert read == copy.deepcopy(read) and hash(read) == hash(card())
    assert read != dataclasses.replace(read, reader="other")
    assert pickle.loads(pickle.dumps(StaffMember(1, "김", Role.OWNER))) == StaffMember(1, "김",
                                                                                        Role.OWNER)
    assert len({PrinterStatus(), PrinterStatus(), PrinterStatus(paper_out=True)}) == 2


def test_the_tender_requests_prepare_hook_is_left_out_of_equality_and_repr() -> None:
    base = TenderRequest(Method.CARD, 5000, "R1")
    with_hook = dataclasses.replace(base, prepare=lambda session: "R2", receipt_no="R1")
    assert with_hook == base and hash(with_hook) == hash(base)
    assert with_hook.prepare is not None and "prepare" not in repr(with_hook)
    assert dataclasses.replace(base, amount=1).amount == 1


def test_a_results_copy_and_dict_keep_every_field() -> None:
    result = TenderResult(True, Method.CASH, 3000, tendered=5000, change=2000)
    changed = dataclasses.replace(result, message="현금 결제 · 현금영수증 발급")
    assert changed.message.startswith("현금") and changed.change == 2000 and result.message == ""
    values = {f.name: getattr(changed, f.name) for f in dataclasses.fields(changed)}
    assert values["tendered"] == 5000 and values["extra"] == {} and len(values) == 27
    with pytest.raises(TypeError):
        dataclasses.replace(result, no_such_field=1)
    with pytest.raises(AttributeError):  # slotted: no stray attributes
        object.__setattr__(result, "no_such_field", 1)


def test_validation_still_runs_on_construction_and_replace() -> None:
    with pytest.raises(OrderError):
        Discount("percent", 101)
    with pytest.raises(OrderError):
        dataclasses.replace(Discount("amount", 500), kind="bogus")
    with pytest.raises(ValueError):
        Signature(b"\x00" * 10)


def test_mutable_records_stay_mutable_and_do_not_share_defaults() -> None:
    first, second = Order(), Order()
    first.add(OrderLine(1, "아메리카노", 3000, options=(ChosenOption("사이즈", "L", "L", 500),)))
    assert second.lines == [] and first != second
    first.note = "포장"
    assert first.note == "포장" and Order(note="포장", lines=list(first.lines)) == first
    devices = Devices()
    devices.problems["printer"] = "없음"
    assert Devices().problems == {}
    assert Catalog(()).by_id == {} and Catalog(()).by_id is not Catalog(()).by_id


def test_positional_order_is_the_dataclass_order() -> None:
    item = MenuItem(7, 1, "라떼", "Latte", 4000, False, None, False)
    category = MenuCategory(1, "커피", "Coffee", "#fff", (item,))
    catalog = Catalog.build((category,))
    assert catalog.item(7) is item and catalog.category_of(item) is category
    assert item.groups == () and item.label("en") == "Latte"
    assert repr(item).startswith("MenuItem(id=7, category_id=1, name='라떼'")
