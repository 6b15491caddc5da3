"""The language the cashier picked is there at the next start: in the store's config file
when it has one (other keys and comments kept), else in the data dir."""

from __future__ import annotations

from pathlib import Path

from kspos.config import Settings, load_settings
from kspos.config.writer import LANG_FILE, remember_language, remembered_language


def test_with_a_config_file_the_choice_is_written_to_ui_lang(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[store]\nname = "카페"  # 상호\n', encoding="utf-8")
    settings = load_settings(config, tmp_path / "data")
    assert remember_language(settings, "en") == config
    again = load_settings(config, tmp_path / "data")
    assert again.ui.lang == "en" and again.store.name == "카페"
    assert "# 상호" in config.read_text(encoding="utf-8")
    assert remembered_language(again) is None  # nothing beside it to contradict the file


def test_without_a_config_file_the_data_dir_keeps_it(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)  # demo mode
    assert remembered_language(settings) is None
    assert remember_language(settings, "en") == tmp_path / LANG_FILE
    assert remembered_language(settings) == "en"
    remember_language(settings, "ko")
    assert remembered_language(settings) == "ko"


def test_a_config_that_cannot_be_written_falls_back_to_the_data_dir(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")  # the config's folder is a file: no write, even as root
    settings = Settings(path=blocker / "config.toml", demo=False, data_dir=tmp_path / "data")
    assert remember_language(settings, "en") == tmp_path / "data" / LANG_FILE
    assert remembered_language(settings) == "en"
