"""장치 점검 by taps, against simulated devices, a real pty card reader (the reader emulator)
and the VAN simulator on loopback: read a card, print a test page, test the VAN, change specs
(a bad one refused with the file untouched, a good one saved)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QLineEdit, QPushButton

from drivers.cardreader.serial import SerialCardReader
from drivers.doctor import DriverLab
from drivers.sim.pager import SimPager
from drivers.sim.printer import SimPrinter
from drivers.sim.reader_emulator import EmulatorOptions, ReaderEmulator
from drivers.sim.scanner import SimScanner
from kspos.config import load_settings
from kspos.context import AppContext
from kspos.devices.traffic import MONITOR
from kspos.ports import Devices
from kspos.van.link import TcpVanLink
from kspos.van.simulator import SimulatorThread
from tests.ui.helpers import tap

PAN = "5365101234560006"
CONFIG = """\
# counter 1 (written by the installer)
[store]
name = "테스트 카페"   # on receipts
code = "T0042"
terminal = "03"

[devices]
printer = "sim"  # the receipt printer
card_reader = "serial:{reader}"
scanner = "sim"
pager = "sim"

[van]
spec = "tcp:127.0.0.1:{van}"
tid = "DPT0TEST03"
connect_timeout_s = 2
response_timeout_s = 5
"""


@pytest.fixture(scope="module")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated store made once and copied per test (migrating costs ~0.5 s)."""
    from kspos.store import Database

    path = tmp_path_factory.mktemp("store") / "kspos.sqlite3"
    Database(path).open().close()
    return path


@pytest.fixture
def rig(data_dir: Path, tmp_path: Path, qapp: Any, migrated: Path) -> Iterator[dict[str, Any]]:
    """A store whose config names a pty reader (the emulator) and the VAN simulator."""
    from kspos.store import Database
    from ui.app import ensure_app

    ensure_app("ko")
    emulator = ReaderEmulator.on_pty(EmulatorOptions(track2=f"{PAN}=3012101",
                                                     card_delay_s=0.2)).start()
    sim = SimulatorThread().start()
    config = tmp_path / "config.toml"
    config.write_text(CONFIG.format(reader=emulator.path, van=sim.port), encoding="utf-8")
    settings = load_settings(config, data_dir)
    shutil.copyfile(migrated, settings.db_path)
    db = Database(settings.db_path).open()
    printer = SimPrinter()
    reader = SerialCardReader(emulator.path, spec=settings.devices.card_reader)
    devices = Devices(printer=printer, drawer=printer, card_reader=reader, scanner=SimScanner(),
                      van=TcpVanLink("127.0.0.1", sim.port, spec=settings.van.spec),
                      pager=SimPager())
    context = AppContext.create(settings, db, devices, start_workers=False)
    context.device_lab = DriverLab()  # type: ignore[attr-defined]
    MONITOR.clear()
    yield {"context": context, "emulator": emulator, "sim": sim, "config": config,
           "printer": printer}
    context.close()
    sim.stop()
    emulator.stop()


@pytest.fixture
def screen(rig: dict[str, Any], qtbot: Any) -> Any:
    from ui.app import MainWindow

    window = MainWindow(rig["context"])
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    widget = window.show_screen("device-test")
    qtbot.waitUntil(lambda: "확인 중" not in widget.cards["card_reader"].status.text(),
                    timeout=10_000)
    return widget


def _everything_shown(screen: Any) -> str:
    texts = [card.result.text() + card.status.text() for card in screen.cards.values()]
    texts += [row.line() for row in MONITOR.since(0)]
    texts.append(screen.traffic.detail.toPlainText())
    return "\n".join(texts)


def test_statuses_come_up_for_every_device(screen: Any, rig: dict[str, Any]) -> None:
    assert screen.cards["card_reader"].status.text() == "준비됨"
    assert "KSPOS-EMU" in screen.cards["card_reader"].status.toolTip()
    assert screen.cards["printer"].status.text() == "연결됨 · 시뮬레이터"
    assert screen.cards["drawer"].status.text() == "프린터 통해 연결"
    assert rig["emulator"].received[:1] == ["S"]
    assert "매장 T0042 · POS 03" in screen.config_label.text()  # who this counter is


