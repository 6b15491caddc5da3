"""`kspos shot order-call`: the pickup board rendered offscreen with a busy demo moment."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest


@pytest.mark.parametrize("size", [(1024, 768), (1920, 1080)])
def test_the_order_call_board_renders_with_demo_numbers(tmp_path: Path,
                                                        size: tuple[int, int]) -> None:
    from PIL import Image

    out = tmp_path / "board.png"
    env = dict(os.environ, KSPOS_DATA_DIR=str(tmp_path), QT_QPA_PLATFORM="offscreen",
               XDG_CONFIG_HOME=str(tmp_path / "xdg"))
    env.pop("KSPOS_CONFIG", None)
    env.pop("DISPLAY", None)
    result = subprocess.run([sys.executable, "-m", "kspos.cli", "shot", "order-call", str(out),
                             "--size", f"{size[0]}x{size[1]}"], env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    with Image.open(out) as image:
        assert image.size == size
        colours = image.convert("RGB").getcolors(1 << 20) or []
    green = (0x16, 0xA3, 0x4A)  # the 완료 header and the just-called tile
    assert any(rgb == green for _, rgb in colours)
    with sqlite3.connect(tmp_path / "kspos.sqlite3") as conn:
        numbered = conn.execute("SELECT count(*), count(pickup_ready_at) FROM sale_order "
                                "WHERE pickup_no IS NOT NULL").fetchone()
    assert numbered == (9, 4)  # nine orders paid, four of them called
