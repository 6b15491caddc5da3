"""매출 현황 (/today and /api/today) over facts stored by the real ingest: each store today
beside yesterday and last week's same weekday, only the stores the user may see."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from office.api.validate import check_batch
from office.app import create_app
from office.store import OfficeStore
from office.store import ingest as repo
from tests.unit.office.facts_data import batch, order, payment
from tests.unit.office.web_rig import Browser, office

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
pytest.importorskip("starlette.testclient")

TODAY = date(2026, 11, 25)  # a Wednesday


def _sale(store: str, day: date, total: int, seq: int) -> list[dict[str, Any]]:
    sold = order(store=store, total=total, seq=seq)
    for key in ("created_at", "paid_at"):
        sold["body"][key] = f"{day.isoformat()}T12:30:00.000000"
    sold["body"]["business_day"] = day.isoformat()
    paid = payment(sold, seq=seq + 1)
    paid["body"]["created_at"] = f"{day.isoformat()}T12:30:00.000000"
    return [sold, paid]


def _push(store: OfficeStore, code: str, *facts: dict[str, Any]) -> None:
    with store.transaction() as conn:
        repo.store_batch(conn, code, "01", check_batch(batch(*facts, store=code), code,
                                                       "01").facts)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[OfficeStore]:
    opened = office(tmp_path / "office.sqlite3")
    _push(opened, "S1", *_sale("S1", TODAY, 9000, 1), *_sale("S1", TODAY, 5000, 3),
          *_sale("S1", TODAY - timedelta(days=1), 7000, 5),
          *_sale("S1", TODAY - timedelta(days=7), 14000, 7),
          *_sale("S1", TODAY - timedelta(days=3), 99000, 9))  # another day: not shown
    _push(opened, "S2", *_sale("S2", TODAY, 3000, 1))
    yield opened
    opened.close()


def _browser(store: OfficeStore, login: str) -> Browser:
    app = create_app(store)
    app.state.today = lambda: TODAY
    browser = Browser(store, app=app)
    browser.login(login)
    return browser


def test_an_owner_sees_their_store_today_yesterday_and_last_week(store: OfficeStore) -> None:
    kim = _browser(store, "kim")
    page = kim.get("/today")
    assert page.status_code == 200
    text = page.text
    for shown in ("2026-11-25 (수)", "14,000원", "2건", "7,000원", "+100%", "14,000원", "+0%"):
        assert shown in text, shown
    # the other store's code as the page would show it (a random CSRF token may hold "S2")
    assert not re.search(r"[>\s]S2[<\s]", text)
    assert "3,000원" not in text and "99,000원" not in text
    assert "전체 매장" not in text  # one store: no sum
    assert '<script src="/static/today.js" defer></script>' in text
    assert 'data-refresh="/api/today"' in text


def test_the_refresh_api_gives_the_same_figures_and_no_other_store(store: OfficeStore) -> None:
    kim = _browser(store, "kim")
    data = kim.get("/api/today").json()
    assert data["day"] == "2026-11-25"
    assert [(s["store"], s["net_sales"]) for s in data["stores"]] == [("S1", 14000)]
    assert data["stores"][0]["cells"]["vs_yesterday"] == "+100%"
    assert kim.get("/api/today?store=S2").status_code == 404
    assert kim.get("/today?store=S2").status_code == 404
    assert Browser(store).client.get("/api/today").status_code == 401


def test_an_admin_sees_every_store_and_their_sum_first(store: OfficeStore) -> None:
    boss = _browser(store, "boss")
    data = boss.get("/api/today").json()
    assert [(s["store"], s["net_sales"]) for s in data["stores"]] == [
        ("*", 17000), ("S1", 14000), ("S2", 3000)]
    assert data["stores"][2]["cells"]["vs_yesterday"] == "—"  # nothing yesterday: no ratio
    page = boss.get("/today?store=S2").text
    assert "3,000원" in page and "14,000원" not in page


def test_a_fall_is_shown_with_a_minus_sign_and_english_words(store: OfficeStore) -> None:
    _push(store, "S2", *_sale("S2", TODAY - timedelta(days=7), 4000, 3))
    boss = _browser(store, "boss")
    boss.client.cookies.set("lang", "en")
    data = boss.get("/api/today?store=S2").json()
    cells = data["stores"][0]["cells"]
    assert cells["net_sales"] == "3,000 won" and cells["orders"] == "1 order"
    assert cells["vs_last_week"] == "−25%"
    assert "Same day last week" in boss.get("/today").text