def test_a_card_read_through_the_pty_reader_shows_masked_data(screen: Any, rig: dict[str, Any],
                                                              qtbot: Any) -> None:
    tap(screen, "card_reader-read")
    result = screen.cards["card_reader"].result
    qtbot.waitUntil(lambda: "536510******0006" in result.text(), timeout=10_000)
    assert result.text() == "IC · MASTER · 536510******0006"
    assert screen.cards["card_reader"].status.text() == "카드 읽음"
    assert "R" in rig["emulator"].received
    qtbot.waitUntil(lambda: any(r.device == "card_reader" and r.data[3:4] == b"r"
                                for r in screen.traffic.rows), timeout=3_000)
    reply = next(i for i, r in enumerate(screen.traffic.rows) if r.data[3:4] == b"r")
    screen.traffic.select(reply)
    assert "536510******0006" in screen.traffic.rows[reply].text  # masked, as in the dump
    assert "72 30 49 35 33" in screen.traffic.detail.toPlainText()  # r 0 I 5 3...
    assert PAN not in _everything_shown(screen) and "3012101" not in _everything_shown(screen)


def test_a_read_can_be_cancelled(screen: Any, rig: dict[str, Any], qtbot: Any) -> None:
    rig["emulator"].options.card_delay_s = -1  # no card ever comes
    tap(screen, "card_reader-read")
    qtbot.waitUntil(lambda: "C" not in rig["emulator"].received and
                    "R" in rig["emulator"].received, timeout=5_000)
    tap(screen, "card_reader-read")  # now 읽기 취소
    qtbot.waitUntil(lambda: screen.cards["card_reader"].status.text() == "취소됨",
                    timeout=10_000)
    assert "C" in rig["emulator"].received
    assert screen.cards["card_reader"].buttons["read"].text() == "카드 읽기"


def test_a_test_page_prints_to_the_sim_and_the_drawer_opens(screen: Any, rig: dict[str, Any],
                                                            qtbot: Any) -> None:
    printer: SimPrinter = rig["printer"]
    tap(screen, "printer-print-text")
    qtbot.waitUntil(lambda: "테스트 인쇄 완료" in screen.cards["printer"].result.text(),
                    timeout=10_000)
    rows = "\n".join(printer.printout().rows)
    assert "프린터 테스트" in rows and "PRINTER TEST" in rows
    tap(screen, "drawer-open")
    qtbot.waitUntil(lambda: printer.drawer_kicks == 1, timeout=5_000)
    qtbot.waitUntil(lambda: screen.cards["drawer"].status.text() == "금전함 열림",
                    timeout=5_000)


def test_van_network_test_and_test_approval_against_the_simulator(
        screen: Any, rig: dict[str, Any], qtbot: Any) -> None:
    host = rig["sim"].sim
    tap(screen, "van-network")
    qtbot.waitUntil(lambda: screen.cards["van"].status.text() == "정상", timeout=10_000)
    assert "0810 0000" in screen.cards["van"].result.text()
    assert host.requests_seen == 1
    tap(screen, "van-approve")
    qtbot.waitUntil(lambda: screen.cards["van"].status.text() == "승인·취소 정상",
                    timeout=10_000)
    result = screen.cards["van"].result.text()
    assert "1,004원" in result and "411111******1111" in result and "취소 0430" in result
    assert host.state.live_approvals() == []  # the test approval was cancelled
    qtbot.waitUntil(lambda: sum(r.device == "van" for r in screen.traffic.rows) >= 6,
                    timeout=3_000)
    request = next(i for i, r in enumerate(screen.traffic.rows)
                   if r.direction == "tx" and r.data[5:7] == b"KI")
    screen.traffic.select(request)
    assert "411111******1111=****" in screen.traffic.rows[request].text
    assert "0452<STX>KI0" in screen.traffic.detail.toPlainText()
    assert "4111111111111111" not in _everything_shown(screen)


def test_a_sample_scan_shows_its_kind_and_wallet(screen: Any, qtbot: Any) -> None:
    tap(screen, "scanner-scan")
    qtbot.waitUntil(lambda: screen.cards["scanner"].status.text() == "결제 코드",
                    timeout=10_000)
    assert "카카오페이 (KAKA)" in screen.cards["scanner"].result.text()


def _spec_dialog(screen: Any, kind: str, qtbot: Any) -> Any:
    tap(screen, f"{kind}-spec")
    dialog = screen.dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.grid.count() >= 1, timeout=5_000)
    return dialog


