"""``[store] kind`` and ``[[kitchen]]``: typed settings, and errors naming file, line and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from kspos.config import ConfigError, load_settings
from kspos.config.kitchen import KitchenSettings
from kspos.config.writer import save_setting, updated_text

KITCHENS = """\
[store]
name = "고깃집"
kind = "restaurant"

[[kitchen]]
name = "주방"
printer = "tcp:192.0.2.11:9100"
categories = ["식사", "고기류"]

[[kitchen]]
name = "바"
printer = "tcp:192.0.2.12:9100"
mode = "raster"
width = 32
categories = ["주류", "음료"]
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_kitchen_printers_load_in_file_order_with_defaults(tmp_path: Path) -> None:
    settings = load_settings(write(tmp_path, KITCHENS), tmp_path)
    assert settings.store.kind == "restaurant"
    assert settings.kitchens == (
        KitchenSettings("주방", "tcp:192.0.2.11:9100", "text", 48, ("식사", "고기류")),
        KitchenSettings("바", "tcp:192.0.2.12:9100", "raster", 32, ("주류", "음료")))


def test_a_store_is_a_cafe_without_kitchen_printers_by_default(tmp_path: Path) -> None:
    settings = load_settings(write(tmp_path, '[store]\nname = "카페"\n'), tmp_path)
    assert settings.store.kind == "cafe" and settings.kitchens == ()


def test_the_kept_result_gives_the_same_kitchens(tmp_path: Path) -> None:
    path = write(tmp_path, KITCHENS)
    first = load_settings(path, tmp_path)
    assert (tmp_path / ".config.toml.checked").exists()
    assert load_settings(path, tmp_path) == first


SECOND = "[[kitchen]]\nname = \"주방\"\n\n[[kitchen]]\nname = \"바\"\n"


@pytest.mark.parametrize(("text", "line", "key", "reason"), [
    ('[store]\nkind = "pub"\n', 2, "store.kind", '"cafe", "restaurant" or "retail"'),
    (SECOND + 'mode = "graphic"\n', 6, "kitchen[2].mode", '"text" or "raster"'),
    (SECOND + "width = 40\n", 6, "kitchen[2].width", "48, 42 or 32"),
    (SECOND + 'printer = "lpt1"\n', 6, "kitchen[2].printer", "expected tcp:HOST:PORT"),
    (SECOND + 'categories = "주류"\n', 6, "kitchen[2].categories", "list of menu category"),
    (SECOND + 'categories = ["주류", ""]\n', 6, "kitchen[2].categories", "list of menu"),
    (SECOND + 'colour = "red"\n', 6, "kitchen[2].colour", "unknown key"),
    ('[[kitchen]]\nprinter = "sim"\n', 1, "kitchen[1].name", "needs a name"),
    ('[[kitchen]]\nname = ""\n', 2, "kitchen[1].name", "1 to 40"),
    (SECOND + '\n[[kitchen]]\nname = "주방"\n', 8, "kitchen[3].name", "named '주방'"),
    ('[kitchen]\nname = "주방"\n', 1, "kitchen", "[[kitchen]] table per kitchen printer"),
])
def test_bad_kitchen_values_name_the_file_line_and_key(tmp_path: Path, text: str, line: int,
                                                       key: str, reason: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_settings(path, tmp_path)
    message = str(caught.value)
    assert f"{path}:{line}" in message and f"[{key}]" in message and reason in message
    assert "\n" not in message


def test_the_cli_refuses_a_bad_kitchen_with_exit_2(tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    from kspos.cli import main

    path = write(tmp_path, SECOND + "width = 40\n")
    assert main(["--config", str(path), "--data-dir", str(tmp_path), "db", "check"]) == 2
    assert "kitchen[2].width" in capsys.readouterr().err


def test_saving_a_setting_keeps_the_kitchen_tables(tmp_path: Path) -> None:
    path = write(tmp_path, KITCHENS)
    save_setting(path, "ui", "lang", "en")
    settings = load_settings(path, tmp_path)
    assert settings.ui.lang == "en" and [k.name for k in settings.kitchens] == ["주방", "바"]
    with pytest.raises(TypeError):
        updated_text(KITCHENS, "kitchen", "name", "x")
