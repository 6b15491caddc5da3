"""Shared fixtures: a temp data dir, an open temp database, the demo catalog."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent

# One PC/SC rig (pcscd + vpcd + virtual EMV card) for the whole session: two would fight over
# vpcd's ports, and libpcsclite reads its socket path once per process. One PostgreSQL too
# (tests/pg_rig.py: the office's integration tests).
pytest_plugins = ["tests.pcsc_rig", "tests.pg_rig"]


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh data dir; KSPOS_CONFIG points at a file that does not exist → no user config."""
    d = tmp_path / "data"
    d.mkdir()
    monkeypatch.setenv("KSPOS_DATA_DIR", str(d))
    monkeypatch.delenv("KSPOS_CONFIG", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    return d


@pytest.fixture
def db(data_dir: Path) -> Iterator[Database]:  # noqa: F821
    from kspos.store import Database

    database = Database(data_dir / "kspos.sqlite3").open()
    yield database
    database.close()


@pytest.fixture
def demo_db(db):  # type: ignore[no-untyped-def]
    from kspos.menu.catalog import demo_menu, seed_menu

    seed_menu(db, demo_menu())
    return db
