"""The layer rule of ARCHITECTURE.md: ui → kspos ← drivers; only kspos/cli.py composes."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import ROOT


def _imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    roots: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def _violations(package: str, forbidden: set[str], allowed: set[str] = frozenset()) -> list[str]:
    found = []
    for path in sorted((ROOT / package).rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if rel in allowed:
            continue
        bad = _imported_roots(path) & forbidden
        if bad:
            found.append(f"{rel}: {sorted(bad)}")
    return found


def test_core_imports_no_qt_ui_or_drivers() -> None:
    assert _violations("kspos", {"PySide6", "ui", "drivers"}, {"kspos/cli.py"}) == []


def test_drivers_import_no_qt_or_ui() -> None:
    assert _violations("drivers", {"PySide6", "ui"}) == []


def test_ui_imports_no_drivers() -> None:
    assert _violations("ui", {"drivers"}) == []


def test_the_checker_sees_a_violation(tmp_path: Path) -> None:
    bad = tmp_path / "m.py"
    bad.write_text("def f():\n    from PySide6.QtCore import QObject\n")
    assert "PySide6" in _imported_roots(bad)


def test_office_imports_no_qt_ui_or_drivers() -> None:
    assert _violations("office", {"PySide6", "ui", "drivers"}) == []


def test_nothing_but_the_composition_root_imports_the_office() -> None:
    for package in ("kspos", "ui", "drivers"):
        assert _violations(package, {"office"}, {"kspos/cli.py"}) == []
