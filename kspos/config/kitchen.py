"""``[[kitchen]]``: the kitchen printers (주방 프린터) of a restaurant, one table each.

An array of tables, so it is checked here rather than by the one-table-per-section loop in
:mod:`kspos.config`: every error still names the file, the line and the key
(``kitchen[2].mode``: the second ``[[kitchen]]`` table, counted from 1).
"""

from __future__ import annotations

import re

from kspos.records import DataclassFields, FrozenRecord

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs start-up time
if TYPE_CHECKING:
    from typing import Any

_set = object.__setattr__
KITCHEN_MODES = ("text", "raster")
KITCHEN_WIDTHS = (48, 42, 32)
NAME_MAX = 40  # printed on the 주방 출력 실패 banner and the redirect menu


class KitchenSettings(FrozenRecord):
    """One ``[[kitchen]]`` table: a named printer and the menu categories it prints.

    ``mode`` text (Korean firmware) is the default: kitchen printers are mostly the plain
    impact and thermal ones; ``raster`` draws the slip with our own font."""

    __slots__ = _fields = ("name", "printer", "mode", "width", "categories")
    __dataclass_fields__ = DataclassFields()
    name: str
    printer: str
    mode: str
    width: int
    categories: tuple[str, ...]

    def __init__(self, name: str = "", printer: str = "sim", mode: str = "text",
                 width: int = 48, categories: tuple[str, ...] | list[str] = ()) -> None:
        _set(self, "name", name)
        _set(self, "printer", printer)
        _set(self, "mode", mode)
        _set(self, "width", width)
        _set(self, "categories", tuple(categories))


KITCHEN_KEYS = KitchenSettings._fields


def kitchen_line(text: str, index: int, key: str | None) -> int | None:
    """The line of ``key`` in the ``index``-th ``[[kitchen]]`` table (0-based), or of its
    header when ``key`` is None (tomllib keeps no positions)."""
    seen = -1
    inside = False
    header = re.compile(r"^\s*\[")
    kitchen = re.compile(r"^\s*\[\[\s*kitchen\s*\]\]")
    for number, line in enumerate(text.splitlines(), start=1):
        if header.match(line):
            inside = bool(kitchen.match(line))
            if inside:
                seen += 1
                if seen == index and key is None:
                    return number
            continue
        if inside and seen == index and key is not None and re.match(
                rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=", line):
            return number
    return None


def check_kitchen_value(key: str, value: Any, specs: bool = True) -> Any:
    """One key of a ``[[kitchen]]`` table, checked (and ``categories`` made a list);
    ValueError with the reason."""
    if key in ("name", "printer", "mode"):
        if not isinstance(value, str):
            raise ValueError("must be a string in quotes")
        if key == "name" and not 0 < len(value.strip()) <= NAME_MAX:
            raise ValueError(f"the kitchen printer's name is 1 to {NAME_MAX} characters")
        if key == "mode" and value not in KITCHEN_MODES:
            raise ValueError("must be \"text\" or \"raster\"")
        if key == "printer" and specs:
            from kspos.devices.specs import parse_spec  # raises SpecError, a ValueError

            parse_spec(value, "printer")
        return value
    if key == "width":
        if isinstance(value, bool) or value not in KITCHEN_WIDTHS:
            raise ValueError("must be 48, 42 or 32")
        return value
    if key == "categories":
        if not isinstance(value, list | tuple) or not all(
                isinstance(c, str) and c.strip() for c in value):
            raise ValueError("must be a list of menu category names, e.g. [\"식사\", \"고기류\"]")
        return list(value)
    raise ValueError(f"unknown key (known: {', '.join(KITCHEN_KEYS)})")


def check_kitchens(raw: Any, text: str, path: Any) -> list[dict[str, Any]]:
    """The ``kitchen`` entry of the parsed TOML, checked: a list of keyword dicts for
    :class:`KitchenSettings`; ConfigError naming the file, line and key."""
    from kspos.config import ConfigError

    if not isinstance(raw, list) or not all(isinstance(t, dict) for t in raw):
        raise ConfigError(path, "write one [[kitchen]] table per kitchen printer",
                          kitchen_line(text, 0, None) or _single_header(text), "kitchen")
    result: list[dict[str, Any]] = []
    names: set[str] = set()
    for index, table in enumerate(raw):
        values: dict[str, Any] = {}
        for key, value in table.items():
            try:
                values[key] = check_kitchen_value(key, value)
            except ValueError as exc:  # SpecError is one
                raise ConfigError(path, str(exc), kitchen_line(text, index, key),
                                  f"kitchen[{index + 1}].{key}") from None
        name = values.get("name")
        where = f"kitchen[{index + 1}].name"
        if name is None:
            raise ConfigError(path, "every [[kitchen]] needs a name, e.g. name = \"주방\"",
                              kitchen_line(text, index, None), where)
        if name in names:
            raise ConfigError(path, f"two kitchen printers are named {name!r}: names must "
                              "differ", kitchen_line(text, index, "name"), where)
        names.add(name)
        result.append(values)
    return result


def recheck_kitchens(kept: object) -> list[dict[str, Any]]:
    """The kept (already checked) kitchen tables checked again without parsing device specs;
    ValueError when anything is off."""
    if not isinstance(kept, list):
        raise ValueError("kitchen")
    names = set()
    for values in kept:
        if not isinstance(values, dict) or "name" not in values or values["name"] in names:
            raise ValueError("kitchen")
        names.add(values["name"])
        for key, value in values.items():
            if check_kitchen_value(key, value, specs=False) != value:
                raise ValueError(f"kitchen.{key}")
    return kept


def _single_header(text: str) -> int | None:
    for number, line in enumerate(text.splitlines(), start=1):
        if re.match(r"^\s*\[\s*kitchen\s*\]", line):
            return number
    return None
