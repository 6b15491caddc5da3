"""Typed settings from the TOML config file (ARCHITECTURE.md, "Config file").

No config file means demo mode: the embedded VAN simulator and simulated devices. A file that
exists is not demo mode, whatever it leaves out. Every error names the file, line and key.
"""

from __future__ import annotations

import os
import re
import sys

from kspos.config.kitchen import KitchenSettings, check_kitchens, recheck_kitchens
from kspos.config.office import OfficeServerSettings, OfficeSettings, check_office_key
from kspos.config.store import StoreSettings as StoreSettings
from kspos.config.ui import UiSettings as UiSettings
from kspos.config.ui import check_screen
from kspos.records import DataclassFields, FrozenRecord

# Start-up matters (``kspos report`` reads the config on every run): tomllib, pathlib, the
# device-spec parser and platformdirs are imported only when a config file or a path needs them.
TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs start-up time
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any

    from kspos.sync.identity import Identity

ENV_CONFIG = "KSPOS_CONFIG"
ENV_DATA_DIR = "KSPOS_DATA_DIR"
APP_DIR_NAME = "kspos"
DB_FILE_NAME = "kspos.sqlite3"
_set = object.__setattr__  # a frozen record's __init__ sets its fields through object


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


class VanSettings(FrozenRecord):
    __slots__ = _fields = ("spec", "tid", "connect_timeout_s", "response_timeout_s")
    __dataclass_fields__ = DataclassFields()
    spec: str
    tid: str
    connect_timeout_s: float
    response_timeout_s: float

    def __init__(self, spec: str = "embedded", tid: str = "DPT0TEST03",
                 connect_timeout_s: float = 5.0, response_timeout_s: float = 30.0) -> None:
        _set(self, "spec", spec)
        _set(self, "tid", tid)
        _set(self, "connect_timeout_s", connect_timeout_s)
        _set(self, "response_timeout_s", response_timeout_s)


class DeviceSettings(FrozenRecord):
    __slots__ = _fields = ("printer", "printer_mode", "printer_width", "printer_qr",
                           "card_reader", "scanner", "pager")
    __dataclass_fields__ = DataclassFields()
    printer: str
    printer_mode: str
    printer_width: int
    printer_qr: str  # "native": the printer's GS ( k; "image": drawn (older firmware)
    card_reader: str
    scanner: str
    pager: str  # the 진동벨 transmitter: "off", "sim", "tcp:HOST:PORT", "serial:PORT?baudrate=N"

    def __init__(self, printer: str = "sim", printer_mode: str = "raster",
                 printer_width: int = 48, printer_qr: str = "native", card_reader: str = "sim",
                 scanner: str = "sim", pager: str = "off") -> None:
        _set(self, "printer", printer)
        _set(self, "printer_mode", printer_mode)
        _set(self, "printer_width", printer_width)
        _set(self, "printer_qr", printer_qr)
        _set(self, "card_reader", card_reader)
        _set(self, "scanner", scanner)
        _set(self, "pager", pager)


class BackupSettings(FrozenRecord):
    """The daily automatic backup: ``folder`` (a USB stick; empty: none) keeps the newest
    ``keep`` daily copies (docs/backup.md)."""

    __slots__ = _fields = ("folder", "keep")
    __dataclass_fields__ = DataclassFields()
    folder: str
    keep: int

    def __init__(self, folder: str = "", keep: int = 14) -> None:
        _set(self, "folder", folder)
        _set(self, "keep", keep)


