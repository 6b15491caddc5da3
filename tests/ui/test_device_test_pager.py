"""The 진동벨 card of 장치 점검 by taps: 호출 테스트 reaches the simulated transmitter (the
number typed on the pad, 1 when none is), an offline one shows its error, ``off`` leaves only
the spec picker, and a transmitter on loopback TCP receives ``CALL 7`` from the card."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QLineEdit, QPushButton

from drivers.doctor import DriverLab
from drivers.sim.pager import SimPager
from drivers.sim.printer import SimPrinter
from drivers.sim.reader import SimCardReader
from drivers.sim.scanner import SimScanner
from kspos.config import load_settings
from kspos.context import AppContext
from kspos.devices.traffic import MONITOR
from kspos.ports import Devices
from tests.ui.helpers import tap

CONFIG = """\
[devices]
printer = "sim"
card_reader = "sim"
scanner = "sim"
pager = "sim"  # the 진동벨 box
"""


@pytest.fixture
def rig(data_dir: Path, tmp_path: Path, qapp: Any, db: Any) -> Iterator[dict[str, Any]]:
    from ui.app import ensure_app

    ensure_app("ko")
    config = tmp_path / "config.toml"
    config.write_text(CONFIG, encoding="utf-8")
    settings = load_settings(config, data_dir)
    printer, pager = SimPrinter(), SimPager()
    devices = Devices(printer=printer, drawer=printer, card_reader=SimCardReader(),
                      scanner=SimScanner(), pager=pager)
    context = AppContext.create(settings, db, devices, start_workers=False)
    context.device_lab = DriverLab()  # type: ignore[attr-defined]
    MONITOR.clear()
    yield {"context": context, "config": config, "pager": pager}
    context.close()


@pytest.fixture
def screen(rig: dict[str, Any], qtbot: Any) -> Any:
    from ui.app import MainWindow

    window = MainWindow(rig["context"])
    qtbot.addWidget(window)
    window.resize(1024, 768)
    window.show()
    widget = window.show_screen("device-test")
    qtbot.waitUntil(lambda: "확인 중" not in widget.cards["pager"].status.text(), timeout=5_000)
    return widget


def _call(screen: Any, qtbot: Any, digits: str = "") -> None:
    """호출 테스트, the digits on the pad, 호출하기."""
    tap(screen, "pager-call")
    dialog = screen.call_dialog
    qtbot.waitUntil(dialog.isVisible, timeout=3_000)
    for digit in digits:
        tap(dialog, f"key-{digit}")
    tap(dialog, "pager-call-ok")
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=3_000)


def test_the_card_shows_the_sim_pager_connected(screen: Any) -> None:
    card = screen.cards["pager"]
    assert card.title.text() == "진동벨"
    assert card.spec.text() == "sim"
    assert card.status.text() == "연결됨 · 시뮬레이터"
    assert card.buttons["call"].isVisible()


def test_a_test_call_reaches_the_sim_pager_with_the_number_typed(
        screen: Any, rig: dict[str, Any], qtbot: Any) -> None:
    pager: SimPager = rig["pager"]
    card = screen.cards["pager"]
    _call(screen, qtbot)  # nothing typed: pager 1
    qtbot.waitUntil(lambda: pager.calls == [1], timeout=5_000)
    _call(screen, qtbot, "12")
    qtbot.waitUntil(lambda: "CALL 12" in card.result.text(), timeout=5_000)
    assert pager.lines == [b"CALL 1\r\n", b"CALL 12\r\n"]
    assert card.status.text() == "호출 보냄 · 시뮬레이터"
    assert card.buttons["call"].isEnabled()


def test_an_offline_pager_shows_the_error_in_the_card(screen: Any, rig: dict[str, Any],
                                                      qtbot: Any) -> None:
    pager: SimPager = rig["pager"]
    pager.offline = True
    card = screen.cards["pager"]
    _call(screen, qtbot, "3")
    qtbot.waitUntil(lambda: card.status.text() == "응답 없음", timeout=5_000)
    assert "pager transmitter offline" in card.result.text()
    assert card.result.property("role") == "result-bad"
    assert pager.calls == []


def _save_spec(screen: Any, qtbot: Any, spec: str = "", choice: str = "") -> None:
    tap(screen, "pager-spec")
    dialog = screen.dialog
    qtbot.waitUntil(lambda: dialog.grid.count() >= 2, timeout=5_000)
    if choice:
        choices = [b.text() for b in dialog.grid_host.findChildren(QPushButton)]
        assert {"off", "sim"} <= set(choices)
        tap(dialog, f"spec-choice-{choices.index(choice)}")
    else:
        dialog.findChild(QLineEdit, "spec-edit").setText(spec)
    tap(dialog, "spec-save")
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5_000)


def test_off_says_not_configured_and_offers_only_the_picker(
        screen: Any, rig: dict[str, Any], qtbot: Any) -> None:
    card = screen.cards["pager"]
    _save_spec(screen, qtbot, choice="off")
    qtbot.waitUntil(lambda: card.status.text() == "사용 안 함", timeout=5_000)
    assert 'pager = "off"  # the 진동벨 box' in rig["config"].read_text(encoding="utf-8")
    assert card.spec.text() == "off"
    assert not card.buttons["call"].isVisible()
    assert card.spec_button is not None and card.spec_button.isVisible()
    assert rig["pager"].calls == []


class Transmitter:
    """A 진동벨 box on 127.0.0.1: the bytes of each connection, in order."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.received: list[bytes] = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                data = b""
                while chunk := conn.recv(64):
                    data += chunk
                self.received.append(data)

    def close(self) -> None:
        # shutdown first: a plain close leaves the socket listening under the blocked accept
        with contextlib.suppress(OSError):
            self.sock.shutdown(socket.SHUT_RDWR)
        self.sock.close()


def test_a_box_on_loopback_receives_call_7_from_the_card(screen: Any, qtbot: Any) -> None:
    box = Transmitter()
    try:
        card = screen.cards["pager"]
        _save_spec(screen, qtbot, spec=f"tcp:127.0.0.1:{box.port}")
        qtbot.waitUntil(lambda: card.status.text() == "연결됨", timeout=5_000)
        qtbot.waitUntil(lambda: box.received == [b""], timeout=3_000)  # connected, sent nothing
        _call(screen, qtbot, "7")
        qtbot.waitUntil(lambda: len(box.received) == 2, timeout=5_000)
        assert box.received[1] == b"CALL 7\r\n"
        qtbot.waitUntil(lambda: card.status.text() == "호출 보냄", timeout=5_000)
        screen.traffic.poll()
        sent = [row for row in screen.traffic.rows if row.device == "pager"]
        assert [(row.direction, row.data) for row in sent] == [("tx", b"CALL 7\r\n")]
    finally:
        box.close()
    _call(screen, qtbot, "8")  # the box is gone: the card says so
    qtbot.waitUntil(lambda: card.status.text() == "응답 없음", timeout=5_000)
    assert "cannot reach pager transmitter" in card.result.text()
