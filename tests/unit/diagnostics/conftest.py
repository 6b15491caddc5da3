"""A migrated database made once per session and copied per test (migrating costs ~0.6 s)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from kspos.store import Database

    path = tmp_path_factory.mktemp("template") / "kspos.sqlite3"
    Database(path).open().close()
    return path


@pytest.fixture
def fast_db(data_dir: Path, migrated_template: Path) -> Iterator[Any]:
    """Like the ``db`` fixture (an open store in ``data_dir``), from the migrated copy."""
    from kspos.store import Database

    path = data_dir / "kspos.sqlite3"
    shutil.copyfile(migrated_template, path)
    database = Database(path).open()
    yield database
    database.close()
