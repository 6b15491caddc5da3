"""Hypothesis at the public boundaries a technician types into: the config file and the
command line. Any text is a Settings or a ConfigError; any argv is exit 0, 1 or 2 with at most
a one-line message, never a traceback or the CLI's "unexpected error" net."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from kspos.config import ConfigError, Settings, load_settings, parse_config

SECTIONS = {
    "store": ("name", "business_number", "owner", "address", "phone"),
    "van": ("spec", "tid", "connect_timeout_s", "response_timeout_s"),
    "devices": ("printer", "printer_mode", "printer_width", "printer_qr", "card_reader",
                "scanner"),
    "ui": ("lang", "fullscreen"),
}
SPECS = ("sim", "pcsc", "hid", "embedded", "tcp:127.0.0.1:9100", "tcp:[::1]:9", "tcp:",
         "tcp:127.0.0.1:0", "tcp:127.0.0.1:99999", "serial:/dev/null?baudrate=x",
         "serial:loop://?baudrate=9600", "usb:04b8:0202", "usb:zz", "file:/dev/null", "",
         "카드", "sim:extra", "tcp:127.0.0.1:9100:1")

scalars = st.one_of(
    st.text(max_size=30), st.sampled_from(SPECS), st.integers(-10**12, 10**12),
    st.floats(allow_nan=True, allow_infinity=True), st.booleans(),
    st.sampled_from(("220-81-62517", "2208162517", "123-45-67890", "ko", "en", "raster",
                     "text", "DPT0TEST03", "short")),
    st.sampled_from((48, 42, 32, 0, -1, 5, 30, 3600, 1e-9)))
values = st.one_of(scalars, st.lists(scalars, max_size=3),
                   st.dictionaries(st.sampled_from(("a", "spec", "x")), scalars, max_size=2))


def toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return {"nan": "nan", "inf": "inf", "-inf": "-inf"}.get(str(value), repr(value))
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return "{" + ", ".join(f"{k} = {toml_value(v)}" for k, v in value.items()) + "}"


@st.composite
def config_texts(draw: Any) -> str:
    """Mostly well-formed TOML with known and unknown sections, keys and odd values."""
    parts = []
    for section in draw(st.lists(st.sampled_from([*SECTIONS, "vann", "devices.printer", "ui"]),
                                 max_size=4)):
        parts.append(f"[{section}]")
        keys = SECTIONS.get(section, ("key",))
        for key in draw(st.lists(st.sampled_from([*keys, "colour", "spec "]), max_size=4,
                                 unique=True)):
            parts.append(f'"{key}" = {toml_value(draw(values))}' if " " in key
                         else f"{key} = {toml_value(draw(values))}")
    text = "\n".join(parts)
    if draw(st.booleans()):  # and sometimes a cut or a stray byte
        cut = draw(st.integers(0, len(text)))
        text = text[:cut] + draw(st.text(max_size=5)) + text[cut:]
    return text


@settings(max_examples=400, deadline=None)
@given(st.one_of(config_texts(), st.text(max_size=200)))
def test_any_config_text_is_settings_or_a_config_error(text: str) -> None:
    try:
        sections = parse_config(text, "kspos.toml")
    except ConfigError as exc:
        message = str(exc)
        assert "kspos.toml" in message and "\n" not in message.strip() and "Traceback" not in message
        return
    assert set(sections) <= set(SECTIONS)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.one_of(config_texts(), st.binary(max_size=60).map(lambda b: b.decode("latin-1"))))
def test_any_config_file_loads_or_is_refused_with_file_and_line(tmp_path: Path, text: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    try:
        loaded = load_settings(path, tmp_path / "data")
    except ConfigError as exc:
        assert str(path) in str(exc)
        return
    assert isinstance(loaded, Settings) and not loaded.demo
    assert loaded.devices.printer_width in (48, 42, 32)
    assert loaded.van.connect_timeout_s > 0 and loaded.van.response_timeout_s > 0


# --- the command line ----------------------------------------------------------------------------

WORDS = st.sampled_from(("", "-", "--", "0", "-1", "abc", "1e3", "2025-02-30", "2025-01-01",
                         "99999999999", "카드", "--json", "--help", "x" * 40, "\0"))
DATES = st.sampled_from(("2025-01-01", "2025-12-31", "2025-13-01", "yesterday", "", "2024-02-29",
                         "2025-02-29", "0000-00-00"))
SAFE_VAN = st.sampled_from(("tcp:127.0.0.1:9", "tcp:127.0.0.1:0", "tcp:", "tcp:127.0.0.1:x",
                            "nonsense", "serial:loop://"))  # never a host outside this machine
SAFE_PRINTER = st.sampled_from(("sim", "tcp:127.0.0.1:9", "file:{tmp}/out.bin", "usb:zz:zz",
                                "serial:loop://?baudrate=x", "bogus"))


GOOD_VALUES = {
    "--amount": ("1000", "60000", "0", "-5", "99999999999"),
    "--card": ("4111111111111111=3012", "4111111111111112=3012", "4111=1", "x"),
    "--code": ("281006123456789012", "0000", "카카오"),
    "--cash-receipt": ("01012345678", "2208162517", "12"),
    "--approval": ("12345678", "", "!!"), "--date": ("251125", "251399", "x"),
    "--installment": ("0", "3", "1", "40"), "--wallet": ("KAKA", "XXXX"),
    "--purpose": ("deduction", "expense", "other"), "--tid": ("DPT0TEST03", "short"),
}


@st.composite
def command_lines(draw: Any) -> list[str]:
    """argv for commands that finish by themselves (not run, shot, van-sim: they stay up)."""
    command = draw(st.sampled_from(("van", "van", "device", "device", "report", "report",
                                           "db", "demo-data", "bogus", "doctor")))
    argv = [command]
    if command == "van":
        sub = draw(st.sampled_from(("test", "approve", "approve", "cancel", "cancel", "refund")))
        argv.append(sub)
        argv += ["--van", draw(SAFE_VAN), "--timeout", draw(st.sampled_from(("0.2", "0.2", "0", "x")))]
        required = {"approve": ["--amount", draw(st.sampled_from(("--card", "--code",
                                                                 "--cash-receipt")))],
                    "cancel": ["--approval", "--date", "--amount"]}.get(sub, [])
        for option in required:
            argv += [option, draw(st.sampled_from(GOOD_VALUES[option]))]
        for option in draw(st.lists(st.sampled_from(
                ("--amount", "--card", "--code", "--cash-receipt", "--approval", "--date",
                 "--installment", "--wallet", "--purpose", "--tid", "--partial", "--test",
                 "--json")), max_size=3)):
            argv.append(option)
            if option not in ("--partial", "--test", "--json"):
                good = st.sampled_from(GOOD_VALUES.get(option, ("1000",)))
                argv.append(draw(st.one_of(good, good, good, WORDS)))
    elif command == "device":
        sub = draw(st.sampled_from(("list", "print-test", "read-card", "scan", "drawer", "eject")))
        argv.append(sub)
        if sub in ("print-test", "drawer"):
            argv += ["--printer", draw(SAFE_PRINTER)]
            if sub == "print-test" and draw(st.booleans()):
                argv += ["--mode", draw(st.sampled_from(("text", "raster", "pdf"))),
                         "--width", draw(st.sampled_from(("48", "42", "32", "40", "x")))]
        elif sub in ("read-card", "scan"):
            flag = "--reader" if sub == "read-card" else "--scanner"
            argv += [flag, draw(st.sampled_from(("sim", "serial:loop://", "bogus"))),  # not hid: stdin
                     "--timeout", draw(st.sampled_from(("0.1", "0", "x")))]
        if draw(st.booleans()):
            argv.append("--json")
    elif command == "report":
        argv += ["sales", "--from", draw(DATES), "--to", draw(DATES)]
        if draw(st.booleans()):
            argv += ["--by", draw(st.sampled_from(("day", "hour", "category", "item", "tender", "x")))]
        if draw(st.booleans()):
            fmt = draw(st.sampled_from(("table", "csv", "json", "xlsx", "pdf")))
            argv += ["--format", fmt]
            if fmt == "xlsx" or draw(st.booleans()):
                argv += ["--out", draw(st.sampled_from(("{tmp}/r.xlsx", "{tmp}/r.csv", "{tmp}",
                                                        "{tmp}/no/such/dir/r.csv")))]
    elif command == "db":
        sub = draw(st.sampled_from(("upgrade", "check", "backup", "restore")))
        argv.append(sub)
        if sub == "backup":
            argv.append(draw(st.sampled_from(("{tmp}/b.sqlite3", "{tmp}", "{tmp}/no/dir/b"))))
    elif command == "demo-data":
        argv += ["--days", draw(st.sampled_from(("0", "1", "2", "-1", "x"))),
                 "--orders-per-day", draw(st.sampled_from(("0", "1", "3", "x")))]
        if draw(st.booleans()):
            argv += ["--seed", draw(st.sampled_from(("1", "-5", "x")))]
    elif command == "doctor":
        argv.append("--json") if draw(st.booleans()) else None
    if draw(st.integers(0, 5)) == 0:
        argv += draw(st.lists(WORDS, max_size=2))
    if draw(st.integers(0, 4)) == 0:
        argv += ["--config", draw(st.sampled_from(("{tmp}/none.toml", "{tmp}/bad.toml",
                                                   "{tmp}/good.toml")))]
    return argv


@pytest.fixture(scope="module")
def cli_home() -> Any:
    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp, "bad.toml").write_text("[van]\nspec = 5\n", encoding="utf-8")
        Path(tmp, "good.toml").write_text('[devices]\nprinter = "sim"\n', encoding="utf-8")
        yield Path(tmp)


@pytest.mark.slow
@settings(max_examples=120, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(argv=command_lines())
def test_any_command_line_exits_0_1_or_2_without_a_traceback(
        argv: list[str], cli_home: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    from kspos.cli import main

    monkeypatch.setenv("KSPOS_DATA_DIR", str(cli_home / "data"))
    monkeypatch.delenv("KSPOS_CONFIG", raising=False)  # no config file: demo mode
    monkeypatch.setenv("XDG_CONFIG_HOME", str(cli_home / "xdg"))
    monkeypatch.chdir(cli_home)
    argv = [a.replace("{tmp}", str(cli_home)) for a in argv]
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse: --help (0) or a usage error (2)
        code = exc.code if isinstance(exc.code, int) else 2
    out, err = capsys.readouterr()
    event(f"{argv[0]} exit {code}")
    assert code in (0, 1, 2), f"{argv}: exit {code}\n{err}"
    assert "Traceback" not in err and "Traceback" not in out, f"{argv}:\n{err}"
    assert "unexpected error" not in err, f"{argv}: the CLI's last net caught it:\n{err}"
    if code == 2:
        assert err.strip(), f"{argv}: exit 2 without saying why"
    assert os.environ.get("KSPOS_DATA_DIR") == str(cli_home / "data")
