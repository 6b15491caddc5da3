"""The office's checks of a pushed batch, alone (no database, no HTTP)."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from office.api.validate import MAX_FACTS, BadBatch, check_batch
from tests.unit.office.facts_data import batch, order, payment, refund


def test_a_sale_passes_whole() -> None:
    sold = order()
    paid = payment(sold)
    checked = check_batch(batch(sold, paid, refund(sold, paid, 4500)), "S0001", "01")
    assert [f.kind for f in checked.facts] == ["order", "payment", "refund"]
    assert checked.refused == []


def test_the_same_fact_twice_in_a_batch_is_one_fact() -> None:
    sold = order()
    assert len(check_batch(batch(sold, copy.deepcopy(sold)), "S0001", "01").facts) == 1


def _spoil(fact: dict[str, Any], path: tuple[str, ...], value: Any) -> dict[str, Any]:
    spoiled = copy.deepcopy(fact)
    target = spoiled
    for key in path[:-1]:
        target = target[key]
    if value is KeyError:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return spoiled


@pytest.mark.parametrize(("path", "value", "reason"), [
    (("kind",), "coupon", "unknown kind"),
    (("version",), 2, "version"),
    (("version",), "1", "version"),
    (("uuid",), "NOT-A-UUID", "uuid"),
    (("seq",), -4, "seq"),
    (("seq",), True, "seq"),
    (("body",), [], "body"),
    (("body", "uuid"), "00000000-0000-4000-8000-000000000000", "uuid is not the row's"),
    (("body", "total"), KeyError, "missing field 'total'"),
    (("body", "total"), "9000", "'total'"),
    (("body", "total"), 9000.0, "'total'"),
    (("body", "gross"), -1, "'gross'"),
    (("body", "gross"), 10**20, "'gross'"),
    (("body", "training"), "no", "'training'"),
    (("body", "business_day"), "2026-13-40", "'business_day'"),
    (("body", "created_at"), "yesterday", "'created_at'"),
    (("body", "state"), "open", "'state'"),
    (("body", "vat"), 1, "supply + vat + tax_free"),
    (("body", "lines"), [1], "line 0"),
    (("body", "lines", 0, "qty"), None, "'qty'"),
])
def test_a_bad_fact_is_refused_with_its_reason_and_the_rest_kept(
        path: tuple[Any, ...], value: Any, reason: str) -> None:
    good, bad = order(seq=1), _spoil(order(seq=2), path, value)
    checked = check_batch(batch(good, bad), "S0001", "01")
    assert [f.uuid for f in checked.facts] == [good["uuid"]]
    assert len(checked.refused) == 1 and reason in checked.refused[0]["reason"]


@pytest.mark.parametrize("pan", ["5365101234560006", "536510 1234 560006", "53651012****0006x"])
def test_a_card_number_that_is_not_masked_is_refused(pan: str) -> None:
    paid = payment(order())
    paid["body"]["masked_pan"] = pan
    checked = check_batch(batch(paid), "S0001", "01")
    assert checked.facts == [] and "masked_pan" in checked.refused[0]["reason"]
    assert "1234" not in checked.refused[0]["reason"]  # the reason never repeats the value


@pytest.mark.parametrize(("data", "status"), [
    ([], 422), ("facts", 422), ({"store": "S0001", "terminal": "01"}, 422),
    ({"store": "S0001", "terminal": "01", "facts": {}}, 422),
    ({"store": "s1", "terminal": "01", "facts": []}, 422),
    ({"store": "S0001", "terminal": "00", "facts": []}, 422),
    ({"store": "S0002", "terminal": "01", "facts": []}, 403),
    ({"store": "S0001", "terminal": "02", "facts": []}, 403),
    ({"store": "S0001", "terminal": "01", "facts": [{}] * (MAX_FACTS + 1)}, 413),
])
def test_a_bad_envelope_is_a_4xx(data: Any, status: int) -> None:
    with pytest.raises(BadBatch) as caught:
        check_batch(data, "S0001", "01")
    assert caught.value.status == status and caught.value.reason


@pytest.mark.parametrize(("store", "terminal"), [("S0002", "01"), ("S0001", "02")])
def test_one_fact_of_another_terminal_refuses_the_whole_batch(store: str, terminal: str) -> None:
    stranger = order(store=store, terminal=terminal)
    with pytest.raises(BadBatch) as caught:
        check_batch(batch(order(), stranger), "S0001", "01")
    assert caught.value.status == 403


def test_a_refused_fact_without_a_usable_uuid_is_still_reported() -> None:
    checked = check_batch(batch(order(), "junk", {"seq": "x", "uuid": 5}), "S0001", "01")
    assert len(checked.facts) == 1
    assert [(r["seq"], r["uuid"]) for r in checked.refused] == [(None, None), (None, None)]
