"""`kspos doctor` lists each kitchen printer as a check of its own: a printer that answers
passes, one whose port is closed fails with the reason."""

from __future__ import annotations

import socket
from pathlib import Path

from drivers.doctor import run_checks
from kspos.config import load_settings
from tests.integration.printing.escpos_server import EscposServer


def test_each_kitchen_printer_is_checked_by_name(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    with EscposServer() as bar:
        config = tmp_path / "config.toml"
        config.write_text(
            '[van]\nspec = "embedded"\n\n'
            f'[[kitchen]]\nname = "주방"\nprinter = "tcp:127.0.0.1:{closed}"\n'
            'categories = ["식사"]\n\n'
            f'[[kitchen]]\nname = "바"\nprinter = "{bar.spec}"\ncategories = ["주류"]\n',
            encoding="utf-8")
        report = run_checks(load_settings(config, tmp_path / "data"))
    checks = {check.name: check for check in report.checks}
    assert not checks["kitchen:주방"].ok and f"127.0.0.1:{closed}" in checks["kitchen:주방"].detail
    assert "연결 실패" in checks["kitchen:주방"].detail
    assert checks["kitchen:바"].ok and "ready" in checks["kitchen:바"].detail
    assert not report.ok
