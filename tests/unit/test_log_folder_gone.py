"""A log that cannot be written loses the line, never the work that logged it."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest

from kspos.logs import RotatingLog


def test_a_log_whose_folder_went_away_drops_the_line_and_says_so_once(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "logs"
    folder.mkdir()
    handler = RotatingLog(folder / "kspos.log", max_bytes=1_000_000, backups=2)
    log = logging.getLogger("kspos.test.gone")
    log.propagate = False
    log.addHandler(handler)
    try:
        log.warning("written")
        handler.close()  # closed, as setup_logging closes a replaced handler
        shutil.rmtree(folder)
        log.warning("lost")  # reopening fails: no exception reaches the caller
        log.warning("lost again")
    finally:
        log.removeHandler(handler)
    err = capsys.readouterr().err
    assert err.count("cannot write the log") == 1 and "Traceback" not in err
