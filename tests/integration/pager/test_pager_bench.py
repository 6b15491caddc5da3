"""The 장치 점검 bench's 진동벨 status over real loopback TCP, like ``kspos doctor``: a box
that listens is 연결됨 with nothing sent to it (no pager buzzes); a port nobody listens on is
연결 안 됨 with the reason, within the short timeout."""

from __future__ import annotations

import contextlib
import socket
import time
from pathlib import Path
from typing import Any

from drivers.doctor import DriverLab
from kspos.config import load_settings
from kspos.context import AppContext
from kspos.diagnostics.device_test import DeviceBench
from kspos.ports import DeviceError, Devices


def _bench(db: Any, data_dir: Path, tmp_path: Path, spec: str) -> tuple[AppContext, DeviceBench]:
    config = tmp_path / "config.toml"
    config.write_text(f'[devices]\npager = "{spec}"\n', encoding="utf-8")
    context = AppContext.create(load_settings(config, data_dir), db, Devices(),
                                start_workers=False)
    return context, DeviceBench(context, DriverLab())


def test_a_listening_box_is_connected_and_gets_no_bytes(db: Any, data_dir: Path,
                                                        tmp_path: Path) -> None:
    with socket.create_server(("127.0.0.1", 0)) as box:
        port = box.getsockname()[1]
        context, bench = _bench(db, data_dir, tmp_path, f"tcp:127.0.0.1:{port}")
        try:
            status = bench.pager_status()
            conn, _ = box.accept()
            with conn:
                conn.settimeout(2.0)
                assert conn.recv(64) == b""  # connected and let go: nothing sent
        finally:
            context.close()
    assert (status.ok, status.words) == (True, "연결됨")


def test_a_port_nobody_listens_on_is_not_connected(db: Any, data_dir: Path,
                                                   tmp_path: Path) -> None:
    with socket.create_server(("127.0.0.1", 0)) as gone:
        port = gone.getsockname()[1]  # free once closed: nothing listens there
    context, bench = _bench(db, data_dir, tmp_path, f"tcp:127.0.0.1:{port}")
    try:
        started = time.monotonic()
        status = bench.pager_status()
    finally:
        context.close()
    assert (status.ok, status.level, status.words) == (False, "bad", "연결 안 됨")
    assert f"127.0.0.1:{port}" in status.detail
    assert time.monotonic() - started < 3.0


def test_both_transports_report_the_line_to_the_traffic_monitor() -> None:
    """The 장치 점검 traffic monitor shows what went out: a serial line (loop://) and a box
    that is off (an event row, nothing sent)."""
    from drivers.registry import build_pager
    from kspos.devices.traffic import MONITOR

    start = MONITOR.last_seq()
    serial_pager = build_pager("serial:loop://")
    assert serial_pager is not None
    try:
        serial_pager.call(42)
    finally:
        serial_pager.close()
    with socket.create_server(("127.0.0.1", 0)) as gone:
        port = gone.getsockname()[1]
    tcp_pager = build_pager(f"tcp:127.0.0.1:{port}")
    assert tcp_pager is not None
    with contextlib.suppress(DeviceError):
        tcp_pager.call(9)
    rows = [(r.direction, r.data) for r in MONITOR.since(start) if r.device == "pager"]
    assert rows == [("tx", b"CALL 42\r\n"), ("note", b"")]
    note = [r.note for r in MONITOR.since(start) if r.device == "pager"][-1]
    assert f"127.0.0.1:{port}" in note
