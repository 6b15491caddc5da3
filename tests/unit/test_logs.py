"""The log file rolls over past its size and keeps a fixed number of old files; card numbers
are masked in every line."""

from __future__ import annotations

import logging
from pathlib import Path

from kspos.logs import CardDataFilter, RotatingLog


def test_the_log_rolls_over_and_keeps_five_old_files(tmp_path: Path) -> None:
    path = tmp_path / "kspos.log"
    handler = RotatingLog(path, max_bytes=2_000, backups=5)
    handler.addFilter(CardDataFilter())
    log = logging.getLogger("test.rotation")
    log.propagate, log.level = False, logging.INFO
    log.addHandler(handler)
    try:
        for n in range(400):
            log.info("line %04d card 4111111111111111 %s", n, "x" * 40)
    finally:
        log.removeHandler(handler)
        handler.close()
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["kspos.log", *(f"kspos.log.{n}" for n in range(1, 6))]
    assert all(p.stat().st_size < 2_200 for p in tmp_path.iterdir())
    newest = path.read_text(encoding="utf-8")
    assert "line 0399" in newest and "4111111111111111" not in newest
    assert "411111******1111" in newest
    assert "line 0398" in newest or "line 0398" in (tmp_path / "kspos.log.1").read_text()
