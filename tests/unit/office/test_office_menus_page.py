"""메뉴 배포 as the head office uses it: the form publishes a checked menu (CSRF), lists the
versions, shows every problem of a bad menu and stores nothing, and is for admins only."""

from __future__ import annotations

import html
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import pytest

from office.menus import versions
from office.store import OfficeStore
from tests.unit.office.web_rig import Browser, office

DEMO_TOML = resources.files("assets").joinpath("demo_menu.toml").read_text(encoding="utf-8")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[OfficeStore]:
    opened = office(tmp_path / "office.sqlite3")
    yield opened
    opened.close()


def _admin(store: OfficeStore) -> Browser:
    browser = Browser(store)
    assert browser.login("boss").status_code == 303
    assert browser.get("/menus").status_code == 200
    return browser


def test_the_admin_publishes_a_menu_to_one_store_and_sees_the_version(
        store: OfficeStore) -> None:
    admin = _admin(store)
    done = admin.post("/menus", {"menu": DEMO_TOML, "target": "some", "store": ["S1"],
                                 "apply": "now"})
    assert done.status_code == 303
    assert "배포했습니다: S1 v1" in admin.get(done.headers["location"]).text
    made = versions(store)
    assert [(v["store_code"], v["version"], v["apply"], v["published_by"]) for v in made] == \
        [("S1", 1, "now", "boss")]
    page = admin.get("/menus").text
    assert "v1" in page and "적용 대기" in page
    # the form now starts from what was published: publishing it again to every store works
    assert '"format": 1' in html.unescape(page)
    again = admin.post("/menus", {"menu": DEMO_TOML, "target": "all", "apply": "open"})
    assert again.status_code == 303
    assert {v["store_code"] for v in versions(store)} == {"S1", None}


def test_a_bad_menu_lists_its_problems_and_publishes_nothing(store: OfficeStore) -> None:
    admin = _admin(store)
    bad = DEMO_TOML.replace("price = 4500", "price = -4500")
    answer = admin.post("/menus", {"menu": bad, "target": "all", "apply": "open"})
    assert answer.status_code == 400 and "price" in answer.text
    assert "price = -4500" in html.unescape(answer.text)  # kept in the form, to fix
    assert admin.post("/menus", {"menu": "[[category", "target": "all"}).status_code == 400
    assert admin.post("/menus", {"menu": DEMO_TOML, "target": "some"}).status_code == 400
    assert versions(store) == []


def test_menus_are_for_admins_and_forms_need_their_csrf_field(store: OfficeStore) -> None:
    owner = Browser(store)
    assert owner.login("kim").status_code == 303
    assert owner.get("/menus").status_code == 403
    assert owner.post("/menus", {"menu": DEMO_TOML, "target": "all"}).status_code == 403
    admin = _admin(store)
    forged = admin.post("/menus", {"menu": DEMO_TOML, "target": "all"}, csrf=False)
    assert forged.status_code == 403
    assert versions(store) == []