class Settings(FrozenRecord):
    """Everything the config file can say, plus where it came from.

    ``path`` and ``data_dir`` are Paths, made when first read: the report command only needs
    ``db_file`` (a string), and pathlib stays out of its start-up.
    """

    __slots__ = ("_data_dir", "_path", "backup", "demo", "devices", "kitchens", "office",
                 "office_server", "store", "ui", "van")
    _fields = ("store", "van", "devices", "ui", "path", "demo", "data_dir",
               "backup", "office", "office_server", "kitchens")  # constructor order
    __dataclass_fields__ = DataclassFields()
    store: StoreSettings
    van: VanSettings
    devices: DeviceSettings
    ui: UiSettings
    backup: BackupSettings
    office: OfficeSettings
    office_server: OfficeServerSettings
    kitchens: tuple[KitchenSettings, ...]  # [[kitchen]]: the kitchen printers, in file order
    demo: bool
    _path: str | None
    _data_dir: str

    def __init__(self, store: StoreSettings | None = None, van: VanSettings | None = None,
                 devices: DeviceSettings | None = None, ui: UiSettings | None = None,
                 path: str | os.PathLike[str] | None = None, demo: bool = True,
                 data_dir: str | os.PathLike[str] | None = None,
                 backup: BackupSettings | None = None, office: OfficeSettings | None = None,
                 office_server: OfficeServerSettings | None = None,
                 kitchens: tuple[KitchenSettings, ...] | list[KitchenSettings] = ()) -> None:
        _set(self, "store", StoreSettings() if store is None else store)
        _set(self, "van", VanSettings() if van is None else van)
        _set(self, "devices", DeviceSettings() if devices is None else devices)
        _set(self, "ui", UiSettings() if ui is None else ui)
        _set(self, "backup", BackupSettings() if backup is None else backup)
        _set(self, "office", OfficeSettings() if office is None else office)
        _set(self, "office_server", OfficeServerSettings() if office_server is None
             else office_server)
        _set(self, "kitchens", tuple(kitchens))
        _set(self, "_path", None if path is None else os.fspath(path))
        _set(self, "demo", demo)
        _set(self, "_data_dir", _user_dir("data") if data_dir is None else os.fspath(data_dir))

    @property
    def path(self) -> Path | None:
        """The config file the settings came from; None in demo mode."""
        if self._path is None:
            return None
        from pathlib import Path

        return Path(self._path)

    @property
    def data_dir(self) -> Path:
        from pathlib import Path

        return Path(self._data_dir)

    @property
    def db_path(self) -> Path:
        return self.data_dir / DB_FILE_NAME

    @property
    def db_file(self) -> str:
        """``db_path`` as a string, without importing pathlib (the report command's path)."""
        return os.path.join(self._data_dir, DB_FILE_NAME)

    @property
    def identity(self) -> Identity:
        """This terminal's store code and number, as the store layer stamps facts with."""
        from kspos.sync.identity import Identity

        return Identity(self.store.code, self.store.terminal)

    @property
    def log_dir(self) -> Path:
        return self.data_dir / "logs"

    def simulated(self) -> list[str]:
        """Names of the parts that run simulated (the screens say so)."""
        names = [n for n in ("printer", "card_reader", "scanner")
                 if getattr(self.devices, n) == "sim"]
        if self.devices.pager == "sim":  # "off" is no 진동벨, not a simulated one
            names.append("pager")
        if self.van.spec == "embedded":
            names.append("van")
        return names


KITCHEN = "kitchen"  # [[kitchen]]: Settings.kitchens (kspos.config.kitchen)
_SECTIONS: dict[str, Any] = {
    "store": StoreSettings, "van": VanSettings, "devices": DeviceSettings, "ui": UiSettings,
    "backup": BackupSettings, "office": OfficeSettings, "office_server": OfficeServerSettings,
}


def _defaults(section: Any) -> dict[str, Any]:
    """{key: default} of a config section, from its constructor (every key has a default)."""
    return dict(zip(section._fields, section.__init__.__defaults__, strict=True))


_XDG = {"config": ("XDG_CONFIG_HOME", ".config"), "data": ("XDG_DATA_HOME", ".local/share")}


