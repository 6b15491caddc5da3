"""The lazily built parser reads every command line exactly as the full parser does."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from kspos import cli

LINES = [
    ["report", "sales", "--from", "2026-01-01", "--to", "2026-01-31", "--by", "item"],
    ["--data-dir", "/tmp/x", "report", "sales", "--from", "2026-01-01", "--to", "2026-01-02"],
    ["--data", "/tmp/report", "db", "check"],  # abbreviated option whose value is a word
    ["--config=/tmp/c.toml", "shot", "cashier", "a.png", "--size", "1024x768"],
    ["-v", "van", "approve", "--amount", "1004", "--card", "4111111111111111=3012", "--json"],
    ["device", "read-card", "--reader", "sim", "--timeout", "5"],
    ["demo-data", "--days", "3", "--orders-per-day", "10"],
    ["run", "--demo", "--lang", "en"],
    ["van-sim", "--port", "0", "--fault", "slow:50"],
    ["doctor", "--json"],
]


@pytest.mark.parametrize("words", LINES, ids=lambda w: " ".join(w)[:40])
def test_only_the_invoked_command_is_built_and_parses_the_same(words: list[str]) -> None:
    lazy = cli.build_parser(words).parse_args(words)
    full = cli.build_parser().parse_args(words)
    assert vars(lazy) == vars(full)


def test_the_command_word_skips_global_options_and_their_values() -> None:
    assert cli._command_in(["--config", "run", "report", "sales"]) == "report"
    assert cli._command_in(["--data-dir=/x", "-v", "db", "check"]) == "db"
    assert cli._command_in(["--help"]) is None
    assert cli._command_in(["repor"]) is None  # a typo gets the full parser's error
    assert cli._command_in(["-v", "--he", "report"]) is None  # main help before the command


def test_help_and_a_typo_still_see_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as typo:
        cli.main(["reprot", "sales"])
    assert typo.value.code == 2
    assert "invalid choice: 'reprot'" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    listing = capsys.readouterr().out
    assert all(name in listing for name in cli.COMMANDS)


@pytest.mark.parametrize("words", [["--help", "report"], ["-v", "-h", "db", "check"]])
def test_the_main_help_before_a_command_lists_every_command(
        words: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        cli.main(words)
    assert done.value.code == 0
    listing = capsys.readouterr().out
    assert all(name in listing for name in cli.COMMANDS)


def test_a_commands_own_help_and_errors_name_it(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        cli.main(["report", "--help"])
    assert done.value.code == 0 and "usage: kspos report" in capsys.readouterr().out
    with pytest.raises(SystemExit) as bad:
        cli.main(["report", "sales", "--by", "colour"])
    assert bad.value.code == 2
    assert "kspos report sales: error: argument --by" in capsys.readouterr().err


def test_every_command_has_a_handler() -> None:
    assert set(cli.HANDLERS) == set(cli.COMMANDS)


@pytest.mark.parametrize(("words", "module"), [
    (["report", "sales", "--from", "2026-01-01", "--to", "2026-01-02"], "kspos.reports.report_cli"),
    (["device", "list"], "drivers.device_cli"),
    (["van", "test"], "kspos.van.van_cli"),
])
def test_a_feature_missing_from_the_build_is_one_line_exit_1(
        words: list[str], module: str, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setitem(sys.modules, module, None)  # `import` now raises ImportError
    parent, _, leaf = module.rpartition(".")
    if parent in sys.modules:  # imported by an earlier test: `from parent import leaf` finds it
        monkeypatch.delattr(sys.modules[parent], leaf, raising=False)
    assert cli.main(words) == 1
    err = capsys.readouterr().err
    assert err == f"kspos: '{words[0]}' is not available in this build\n"


def test_an_import_error_inside_a_command_is_not_called_a_missing_feature(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        tmp_path: Path) -> None:
    from kspos.reports import report_cli

    def broken(args: object, host: object) -> int:
        raise ImportError("openpyxl is broken")

    monkeypatch.setattr(report_cli, "main", broken)
    monkeypatch.setenv("KSPOS_DATA_DIR", str(tmp_path))
    assert cli.main(["report", "sales", "--from", "2026-01-01", "--to", "2026-01-02"]) == 1
    err = capsys.readouterr().err
    assert "unexpected error: ImportError: openpyxl is broken" in err
    assert "not available" not in err
