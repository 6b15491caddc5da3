"""The diagnostics bundle: one zip a technician sends to support.

It holds the config with anything secret-looking removed, the recent logs masked once more (a
card number that slipped past the log filter is masked here too), the versions of Python, Qt,
pyscard and pcscd, the device list, the doctor's checks and the traffic monitor's rows. Qt's
version is read from the package metadata: the doctor never imports Qt.
"""

from __future__ import annotations

import contextlib
import importlib.metadata
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kspos.logs import LOG_FILE, mask_digits_in_text

if TYPE_CHECKING:
    from kspos.config import Settings
    from kspos.devices.traffic import TrafficRow
    from kspos.diagnostics import Report

SECRET_NAME = re.compile(r"pin|passw|secret|key|token|credential", re.IGNORECASE)
REMOVED = '"<removed>"'
LOG_BYTES = 2_000_000
"""At most this much of the newest log files goes in."""
PACKAGES = ("kspos", "PySide6", "PySide6-Essentials", "shiboken6", "pyserial", "pyscard", "python-escpos",
            "SQLAlchemy", "sqlmodel", "alembic", "pillow", "qrcode", "platformdirs")
PCSC_SOCKET = Path("/run/pcscd/pcscd.comm")
_ASSIGNMENT = re.compile(r"^(\s*[\"']?)([A-Za-z0-9_.\-]+)([\"']?\s*=\s*)(.*)$")


def redact_config(text: str) -> str:
    """The config text with every value whose key looks secret (pin, password, key, token...)
    replaced, and card-number-like digit runs masked; comments and layout kept."""
    out = []
    for line in text.splitlines(keepends=True):
        match = _ASSIGNMENT.match(line.rstrip("\r\n"))
        if match and SECRET_NAME.search(match.group(2)):
            newline = line[len(line.rstrip("\r\n")):]
            line = f"{match.group(1)}{match.group(2)}{match.group(3)}{REMOVED}{newline}"
        out.append(line)
    return mask_digits_in_text("".join(out))


def _package_version(name: str) -> str | None:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return None


def pcscd_info() -> dict[str, Any]:
    """Whether pcscd is installed (and its version) and whether its socket is there."""
    path = shutil.which("pcscd") or next(
        (str(p) for p in (Path("/usr/sbin/pcscd"), Path("/usr/local/sbin/pcscd")) if p.exists()),
        None)
    version = None
    if path:
        try:
            done = subprocess.run([path, "--version"], capture_output=True, text=True,
                                  timeout=3, check=False)
            first = (done.stdout or done.stderr).strip().splitlines()
            version = first[0] if first else None
        except (OSError, subprocess.SubprocessError) as exc:
            version = f"cannot run: {exc}"
    socket_path = Path(os.environ.get("PCSCLITE_CSOCK_NAME") or PCSC_SOCKET)
    return {"installed": path, "version": version, "socket": str(socket_path),
            "socket_present": socket_path.exists()}


def versions() -> dict[str, Any]:
    """Python, the platform, our packages (Qt from metadata, not imported) and pcscd."""
    return {
        "python": sys.version.split()[0],
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "machine": platform.machine(),
        "packages": {name: _package_version(name) for name in PACKAGES},
        "qt": _package_version("PySide6") or _package_version("PySide6-Essentials"),
        "pcscd": pcscd_info(),
    }


def log_files(log_dir: Path) -> list[Path]:
    """The log file and its rotations, newest first."""
    if not log_dir.is_dir():
        return []
    rotated = sorted(log_dir.glob(f"{LOG_FILE}.*"), key=lambda p: _rotation(p.name))
    files = [log_dir / LOG_FILE, *rotated]
    return [f for f in files if f.is_file()]


def _rotation(name: str) -> int:
    suffix = name.rsplit(".", 1)[-1]
    return int(suffix) if suffix.isdigit() else 999


def _read_masked(path: Path, limit: int) -> str:
    with path.open("rb") as handle:
        size = path.stat().st_size
        if size > limit:
            handle.seek(size - limit)
        raw = handle.read(limit)
    return mask_digits_in_text(raw.decode("utf-8", errors="replace"))


def _config_member(settings: Settings | None, config_path: Path | None) -> str:
    path = config_path or (settings.path if settings is not None else None)
    if path is None:
        return "# no config file: demo mode (simulated devices, embedded VAN)\n"
    try:
        return f"# {path}\n" + redact_config(Path(path).read_text(encoding="utf-8",
                                                                   errors="replace"))
    except OSError as exc:
        return f"# {path}: cannot read: {exc.strerror or exc}\n"


def write_bundle(out: Path | str, settings: Settings | None, *, config_path: Path | None = None,
                 report: Report | None = None, device_list: dict[str, Any] | None = None,
                 traffic: Sequence[TrafficRow] = (), notes: dict[str, Any] | None = None,
                 log_dir: Path | None = None) -> Path:
    """Write the zip to ``out`` (atomically: a temp file, then renamed); returns the path."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    members: dict[str, str] = {
        "config.toml": _config_member(settings, config_path),
        "versions.json": json.dumps(versions(), ensure_ascii=False, indent=2),
    }
    about: dict[str, Any] = {"created": time.strftime("%Y-%m-%d %H:%M:%S %z"),
                             "host": platform.node()}
    if settings is not None:
        about.update(data_dir=str(settings.data_dir), database=str(settings.db_path),
                     demo=settings.demo, simulated=settings.simulated())
    about.update(notes or {})
    members["about.json"] = json.dumps(about, ensure_ascii=False, indent=2)
    if report is not None:
        members["doctor.json"] = json.dumps(report.to_json(), ensure_ascii=False, indent=2)
        members["doctor.txt"] = "\n".join(report.lines()) + "\n"
    if device_list is not None:
        members["devices.json"] = mask_digits_in_text(
            json.dumps(device_list, ensure_ascii=False, indent=2))
    if traffic:
        members["traffic.txt"] = "\n".join(row.line() for row in traffic) + "\n"
    folder = log_dir or (settings.log_dir if settings is not None else None)
    budget = LOG_BYTES
    for path in log_files(folder) if folder is not None else []:
        if budget <= 0:
            break
        text = _read_masked(path, budget)
        budget -= len(text.encode("utf-8"))
        members[f"logs/{path.name}"] = text
    fd, temp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    os.close(fd)
    try:
        with zipfile.ZipFile(temp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for name, text in members.items():
                archive.writestr(name, text)
        os.replace(temp, out)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    return out
