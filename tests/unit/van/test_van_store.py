"""The VAN tables: migration 0002_van both ways, and serials that two writers never share."""

from __future__ import annotations

import threading
from typing import Any

from sqlalchemy import inspect

from kspos.van.store import allocate_serial


def van_tables(db: Any) -> list[str]:
    return sorted(t for t in inspect(db.engine).get_table_names() if t.startswith("van_"))


def test_migrations_0002_and_0007_create_and_drop_the_van_tables(db: Any) -> None:
    from alembic import command

    from kspos.store.db import _alembic_config

    assert van_tables(db) == ["van_record", "van_reversal", "van_serial"]
    indexes = {i["name"]: i["unique"] for i in inspect(db.engine).get_indexes("van_reversal")}
    assert indexes == {"ix_van_reversal_state": 0, "ix_van_reversal_tid_serial": 1,
                       "ix_van_reversal_uuid": 1}  # 0012_identity: a 망취소 result is a fact
    config = _alembic_config(db.engine)
    command.downgrade(config, "0001_core")
    assert van_tables(db) == []
    command.upgrade(config, "head")
    assert van_tables(db) == ["van_record", "van_reversal", "van_serial"]


def test_concurrent_writers_never_take_the_same_serial(db: Any) -> None:
    taken: list[str] = []
    lock = threading.Lock()

    def writer() -> None:
        for _ in range(40):
            with db.session() as session:
                serial = allocate_serial(session, "DPT0TEST03", "250615")
            with lock:
                taken.append(serial)

    threads = [threading.Thread(target=writer) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert len(taken) == 160 and len(set(taken)) == 160
    assert sorted(taken)[0] == "250615000001" and sorted(taken)[-1] == "250615000160"


def test_serials_restart_each_day(db: Any) -> None:
    with db.session() as session:
        assert allocate_serial(session, "DPT0TEST03", "250615") == "250615000001"
        assert allocate_serial(session, "DPT0TEST03", "250616") == "250616000001"
        assert allocate_serial(session, "DPT0TEST03", "250615") == "250615000002"
