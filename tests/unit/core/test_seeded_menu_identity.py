"""A seeded menu's items have the identities a published copy of the same menu gives them, so
the office counts one item across counters and a published demo menu updates the same items."""

from __future__ import annotations

import sqlite3
from importlib import resources

from kspos.menu.catalog import demo_menu
from kspos.menu.document import from_toml, parse_document
from kspos.store import Database


def test_seeded_items_have_the_uuids_of_the_published_toml(demo_db: Database) -> None:
    with sqlite3.connect(demo_db.path) as conn:
        seeded = dict(conn.execute("SELECT name, uuid FROM item"))
    text = resources.files("assets").joinpath("demo_menu.toml").read_text(encoding="utf-8")
    published = parse_document(from_toml(text))
    names = {i.name: i.uuid for c in published.categories for i in c.items}
    assert len(seeded) == sum(len(c["items"]) for c in demo_menu()["category"]) > 10
    assert seeded == names
