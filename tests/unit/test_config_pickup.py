"""The config keys of 주문번호 and the 진동벨: defaults, typed values, and one-line errors
naming the file, line and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from kspos.config import ConfigError, load_settings


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_defaults_number_orders_print_a_pickup_slip_and_use_no_pager(
        tmp_path: Path) -> None:
    settings = load_settings(write(tmp_path, '[store]\nname = "카페"\n'), tmp_path)
    assert settings.store.order_numbers == "sequential"
    assert settings.store.pickup_slip is True
    assert settings.store.pickup_clear_s == 180.0
    assert settings.devices.pager == "off"


def test_the_keys_load_typed(tmp_path: Path) -> None:
    text = ('[store]\norder_numbers = "random"\npickup_slip = false\npickup_clear_s = 90\n'
            '[devices]\npager = "serial:/dev/ttyUSB2?baudrate=19200"\n')
    settings = load_settings(write(tmp_path, text), tmp_path)
    assert settings.store.order_numbers == "random" and settings.store.pickup_slip is False
    assert settings.store.pickup_clear_s == 90.0
    assert settings.devices.pager == "serial:/dev/ttyUSB2?baudrate=19200"


@pytest.mark.parametrize("spec", ["off", "sim", "tcp:192.0.2.20:7000", "serial:COM4",
                                  "serial:socket://192.0.2.21:4001"])
def test_every_pager_spec_form_is_accepted(tmp_path: Path, spec: str) -> None:
    settings = load_settings(write(tmp_path, f'[devices]\npager = "{spec}"\n'), tmp_path)
    assert settings.devices.pager == spec


@pytest.mark.parametrize(("text", "line", "key", "reason"), [
    ('[store]\norder_numbers = "daily"\n', 2, "store.order_numbers", '"sequential", "random"'),
    ('[store]\n\npickup_slip = "yes"\n', 3, "store.pickup_slip", "true or false"),
    ('[store]\npickup_clear_s = 0\n', 2, "store.pickup_clear_s", "more than 0"),
    ('[store]\npickup_clear_s = 86400\n', 2, "store.pickup_clear_s", "at most 3600"),
    ('[devices]\npager = "usb:04b8:0202"\n', 2, "devices.pager", "tcp:HOST:PORT"),
    ('[devices]\npager = "tcp:bell"\n', 2, "devices.pager", "tcp:HOST:PORT"),
    ('[devices]\npager = "off:now"\n', 2, "devices.pager", "takes no argument"),
    ('[devices]\npager = "serial:?baudrate=fast"\n', 2, "devices.pager", "baudrate"),
])
def test_bad_values_name_the_file_line_and_key(tmp_path: Path, text: str, line: int, key: str,
                                                reason: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_settings(path, tmp_path)
    message = str(caught.value)
    assert f"{path}:{line}" in message and f"[{key}]" in message and reason in message
    assert "\n" not in message