def _user_dir(kind: str) -> str:
    """The per-user ``config`` or ``data`` dir of the app, as platformdirs gives it.

    On Linux that is the XDG Base Directory rule (an absolute ``$XDG_*_HOME``, else
    ``$HOME/.config`` / ``$HOME/.local/share``), followed here directly because importing
    platformdirs costs a short command ~10 ms; anything unusual (another OS, Android, no
    absolute HOME) asks platformdirs. A unit test checks both agree.
    """
    variable, fallback = _XDG[kind]
    base, home = os.environ.get(variable, ""), os.environ.get("HOME", "")
    android = (os.environ.get("ANDROID_DATA") == "/data"
               and os.environ.get("ANDROID_ROOT") == "/system")
    if sys.platform == "linux" and not android:
        if base.startswith("/"):
            return os.path.join(base, APP_DIR_NAME)
        if home.startswith("/"):
            return os.path.join(home, fallback, APP_DIR_NAME)
    import platformdirs

    if kind == "config":
        return platformdirs.user_config_dir(APP_DIR_NAME)
    return platformdirs.user_data_dir(APP_DIR_NAME)


def default_config_path() -> Path:
    from pathlib import Path

    return Path(_user_dir("config")) / "config.toml"


def default_data_dir() -> Path:
    from pathlib import Path

    return Path(_user_dir("data"))


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
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError("must be a number of seconds")
        limit = SECONDS_LIMITS.get((section, key), 3600.0)
        # not `value <= 0`: that lets nan through (and inf, 1e300 were taken as they came)
        if not 0 < value <= limit:
            raise ValueError(f"must be more than 0 and at most {limit:g} seconds, got {value}")
        return float(value)
    if isinstance(expected, int):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError("must be a whole number")
        return value
    if not isinstance(value, str):
        raise ValueError("must be a string in quotes")
    return value


SECONDS_LIMITS = {("van", "connect_timeout_s"): 60.0, ("van", "response_timeout_s"): 300.0,
                  ("store", "pickup_clear_s"): 3600.0}
"""The upper bound of each seconds key: beyond it a value is a typo, not a wish (a year's
timeout, or inf, leaves a cashier before a frozen screen; the link cannot even use 1e300)."""

STORE_KINDS = ("cafe", "restaurant", "retail")
ORDER_NUMBERS = ("sequential", "random", "off")
"""``[store] order_numbers``: how a takeout/cafe order's 주문번호 is chosen (docs/pickup.md)."""
"""``[store] kind``: the business type (a restaurant opens on the floor plan)."""

RECEIPT_MODES = ("print", "none", "ask")
"""``[store] receipt``: print the sale slip, never print it (paperless), or ask each time."""

SPEC_ROLES = {("devices", "printer"): "printer", ("devices", "card_reader"): "card_reader",
              ("devices", "scanner"): "scanner", ("van", "spec"): "van",
              ("devices", "pager"): "pager"}


