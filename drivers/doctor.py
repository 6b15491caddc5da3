"""`kspos doctor [--json] [--bundle FILE]`: every configured device and the VAN link, headless.

One line per check with ok/FAIL and the reason; exit 1 when any check failed, 0 when all
passed. The checks: the config, the database (integrity and migration head, read only), the
printer (DLE EOT status), the card reader (status; for PC/SC the daemon and the reader), the
scanner (its port opens), the VAN link (a network test, 0800, with the configured TID and
timeouts) and pending network cancels. A missing library or daemon is a failed check with its
reason, never a crash; a probe that hangs is cut off and reported.

:class:`DriverLab` is what the 장치 점검 screen uses to build devices from specs a technician
types and to list serial ports and PC/SC readers (kspos.diagnostics.DeviceLab).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from typing import TYPE_CHECKING, Any

from kspos.devices.specs import SpecError, parse_spec
from kspos.diagnostics import Check, Discovery, Report
from kspos.diagnostics.checks import Probe, run_probes
from kspos.ports import DeviceError

if TYPE_CHECKING:
    from kspos.command_host import CommandHost
    from kspos.config import Settings

DEVICE_TIME_LIMIT_S = 20.0


class DriverLab:
    """kspos.diagnostics.DeviceLab over the real drivers."""

    def build(self, kind: str, spec: str) -> Any:
        from drivers import registry

        factory = {"printer": registry.build_printer, "card_reader": registry.build_reader,
                   "scanner": registry.build_scanner, "van": registry.build_van,
                   "pager": registry.build_pager}[kind]
        return factory(spec)

    def discover(self) -> Discovery:
        from drivers.discovery import pcsc_readers, serial_listing

        pcsc = pcsc_readers()
        ports, why = serial_listing()
        return Discovery(serial_ports=[(p["device"], p["description"]) for p in ports],
                         serial_detail=why,
                         pcsc_status=pcsc["status"], pcsc_detail=pcsc["detail"],
                         pcsc_readers=list(pcsc["readers"]))

    def device_list(self, settings: Any) -> dict[str, Any]:
        from drivers.discovery import collect

        found: dict[str, Any] = collect(settings)
        return found


# --- probes -------------------------------------------------------------------------------------


def _closing(device: Any) -> contextlib.AbstractContextManager[Any]:
    @contextlib.contextmanager
    def manager() -> Any:
        try:
            yield device
        finally:
            with contextlib.suppress(Exception):  # the check's outcome is already decided
                device.close()

    return manager()


def check_printer(spec: str) -> Check:
    """Open the printer and read its status (DLE EOT where the connection allows)."""
    from drivers.registry import build_printer

    try:
        printer = build_printer(spec)
        with _closing(printer):
            printer.open()
            status = printer.status()
    except (DeviceError, SpecError) as exc:
        return Check("printer", False, f"{spec}: {exc}")
    if not status.known:
        return Check("printer", True, f"{spec}: connected; {status.detail or 'no status'}")
    if not status.ok:
        return Check("printer", False, f"{spec}: {status.detail or 'offline'}")
    note = f" ({status.detail})" if status.detail else ""
    return Check("printer", True, f"{spec}: ready{note}")


def kitchen_probes(settings: Settings) -> list[Probe]:
    """One printer check per ``[[kitchen]]`` printer, named ``kitchen:NAME``."""
    def probe(name: str, spec: str) -> Probe:
        check_name = f"kitchen:{name}"

        def run() -> Check:
            found = check_printer(spec)
            return Check(check_name, found.ok, found.detail)

        return Probe(check_name, run, DEVICE_TIME_LIMIT_S)

    return [probe(kitchen.name, kitchen.printer) for kitchen in settings.kitchens]


def check_reader(spec: str) -> Check:
    """Open the card reader and ask its status; for PC/SC, pcscd and the reader must be there."""
    from drivers.registry import build_reader

    try:
        reader = build_reader(spec)
        with _closing(reader):
            reader.open()
            status = reader.status()
    except (DeviceError, SpecError) as exc:
        return Check("card_reader", False, f"{spec}: {exc}")
    about = " ".join(p for p in (status.model, status.firmware, status.detail) if p)
    if status.state in ("ready", "card"):
        card = ", card inserted" if status.state == "card" else ""
        return Check("card_reader", True, f"{spec}: ready{card} ({about})")
    return Check("card_reader", False, f"{spec}: {status.state}: {about or 'no answer'}")


def check_scanner(spec: str) -> Check:
    """Serial scanners answer nothing: the port opening is what can be checked."""
    from drivers.registry import build_scanner

    try:
        kind = parse_spec(spec, "scanner").kind
        scanner = build_scanner(spec)
        with _closing(scanner):
            scanner.open()
    except (DeviceError, SpecError) as exc:
        return Check("scanner", False, f"{spec}: {exc}")
    words = {"hid": "keyboard wedge: nothing to open (scan into the POS to test)",
             "sim": "simulated"}.get(kind, "port opens")
    return Check("scanner", True, f"{spec}: {words}")


def check_pager(spec: str) -> Check:
    """The 진동벨 transmitter: a TCP box is connected to and let go (no line is sent, so no
    customer's pager buzzes); a serial one has its port opened."""
    import socket

    try:
        found = parse_spec(spec, "pager")
        if found.kind == "tcp":
            host, port = found.host_port
            with socket.create_connection((host, port), timeout=2.0):
                pass
            return Check("pager", True, f"{spec}: connects (nothing sent)")
        from drivers.registry import build_pager

        pager = build_pager(spec)
        with _closing(pager):
            if pager is not None:
                pager.open()
    except (DeviceError, SpecError, OSError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        return Check("pager", False, f"{spec}: {reason}")
    return Check("pager", True, f"{spec}: {'simulated' if found.kind == 'sim' else 'port opens'}")


def check_van(settings: Settings, store_ok: bool) -> Check:
    from drivers.registry import build_van
    from kspos.diagnostics.checks import check_van as network_test
    from kspos.diagnostics.checks import van_database

    try:
        link = build_van(settings.van.spec)
    except (SpecError, ValueError) as exc:
        return Check("van", False, f"{settings.van.spec}: {exc}")
    try:
        with van_database(settings, store_ok) as database:
            return network_test(settings, link, database)
    finally:
        link.close()


def run_checks(settings: Settings | None, config_problem: str = "",
               data_dir: Any = None) -> Report:
    """Every check; ``settings`` None (with ``config_problem``) when the config is unusable:
    the database is still checked (in ``data_dir``), the devices are not."""
    from kspos.config import demo_settings
    from kspos.diagnostics.checks import check_database, describe_settings, pending_reversals

    if settings is None:
        base = demo_settings(data_dir)
        checks = [Check("config", False, config_problem), check_database(base)]
        skipped = "not checked: the config file has an error"
        checks += [Check(name, False, skipped)
                   for name in ("printer", "card_reader", "scanner", "van")]
        return Report(tuple(checks))
    checks = [describe_settings(settings)]
    database = check_database(settings)
    checks.append(database)
    store_ok = database.ok and settings.db_path.exists()
    devices = settings.devices
    probes = [
        Probe("printer", lambda: check_printer(devices.printer), DEVICE_TIME_LIMIT_S),
        Probe("card_reader", lambda: check_reader(devices.card_reader), DEVICE_TIME_LIMIT_S),
        Probe("scanner", lambda: check_scanner(devices.scanner), DEVICE_TIME_LIMIT_S),
        Probe("van", lambda: check_van(settings, store_ok), _van_limit(settings)),
        *kitchen_probes(settings),
    ]
    if devices.pager != "off":  # the 진동벨, when the store has one
        probes.append(Probe("pager", lambda: check_pager(devices.pager), DEVICE_TIME_LIMIT_S))
    checks += run_probes(probes)
    if store_ok:
        from kspos.diagnostics.office_link import check_office

        checks.append(pending_reversals(settings))
        if settings.office.url:  # a terminal of a chain: the office's refusals
            checks.append(check_office(settings))
    return Report(tuple(checks), config=str(settings.path or ""))


def _van_limit(settings: Settings) -> float:
    from kspos.diagnostics.checks import van_time_limit

    return van_time_limit(settings)


# --- the command --------------------------------------------------------------------------------


def _settings(args: argparse.Namespace, cli: CommandHost) -> tuple[Settings | None, str]:
    """(settings, "") or (None, why): a bad config is a failed check, not a usage error, so
    the doctor still checks the database and still writes the bundle."""
    try:
        return cli.load_settings_for(args), ""
    except cli.UsageError as exc:
        return None, str(exc)


def cmd_doctor(args: argparse.Namespace, cli: CommandHost) -> int:
    """`kspos doctor [--json] [--bundle FILE]`."""
    settings, problem = _settings(args, cli)
    data_dir = getattr(args, "data_dir", None)
    _log_to_file(settings, data_dir)
    report = run_checks(settings, problem, data_dir)
    if args.json:
        print(json.dumps(report.to_json(), ensure_ascii=False))
    else:
        print("\n".join(report.lines()))
    if args.bundle:
        _write_bundle(args, settings, report, cli)
    return 0 if report.ok else 1


def _log_to_file(settings: Settings | None, data_dir: Any) -> None:
    """Drivers' and the VAN client's warnings go to the log file, not over the report."""
    import logging

    from kspos.config import demo_settings
    from kspos.logs import setup_logging

    try:
        setup_logging((settings or demo_settings(data_dir)).log_dir)
    except OSError:  # a read-only data dir: the database check will say more
        logging.getLogger().addHandler(logging.NullHandler())


def _write_bundle(args: argparse.Namespace, settings: Settings | None, report: Report,
                  cli: CommandHost) -> None:
    from pathlib import Path

    from kspos.config import demo_settings
    from kspos.diagnostics.bundle import write_bundle

    base = settings or demo_settings(getattr(args, "data_dir", None))
    named = getattr(args, "config", None) or os.environ.get("KSPOS_CONFIG")
    config_path = None if settings is not None or not named else Path(named)  # the bad file
    device_list: dict[str, Any] | None = None
    if settings is not None:
        try:
            device_list = DriverLab().device_list(settings)
        except Exception as exc:  # noqa: BLE001 - the bundle still goes out without it
            device_list = {"error": f"{type(exc).__name__}: {exc}"}
    try:
        out = write_bundle(args.bundle, base, config_path=config_path, report=report,
                           device_list=device_list)
    except OSError as exc:
        raise cli.CommandFailed(f"cannot write {args.bundle}: {exc.strerror or exc}") from None
    print(f"diagnostics bundle: {out}", file=sys.stderr if args.json else sys.stdout)
