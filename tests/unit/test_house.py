"""The house rules a reader of the tree relies on: SQL lives under kspos/store/, modules stay small.

Every statement the program sends to a database is written in ``kspos/store/`` (repositories per
aggregate); domain modules, screens and drivers call those and never import a database library.
A query found elsewhere is a place an SQLAlchemy or schema change could break unseen.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from tests.conftest import ROOT

_PACKAGES = ("kspos", "ui", "drivers", "office")
_STORES = ("kspos/store/", "office/store/")  # the terminal's data layer, and the office's own
_DATABASE_LIBRARIES = {"sqlite3", "sqlalchemy", "sqlmodel", "alembic", "psycopg"}
# SQL as it is written in a string: a statement's opening words, upper case as our SQL is.
_SQL = re.compile(r"\b(SELECT\s.+\sFROM|INSERT\s+(OR\s+\w+\s+)?INTO|UPDATE\s+\w+\s+SET|"
                  r"DELETE\s+FROM|CREATE\s+(TABLE|INDEX|TRIGGER|VIEW)|PRAGMA\s+\w+|"
                  r"ALTER\s+TABLE|DROP\s+(TABLE|INDEX))\b", re.DOTALL)
# A database connection's statement methods (Qt has exec() and refresh() of its own).
_STATEMENT_CALLS = {"execute", "executemany", "executescript"}
MAX_LINES = 600


def _modules() -> list[Path]:
    found: list[Path] = []
    for package in _PACKAGES:
        found.extend(sorted((ROOT / package).rglob("*.py")))
    return found


def _outside_store() -> list[Path]:
    return [p for p in _modules() if not p.relative_to(ROOT).as_posix().startswith(_STORES)]


def database_use(path: Path) -> list[str]:
    """What in ``path`` talks to a database directly: SQL text or a database library import."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            if _SQL.search(node.value):
                found.append(f"line {node.lineno}: SQL {node.value[:60]!r}")
            continue
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
              and node.func.attr in _STATEMENT_CALLS):
            found.append(f"line {node.lineno}: calls .{node.func.attr}()")
            continue
        elif isinstance(node, ast.JoinedStr):
            # A placeholder stands for each {value}: f"UPDATE {table} SET ..." is still SQL.
            text = "".join(v.value if isinstance(v, ast.Constant) else "x" for v in node.values)
            if _SQL.search(text):
                found.append(f"line {node.lineno}: SQL f-string {text[:60]!r}")
            continue
        else:
            continue
        for name in names:
            if name.split(".")[0] in _DATABASE_LIBRARIES:
                found.append(f"line {node.lineno}: imports {name}")
    return sorted(set(found), key=lambda entry: int(entry.split()[1].rstrip(":")))


@pytest.mark.parametrize("path", _outside_store(),
                         ids=lambda p: p.relative_to(ROOT).as_posix())
def test_no_database_access_outside_store(path: Path) -> None:
    assert database_use(path) == [], (
        f"{path.relative_to(ROOT)} reaches the database itself; move it to a repository "
        "under kspos/store/")


def test_the_grep_sees_sql_and_database_imports(tmp_path: Path) -> None:
    bad = tmp_path / "m.py"
    bad.write_text('import sqlite3\n'
                   'def f(c, t):\n'
                   '    c.execute("SELECT id FROM sale_order WHERE state = ?", ("open",))\n'
                   '    c.execute(f"UPDATE {t} SET x = 1")\n'
                   '    from sqlmodel import select\n')
    found = database_use(bad)
    assert [entry.split(":")[0] for entry in found] == [
        "line 1", "line 3", "line 3", "line 4", "line 4", "line 5"]  # SQL and the call
    fine = tmp_path / "ok.py"
    fine.write_text('MESSAGE = "메뉴를 선택하세요 (select an item from the menu)"\n'
                    'import select\nselect.select([], [], [], 0)\n')
    assert database_use(fine) == []


@pytest.mark.parametrize("path", _modules(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_no_module_over_600_lines(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.relative_to(ROOT)} has {lines} lines; split it by purpose"
