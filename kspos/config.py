"""Typed settings from the TOML config file (ARCHITECTURE.md, "Config file").

No config file means demo mode: the embedded VAN simulator and simulated devices. A file that
exists is not demo mode, whatever it leaves out. Every error names the file, line and key.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from kspos.devicespec import SpecError, parse_spec

ENV_CONFIG = "KSPOS_CONFIG"
ENV_DATA_DIR = "KSPOS_DATA_DIR"
APP_DIR_NAME = "kspos"


class ConfigError(Exception):
    """A config file that cannot be used. ``str()`` is one line: file, line, key and reason."""

    def __init__(self, path: Path | str, message: str, line: int | None = None,
                 key: str | None = None) -> None:
        self.path, self.line, self.key, self.reason = str(path), line, key, message
        where = f"{path}:{line}" if line else f"{path}"
        what = f" [{key}]" if key else ""
        super().__init__(f"config error: {where}{what}: {message}")


def valid_business_number(number: str) -> bool:
    """Check a 사업자등록번호 (``XXX-XX-XXXXX``) by its check digit (korean-rules.md)."""
    digits = number.replace("-", "")
    if len(digits) != 10 or not digits.isdigit():
        return False
    d = [int(c) for c in digits]
    weights = (1, 3, 7, 1, 3, 7, 1, 3, 5)
    total = sum(a * w for a, w in zip(d[:9], weights, strict=True)) + (d[8] * 5) // 10
    return (10 - total % 10) % 10 == d[9]


@dataclass(frozen=True)
class StoreSettings:
    name: str = "카페 예시"
    business_number: str = "220-81-62517"
    owner: str = "홍길동"
    address: str = "서울특별시 중구 세종대로 110"
    phone: str = "02-000-0000"


@dataclass(frozen=True)
class VanSettings:
    spec: str = "embedded"
    tid: str = "DPT0TEST03"
    connect_timeout_s: float = 5.0
    response_timeout_s: float = 30.0


@dataclass(frozen=True)
class DeviceSettings:
    printer: str = "sim"
    printer_mode: str = "raster"
    printer_width: int = 48
    card_reader: str = "sim"
    scanner: str = "sim"


@dataclass(frozen=True)
class UiSettings:
    lang: str = "ko"
    fullscreen: bool = False


@dataclass(frozen=True)
class Settings:
    """Everything the config file can say, plus where it came from."""

    store: StoreSettings = field(default_factory=StoreSettings)
    van: VanSettings = field(default_factory=VanSettings)
    devices: DeviceSettings = field(default_factory=DeviceSettings)
    ui: UiSettings = field(default_factory=UiSettings)
    path: Path | None = None
    demo: bool = True
    data_dir: Path = field(default_factory=lambda: default_data_dir())

    @property
    def db_path(self) -> Path:
        return self.data_dir / "kspos.sqlite3"

    @property
    def log_dir(self) -> Path:
        return self.data_dir / "logs"

    def simulated(self) -> list[str]:
        """Names of the parts that run simulated (the screens say so)."""
        names = [n for n in ("printer", "card_reader", "scanner")
                 if getattr(self.devices, n) == "sim"]
        if self.van.spec == "embedded":
            names.append("van")
        return names


_SECTIONS: dict[str, type] = {
    "store": StoreSettings, "van": VanSettings, "devices": DeviceSettings, "ui": UiSettings,
}


def default_config_path() -> Path:
    import platformdirs  # lazy: start-up stays lean

    return Path(platformdirs.user_config_dir(APP_DIR_NAME)) / "config.toml"


def default_data_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_DIR_NAME))


def _line_of(text: str, section: str, key: str | None) -> int | None:
    """Find the line of ``key`` inside ``[section]`` (tomllib keeps no positions)."""
    current = ""
    header = re.compile(r"^\s*\[\s*([^\]]+?)\s*\]")
    for number, line in enumerate(text.splitlines(), start=1):
        match = header.match(line)
        if match:
            current = match.group(1)
            if key is None and current == section:
                return number
            continue
        if current == section and key is not None and re.match(
                rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=", line):
            return number
    return None


def _check_value(section: str, key: str, value: Any, expected: Any) -> Any:
    """Coerce/check one value against the default's type; ValueError with the reason."""
    if isinstance(expected, bool):
        if not isinstance(value, bool):
            raise ValueError("must be true or false")
        return value
    if isinstance(expected, float):
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            raise ValueError("must be a positive number of seconds")
        return float(value)
    if isinstance(expected, int):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError("must be a whole number")
        return value
    if not isinstance(value, str):
        raise ValueError("must be a string in quotes")
    return value


