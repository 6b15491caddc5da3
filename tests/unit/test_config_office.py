"""``[office]`` and ``[office_server]`` in the config file (ARCHITECTURE.md, "Config file")."""

from __future__ import annotations

from pathlib import Path

import pytest

from kspos.config import ConfigError, Settings, load_settings


def _load(tmp_path: Path, text: str) -> Settings:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return load_settings(path, tmp_path / "data")


def test_the_office_sections_load(tmp_path: Path) -> None:
    settings = _load(tmp_path, '[office]\nurl = "https://office.example.com"\n'
                               'token = "ksp_abc-DEF_123"\n'
                               '[office_server]\ndatabase = "postgresql://kspos@db:5432/o"\n')
    assert settings.office.url == "https://office.example.com"
    assert settings.office.token == "ksp_abc-DEF_123"
    assert settings.office_server.database.startswith("postgresql://")
    assert "ksp_abc" not in repr(settings)  # a credential never shows in a repr or a log


def test_no_office_section_pushes_nowhere(tmp_path: Path) -> None:
    settings = _load(tmp_path, '[store]\ncode = "S0002"\n')
    assert settings.office.url == "" and settings.office_server.database == ""


@pytest.mark.parametrize(("text", "line", "key"), [
    ('[office]\nurl = "office.example.com"\n', 2, "office.url"),
    ('[office]\nurl = "ftp://office"\n', 2, "office.url"),
    ('[office]\ntoken = "two words"\n', 2, "office.token"),
    ('[office]\nurl = 8080\n', 2, "office.url"),
    ('[office]\nport = 8080\n', 2, "office.port"),
    ('\n[office_server]\ndatabase = "mysql://x@y/z"\n', 3, "office_server.database"),
])
def test_bad_office_values_name_the_line_and_key(tmp_path: Path, text: str, line: int,
                                                 key: str) -> None:
    with pytest.raises(ConfigError) as caught:
        _load(tmp_path, text)
    assert (caught.value.line, caught.value.key) == (line, key)
