"""Sales records younger than five years cannot be deleted (국세기본법 §85-3).

The store refuses it itself (triggers from migration 0009_retention), whatever code or tool
tries: sales and their lines, payments, refunds, the business days, the audit log and the
network-cancel (망취소) journal's reversals and their outcomes."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from kspos.store import Database

NOW = datetime.now().strftime("%Y-%m-%d %H:%M:%S.%f")
OLD = "2019-03-01 10:00:00.000000"  # more than five years ago: may go


@pytest.fixture
def conn(db: Database) -> Iterator[sqlite3.Connection]:
    """A plain connection on the migrated store (what any tool would use), with one paid sale
    of ``NOW`` and one of ``OLD``, each with a line, a payment, a refund and an audit line."""
    c = sqlite3.connect(db.path, isolation_level=None)
    c.execute("PRAGMA foreign_keys=ON")
    c.execute("INSERT INTO business_day (id, day, opened_at, opening_float, next_receipt_seq) "
              "VALUES (1, '2026-12-05', ?, 0, 1), (2, '2019-03-01', ?, 0, 1)", (NOW, OLD))
    for order_id, at in ((1, NOW), (2, OLD)):
        c.execute(
            "INSERT INTO sale_order (id, receipt_no, business_day_id, state, training, note, "
            "created_at, order_discount_value, gross, discount_total, service_total, total, "
            "supply, vat, tax_free, refunded) VALUES (?, ?, ?, 'paid', 0, '', ?, 0, 1000, 0, "
            "0, 1000, 909, 91, 0, 0)", (order_id, f"R{order_id}", order_id, at))
        c.execute(
            "INSERT INTO order_line (order_id, position, category_name, name, name_en, "
            "options_json, unit_price, qty, discount_value, discount_amount, complimentary, "
            "tax_free, amount, refunded_qty, note) VALUES (?, 0, '커피', '아메리카노', "
            "'Americano', '[]', 1000, 1, 0, 0, 0, 0, 1000, 0, '')", (order_id,))
        c.execute(
            "INSERT INTO payment (id, order_id, method, status, amount, refunded, tendered, "
            "change, training, created_at, installment) VALUES (?, ?, 'cash', 'approved', "
            "1000, 0, 1000, 0, 0, ?, 0)", (order_id, order_id, at))
        c.execute("INSERT INTO refund (order_id, payment_id, amount, lines_json, reason, "
                  "created_at, training) VALUES (?, ?, 100, '{}', '고객 요청', ?, 0)",
                  (order_id, order_id, at))
        c.execute("INSERT INTO audit_log (at, action, order_id, detail) VALUES (?, 'pay', ?, "
                  "'')", (at, order_id))
    yield c
    c.close()


def _reversal(conn: sqlite3.Connection, state: str, at: str = NOW) -> int:
    cur = conn.execute(
        "INSERT INTO van_reversal (state, created_at, updated_at, owner_pid, deadline, tid, "
        "serial, klass, orig_type, mode, company, installment, total, service, vat, supply, "
        "tax_free, orig_approval_no, orig_approval_date, pos_ref, attempts, next_retry, "
        "last_error, result_message) VALUES (?, ?, ?, 1, 0, 'DPT0TEST03', ?, 'IC', '0200', "
        "'N', '', 0, 1000, 0, 91, 909, 0, '', '', 'R1', 0, 0, '', '')",
        (state, at, at, f"{abs(hash((state, at))) % 999999:06d}"))
    assert cur.lastrowid is not None
    return cur.lastrowid


@pytest.mark.parametrize("table", ["refund", "payment", "order_line", "audit_log"])
def test_a_recent_record_cannot_be_deleted(conn: sqlite3.Connection, table: str) -> None:
    column = "order_id"
    with pytest.raises(sqlite3.IntegrityError, match="5 years"):
        conn.execute(f"DELETE FROM {table} WHERE {column} = 1")
    assert conn.execute(f"SELECT count(*) FROM {table} WHERE {column} = 1").fetchone()[0] == 1


def test_a_recent_sale_or_business_day_cannot_be_deleted(conn: sqlite3.Connection) -> None:
    conn.execute("PRAGMA foreign_keys=OFF")  # not the foreign keys: the retention rule refuses
    for sql in ("DELETE FROM sale_order WHERE id = 1", "DELETE FROM business_day WHERE id = 1",
                "DELETE FROM sale_order", "DELETE FROM payment"):
        with pytest.raises(sqlite3.IntegrityError, match="5 years"):
            conn.execute(sql)
    assert conn.execute("SELECT count(*) FROM sale_order").fetchone()[0] == 2


def test_records_older_than_five_years_may_be_deleted(conn: sqlite3.Connection) -> None:
    for table in ("refund", "payment", "order_line", "audit_log"):
        conn.execute(f"DELETE FROM {table} WHERE order_id = 2")
    conn.execute("DELETE FROM sale_order WHERE id = 2")
    conn.execute("DELETE FROM business_day WHERE id = 2")
    assert conn.execute("SELECT count(*) FROM sale_order").fetchone()[0] == 1


def test_the_lines_of_an_order_still_on_the_counter_can_be_rewritten(
        conn: sqlite3.Connection) -> None:
    """Saving an open or held order replaces its lines (kspos.sales.service): not a sale yet."""
    for state in ("open", "held"):
        conn.execute("UPDATE sale_order SET state = ? WHERE id = 1", (state,))
        conn.execute("DELETE FROM order_line WHERE order_id = 1")
        conn.execute("INSERT INTO order_line (order_id, position, category_name, name, "
                     "name_en, options_json, unit_price, qty, discount_value, discount_amount,"
                     " complimentary, tax_free, amount, refunded_qty, note) VALUES (1, 0, '', "
                     "'라떼', '', '[]', 1500, 1, 0, 0, 0, 0, 1500, 0, '')")


def test_reversals_and_their_outcomes_are_kept_an_unanswered_intent_may_go(
        conn: sqlite3.Connection) -> None:
    """The 망취소 journal: an INTENT row is cleared when a valid answer comes (the approval is
    then the payment row, kept) or when nothing reached the host; once a reversal is owed
    (pending) or done (reversed), the row is the record of it and stays."""
    intent = _reversal(conn, "intent")
    conn.execute("DELETE FROM van_reversal WHERE id = ?", (intent,))
    for state in ("pending", "reversed"):
        kept = _reversal(conn, state)
        with pytest.raises(sqlite3.IntegrityError, match="5 years"):
            conn.execute("DELETE FROM van_reversal WHERE id = ?", (kept,))
    old = _reversal(conn, "reversed", OLD)
    conn.execute("DELETE FROM van_reversal WHERE id = ?", (old,))


def test_the_core_holds_edits_pays_and_refunds_with_the_rule_in_place(
        demo_db: Database) -> None:
    """Through the real core: hold an order, recall it, add a line (its lines are rewritten
    at the next save), pay it and refund it: none of that deletes a record it must keep."""
    from kspos.menu.catalog import load_catalog
    from kspos.sales.payments import CashGateway, Method
    from kspos.sales.register import Register
    from kspos.sales.service import SalesService
    from kspos.sales.staff import Role, StaffDirectory

    staff = StaffDirectory(demo_db)
    owner = staff.add("홍길동", Role.OWNER, "0000")
    sales = SalesService(demo_db, {Method.CASH: CashGateway(demo_db)})
    sales.days.open(owner, 0)
    catalog = load_catalog(demo_db)
    register = Register(catalog, lambda: sales, staff)
    register.staff = owner
    first, second = [i for i in catalog.by_id.values() if not i.groups and not i.sold_out][:2]
    register.add_item(first.id)
    held = register.hold()
    register.recall(held.id)
    register.add_item(second.id)
    assert register.pay_cash(100_000).approved
    assert register.last_paid is not None
    register.refund(register.last_paid.id, reason="고객 요청")
    rows = demo_db.read("SELECT count(*) FROM order_line WHERE order_id = ?", (held.id,))
    assert rows == [(2,)]


def test_every_retention_trigger_is_in_the_store_at_head(db: Database) -> None:
    """A later migration that rebuilds one of these tables (batch mode copies and drops it)
    must create its trigger again: this fails if one went missing."""
    names = {r[0] for r in db.read("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    assert {f"retain_{t}" for t in ("sale_order", "order_line", "payment", "refund",
                                     "business_day", "audit_log", "van_reversal")} <= names


def test_the_rule_is_in_an_upgraded_store_too(tmp_path: Path) -> None:
    from alembic import command

    from kspos.store.db import _alembic_config

    path = tmp_path / "kspos.sqlite3"
    db = Database(path).open()
    command.downgrade(_alembic_config(db.engine), "0005_print_encoding")
    db.close()
    db = Database(path).open()
    try:
        names = {r[0] for r in db.read("SELECT name FROM sqlite_master WHERE type='trigger'")}
        assert "retain_payment" in names
    finally:
        db.close()


def test_a_later_migration_may_rebuild_the_guarded_tables(conn: sqlite3.Connection,
                                                          db: Database) -> None:
    """Alembic's batch mode rebuilds a table (copy, drop, rename): with sales in the store and
    the retention triggers in place, it must still work on the migration connection, and the
    triggers the drop took with it are back when the upgrade ends."""
    import sqlalchemy as sa
    from alembic.operations import Operations
    from alembic.runtime.migration import MigrationContext

    from kspos.store.db import _finish_upgrade, _migration_engine

    conn.close()
    engine = _migration_engine(db.path)
    try:
        with engine.connect() as migration:
            migration.begin()
            ops = Operations(MigrationContext.configure(
                migration, opts={"transactional_ddl": True, "render_as_batch": True}))
            for table in ("sale_order", "order_line", "payment", "van_reversal"):
                with ops.batch_alter_table(table, recreate="always") as batch:
                    batch.add_column(sa.Column("later", sa.Integer(), nullable=True))
            _finish_upgrade(migration)
            migration.commit()
    finally:
        engine.dispose()
    check = sqlite3.connect(db.path, isolation_level=None)
    try:
        assert check.execute("SELECT count(*) FROM sale_order").fetchone()[0] == 2
        with pytest.raises(sqlite3.IntegrityError, match="5 years"):
            check.execute("DELETE FROM sale_order WHERE id = 1")
        with pytest.raises(sqlite3.IntegrityError, match="5 years"):
            check.execute("DELETE FROM order_line WHERE order_id = 1")
    finally:
        check.close()
