"""The office's store on a temp SQLite file: the schema its migration makes, and a batch
stored exactly once (facts and typed rows) in one transaction."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from office.api.validate import check_batch
from office.store import OfficeStore, OfficeStoreError, terminals
from office.store import ingest as repo
from office.store.tables import metadata
from tests.unit.office.facts_data import batch, order, payment, refund


def _head() -> str:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from office.store.engine import MIGRATIONS

    config = Config()
    config.set_main_option("script_location", MIGRATIONS)
    return str(ScriptDirectory.from_config(config).get_current_head())


@pytest.fixture
def office(tmp_path: Path) -> Iterator[OfficeStore]:
    store = OfficeStore(f"sqlite:///{tmp_path / 'office.sqlite3'}").open()
    yield store
    store.close()


def test_the_migration_makes_exactly_the_tables_the_code_uses(office: OfficeStore) -> None:
    assert office.revision() == _head()
    with office.engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), metadata) == []


def test_opening_again_is_a_no_op(office: OfficeStore) -> None:
    assert OfficeStore(office.url).open().revision() == _head()


def _push(office: OfficeStore, data: dict[str, object], store: str = "S0001",
          terminal: str = "01") -> repo.Stored:
    with office.transaction() as conn:
        return repo.store_batch(conn, store, terminal, check_batch(data, store, terminal).facts)


def test_a_batch_twice_is_stored_once_with_its_typed_rows(office: OfficeStore) -> None:
    sold = order()
    paid = payment(sold)
    back = refund(sold, paid, 4500)
    first = _push(office, batch(sold, paid, back))
    again = _push(office, batch(sold, paid, back))
    assert len(first.new) == 3 and first.duplicates == []
    assert again.new == [] and len(again.duplicates) == 3
    with office.transaction() as conn:
        counts = {t: repo.count(conn, t) for t in ("facts", "orders", "order_lines",
                                                   "payments", "refunds")}
    assert counts == {"facts": 3, "orders": 1, "order_lines": 2, "payments": 1, "refunds": 1}


def test_a_uuid_another_terminal_holds_is_not_taken_over(office: OfficeStore) -> None:
    mine = order(terminal="01")
    _push(office, batch(mine))
    theirs = order(terminal="02")
    for key in ("uuid",):
        theirs[key] = theirs["body"][key] = mine["uuid"]
    result = _push(office, batch(theirs, terminal="02"), terminal="02")
    assert result.taken == [mine["uuid"]] and result.new == [] and result.duplicates == []


def test_a_failing_batch_stores_nothing(office: OfficeStore) -> None:
    good = check_batch(batch(order(seq=1)), "S0001", "01").facts
    with pytest.raises(OfficeStoreError), office.transaction() as conn:
        repo.store_batch(conn, "S0001", "01", good)
        conn.exec_driver_sql("INSERT INTO no_such_table VALUES (1)")
    with office.transaction() as conn:
        assert repo.count(conn) == 0


def test_terminal_tokens_are_kept_hashed_replaced_and_revoked(office: OfficeStore) -> None:
    with office.transaction() as conn:
        assert terminals.set_token(conn, "S0001", "01", "a" * 64, "카운터") is False
        assert terminals.by_token_hash(conn, "a" * 64) == ("S0001", "01")
        assert terminals.set_token(conn, "S0001", "01", "b" * 64) is True  # a new token
        assert terminals.by_token_hash(conn, "a" * 64) is None
        assert terminals.revoke(conn, "S0001", "01") is True
        assert terminals.by_token_hash(conn, "b" * 64) is None
        assert terminals.revoke(conn, "S0001", "01") is False
        assert [t["name"] for t in terminals.listing(conn)] == ["카운터"]


def test_a_url_it_cannot_read_is_refused() -> None:
    with pytest.raises(OfficeStoreError, match="not a database URL"):
        OfficeStore("mysql://x@y/z")
