"""The repositories under kspos/store/ for staff, the menu and the doctor (and the history
screens' questions): what they promise beyond the domain tests that use them."""

from __future__ import annotations

import sqlite3
import uuid
from pathlib import Path

import pytest

from kspos.sales.history import any_day_closed, sold_lines
from kspos.store import Database, StoreError, doctor, menu
from kspos.store import staff as staff_store


def test_a_pin_hash_goes_only_to_the_check(db: Database) -> None:
    with db.session() as s:
        first = staff_store.add(s, "가", "cashier", "scrypt$aa$11", demo=False)
        second = staff_store.add(s, "나", "owner", "scrypt$bb$22", demo=True)
    offered: list[str] = []

    def matches(pin_hash: str) -> bool:
        offered.append(pin_hash)
        return pin_hash.endswith("22")

    assert staff_store.pin_holder(db, matches) == (second, "나", "owner")
    assert offered == ["scrypt$aa$11", "scrypt$bb$22"]  # in the order they were added
    assert staff_store.pin_holder(db, lambda _hash: False) is None
    assert staff_store.active_members(db) == [(first, "가", "cashier"), (second, "나", "owner")]
    assert staff_store.demo_pin_names(db) == ["나"]
    # nothing else a caller can read carries a hash
    assert all("scrypt" not in str(row) for row in staff_store.everyone(db))


def test_the_last_owner_guard_is_in_the_statement(db: Database) -> None:
    with db.session() as s:
        owner = staff_store.add(s, "점주", "owner", "scrypt$aa$11", demo=False)
        assert not staff_store.set_role(s, owner, "cashier")  # the only owner
        assert not staff_store.deactivate(s, owner)
        other = staff_store.add(s, "점주2", "owner", "scrypt$bb$22", demo=False)
        assert staff_store.deactivate(s, owner)
        assert not staff_store.is_active(s, owner) and staff_store.is_active(s, other)
        assert not staff_store.rename(s, owner, "다시")  # deactivated: unchanged
        assert not staff_store.is_active(s, 9999)


def test_an_empty_store_has_no_menu_and_no_closed_day(db: Database) -> None:
    assert not menu.has_items(db)
    assert menu.item_rows(db) == [] and menu.category_rows(db) == []
    assert not any_day_closed(db) and sold_lines(db, 1) == []
    with db.session() as s:
        assert not menu.any_item(s)
        assert menu.next_category_position(s) == 1


def test_the_snapshot_is_read_whole(demo_db: Database) -> None:
    from kspos.menu.catalog import load_catalog

    catalog = load_catalog(demo_db)
    assert len(menu.item_rows(demo_db)) == len(catalog.by_id) > 0
    assert all(isinstance(i.tax_free, bool) and isinstance(i.sold_out, bool)
               for i in catalog.by_id.values())
    assert all(isinstance(g.required, bool) for i in catalog.by_id.values() for g in i.groups)


def _journal_entry(path: Path, tid: str, serial: str, state: str) -> None:
    """A van_reversal row with the columns the table insists on (the rest their zero)."""
    with sqlite3.connect(path) as conn:
        columns = {name: ("" if "CHAR" in kind.upper() or "TEXT" in kind.upper() else 0)
                   for _, name, kind, notnull, _d, pk in conn.execute(
                       "PRAGMA table_info(van_reversal)") if notnull and not pk}
        columns.update(uuid=str(uuid.uuid4()), tid=tid, serial=serial, state=state,
                       created_at="2026-01-01 00:00:00.000000",
                       updated_at="2026-01-01 00:00:00.000000")
        names = ", ".join(columns)
        conn.execute(f"INSERT INTO van_reversal ({names}) VALUES "
                     f"({', '.join('?' * len(columns))})", list(columns.values()))


def test_the_doctor_reads_pending_reversals_read_only(db: Database, tmp_path: Path) -> None:
    assert doctor.pending_reversal_serials(db.path, "T1") == []
    _journal_entry(db.path, "T1", "000002", "pending")
    _journal_entry(db.path, "T1", "000003", "done")
    _journal_entry(db.path, "T2", "000004", "pending")
    assert doctor.pending_reversal_serials(db.path, "T1") == ["000002"]
    with pytest.raises(StoreError):
        doctor.pending_reversal_serials(tmp_path / "none.sqlite3", "T1")  # never created
    assert not (tmp_path / "none.sqlite3").exists()