def test_ports_that_cannot_be_listed_say_why_not_that_there_are_none(
        screen: Any, qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from serial.tools import list_ports

    def unreadable() -> list[Any]:
        raise PermissionError(13, "Permission denied", "/sys/class/tty")

    monkeypatch.setattr(list_ports, "comports", unreadable)
    dialog = _spec_dialog(screen, "printer", qtbot)
    qtbot.waitUntil(lambda: "포트 찾는 중" not in dialog.searching.text(), timeout=5_000)
    note = dialog.searching.text()
    assert "시리얼 포트 목록을 읽을 수 없음" in note and "Permission denied" in note
    assert "시리얼 포트 없음" not in note
    dialog.reject()


def test_a_bad_spec_is_refused_and_the_file_is_not_touched(screen: Any, rig: dict[str, Any],
                                                           qtbot: Any) -> None:
    config: Path = rig["config"]
    before, stamp = config.read_bytes(), config.stat().st_mtime_ns
    dialog = _spec_dialog(screen, "printer", qtbot)
    edit = dialog.findChild(QLineEdit, "spec-edit")
    edit.setText("tcp:no-port-here")
    tap(dialog, "spec-save")
    qtbot.waitUntil(lambda: dialog.error.isVisible(), timeout=5_000)
    assert "devices.printer" in dialog.error.text() and "tcp:HOST:PORT" in dialog.error.text()
    assert dialog.isVisible()
    assert config.read_bytes() == before and config.stat().st_mtime_ns == stamp
    assert screen.cards["printer"].spec.text() == "sim"
    dialog.reject()


def test_a_good_spec_is_saved_keeping_the_rest_of_the_file(screen: Any, rig: dict[str, Any],
                                                           qtbot: Any) -> None:
    config: Path = rig["config"]
    before = config.read_text(encoding="utf-8")
    dialog = _spec_dialog(screen, "scanner", qtbot)
    choices = [b.text() for b in dialog.grid_host.findChildren(QPushButton)]
    assert {"sim", "hid"} <= set(choices)  # plus this machine's serial ports, if any
    tap(dialog, f"spec-choice-{choices.index('hid')}")
    assert dialog.findChild(QLineEdit, "spec-edit").text() == "hid"
    tap(dialog, "spec-save")
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5_000)
    after = config.read_text(encoding="utf-8")
    assert after == before.replace('scanner = "sim"', 'scanner = "hid"')
    assert load_settings(config, config.parent).devices.scanner == "hid"
    assert screen.cards["scanner"].spec.text() == "hid"
    assert "저장됨" in screen.cards["scanner"].result.text()
    qtbot.waitUntil(lambda: screen.cards["scanner"].status.text() == "키보드 방식",
                    timeout=5_000)


def test_the_screen_fits_1024_by_768_with_big_targets(screen: Any, qtbot: Any) -> None:
    window = screen.window()
    window.resize(1024, 768)
    QApplication.processEvents()
    for card in screen.cards.values():
        for b in card.buttons.values():
            assert b.height() >= 48 and b.width() >= b.sizeHint().width() - 8, b.objectName()
            assert b.isVisible() and not b.visibleRegion().isEmpty(), b.objectName()
        assert card.geometry().bottom() < screen.traffic.geometry().top()
    assert screen.traffic.table.height() >= 150


def test_back_goes_to_the_cashier(screen: Any) -> None:
    tap(screen, "device-back")
    assert screen.window_.stack.currentWidget() is screen.window_.screens["cashier"]


def test_english_comes_and_goes_with_the_language_switch(screen: Any, qtbot: Any) -> None:
    from ui.i18n import install_language

    app = QApplication.instance()
    install_language(app, "en")
    try:
        qtbot.waitUntil(lambda: screen.cards["card_reader"].buttons["read"].text() == "Read card",
                        timeout=3_000)
        assert screen.cards["printer"].title.text() == "Printer"
        assert screen.cards["card_reader"].status.text() == "Ready"
        assert screen.traffic.title.text() == "Traffic monitor"
    finally:
        install_language(app, "ko")
    qtbot.waitUntil(lambda: screen.cards["printer"].title.text() == "프린터", timeout=3_000)


def test_the_diagnostics_bundle_is_saved_from_the_screen(screen: Any, rig: dict[str, Any],
                                                         qtbot: Any) -> None:
    import json
    import zipfile

    tap(screen, "van-network")
    qtbot.waitUntil(lambda: screen.cards["van"].status.text() == "정상", timeout=10_000)
    tap(screen, "device-bundle")
    qtbot.waitUntil(lambda: "진단 파일 저장됨" in screen.message.text(), timeout=10_000)
    path = Path(screen.message.text().split(": ", 1)[1])
    assert path.parent == rig["context"].settings.data_dir / "diagnostics"
    with zipfile.ZipFile(path) as archive:
        devices = json.loads(archive.read("devices.json"))
        assert devices["screen"]["van"]["status"] == "정상"
        assert "serial_ports" in devices and "pcsc" in devices
        assert "<STX>NT010800" in archive.read("traffic.txt").decode()  # the 0800 sent
        assert 'card_reader = "serial:' in archive.read("config.toml").decode()
