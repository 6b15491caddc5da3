"""Menus from the office on the terminal: kept as pending, applied between orders ("now") or
at 개점 ("open"), newest only, the store's own 품절 kept, bad documents refused."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from drivers.sim.printer import SimPrinter
from kspos.config import demo_settings
from kspos.context import AppContext
from kspos.menu import updates
from kspos.menu.admin import MenuAdmin
from kspos.menu.document import from_toml
from kspos.ports import Devices
from kspos.store import Database
from kspos.sync import outbox

ROOT = Path(__file__).resolve().parents[3]


def demo_document() -> dict[str, Any]:
    return from_toml((ROOT / "assets" / "demo_menu.toml").read_text("utf-8"))


def item_doc(doc: dict[str, Any], name: str) -> dict[str, Any]:
    return next(i for c in doc["categories"] for i in c["items"] if i["name"] == name)


def priced(doc: dict[str, Any], name: str, price: int) -> dict[str, Any]:
    new = copy.deepcopy(doc)
    item_doc(new, name)["price"] = price
    return new


@pytest.fixture
def context(data_dir: Path) -> Iterator[AppContext]:
    settings = demo_settings(data_dir)
    db = Database(settings.db_path).open()
    ctx = AppContext.create(settings, db, Devices(printer=SimPrinter()), start_workers=False)
    yield ctx
    ctx.close()


def named(context: AppContext, name: str) -> Any:
    return next(i for i in context.catalog.by_id.values() if i.name == name)


def test_a_now_version_applies_while_the_order_is_empty(context: AppContext) -> None:
    heard: list[int] = []
    context.menu_listeners.append(heard.append)
    before = named(context, "아메리카노")
    assert updates.receive(context.db, 7, "now", priced(demo_document(), "아메리카노", 4800)) \
        == "pending"
    assert context.menu_due() == 7
    assert context.apply_menu() == 7
    after = named(context, "아메리카노")
    assert (after.price, after.id, heard) == (4800, before.id, [7])
    assert [g.name for g in after.groups] == [g.name for g in before.groups]
    assert context.menu_due() is None and context.apply_menu() is None
    facts = [r for r in outbox.pending(context.db, 1000) if r["kind"] == "menu_change"]
    applied = [f["body"] for f in facts if f["body"]["action"] == "menu_apply"]
    assert len(applied) == 1 and applied[0]["menu_version"] == 7
    assert updates.unreported(context.db) == [7]


def test_the_stores_own_sold_out_survives_and_removed_items_go(context: AppContext) -> None:
    from kspos.sales.staff import Role

    admin = MenuAdmin(context.db)
    americano = named(context, "아메리카노")
    admin.set_sold_out(americano.id, True, context.staff.first(Role.OWNER))
    doc = demo_document()
    doc["categories"][0]["items"] = [i for i in doc["categories"][0]["items"]
                                     if i["name"] != "카페모카"]
    doc["categories"][0]["items"].append({"uuid": "00000000-0000-4000-8000-0000000000aa",
                                          "name": "플랫화이트", "price": 5200})
    updates.receive(context.db, 1, "now", doc)
    assert context.apply_menu() == 1
    assert named(context, "아메리카노").sold_out is True  # the store said 품절: kept
    assert named(context, "플랫화이트").sold_out is False
    assert not any(i.name == "카페모카" for i in context.catalog.by_id.values())
    updates.receive(context.db, 2, "now", demo_document())  # 카페모카 comes back
    assert context.apply_menu() == 2
    assert named(context, "카페모카").price == 5500
    assert named(context, "아메리카노").sold_out is True
    assert not any(i.name == "플랫화이트" for i in context.catalog.by_id.values())


def test_a_version_waits_while_the_cashier_has_lines_and_the_order_keeps_its_price(
        context: AppContext) -> None:
    register = context.register
    register.login("1111")
    context.sales.days.open(register.staff, 0)
    americano = named(context, "아메리카노")
    register.add_item(americano.id, [americano.groups[0].choices[0].id,
                                     americano.groups[1].choices[0].id])
    updates.receive(context.db, 3, "now", priced(demo_document(), "아메리카노", 9000))
    assert context.apply_menu() is None  # lines on the counter: not now
    assert named(context, "아메리카노").price == 4500
    held = register.hold()  # the order goes aside with its lines as rung up
    assert context.apply_menu() == 3
    assert named(context, "아메리카노").price == 9000
    register.recall(held.id)
    assert register.order.lines[0].unit_price == 4500


def test_an_open_version_waits_for_the_next_day_open(context: AppContext) -> None:
    updates.receive(context.db, 4, "open", priced(demo_document(), "카페라떼", 5300))
    assert context.menu_due() is None and context.apply_menu() is None
    assert named(context, "카페라떼").price == 5000
    context.register.login("1111")
    context.sales.days.open(context.register.staff, 0)  # 개점
    assert named(context, "카페라떼").price == 5300
    assert [v["state"] for v in updates.history(context.db)] == ["applied"]


def test_an_older_version_never_overwrites_a_newer(context: AppContext) -> None:
    doc = demo_document()
    assert updates.receive(context.db, 5, "now", priced(doc, "카페라떼", 5100)) == "pending"
    assert updates.receive(context.db, 4, "now", priced(doc, "카페라떼", 4000)) == "old"
    assert updates.receive(context.db, 5, "now", priced(doc, "카페라떼", 4000)) == "old"
    assert context.apply_menu() == 5
    assert updates.receive(context.db, 3, "now", priced(doc, "카페라떼", 3000)) == "old"
    assert named(context, "카페라떼").price == 5100
    # two pending: only the newest applies, the older is superseded
    updates.receive(context.db, 6, "now", priced(doc, "카페라떼", 5200))
    updates.receive(context.db, 8, "open", priced(doc, "카페라떼", 5400))
    assert context.apply_menu() is None  # the newest waits for 개점; v6 never applies alone
    assert context.apply_menu(opening=True) == 8
    states = {v["version"]: v["state"] for v in updates.history(context.db)}
    assert states == {8: "applied", 6: "superseded", 5: "applied"}
    assert named(context, "카페라떼").price == 5400


@pytest.mark.parametrize("mutate, reason", [
    (lambda d: item_doc(d, "아메리카노").update(price=-1), "price"),
    (lambda d: item_doc(d, "아메리카노").update(price=4500.5), "price"),
    (lambda d: item_doc(d, "아메리카노").update(option_groups=["nope"]), "option_groups"),
    (lambda d: d["categories"].append(copy.deepcopy(d["categories"][0])), "UUID"),
    (lambda d: d.update(format=9), "format"),
    (lambda d: d["option_groups"][0].update(choices=[]), "choices"),
    (lambda d: item_doc(d, "아메리카노").update(colour="red"), "unknown field"),
])
def test_a_bad_document_is_refused_with_a_reason_and_nothing_changes(
        context: AppContext, mutate: Any, reason: str) -> None:
    doc = demo_document()
    mutate(doc)
    assert updates.receive(context.db, 2, "now", doc) == "refused"
    assert context.menu_due() is None and context.apply_menu() is None
    (kept,) = updates.history(context.db)
    assert kept["state"] == "refused" and reason in kept["reason"]
    assert named(context, "아메리카노").price == 4500
    assert updates.receive(context.db, 2, "now", demo_document()) == "old"  # not pulled again


def test_a_bad_apply_word_is_refused(context: AppContext) -> None:
    assert updates.receive(context.db, 1, "later", demo_document()) == "refused"
    with pytest.raises(ValueError):
        updates.receive(context.db, 0, "now", demo_document())


def test_the_kept_document_is_the_office_s(context: AppContext) -> None:
    doc = priced(demo_document(), "에스프레소", 4100)
    updates.receive(context.db, 1, "now", doc, "2026-12-06T10:00:00", "hq")
    (row,) = context.db.read("SELECT document, published_by FROM menu_version")
    assert json.loads(row[0]) == doc and row[1] == "hq"


class FakeMenuOffice:
    """Answers the menu endpoints like the office: the newest version after ``have``."""

    def __init__(self, versions: dict[int, dict[str, Any]]) -> None:
        self.versions, self.asked, self.applied = versions, [], []

    def __call__(self, url: str, token: str, payload: bytes | None, timeout: float,
                 method: str = "POST") -> tuple[int, Any]:
        from kspos.sync.pusher import OfficeUnreachable

        if not self.versions:
            raise OfficeUnreachable("office not reachable: refused")
        if method == "GET":
            have = int(url.rsplit("have=", 1)[1])
            self.asked.append(have)
            newer = [v for v in self.versions if v > have]
            if not newer:
                return 204, None
            v = max(newer)
            return 200, {"version": v, "apply": "now", "published_at": "", "published_by": "hq",
                         "document": self.versions[v]}
        self.applied.append(json.loads(payload or b"{}")["version"])
        return 200, {"recorded": True}


def test_the_puller_asks_at_most_once_a_minute_and_reports_what_applied(
        context: AppContext, monkeypatch: pytest.MonkeyPatch) -> None:
    from kspos.sync import menus

    office = FakeMenuOffice({3: priced(demo_document(), "아메리카노", 4700)})
    monkeypatch.setattr(menus, "request_json", office)
    puller = menus.MenuPuller(context.db, "http://office.example", "ksp_t")
    assert puller.sync() == "pending" and office.asked == [0]
    assert puller.sync() is None and office.asked == [0]  # within the minute: not asked
    assert puller.sync(force=True) is None and office.asked == [0, 3]
    assert context.apply_menu() == 3
    puller.sync()
    assert office.applied == [3] and updates.unreported(context.db) == []
    office.versions = {}  # the office went away: said once, the push goes on
    assert str(puller.sync(force=True)).startswith("error: menu: office not reachable")
