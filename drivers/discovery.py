"""`kspos device list [--json]`: the configured devices with their status, the serial ports
and the PC/SC readers this machine has.

A missing library (pyscard) or daemon (pcscd), a port that will not open or a device that does
not answer is that device's status, never a crash.
"""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING, Any

from kspos.devices.specs import SpecError, parse_spec
from kspos.ports import DeviceError

if TYPE_CHECKING:
    from kspos.command_host import CommandHost

CANNOT_LIST = "시리얼 포트 목록을 읽을 수 없음 (cannot list serial ports)"


def _status_of(kind: str, spec_text: str) -> tuple[str, str]:
    """(status, detail) of one configured device, opened briefly and closed again."""
    role = {"printer": "printer", "card_reader": "card_reader", "scanner": "scanner"}[kind]
    try:
        spec = parse_spec(spec_text, role)
    except SpecError as exc:
        return "bad spec", str(exc)
    try:
        if kind == "card_reader":
            return _reader_status(spec)
        if kind == "scanner":
            return _scanner_status(spec)
        return _printer_status(spec_text)
    except DeviceError as exc:
        return "unavailable", str(exc)
    except Exception as exc:
        return "error", f"{type(exc).__name__}: {exc}"


def _reader_status(spec: Any) -> tuple[str, str]:
    from drivers.cardreader import build_reader

    reader = build_reader(spec)
    reader.open()
    try:
        status = reader.status()
    finally:
        reader.close()
    detail = " ".join(part for part in (status.model, status.firmware, status.detail) if part)
    return status.state, detail


def _scanner_status(spec: Any) -> tuple[str, str]:
    if spec.kind == "hid":
        return "ok", "keyboard wedge: no status to read; scan into the POS to test"
    from drivers.scanner import build_scanner

    scanner = build_scanner(spec)
    scanner.open()  # serial scanners answer nothing: an open port is all we can check
    scanner.close()
    return "ok", "simulated" if spec.kind == "sim" else "port opens"


def _printer_status(spec_text: str) -> tuple[str, str]:
    from drivers.registry import build_printer

    printer = build_printer(spec_text)
    printer.open()
    try:
        status = printer.status()
    finally:
        printer.close()
    if not status.known:
        return "ok", status.detail or "status cannot be read on this connection"
    problems = [name for name, bad in (("offline", not status.online),
                                       ("paper out", status.paper_out),
                                       ("cover open", status.cover_open)) if bad]
    return ("ok" if status.ok else ", ".join(problems)), status.detail


def serial_ports() -> list[dict[str, str]]:
    """Serial ports the OS reports (USB adapters, COM ports); [] when there are none.

    DeviceError when they cannot be listed (pyserial missing, the OS's device list unreadable):
    the technician is told why the list is empty instead of being told there is no port.
    """
    try:
        from serial.tools import list_ports
    except ImportError:
        raise DeviceError(f"{CANNOT_LIST} — pyserial is not installed") from None
    try:
        ports = list_ports.comports()
    except Exception as exc:  # noqa: BLE001 - each OS back end raises its own kind
        raise DeviceError(f"{CANNOT_LIST} — {type(exc).__name__}: {exc}") from None
    return [{"device": p.device, "description": p.description or "", "hwid": p.hwid or ""}
            for p in sorted(ports, key=lambda p: p.device)]


def serial_listing() -> tuple[list[dict[str, str]], str]:
    """(:func:`serial_ports`, "") or ([], why they cannot be listed)."""
    try:
        return serial_ports(), ""
    except DeviceError as exc:
        return [], str(exc)


def pcsc_readers() -> dict[str, Any]:
    """PC/SC readers, or why there are none to list (pyscard or pcscd missing)."""
    try:
        from drivers.cardreader.pcsc import available_readers

        readers = available_readers()
    except DeviceError as exc:
        return {"status": "unavailable", "detail": str(exc), "readers": []}
    except Exception as exc:
        return {"status": "error", "detail": f"{type(exc).__name__}: {exc}", "readers": []}
    return {"status": "ok", "detail": "" if readers else "no reader connected",
            "readers": readers}


def collect(settings: Any) -> dict[str, Any]:
    devices = []
    for kind in ("printer", "card_reader", "scanner"):
        spec_text = getattr(settings.devices, kind)
        status, detail = _status_of(kind, spec_text)
        devices.append({"kind": kind, "spec": spec_text, "status": status, "detail": detail})
    devices.append({"kind": "van", "spec": settings.van.spec, "status": "not checked",
                    "detail": "use `kspos van test`"})
    ports, why = serial_listing()
    return {"devices": devices, "serial_ports": ports, "serial_detail": why,
            "pcsc": pcsc_readers()}


def cmd_list(args: argparse.Namespace, cli: CommandHost) -> int:
    settings = cli.load_settings_for(args)
    found = collect(settings)
    if args.json:
        print(json.dumps(found, ensure_ascii=False))
        return 0
    print("Configured devices:")
    for device in found["devices"]:
        detail = f" — {device['detail']}" if device["detail"] else ""
        print(f"  {device['kind']:<12} {device['spec']:<28} {device['status']}{detail}")
    print("Serial ports:" + (f" {found['serial_detail']}" if found["serial_detail"] else ""))
    for port in found["serial_ports"] or [{"device": "(none)", "description": ""}]:
        print(f"  {port['device']:<20} {port['description']}")
    pcsc = found["pcsc"]
    print(f"PC/SC readers: {pcsc['status']}" + (f" — {pcsc['detail']}" if pcsc["detail"] else ""))
    for name in pcsc["readers"]:
        print(f"  {name}")
    return 0