def _check_semantics(section: str, key: str, value: Any) -> None:
    roles = {("devices", "printer"): "printer", ("devices", "card_reader"): "card_reader",
             ("devices", "scanner"): "scanner", ("van", "spec"): "van"}
    if (section, key) in roles:
        parse_spec(value, roles[(section, key)])
    elif (section, key) == ("store", "business_number") and not valid_business_number(value):
        raise ValueError(f"{value!r} is not a valid 사업자등록번호 (check digit)")
    elif (section, key) == ("van", "tid") and not re.fullmatch(r"[A-Za-z0-9]{10}", value):
        raise ValueError("the TID is 10 letters or digits, e.g. DPT0TEST03")
    elif (section, key) == ("devices", "printer_mode") and value not in ("raster", "text"):
        raise ValueError("must be \"raster\" or \"text\"")
    elif (section, key) == ("devices", "printer_width") and value not in (48, 42, 32):
        raise ValueError("must be 48, 42 or 32")
    elif (section, key) == ("ui", "lang") and value not in ("ko", "en"):
        raise ValueError("must be \"ko\" or \"en\"")


def parse_config(text: str, path: Path | str) -> dict[str, Any]:
    """Parse and validate config text into per-section keyword dicts; ConfigError if bad."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        # Python < 3.14 keeps the position only in the message: "... (at line 2, column 11)"
        position = re.search(r"\(at line (\d+), column \d+\)$", str(exc))
        line = getattr(exc, "lineno", None) or (int(position[1]) if position else None)
        reason = getattr(exc, "msg", None) or (str(exc)[:position.start()].strip() if position
                                                 else str(exc))
        raise ConfigError(path, f"not valid TOML: {reason}", line=line) from None
    result: dict[str, Any] = {}
    for section, table in raw.items():
        if section not in _SECTIONS:
            raise ConfigError(path, f"unknown section [{section}] (known: "
                              f"{', '.join(_SECTIONS)})", _line_of(text, section, None), section)
        if not isinstance(table, dict):
            raise ConfigError(path, "must be a [section]", _line_of(text, section, None), section)
        defaults = {f.name: f.default for f in fields(_SECTIONS[section])}
        values: dict[str, Any] = {}
        for key, value in table.items():
            where = _line_of(text, section, key)
            name = f"{section}.{key}"
            if key not in defaults:
                raise ConfigError(path, f"unknown key (known: {', '.join(defaults)})",
                                  where, name)
            try:
                values[key] = _check_value(section, key, value, defaults[key])
                _check_semantics(section, key, values[key])
            except (ValueError, SpecError) as exc:
                raise ConfigError(path, str(exc), where, name) from None
        result[section] = values
    return result


def load_settings(config_path: Path | str | None = None,
                  data_dir: Path | str | None = None) -> Settings:
    """Load settings: explicit path, else ``KSPOS_CONFIG``, else the platform config dir.

    An explicit path (or the env var) that does not exist is an error; a missing default file
    means demo mode.
    """
    explicit = config_path or os.environ.get(ENV_CONFIG) or None
    path = Path(explicit) if explicit else default_config_path()
    data = Path(data_dir or os.environ.get(ENV_DATA_DIR) or default_data_dir())
    if not path.exists():
        if explicit:
            raise ConfigError(path, "no such file")
        return Settings(path=None, demo=True, data_dir=data)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ConfigError(path, "not UTF-8 text") from None
    except OSError as exc:
        raise ConfigError(path, f"cannot read: {exc.strerror}") from None
    sections = parse_config(text, path)
    settings = Settings(path=path, demo=False, data_dir=data)
    return replace(settings, **{name: _SECTIONS[name](**values)
                                for name, values in sections.items()})


def demo_settings(data_dir: Path | str | None = None) -> Settings:
    """Demo mode whatever config exists: simulated devices and the embedded VAN."""
    data = Path(data_dir or os.environ.get(ENV_DATA_DIR) or default_data_dir())
    return Settings(path=None, demo=True, data_dir=data)
