"""Diagnostics for technicians: the checks model (``kspos doctor``), the device bench behind the
장치 점검 screen, and the diagnostics bundle.

The device probes themselves need the drivers, so they live in ``drivers/doctor.py``; it also
implements :class:`DeviceLab`, the one object through which the screen (which may not import
drivers) builds a device from a spec typed by the technician and lists the serial ports and
PC/SC readers. The composition root hands it to the screen as ``context.device_lab``.

Modules: ``checks`` (database, VAN and the runner with per-check time limits), ``bench``
(the screen's device actions, blocking: run them on the device's worker), ``bundle`` (the zip).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

KINDS = ("printer", "card_reader", "scanner", "van", "pager")
"""Device kinds with a spec; the cash drawer hangs off the printer."""

CONFIG_KEYS: dict[str, tuple[str, str]] = {
    "printer": ("devices", "printer"),
    "card_reader": ("devices", "card_reader"),
    "scanner": ("devices", "scanner"),
    "van": ("van", "spec"),
    "pager": ("devices", "pager"),
}
"""Where each kind's spec lives in the config file."""


@dataclass(frozen=True, slots=True)
class Check:
    """One line of ``kspos doctor``: what was checked, whether it passed, and why (a reason a
    technician can act on)."""

    name: str
    ok: bool
    detail: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "ok": self.ok, "detail": self.detail}


@dataclass(frozen=True, slots=True)
class Report:
    """Every check of one run; ``ok`` only when all passed."""

    checks: tuple[Check, ...]
    config: str = ""  # the config file checked, or "" in demo mode

    @property
    def ok(self) -> bool:
        return all(check.ok for check in self.checks)

    @property
    def failed(self) -> list[Check]:
        return [check for check in self.checks if not check.ok]

    def to_json(self) -> dict[str, Any]:
        return {"ok": self.ok, "config": self.config or None,
                "checks": [check.to_json() for check in self.checks]}

    def lines(self) -> list[str]:
        """The human form: ``ok``/``FAIL``, the check's name, the reason; then a summary."""
        width = max((len(check.name) for check in self.checks), default=8)
        out = [f"{'ok' if c.ok else 'FAIL':<5} {c.name:<{width}}  {c.detail}".rstrip()
               for c in self.checks]
        failed = len(self.failed)
        out.append(f"{len(self.checks) - failed} of {len(self.checks)} checks passed"
                   + (f"; {failed} failed" if failed else ""))
        return out


@dataclass(frozen=True, slots=True)
class Discovery:
    """What this machine offers a technician picking a spec."""

    serial_ports: list[tuple[str, str]] = field(default_factory=list)  # (device, description)
    serial_detail: str = ""  # why no port could be listed ("" when the list is what there is)
    pcsc_status: str = "ok"  # ok, unavailable, error
    pcsc_detail: str = ""
    pcsc_readers: list[str] = field(default_factory=list)


@runtime_checkable
class DeviceLab(Protocol):
    """Driver services the screen may not import itself (``drivers.doctor.DriverLab``)."""

    def build(self, kind: str, spec: str) -> Any:
        """An unopened device (or VAN link) for ``spec``; SpecError or DeviceError."""
        ...

    def discover(self) -> Discovery:
        """Serial ports and PC/SC readers (blocking: run it on a worker)."""
        ...

    def device_list(self, settings: Any) -> dict[str, Any]:
        """``kspos device list --json``'s object for the bundle (blocking)."""
        ...
