"""The 진동벨 (pager transmitter) line protocol (docs/pickup.md): one ASCII line per call.

``CALL <N>\\r\\n`` with N in decimal without leading zeros, e.g. ``CALL 42\\r\\n``. Nothing is
awaited back: the transmitters this is for (a serial-to-radio bridge, a small TCP box) act on
the line and say nothing, a serial line could not tell us anyway, and a tap must not wait
on a reply. Whatever a transmitter does send is read and ignored by the drivers.
"""

from __future__ import annotations

import re

MAX_NUMBER = 9999  # pagers are numbered 1-999 in practice; order numbers stop at 999
_LINE = re.compile(rb"CALL ([1-9][0-9]{0,3})\r\n")


def call_line(number: int) -> bytes:
    """The bytes that make pager ``number`` buzz; ValueError outside 1-9999."""
    if isinstance(number, bool) or not isinstance(number, int) or not 0 < number <= MAX_NUMBER:
        raise ValueError(f"a pager number is 1 to {MAX_NUMBER}, got {number!r}")
    return f"CALL {number}\r\n".encode("ascii")


def parse_call_line(line: bytes) -> int:
    """The number in one received line (the simulated transmitter, tests); ValueError when
    the line is not exactly ``CALL <N>\\r\\n``."""
    match = _LINE.fullmatch(line)
    if match is None:
        raise ValueError(f"not a pager call line: {line!r}")
    return int(match[1])
