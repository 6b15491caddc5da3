"""판매집계, 카드 승인 내역 and 마감 as an owner reads them (Starlette's test client, a temp SQLite
office, facts stored by the real ingest).

Store S1 sold two orders (one card, one cash; half of the card sale refunded) and closed its
day 500원 short; store S2 sold one card order. Owner ``kim`` sees S1 only, admin ``boss``
sees both.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kspos.reports.export import as_csv
from office.api.validate import check_batch
from office.store import OfficeStore
from office.store import ingest as ingest_repo
from office.store import sales as sales_repo
from tests.unit.office.facts_data import batch, new_uuid, order, payment, refund
from tests.unit.office.web_rig import Browser, office

DAY = "2026-11-25"
PERIOD = f"from={DAY}&to={DAY}"


def _day_close(store: str, seq: int) -> dict[str, Any]:
    fact = new_uuid()
    body = {"store": store, "terminal": "01", "uuid": fact, "at": f"{DAY}T22:05:00.000000",
            "day_uuid": new_uuid(), "business_day": DAY, "opening_float": 100000,
            "expected_cash": 106000, "counted_cash": 105500, "over_short": -500,
            "pieces": {"50000": 2, "1000": 5, "500": 1}}
    return {"seq": seq, "uuid": fact, "kind": "day_close", "version": 1, "body": body}


def _push(store: OfficeStore, store_code: str, *facts: dict[str, Any]) -> None:
    data = batch(*facts, store=store_code)
    with store.transaction() as conn:
        ingest_repo.store_batch(conn, store_code, "01",
                                check_batch(data, store_code, "01").facts)


@pytest.fixture
def stores(tmp_path: Path) -> Iterator[OfficeStore]:
    store = office(tmp_path / "office.sqlite3")
    card = order("S1", total=12000, seq=1)
    card_paid = payment(card, seq=2)
    cash = order("S1", total=6000, seq=3)
    cash["body"]["receipt_no"] = f"{DAY.replace('-', '')}-01-0002"
    _push(store, "S1", card, card_paid, cash, payment(cash, seq=4, method="cash"),
          refund(card, card_paid, 6000, seq=5), _day_close("S1", 6))
    other = order("S2", total=777000, seq=1)
    _push(store, "S2", other, payment(other, seq=2))
    yield store
    store.close()


def _owner(store: OfficeStore, login: str = "kim") -> Browser:
    browser = Browser(store)
    assert browser.login(login).status_code == 303
    return browser


def _text(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", html)


def test_the_owner_reads_their_stores_sales_and_never_anothers(stores: OfficeStore) -> None:
    page = _owner(stores).get(f"/sales?{PERIOD}&by=tender")
    assert page.status_code == 200
    text = _text(page.text)
    assert "12,000" in text  # 순매출: 12,000 + 6,000 − 6,000 refunded
    assert "777,000" not in text
    assert "<img" in page.text and "data:image/svg+xml;base64," in page.text
    assert _owner(stores).get(f"/sales?{PERIOD}&store=S2").status_code == 404
    admin = _owner(stores, "boss").get(f"/sales?{PERIOD}")
    assert "789,000" in _text(admin.text)  # both stores


def test_the_pages_are_for_logged_in_users_only(stores: OfficeStore) -> None:
    anonymous = Browser(stores)
    for path in ("/sales", "/sales.csv", "/sales.xlsx", "/approvals", "/closing"):
        answer = anonymous.get(f"{path}?{PERIOD}")
        assert answer.status_code == 303 and answer.headers["location"].startswith("/login")


@pytest.mark.parametrize("query, words", [
    ("from=2026-13-01&to=2026-11-25", "날짜"),
    ("from=2026-11-25&to=2026-11-01", "종료일"),
    ("from=2020-01-01&to=2026-11-25", "기간"),
    ("from=2026-11-01&to=2026-11-25&by=drop%20table", "집계 기준"),
    ("from=2026-11-01'%20OR%201=1--&to=2026-11-25", "날짜"),
])
def test_a_bad_filter_is_a_400_that_says_why(stores: OfficeStore, query: str,
                                             words: str) -> None:
    answer = _owner(stores).get(f"/sales?{query}")
    assert answer.status_code == 400
    assert words in answer.text and "Traceback" not in answer.text


def test_the_csv_is_kspos_own_export_of_the_same_summary(stores: OfficeStore) -> None:
    answer = _owner(stores).get(f"/sales.csv?{PERIOD}&by=item")
    assert answer.status_code == 200
    assert "filename*=UTF-8''" in answer.headers["content-disposition"]
    from datetime import date

    with stores.transaction() as conn:
        summary = sales_repo.sales_summary(conn, {"S1"}, date(2026, 11, 25), date(2026, 11, 25))
    assert answer.content == as_csv(summary, "item")


def test_the_xlsx_opens_with_every_grouping(stores: OfficeStore) -> None:
    from openpyxl import load_workbook

    answer = _owner(stores).get(f"/sales.xlsx?{PERIOD}")
    assert answer.status_code == 200
    book = load_workbook(io.BytesIO(answer.content))
    assert {"판매집계", "일별", "메뉴별", "결제수단별", "부가세 신고 자료"} <= set(book.sheetnames)


def test_approvals_are_found_by_last_digits_with_the_masked_pan_only(
        stores: OfficeStore) -> None:
    owner = _owner(stores)
    found = owner.get(f"/approvals?{PERIOD}&last4=0006")
    assert found.status_code == 200
    assert "536510******0006" in found.text
    assert "부분취소" in found.text  # half of it was refunded
    assert "777,000" not in _text(found.text)  # S2's approval is not kim's
    assert "조건에 맞는 승인이 없습니다" in owner.get(f"/approvals?{PERIOD}&last4=9999").text
    assert owner.get(f"/approvals?{PERIOD}&last4=12ab").status_code == 400
    assert owner.get(f"/approvals?{PERIOD}&amount=1e9").status_code == 400


def test_closing_shows_the_z_with_over_short_and_the_quarters_vat(stores: OfficeStore) -> None:
    owner = _owner(stores)
    page = owner.get(f"/closing?{PERIOD}&quarter=2026-Q4")
    assert page.status_code == 200
    text = _text(page.text)
    assert "-500" in text and "105,500" in text
    assert "12,000" in text  # the quarter's 합계 (S1 only)
    assert owner.get(f"/closing?{PERIOD}&quarter=2026-Q5").status_code == 400


def test_english_pages_say_the_figures_in_english(stores: OfficeStore) -> None:
    owner = _owner(stores)
    owner.client.cookies.set("lang", "en")
    page = owner.get(f"/sales?{PERIOD}")
    assert "Net sales" in page.text and "순매출" not in page.text
    assert "Day closes (Z)" in owner.get(f"/closing?{PERIOD}").text