def _check_semantics(section: str, key: str, value: Any, specs: bool = True) -> None:
    """The rules beyond the type; ``specs`` False skips parsing device specs (the kept
    result's recheck: the spec parser's imports cost ~15 ms, and the text it came from
    passed them already)."""
    if (section, key) in SPEC_ROLES:
        if specs:
            from kspos.devices.specs import parse_spec  # raises SpecError, a ValueError

            parse_spec(value, SPEC_ROLES[(section, key)])
    elif (section, key) == ("store", "business_number") and not valid_business_number(value):
        raise ValueError(f"{value!r} is not a valid 사업자등록번호 (check digit)")
    elif (section, key) == ("store", "code") and not re.fullmatch(r"[A-Z0-9]{1,12}", value):
        raise ValueError("the store code is 1 to 12 capital letters or digits, e.g. \"S0001\"")
    elif (section, key) == ("store", "terminal") and not (
            re.fullmatch(r"[0-9]{2}", value) and value != "00"):
        raise ValueError("the terminal is two digits \"01\" to \"99\", e.g. \"01\"")
    elif (section, key) == ("van", "tid"):
        if not re.fullmatch(r"[A-Za-z0-9]{10}", value):
            raise ValueError("the TID is 10 letters or digits, e.g. DPT0TEST03")
        from kspos.van.codes import TRAINING_TID  # a small table module

        if value == TRAINING_TID:
            raise ValueError(f"{TRAINING_TID} is 연습 모드's own TID (training mode): give the "
                             "terminal id the VAN company issued")
    elif (section, key) == ("devices", "printer_mode") and value not in ("raster", "text"):
        raise ValueError("must be \"raster\" or \"text\"")
    elif (section, key) == ("devices", "printer_qr") and value not in ("native", "image"):
        raise ValueError("must be \"native\" (the printer draws QR codes) or \"image\"")
    elif (section, key) == ("devices", "printer_width") and value not in (48, 42, 32):
        raise ValueError("must be 48, 42 or 32")
    elif (section, key) == ("store", "order_numbers") and value not in ORDER_NUMBERS:
        raise ValueError("must be \"sequential\", \"random\" (3 digits) or \"off\"")
    elif (section, key) == ("store", "kind") and value not in STORE_KINDS:
        raise ValueError("must be \"cafe\", \"restaurant\" or \"retail\"")
    elif (section, key) == ("store", "receipt") and value not in RECEIPT_MODES:
        raise ValueError("must be \"print\" (every sale slip prints), \"none\" (never: the "
                         "customer display shows its QR) or \"ask\" (the cashier asks)")
    elif (section, key) == ("ui", "lang") and value not in ("ko", "en"):
        raise ValueError("must be \"ko\" or \"en\"")
    elif (section, key) in (("ui", "customer_display"), ("ui", "order_board")):
        check_screen(key, value)
    elif (section, key) == ("ui", "customer_images") and value and not os.path.isabs(
            os.path.expanduser(value)):
        raise ValueError("must be an absolute folder path, e.g. \"/home/pos/slides\"")
    elif (section, key) == ("backup", "keep") and not 1 <= value <= 3660:
        raise ValueError("must be 1 to 3660 (daily backups to keep)")
    elif section in ("office", "office_server"):
        check_office_key(section, key, value)
    elif (section, key) == ("backup", "folder") and value and not os.path.isabs(
            os.path.expanduser(value)):
        raise ValueError("must be an absolute folder path, e.g. \"/media/usb/kspos\"")


def parse_config(text: str, path: Path | str) -> dict[str, Any]:
    """Parse and validate config text into per-section keyword dicts; ConfigError if bad."""
    import tomllib

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
        if section == KITCHEN:  # [[kitchen]]: an array of tables, checked on its own
            result[section] = check_kitchens(table, text, path)
            continue
        if section not in _SECTIONS:
            raise ConfigError(path, f"unknown section [{section}] (known: "
                              f"{', '.join(_SECTIONS)}, [[{KITCHEN}]])",
                              _line_of(text, section, None), section)
        if not isinstance(table, dict):
            raise ConfigError(path, "must be a [section]", _line_of(text, section, None), section)
        defaults = _defaults(_SECTIONS[section])
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
            except ValueError as exc:  # SpecError is one
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
    data = os.fspath(data_dir or os.environ.get(ENV_DATA_DIR) or _user_dir("data"))
    # Plain strings, not pathlib: its import is a measurable share of a short command.
    path = os.fspath(explicit) if explicit else os.path.join(_user_dir("config"), "config.toml")
    if not os.path.exists(path):
        if explicit:
            raise ConfigError(path, "no such file")
        return Settings(path=None, demo=True, data_dir=data)
    try:
        with open(path, encoding="utf-8") as file:
            text = file.read()
    except UnicodeDecodeError:
        raise ConfigError(path, "not UTF-8 text") from None
    except OSError as exc:
        raise ConfigError(path, f"cannot read: {exc.strerror}") from None
    sections = dict(checked_sections(text, path))
    kitchens = tuple(KitchenSettings(**values) for values in sections.pop(KITCHEN, ()))
    return Settings(path=path, demo=False, data_dir=data, kitchens=kitchens,
                    **{name: _SECTIONS[name](**values) for name, values in sections.items()})


def keep_path(config_path: str) -> str:
    """Where the checked result of ``config_path`` is kept: beside it, so only someone who
    could rewrite the config itself can write it (a read-only config dir simply keeps none)."""
    folder, name = os.path.split(config_path)
    return os.path.join(folder, f".{name}.checked")


