"""The lazily built parser reads every command line exactly as the full parser does."""

from __future__ import annotations

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


def test_help_and_a_typo_still_see_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as typo:
        cli.main(["reprot", "sales"])
    assert typo.value.code == 2
    assert "invalid choice: 'reprot'" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    listing = capsys.readouterr().out
    assert all(name in listing for name in cli.COMMANDS)
