"""The config file contract: typed settings, demo mode, and one-line errors naming file/line/key."""

from __future__ import annotations

from pathlib import Path

import pytest

from kspos.config import ConfigError, load_settings, parse_config, valid_business_number

GOOD = """\
[store]
name = "카페 예시"
business_number = "220-81-62517"

[van]
spec = "tcp:127.0.0.1:9560"
tid = "DPT0TEST03"
connect_timeout_s = 5
response_timeout_s = 30

[devices]
printer = "tcp:192.0.2.10:9100"
printer_mode = "text"
printer_width = 42
printer_qr = "image"
card_reader = "pcsc:ACS"
scanner = "serial:/dev/ttyUSB1?baudrate=9600"

[ui]
lang = "en"
fullscreen = true
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_full_config_loads_typed(tmp_path: Path) -> None:
    settings = load_settings(write(tmp_path, GOOD), tmp_path / "data")
    assert not settings.demo
    assert settings.van.connect_timeout_s == 5.0 and settings.devices.printer_width == 42
    assert settings.devices.printer_qr == "image"
    assert settings.ui.lang == "en" and settings.ui.fullscreen is True
    assert settings.db_path == tmp_path / "data" / "kspos.sqlite3"
    assert settings.simulated() == []


def test_what_a_config_leaves_out_runs_simulated_but_not_demo(tmp_path: Path) -> None:
    settings = load_settings(write(tmp_path, '[store]\nname = "분식집"\n'), tmp_path)
    assert not settings.demo and settings.store.name == "분식집"
    assert settings.simulated() == ["printer", "card_reader", "scanner", "van"]


def test_no_config_file_is_demo_mode(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KSPOS_CONFIG", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "nothing"))
    assert load_settings(None, tmp_path).demo


@pytest.mark.parametrize(("text", "line", "key", "reason"), [
    ('[van]\ntid = "x"\n', 2, "van.tid", "10 letters"),
    ('[devices]\n\nprinter = "lpt1"\n', 3, "devices.printer", "expected tcp:HOST:PORT"),
    ('[store]\nbusiness_number = "123-45-67890"\n', 2, "store.business_number", "check digit"),
    ('[ui]\nlang = "jp"\n', 2, "ui.lang", '"ko" or "en"'),
    ('[devices]\nprinter_width = 80\n', 2, "devices.printer_width", "48, 42 or 32"),
    ('[devices]\nprinter_qr = "png"\n', 2, "devices.printer_qr", '"native"'),
    ('[van]\nresponse_timeout_s = -1\n', 2, "van.response_timeout_s", "more than 0"),
    ('[ui]\nfullscreen = "yes"\n', 2, "ui.fullscreen", "true or false"),
    ('[store]\ncash_receipt_required = 1\n', 2, "store.cash_receipt_required", "true or false"),
    ('[store]\n\nprint_card_receipt = "no"\n', 3, "store.print_card_receipt", "true or false"),
    ('[store]\nnmae = "오타"\n', 2, "store.nmae", "unknown key"),
    ('[store]\ncode = "s0001"\n', 2, "store.code", "capital letters or digits"),
    ('[store]\ncode = "S00010000000X"\n', 2, "store.code", "1 to 12"),
    ('[store]\ncode = ""\n', 2, "store.code", "1 to 12"),
    ('[store]\n\nterminal = "1"\n', 3, "store.terminal", '"01" to "99"'),
    ('[store]\nterminal = "00"\n', 2, "store.terminal", '"01" to "99"'),
    ('[store]\nterminal = 2\n', 2, "store.terminal", "string in quotes"),
    ('[printer]\nspec = "sim"\n', 1, "printer", "unknown section"),
])
def test_bad_values_name_the_file_line_and_key(tmp_path: Path, text: str, line: int, key: str,
                                                reason: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_settings(path, tmp_path)
    message = str(caught.value)
    assert f"{path}:{line}" in message and f"[{key}]" in message and reason in message
    assert "\n" not in message


def test_broken_toml_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, '[store]\nname = "카페\n')
    with pytest.raises(ConfigError, match=rf"{path}:2.*not valid TOML"):
        load_settings(path, tmp_path)


def test_an_explicit_missing_file_is_an_error_not_demo(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such file"):
        load_settings(tmp_path / "missing.toml", tmp_path)


def test_parse_config_accepts_serial_urls_with_their_own_options() -> None:
    parsed = parse_config('[devices]\ncard_reader = "serial:socket://127.0.0.1:7000"\n', "c")
    assert parsed["devices"]["card_reader"] == "serial:socket://127.0.0.1:7000"


def test_business_number_checksum() -> None:
    assert valid_business_number("124-81-00998") and valid_business_number("2208162517")
    assert not valid_business_number("123-45-67890") and not valid_business_number("12-34")


def test_a_default_config_file_is_found_and_used(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KSPOS_CONFIG", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    (tmp_path / "xdg" / "kspos").mkdir(parents=True)
    write(tmp_path / "xdg" / "kspos", '[ui]\nlang = "en"\n')
    settings = load_settings(None, tmp_path / "data")
    assert not settings.demo and settings.ui.lang == "en"
    assert settings.path == tmp_path / "xdg" / "kspos" / "config.toml"
    assert settings.data_dir == tmp_path / "data"
    assert settings.db_file == str(tmp_path / "data" / "kspos.sqlite3") == str(settings.db_path)


@pytest.mark.parametrize("env", [
    {},
    {"XDG_CONFIG_HOME": "/srv/conf", "XDG_DATA_HOME": "/srv/data/"},
    {"XDG_CONFIG_HOME": "relative/conf", "XDG_DATA_HOME": ""},
    {"HOME": "/home/사장님"},
    {"HOME": "relative-home"},
])
def test_default_dirs_are_the_platformdirs_ones(env: dict[str, str],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    import platformdirs

    from kspos.config import default_config_path, default_data_dir

    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert default_config_path() == Path(platformdirs.user_config_dir("kspos")) / "config.toml"
    assert default_data_dir() == Path(platformdirs.user_data_dir("kspos"))


def test_settings_still_work_like_frozen_dataclasses(tmp_path: Path) -> None:
    import copy
    import dataclasses
    import pickle

    from kspos.config import Settings, VanSettings, demo_settings

    settings = demo_settings(tmp_path)
    assert settings == Settings(data_dir=tmp_path) and hash(settings) == hash(demo_settings(tmp_path))
    moved = dataclasses.replace(settings, van=VanSettings(spec="tcp:127.0.0.1:9560"), demo=False)
    assert moved.van.spec == "tcp:127.0.0.1:9560" and moved.van.tid == settings.van.tid
    assert not moved.demo and moved.data_dir == tmp_path and moved.store == settings.store
    assert [f.name for f in dataclasses.fields(VanSettings)] == [
        "spec", "tid", "connect_timeout_s", "response_timeout_s"]
    assert dataclasses.asdict(settings.van)["spec"] == "embedded"
    with pytest.raises(AttributeError):
        settings.demo = False  # type: ignore[misc]
    with pytest.raises(AttributeError):
        settings.van.tid = "X"  # type: ignore[misc]
    assert pickle.loads(pickle.dumps(moved)) == moved == copy.deepcopy(moved)
    assert repr(settings.ui) == ("UiSettings(lang='ko', fullscreen=False, customer_display='off', "
                                 "customer_touch=False, customer_signature=False, "
                                 "customer_images='', order_board='off')")


# --- the checked config kept beside the config file (start-up without tomllib) ----------------


def _keep(config: Path) -> Path:
    from kspos.config import keep_path

    return Path(keep_path(str(config)))


def test_a_config_that_passed_is_kept_and_an_edit_is_checked_again(tmp_path: Path) -> None:
    data = tmp_path / "data"
    path = write(tmp_path, GOOD)
    first = load_settings(path, data)
    assert _keep(path).exists() and _keep(path).parent == path.parent
    assert load_settings(path, data) == first  # the kept result gives the same settings
    write(tmp_path, GOOD.replace("printer_width = 42", "printer_width = 40"))
    with pytest.raises(ConfigError, match="printer_width"):  # never a stale "fine"
        load_settings(path, data)
    write(tmp_path, GOOD.replace('lang = "en"', 'lang = "ko"'))
    assert load_settings(path, data).ui.lang == "ko"
    assert not data.exists()  # loading a config never makes the data dir


def _forge(path: Path, sections: object, stamp: object = None, text: str = GOOD) -> None:
    import marshal

    from kspos import config

    stamp = list(config._rules_stamp()) if stamp is None else stamp
    _keep(path).write_bytes(marshal.dumps((stamp, text, sections)))


def test_the_kept_result_is_used_only_for_the_same_text_rules_and_valid_values(
        tmp_path: Path) -> None:
    path = write(tmp_path, GOOD)
    data = tmp_path / "data"
    # Kept for this exact text under these rules, and valid: believed (no TOML parsed)...
    _forge(path, {"store": {"name": "보관된 결과"}})
    assert load_settings(path, data).store.name == "보관된 결과"
    # ...from other rules (an update), for other text, or not what the checks allow: not.
    _forge(path, {"store": {"name": "보관된 결과"}}, stamp=[(3, 0, 0), "0.0.0", 1, 2])
    assert load_settings(path, data).store.name == "카페 예시"
    _forge(path, {"store": {"name": "보관된 결과"}}, text=GOOD + "\n")
    assert load_settings(path, data).store.name == "카페 예시"
    # (Device specs are rechecked by type only: the file sits beside the config, so whoever
    # could forge one could rewrite the config itself.)
    for bad in ({"van": {"tid": "DPT0"}}, {"van": {"tid": 5}}, {"devices": {"printer": 9}},
                {"store": {"bogus": 1}}, {"shop": {}}, ["store"]):
        _forge(path, bad)
        settings = load_settings(path, data)
        assert (settings.van.spec, settings.van.tid) == ("tcp:127.0.0.1:9560", "DPT0TEST03")


@pytest.mark.parametrize("junk", [b"", b"\x00garbage", b"\xe9" * 40])
def test_a_damaged_keep_file_is_ignored_and_replaced(tmp_path: Path, junk: bytes) -> None:
    path = write(tmp_path, GOOD)
    _keep(path).write_bytes(junk)
    assert load_settings(path, tmp_path / "data").devices.printer_width == 42
    assert _keep(path).read_bytes() != junk


def test_the_store_receipt_rules_default_to_print_and_not_required(tmp_path: Path) -> None:
    assert not load_settings(write(tmp_path, "[store]\n"), tmp_path).store.cash_receipt_required
    settings = load_settings(write(tmp_path, "[store]\ncash_receipt_required = true\n"
                                             "print_card_receipt = false\n"), tmp_path)
    assert settings.store.cash_receipt_required and not settings.store.print_card_receipt
    assert load_settings(None, tmp_path / "none").store.print_card_receipt  # demo prints


def test_the_terminal_identity_comes_from_the_store_section_and_demo_is_s0001_01(
        tmp_path: Path) -> None:
    demo = load_settings(None, tmp_path / "none").store
    assert (demo.code, demo.terminal, demo.pos_label) == ("S0001", "01", "S0001 POS 01")
    store = load_settings(write(tmp_path, '[store]\ncode = "GANGNAM7"\nterminal = "12"\n'),
                          tmp_path).store
    assert (store.code, store.terminal, store.pos_label) == ("GANGNAM7", "12", "GANGNAM7 POS 12")