def _rules_stamp() -> tuple[object, ...]:
    """What the checks depend on: the interpreter, this program's version and the source of
    the modules that do the checking (content, not file times: images may normalise those)."""
    import zlib

    from kspos import __version__

    here = os.path.dirname(os.path.abspath(__file__))  # kspos/config
    sums = []
    for module in ("__init__.py", "kitchen.py", os.path.join("..", "devices", "specs.py")):
        with open(os.path.join(here, module), "rb") as source:
            sums.append(zlib.crc32(source.read()))
    return (tuple(sys.version_info[:3]), __version__, *sums)


def _recheck(sections: object) -> dict[str, Any]:
    """The kept sections checked key by key again (cheap: no TOML, device specs by type
    only); ValueError if anything is off, so a damaged keep file is never believed."""
    if not isinstance(sections, dict):
        raise ValueError("not a dict")
    for section, values in sections.items():
        if section == KITCHEN:
            recheck_kitchens(values)
            continue
        if section not in _SECTIONS or not isinstance(values, dict):
            raise ValueError(f"section {section!r}")
        defaults = _defaults(_SECTIONS[section])
        for key, value in values.items():
            if key not in defaults or _check_value(section, key, value, defaults[key]) != value:
                raise ValueError(f"key {section}.{key}")
            _check_semantics(section, key, value, specs=False)
    return sections


def checked_sections(text: str, path: str) -> dict[str, Any]:
    """:func:`parse_config`, remembered for the exact text that last passed.

    Importing tomllib compiles its regular expressions in every process (~15 ms on a 2-core
    counter PC, and checking the file costs as much again: more than a day's report), while
    the file rarely changes. So the last text that passed is kept beside the config file with
    its parsed sections (marshal: no import cost), and a process that reads the same text,
    under the same rules, rechecks those values key by key instead of parsing TOML. Any other
    text is parsed and checked in full; errors are never kept. The keep file is a convenience:
    unreadable, damaged, foreign or unwritable, it is ignored.
    """
    import marshal

    keep = keep_path(path)
    try:
        stamp: tuple[object, ...] | None = _rules_stamp()
    except OSError:  # the checking modules are not there as source: keep nothing
        stamp = None
    if stamp is not None:
        try:
            with open(keep, "rb") as file:
                kept = marshal.load(file)
            if isinstance(kept, tuple) and len(kept) == 3 and kept[:2] == (list(stamp), text):
                return _recheck(kept[2])
        except (OSError, EOFError, ValueError, TypeError):  # no usable copy: parse in full
            pass
    sections = parse_config(text, path)
    if stamp is not None:
        _keep(keep, (list(stamp), text, sections))
    return sections


def _keep(keep: str, record: tuple[Any, ...]) -> None:
    import marshal

    temporary = f"{keep}.{os.getpid()}.tmp"
    try:  # whole or not at all: another process may be reading it
        with open(temporary, "wb") as file:
            marshal.dump(record, file)
        os.replace(temporary, keep)
    except (OSError, ValueError):  # read-only dir, full disk: checked in full next time
        try:  # noqa: SIM105 - contextlib is not imported on this path (start-up)
            os.remove(temporary)
        except OSError:
            pass


def demo_settings(data_dir: Path | str | None = None, kind: str = "cafe") -> Settings:
    """Demo mode whatever config exists: simulated devices and the embedded VAN.

    ``kind = "restaurant"`` is the demo restaurant: its own data dir (``demo-restaurant`` in
    the default one, unless a data dir is given), the floor plan, and two simulated kitchen
    printers (주방: 고기류 식사류 사이드; 바: 주류 음료)."""
    folder = data_dir or os.environ.get(ENV_DATA_DIR) or _user_dir("data")
    if kind != "restaurant":
        return Settings(path=None, demo=True, data_dir=folder,
                        store=StoreSettings(kind=kind) if kind != "cafe" else None)
    from kspos.config.kitchen import KitchenSettings

    return Settings(
        path=None, demo=True,
        data_dir=data_dir or os.path.join(folder, "demo-restaurant"),
        store=StoreSettings(name="고기마당 (데모)", kind="restaurant"),
        kitchens=(KitchenSettings("주방", "sim", "text", 48, ("고기류", "식사류", "사이드")),
                  KitchenSettings("바", "sim", "text", 48, ("주류", "음료"))))
