"""VAN timeouts are refused at start unless finite and in range: connect (0, 60] s, response
(0, 300] s, in the config file, on `--timeout` and in the client itself (nan, inf, 1e300 or a
year once crashed `van approve` after its journal entry was committed, and every later run)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from kspos.config import ConfigError, parse_config
from kspos.van.client import Timeouts, VanClient, VanInputError
from tests.unit.van.van_fakes import TID

BAD = ["nan", "inf", "-inf", "1e300", "31536000", "0", "-5"]


def _config(key: str, value: str) -> str:
    return f'[van]\ntid = "{TID}"\n{key} = {value}\n'


@pytest.mark.parametrize("value", [*BAD, "61"])
def test_a_connect_timeout_outside_0_to_60_s_is_refused(value: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_config(_config("connect_timeout_s", value), "kspos.toml")
    assert caught.value.key == "van.connect_timeout_s" and caught.value.line == 3
    assert "60" in str(caught.value) and "\n" not in str(caught.value)


@pytest.mark.parametrize("value", [*BAD, "301"])
def test_a_response_timeout_outside_0_to_300_s_is_refused(value: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_config(_config("response_timeout_s", value), "kspos.toml")
    assert caught.value.key == "van.response_timeout_s" and "300" in str(caught.value)


def test_the_limits_themselves_are_fine() -> None:
    van = parse_config(_config("connect_timeout_s", "60") + "response_timeout_s = 300\n",
                       "kspos.toml")["van"]
    assert (van["connect_timeout_s"], van["response_timeout_s"]) == (60.0, 300.0)


@pytest.mark.parametrize("timeouts", [(float("nan"), 30.0), (5.0, float("inf")), (5.0, 1e300),
                                      (0.0, 30.0), (61.0, 30.0), (5.0, 301.0)])
def test_the_client_refuses_them_before_anything_is_written(
        db: Any, timeouts: tuple[float, float]) -> None:
    with pytest.raises(VanInputError, match="timeout"):
        VanClient(db, object(), TID, Timeouts(*timeouts))  # type: ignore[arg-type]
    assert db.read("SELECT count(*) FROM van_reversal") == [(0,)]


@pytest.mark.parametrize("value", ["nan", "inf", "1e300", "301", "3600", "0"])
def test_the_timeout_option_is_refused_with_exit_2(tmp_path: Path, value: str) -> None:
    done = subprocess.run([sys.executable, "-m", "kspos.cli", "--data-dir", str(tmp_path),
                           "van", "test", "--timeout", value], capture_output=True, text=True,
                          timeout=60, check=False)
    assert done.returncode == 2, done.stderr
    assert "--timeout" in done.stderr and "(0, 300]" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "kspos.sqlite3").exists()  # refused before the store is opened


def test_a_bad_config_timeout_stops_van_approve_with_one_line(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(_config("response_timeout_s", "inf"), "utf-8")
    done = subprocess.run([sys.executable, "-m", "kspos.cli", "--config", str(config),
                           "--data-dir", str(tmp_path), "van", "approve", "--amount", "1000",
                           "--card", "4111111111111111=3012"], capture_output=True, text=True,
                          timeout=60, check=False)
    assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert "van.response_timeout_s" in done.stderr
    assert not (tmp_path / "kspos.sqlite3").exists()  # refused before the store was touched
