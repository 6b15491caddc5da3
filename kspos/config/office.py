"""``[office]`` (a terminal: where it pushes its facts) and ``[office_server]`` (the office).

Kept apart from :mod:`kspos.config` so the two sections and their rules read in one place;
the loader knows them through ``_SECTIONS`` like every other section.
"""

from __future__ import annotations

import re

from kspos.records import DataclassFields, FrozenRecord

_set = object.__setattr__


class OfficeSettings(FrozenRecord):
    """``[office]``: the office's address and this terminal's token (``kspos office terminal
    add`` prints it once). An empty ``url`` means the terminal pushes nowhere."""

    __slots__ = _fields = ("url", "token")
    _hidden = frozenset({"token"})  # a credential: never in a repr or a log line
    __dataclass_fields__ = DataclassFields()
    url: str
    token: str

    def __init__(self, url: str = "", token: str = "") -> None:
        _set(self, "url", url)
        _set(self, "token", token)


class OfficeServerSettings(FrozenRecord):
    """``[office_server]``: the office's database (empty: ``office.sqlite3`` in the data dir)."""

    __slots__ = _fields = ("database",)
    __dataclass_fields__ = DataclassFields()
    database: str

    def __init__(self, database: str = "") -> None:
        _set(self, "database", database)


_URL = re.compile(r"https?://[^/\s?#]+(/[^\s]*)?")
_DATABASE = re.compile(r"(postgresql(\+psycopg)?://\S+|sqlite:///\S+)")


def check_office_key(section: str, key: str, value: str) -> None:
    """ValueError with the reason when ``[section] key`` cannot be used."""
    if (section, key) == ("office", "url") and value and not _URL.fullmatch(value):
        raise ValueError("must be the office's address, e.g. \"https://office.example.com\"")
    if (section, key) == ("office", "token") and value and not re.fullmatch(r"[\x21-\x7e]+",
                                                                          value):
        raise ValueError("must be the token `kspos office terminal add` printed (no spaces)")
    if (section, key) == ("office_server", "database") and value and not _DATABASE.fullmatch(
            value):
        raise ValueError("must be postgresql://USER@HOST:PORT/DB or sqlite:///PATH")
