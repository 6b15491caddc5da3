"""Device spec strings (ARCHITECTURE.md, "Device specs"): parsed and checked, Qt- and driver-free.

The config loader and the CLI validate specs here; ``drivers.registry`` builds devices from the
parsed form.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl


class SpecError(ValueError):
    """A device spec that does not follow the grammar; the message says what is expected."""


@dataclass(frozen=True, slots=True)
class DeviceSpec:
    """A parsed spec: ``kind`` is the scheme (tcp, serial, usb, file, sim, pcsc, hid, embedded)."""

    kind: str
    target: str = ""  # host:port, serial port/URL, vid:pid, path, reader-name substring
    options: dict[str, str] = field(default_factory=dict)
    text: str = ""

    @property
    def host_port(self) -> tuple[str, int]:
        host, _, port = self.target.rpartition(":")
        return host, int(port)

    @property
    def baudrate(self) -> int | None:
        value = self.options.get("baudrate")
        return int(value) if value else None


_HOST_PORT = re.compile(r"^(?P<host>[A-Za-z0-9.\-]+|\[[0-9a-fA-F:]+\]):(?P<port>\d{1,5})$")
_USB = re.compile(r"^(0x)?[0-9a-fA-F]{1,4}:(0x)?[0-9a-fA-F]{1,4}$")

PRINTER_KINDS = ("tcp", "serial", "usb", "file", "sim")
READER_KINDS = ("serial", "pcsc", "sim")
SCANNER_KINDS = ("serial", "hid", "sim")
VAN_KINDS = ("tcp", "embedded")
PAGER_KINDS = ("off", "tcp", "serial", "sim")

_EXAMPLES = {
    "printer": "tcp:HOST:PORT, serial:PORT?baudrate=N, usb:VID:PID, file:PATH or sim",
    "card_reader": "serial:PORT?baudrate=N, pcsc, pcsc:NAME or sim",
    "scanner": "serial:PORT?baudrate=N, hid or sim",
    "van": "tcp:HOST:PORT or embedded",
    "pager": "off, sim, tcp:HOST:PORT or serial:PORT?baudrate=N",
}


def _split_serial(rest: str) -> tuple[str, dict[str, str]]:
    # A pyserial URL may itself carry '?' options (socket://h:p?logging=debug); only a trailing
    # baudrate=N query is ours.
    port, sep, query = rest.rpartition("?")
    if sep and query and all(k == "baudrate" for k, _ in parse_qsl(query)):
        options = dict(parse_qsl(query))
        if not options.get("baudrate", "").isdigit():
            raise SpecError("baudrate must be a number, e.g. serial:/dev/ttyUSB0?baudrate=38400")
        return port, options
    return rest, {}


def _check_host_port(target: str, role: str) -> None:
    match = _HOST_PORT.match(target)
    if not match or not 0 < int(match["port"]) < 65536:
        raise SpecError(f"{role}: expected tcp:HOST:PORT, got tcp:{target}")


def parse_spec(text: str, role: str) -> DeviceSpec:
    """Parse a spec for ``role`` (printer, card_reader, scanner, van, pager); SpecError when
    bad. ``off`` (the pager's only) means no device."""
    allowed = {"printer": PRINTER_KINDS, "card_reader": READER_KINDS,
               "scanner": SCANNER_KINDS, "van": VAN_KINDS, "pager": PAGER_KINDS}[role]
    if not isinstance(text, str) or not text.strip():
        raise SpecError(f"{role}: empty spec; expected {_EXAMPLES[role]}")
    text = text.strip()
    kind, _, rest = text.partition(":")
    kind = kind.lower()
    if kind not in allowed:
        raise SpecError(f"{role}: unknown spec {text!r}; expected {_EXAMPLES[role]}")
    if kind in ("sim", "hid", "embedded", "off"):
        if rest:
            raise SpecError(f"{role}: {kind!r} takes no argument, got {text!r}")
        return DeviceSpec(kind=kind, text=text)
    if kind == "pcsc":
        return DeviceSpec(kind=kind, target=rest, text=text)
    if not rest:
        raise SpecError(f"{role}: {kind}: needs a target; expected {_EXAMPLES[role]}")
    if kind == "tcp":
        _check_host_port(rest, role)
        return DeviceSpec(kind=kind, target=rest, text=text)
    if kind == "usb":
        if not _USB.match(rest):
            raise SpecError(f"{role}: expected usb:VID:PID in hex, e.g. usb:04b8:0202, got {text!r}")
        return DeviceSpec(kind=kind, target=rest, text=text)
    if kind == "serial":
        port, options = _split_serial(rest)
        if not port:
            raise SpecError(f"{role}: serial: needs a port, e.g. serial:/dev/ttyUSB0")
        return DeviceSpec(kind=kind, target=port, options=options, text=text)
    return DeviceSpec(kind=kind, target=rest, text=text)  # file:PATH
