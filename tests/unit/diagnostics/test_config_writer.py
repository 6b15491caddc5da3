"""Saving a spec from the technician's screen: one value changes, everything else stays, a bad
value is refused with the reason and the file is not touched, the write is atomic."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from kspos.config import ConfigError, load_settings
from kspos.config.writer import save_setting, updated_text

CONFIG = """\
# 카페 예시 counter 1 — written by hand
[store]
name = "카페 예시"   # on the receipt
business_number = "220-81-62517"

[devices]
printer = "tcp:192.0.2.10:9100"  # the kitchen printer
printer_mode = "raster"
card_reader = 'pcsc'

[ui]
lang = "ko"
"""


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(CONFIG, encoding="utf-8")
    return path


def test_a_value_changes_in_place_and_comments_stay(config: Path) -> None:
    save_setting(config, "devices", "printer", "serial:/dev/ttyUSB0?baudrate=9600")
    text = config.read_text(encoding="utf-8")
    assert text == CONFIG.replace('"tcp:192.0.2.10:9100"', '"serial:/dev/ttyUSB0?baudrate=9600"')
    assert "# the kitchen printer" in text and "# 카페 예시 counter 1" in text
    settings = load_settings(config, config.parent)
    assert settings.devices.printer == "serial:/dev/ttyUSB0?baudrate=9600"
    assert settings.devices.card_reader == "pcsc" and settings.store.name == "카페 예시"


def test_a_missing_key_or_section_is_added(config: Path) -> None:
    save_setting(config, "devices", "scanner", "hid")
    save_setting(config, "van", "spec", "tcp:127.0.0.1:9560")
    data = tomllib.loads(config.read_text(encoding="utf-8"))
    assert data["devices"] == {"printer": "tcp:192.0.2.10:9100", "printer_mode": "raster",
                               "card_reader": "pcsc", "scanner": "hid"}
    assert data["van"] == {"spec": "tcp:127.0.0.1:9560"}
    assert data["ui"] == {"lang": "ko"}


def test_a_bad_value_is_refused_with_the_reason_and_nothing_is_written(config: Path) -> None:
    before = config.read_bytes()
    stamp = config.stat().st_mtime_ns
    with pytest.raises(ConfigError) as refused:
        save_setting(config, "devices", "card_reader", "usb:1234:5678")
    assert "devices.card_reader" in str(refused.value) and ":9" in str(refused.value)
    assert "expected serial" in str(refused.value)
    assert config.read_bytes() == before and config.stat().st_mtime_ns == stamp
    assert [p.name for p in config.parent.iterdir()] == ["config.toml"]  # no temp file left


def test_a_missing_file_is_created(tmp_path: Path) -> None:
    path = tmp_path / "etc" / "config.toml"
    save_setting(path, "devices", "printer", "sim")
    assert tomllib.loads(path.read_text(encoding="utf-8")) == {"devices": {"printer": "sim"}}


def test_the_file_mode_and_crlf_line_ends_are_kept(config: Path) -> None:
    config.write_bytes(CONFIG.replace("\n", "\r\n").encode("utf-8"))
    os.chmod(config, 0o600)
    save_setting(config, "devices", "scanner", "sim")
    raw = config.read_bytes()
    assert b"\r\nscanner = \"sim\"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")
    assert config.stat().st_mode & 0o777 == 0o600


def test_a_shape_that_cannot_be_edited_in_place_still_keeps_every_key() -> None:
    text = 'devices = { printer = "sim", scanner = "hid" }\n[ui]\nlang = "en"\n'
    new = updated_text(text, "devices", "printer", "tcp:127.0.0.1:9100")
    assert tomllib.loads(new) == {"devices": {"printer": "tcp:127.0.0.1:9100", "scanner": "hid"},
                                  "ui": {"lang": "en"}}


def test_quotes_and_backslashes_are_escaped(config: Path) -> None:
    save_setting(config, "devices", "printer", r"file:C:\pos\out.bin")
    assert load_settings(config, config.parent).devices.printer == r"file:C:\pos\out.bin"


def test_an_added_key_and_section_keep_the_hand_written_layout(config: Path) -> None:
    save_setting(config, "devices", "scanner", "hid")
    save_setting(config, "van", "spec", "tcp:127.0.0.1:9560")
    text = config.read_text(encoding="utf-8")
    # Everything the technician wrote is still there byte for byte, the new key sits with its
    # section's other keys and the new section comes last.
    assert text == CONFIG.replace("card_reader = 'pcsc'\n", "card_reader = 'pcsc'\nscanner = \"hid\"\n") \
        + '\n[van]\nspec = "tcp:127.0.0.1:9560"\n'


def test_comments_survive_an_edit_of_inline_and_dotted_tables(tmp_path: Path) -> None:
    # Shapes a line editor cannot change in place: the old writer rewrote the whole file for
    # them and every comment went.
    path = tmp_path / "config.toml"
    text = ("# counter 2 — 손으로 쓴 설정\n"
            "devices = { printer = \"sim\", scanner = \"hid\" }  # the counter's devices\n"
            "ui.lang = \"ko\"    # 한국어 first\n")
    path.write_text(text, encoding="utf-8")
    save_setting(path, "devices", "printer", "tcp:192.0.2.10:9100")
    save_setting(path, "ui", "lang", "en")
    assert path.read_text(encoding="utf-8") == (
        "# counter 2 — 손으로 쓴 설정\n"
        "devices = { printer = \"tcp:192.0.2.10:9100\", scanner = \"hid\" }  # the counter's devices\n"
        "ui.lang = \"en\"    # 한국어 first\n")
    assert load_settings(path, path.parent).devices.printer == "tcp:192.0.2.10:9100"


def test_a_file_that_is_not_toml_is_refused_and_left_alone(config: Path) -> None:
    config.write_text(CONFIG + "[devices\n", encoding="utf-8")
    before = config.read_bytes()
    with pytest.raises(ConfigError):
        save_setting(config, "devices", "printer", "sim")
    assert config.read_bytes() == before


def test_reading_the_remembered_language_does_not_load_the_toml_editor() -> None:
    # Start-up imports the writer for the remembered language; the editor is for saving only.
    script = ("import sys, kspos.config.writer\n"
              "print('tomlkit' in sys.modules)\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=60, check=True)
    assert done.stdout.strip() == "False"
