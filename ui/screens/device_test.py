"""장치 점검 (technician's device test): one card per device (printer, cash drawer, card
reader, scanner, VAN, 진동벨) with its spec, status and test actions, and the traffic monitor below.

Every device action runs on that device's worker (``ui.ops.run_op``) through
``kspos.diagnostics.device_test.DeviceBench``; the widgets never block. Spec changes are validated
with the config parser and saved atomically (``kspos.config.writer``); building a device from a
new spec and listing ports needs the drivers, which the composition root hands over as
``context.device_lab`` (without it the screen still tests the running devices and saves specs
for the next start).
"""

from __future__ import annotations

import logging
import threading
import time
from typing import TYPE_CHECKING, Any, ClassVar

from PySide6.QtCore import QEvent, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from kspos.config import ConfigError
from kspos.diagnostics.device_test import (
    READ_TIMEOUT_S,
    SCAN_TIMEOUT_S,
    DeviceBench,
    Outcome,
    describe_scan,
)
from ui.i18n import t
from ui.ops import run_op
from ui.widgets.common import button, label, restyle
from ui.widgets.device_card import DeviceCard, PagerCallDialog, SpecDialog
from ui.widgets.traffic import TrafficView

if TYPE_CHECKING:
    from kspos.context import AppContext

log = logging.getLogger(__name__)

TITLES = {"printer": "프린터", "drawer": "금전함", "card_reader": "카드 리더기",
          "scanner": "스캐너", "van": "VAN", "pager": "진동벨"}
ACTIONS = {
    "printer": {"print-text": "테스트 인쇄 (텍스트)", "print-raster": "테스트 인쇄 (그래픽)"},
    "drawer": {"open": "금전함 열기"},
    "card_reader": {"read": "카드 읽기"},
    "scanner": {"scan": "스캔 테스트"},
    "van": {"network": "망 점검 (0800)", "approve": "테스트 승인·취소"},
    "pager": {"call": "호출 테스트"},
}
WORKERS = {"printer": "printer", "drawer": "printer", "card_reader": "card_reader",
           "scanner": "scanner", "van": "van", "pager": "pager"}


class DeviceTestScreen(QWidget):
    retranslates: ClassVar[bool] = True  # its own _retranslate: a test in progress is not lost to a rebuild
    def __init__(self, context: AppContext, window: Any) -> None:
        super().__init__()
        self.setObjectName("Screen")
        self.context, self.window_ = context, window
        self.lab = context.device_lab
        self.bench = DeviceBench(context, self.lab)
        self.reading = False
        self.stale = True  # statuses are read again when the screen is shown
        self.dialog: SpecDialog | None = None
        self.call_dialog: PagerCallDialog | None = None
        self.scan_timer = QTimer(self)
        self.scan_timer.setSingleShot(True)
        self.scan_timer.timeout.connect(self._scan_timed_out)
        self._listening: Any = None
        root = QVBoxLayout(self)
        root.setContentsMargins(12, 12, 12, 12)
        root.setSpacing(8)
        root.addLayout(self._top_bar())
        row = QHBoxLayout()
        row.setSpacing(8)
        self.cards: dict[str, DeviceCard] = {}
        for kind in ("printer", "drawer", "card_reader", "scanner", "van", "pager"):
            editable = kind != "drawer"
            card = DeviceCard(kind, t(TITLES[kind]),
                              (lambda k=kind: self.change_spec(k)) if editable else None)
            self.cards[kind] = card
            row.addWidget(card, 1)
        self._add_actions()
        self._show_specs()
        root.addLayout(row)
        self.office = label("", "status", name="device-office")
        self.office.setWordWrap(True)
        root.addWidget(self.office)
        self.traffic = TrafficView()
        root.addWidget(self.traffic, 1)

    def _top_bar(self) -> QHBoxLayout:
        top = QHBoxLayout()
        top.setSpacing(8)
        back = button("◀ " + t("캐셔 화면"), "", self.back, name="device-back")
        title = label(t("장치 점검"), "title")
        top.addWidget(back)
        top.addWidget(title)
        self.config_label = label("", "caption", name="device-config")
        top.addWidget(self.config_label, 1)
        self.message = label("", "status", name="device-message")
        self.message.setWordWrap(True)
        top.addWidget(self.message, 2)
        refresh = button(t("상태 새로고침"), "", self.refresh, name="device-refresh")
        bundle = button(t("진단 파일 저장"), "", self.save_bundle, name="device-bundle")
        top.addWidget(refresh)
        top.addWidget(bundle)
        self.words: list[tuple[QLabel | QPushButton, str, str]] = [
            (back, "캐셔 화면", "◀ "), (title, "장치 점검", ""),
            (refresh, "상태 새로고침", ""), (bundle, "진단 파일 저장", "")]
        return top

    def _add_actions(self) -> None:
        handlers = {"print-text": lambda: self.print_test("text"),
                    "print-raster": lambda: self.print_test("raster"),
                    "open": self.open_drawer, "read": self.read_card, "scan": self.scan,
                    "network": self.van_network_test, "approve": self.van_test_approval,
                    "call": self.call_pager}
        for kind, actions in ACTIONS.items():
            for key, korean in actions.items():
                role = "primary" if key in ("read", "scan") else ""
                self.cards[kind].add_action(key, t(korean), handlers[key], role)

    def _retranslate(self) -> None:
        for widget, korean, prefix in self.words:
            widget.setText(prefix + t(korean))
        for kind, card in self.cards.items():
            card.retranslate(TITLES[kind], ACTIONS.get(kind, {}))
        if self.reading:
            self.cards["card_reader"].buttons["read"].setText(t("읽기 취소"))
        self.traffic.retranslate()
        self._show_specs(van_status=False)
        self.show_office()

    def _show_specs(self, van_status: bool = True) -> None:
        for kind in ("printer", "card_reader", "scanner", "van", "pager"):
            self.cards[kind].set_spec(self.bench.specs[kind])
        # no 진동벨: only the spec picker (a 호출 테스트 would have nothing to call)
        self.cards["pager"].buttons["call"].setVisible(not self.bench.pager_off())
        self.cards["drawer"].set_spec(f"{t('프린터에 연결')}: {self.bench.specs['printer']}")
        path = self.bench.config_path()  # after a save in demo mode the file exists
        store = self.context.settings.store
        self.config_label.setText((f"{t('설정 파일')}: {path}" if path.exists()
                                   else t("설정 파일 없음 (데모 모드)"))
                                  + f" · {t('매장')} {store.code} · POS {store.terminal}")
        if van_status:
            self.cards["van"].set_status("unknown", "미확인 — 망 점검을 누르세요")

    # --- running jobs ---------------------------------------------------------------------------

    def apply(self, kind: str, outcome: Outcome, result: bool = True) -> None:
        """Show an outcome on a card: the status, and (``result``) the lines below."""
        card = self.cards[kind]
        card.set_status(outcome.level, outcome.words, outcome.detail)
        if result:
            card.set_result(outcome.detail or t(outcome.words),
                            "bad" if outcome.level == "bad" else "ok")

    def _run(self, kind: str, job: Any, busy: str, result: bool = True,
             keep: str = "", done: Any = None) -> None:
        card = self.cards[kind]
        card.set_busy(True, keep)
        card.set_status("busy", busy)
        if result:
            card.set_result(busy, "busy")

        def finish(outcome: Any) -> None:
            if not isValid(card):  # the screen went away while the device worked
                return
            card.set_busy(False)
            if done is not None:
                done(outcome)
            else:
                self.apply(kind, outcome, result)

        def failed(error: BaseException) -> None:
            log.warning("device test %s: %s", kind, error)
            finish(Outcome(False, "bad", "오류", f"{type(error).__name__}: {error}"))

        run_op(self, job, device=WORKERS[kind], on_success=finish, on_error=failed)

    def show_office(self) -> None:
        """The office link: reachable or not, unsent, and the facts the office refuses with
        its reasons (they stay in the outbox; the technician fixes the cause)."""
        from kspos.diagnostics.office_link import office_link, reason_line

        sync = self.context.sync
        link = office_link(self.context.settings, self.context.db,
                           sync.status() if sync is not None else None)
        # a standalone store with nothing from an office: no line at all (room for the cards)
        self.office.setVisible(bool(link.url or link.refused or link.menus))
        state = ("" if link.reachable is None else
                 f" · {t('본사 연결 끊김')}" if link.reachable is False else f" · {t('정상')}")
        unsent = t("미전송 {n}건").replace("{n}", str(link.pending)) if link.pending else ""
        refused = (t("본사 전송 거부 {n}건").replace("{n}", str(link.refused)) if link.refused
                   else t("본사 전송 거부 없음"))
        lines = [f"{t('본사 연결')}: {link.url or t('본사 미설정 (단독 매장)')}{state}"
                 + (f" · {unsent}" if unsent else "") + f" · {refused}"]
        shown = link.reasons[:OFFICE_REASONS]  # the doctor and the bundle name more
        lines += ["  " + _short(reason_line(row)) for row in shown]
        if link.refused > len(shown):
            lines[-1] += f"  … +{link.refused - len(shown)}"
        lines += [_short(_menu_line(v)) for v in link.menus]
        self.office.setText("\n".join(lines))
        restyle(self.office, "error" if link.refused else "status")

    def refresh(self) -> None:
        """Read every device's status again (the VAN waits for its own button)."""
        self.stale = False
        bench = self.bench
        self.show_office()

        self._run("printer", bench.printer_and_drawer, "확인 중...", result=False,
                  done=self._show_printer_and_drawer)
        self.cards["drawer"].set_status("busy", "확인 중...")
        if not self.reading:
            self._run("card_reader", bench.reader_status, "확인 중...", result=False)
        if self._listening is None:
            self._run("scanner", bench.scanner_status, "확인 중...", result=False)
        self._run("pager", bench.pager_status, "확인 중...", result=False)

    def _show_printer_and_drawer(self, pair: tuple[Outcome, Outcome]) -> None:
        self.apply("printer", pair[0], result=False)
        self.apply("drawer", pair[1], result=False)

    # --- actions ------------------------------------------------------------------------------

    def print_test(self, mode: str) -> None:
        self._run("printer", lambda: self.bench.print_test(mode), t("인쇄 중..."))

    def open_drawer(self) -> None:
        self._run("drawer", self.bench.open_drawer, t("금전함 여는 중..."))

    def read_card(self) -> None:
        card = self.cards["card_reader"]
        if self.reading:
            card.buttons["read"].setEnabled(False)
            # cancel_read talks to the reader (it may wait for an ACK): not on the GUI thread,
            # and not on the reader's worker, which is busy with the read being cancelled.
            threading.Thread(target=self.bench.cancel_read, name="device-test-cancel",
                             daemon=True).start()
            return
        self.reading = True
        read = card.buttons["read"]
        read.setText(t("읽기 취소"))
        restyle(read, "danger")

        def done(outcome: Outcome) -> None:
            self.reading = False
            read.setText(t("카드 읽기"))
            restyle(read, "primary")
            self.apply("card_reader", outcome)

        self._run("card_reader", lambda: self.bench.read_card(READ_TIMEOUT_S),
                  f"{t('카드를 넣거나 긁어주세요')} ({READ_TIMEOUT_S:g}s)", keep="read", done=done)

    def _pump(self) -> Any:
        """The cashier's scan stream when it reads the scanner under test (one reader per
        port): the test listens to it instead of reading the port a second time."""
        cashier = getattr(self.window_, "screens", {}).get("cashier")
        pump = getattr(cashier, "scans", None)
        if pump is None or not self.bench.uses_live("scanner"):
            return None
        return pump

    def scan(self) -> None:
        pump = self._pump()
        if pump is None:
            self._run("scanner", lambda: self.bench.scan(SCAN_TIMEOUT_S),
                      f"{t('코드를 스캔하세요')} ({SCAN_TIMEOUT_S:g}s)")
            return
        card = self.cards["scanner"]
        card.set_busy(True)
        card.set_status("busy", "스캔 대기 중")
        card.set_result(f"{t('코드를 스캔하세요')} ({SCAN_TIMEOUT_S:g}s)", "busy")
        self._listening = pump
        pump.scanned.connect(self._scanned)
        self.scan_timer.start(int(SCAN_TIMEOUT_S * 1000))
        def queued(sent: bool) -> None:  # the code may already be back: then say nothing
            if sent and isValid(card) and self._listening is not None:
                card.set_result(t("시뮬레이터가 샘플 결제 코드를 보냅니다"), "busy")

        run_op(self, self.bench.queue_sample_scan, device="scanner", on_success=queued,
               on_error=lambda e: None)

    def _stop_listening(self) -> None:
        self.scan_timer.stop()
        if self._listening is not None:
            self._listening.scanned.disconnect(self._scanned)
            self._listening = None
        self.cards["scanner"].set_busy(False)

    def _scanned(self, code: str) -> None:
        self._stop_listening()
        self.apply("scanner", describe_scan(code))

    def _scan_timed_out(self) -> None:
        self._stop_listening()
        self.apply("scanner", Outcome(False, "warn", "스캔 없음",
                                      "시간 안에 스캔이 없었습니다 (no scan)"))

    def call_pager(self) -> None:
        """호출 테스트: the number on a keypad (1 unless typed), then ``CALL N`` on the
        pager's worker."""
        from kspos.devices.pager import MAX_NUMBER

        dialog = PagerCallDialog(self, f"{t('진동벨')} — {t('호출 테스트')}", MAX_NUMBER)
        self.call_dialog = dialog

        def chosen() -> None:
            number = dialog.number()
            self._run("pager", lambda: self.bench.call_pager(number),
                      f"{t('호출 중...')} ({number})")

        dialog.accepted.connect(chosen)
        dialog.open()

    def van_network_test(self) -> None:
        self._run("van", self.bench.van_network_test, t("망 점검 중..."))

    def van_test_approval(self) -> None:
        self._run("van", self.bench.van_test_approval, t("테스트 승인 요청 중..."))

    # --- specs ----------------------------------------------------------------------------------

    def change_spec(self, kind: str) -> None:
        title = f"{t(TITLES[kind])} — {t('연결 설정')}"
        dialog = SpecDialog(self, kind, title, self.bench.specs[kind],
                            lambda spec: self._save_spec(kind, spec))
        self.dialog = dialog
        dialog.open()
        if self.lab is None:
            dialog.show_choices(None)
            dialog.searching.setText(t("포트 목록은 프로그램을 다시 시작하면 볼 수 있습니다"))
            return

        def found(discovery: Any = None, problem: str = "") -> None:
            if isValid(dialog) and dialog.isVisible():  # not closed while ports were listed
                dialog.show_choices(discovery, problem)

        run_op(self, self.lab.discover, device="discovery", on_success=found,
               on_error=lambda e: found(None, str(e)))

    def _save_spec(self, kind: str, spec: str) -> None:
        dialog = self.dialog

        def saved(path: Any) -> None:
            if dialog is not None and isValid(dialog):
                dialog.saved()
            if isValid(self):
                self._spec_saved(kind, path)

        def refused(error: BaseException) -> None:
            reason = str(error) if isinstance(error, ConfigError) else \
                f"{t('설정 파일을 저장하지 못했습니다')}: {error}"
            if dialog is not None and isValid(dialog):
                dialog.refused(reason)

        run_op(self, lambda: self.bench.save_spec(kind, spec), device="db",
               on_success=saved, on_error=refused)

    def _spec_saved(self, kind: str, path: Any) -> None:
        self._show_specs(van_status=False)
        card = self.cards[kind]
        note = "" if self.bench.uses_live(kind) else \
            "\n" + t("캐셔 화면은 다시 시작하면 새 설정을 씁니다")
        card.set_result(f"{t('저장됨')}: {path}{note}", "ok")
        self.message.setText(f"{t('저장됨')}: {path}")
        if kind == "van":
            self.cards["van"].set_status("unknown", "미확인 — 망 점검을 누르세요")
        elif kind == "printer":
            self._run("printer", self.bench.printer_and_drawer, "확인 중...", result=False,
                      done=self._show_printer_and_drawer)
        else:
            job = {"card_reader": self.bench.reader_status, "scanner": self.bench.scanner_status,
                   "pager": self.bench.pager_status}[kind]
            self._run(kind, job, "확인 중...", result=False)

    # --- bundle -------------------------------------------------------------------------------

    def save_bundle(self) -> None:
        settings = self.context.settings
        out = settings.data_dir / "diagnostics" / \
            f"kspos-diagnostics-{time.strftime('%Y%m%d-%H%M%S')}.zip"
        screen = {kind: {"spec": card.spec.text(), "status": card.status.text(),
                         "result": card.result.text()} for kind, card in self.cards.items()}
        lab, bench = self.lab, self.bench

        def job() -> Any:
            from kspos.devices.traffic import MONITOR
            from kspos.diagnostics.bundle import write_bundle

            devices: dict[str, Any] = {"screen": screen}
            if lab is not None:  # ports and readers only: the devices are not opened again
                found = lab.discover()
                devices.update(serial_ports=found.serial_ports,
                               serial_detail=found.serial_detail, pcsc={
                    "status": found.pcsc_status, "detail": found.pcsc_detail,
                    "readers": found.pcsc_readers})
            return write_bundle(out, settings, config_path=bench.config_path(),
                                device_list=devices, traffic=MONITOR.since(0),
                                notes={"from": "장치 점검 screen"})

        def say(text: str) -> None:
            if isValid(self.message):
                self.message.setText(text)

        say(t("진단 파일 만드는 중..."))
        run_op(self, job, device="discovery",
               on_success=lambda path: say(f"{t('진단 파일 저장됨')}: {path}"),
               on_error=lambda e: say(f"{t('진단 파일을 저장하지 못했습니다')}: {e}"))

    # --- navigation -----------------------------------------------------------------------------

    def back(self) -> None:
        self.window_.show_screen("cashier")

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if self.stale:
            self.refresh()

    def hideEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        if self.reading:
            threading.Thread(target=self.bench.cancel_read, daemon=True).start()
        if self._listening is not None:
            self._stop_listening()
        for kind in self.bench.owned():  # close test devices the store does not use
            run_op(self, lambda k=kind: self.bench.release(k), device=WORKERS[kind],
                   on_success=lambda _: None, on_error=lambda e: None)
        self.stale = True
        super().hideEvent(event)

    def changeEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.LanguageChange and hasattr(self, "traffic"):
            self._retranslate()
        super().changeEvent(event)


OFFICE_REASONS = 3  # refused facts named on the screen (the cards above keep their room)
OFFICE_CHARS = 110  # one line at 1024 px


def _short(line: str) -> str:
    return line if len(line) <= OFFICE_CHARS else line[:OFFICE_CHARS - 1] + "…"


_MENU_STATES = {"applied": "적용됨", "refused": "거부", "now": "대기 (주문 사이)",
                "open": "대기 (개점 시)"}


def _menu_line(version: dict[str, Any]) -> str:
    """A menu version from the office: applied, waiting (for what), or refused (why)."""
    state = version["state"]
    word = t(_MENU_STATES[version["apply"] if state == "pending" else state])
    when = f" {version['applied_at']}" if state == "applied" else ""
    why = f": {version['reason']}" if state == "refused" else ""
    return f"{t('본사 메뉴')} v{version['version']} {word}{when}{why}"


def create(context: AppContext, window: Any) -> DeviceTestScreen:
    return DeviceTestScreen(context, window)


def prepare_for_shot(widget: QWidget, window: Any) -> None:
    """Run the sim actions a technician would, synchronously, so every card shows a result and
    the traffic monitor has rows (the VAN's test approval among them, masked)."""
    screen = widget
    assert isinstance(screen, DeviceTestScreen)
    bench = screen.bench
    screen.stale = False
    screen.show_office()
    printer, drawer = bench.printer_and_drawer()
    screen.apply("drawer", drawer, result=False)
    screen.apply("printer", bench.print_test("text"))
    screen.apply("printer", printer, result=False)
    screen.apply("card_reader", bench.reader_status(), result=False)
    screen.apply("card_reader", bench.read_card(2.0))
    screen.apply("scanner", bench.scanner_status(), result=False)
    screen.scan()
    deadline = time.monotonic() + 3.0
    while screen._listening is not None and time.monotonic() < deadline:
        QApplication.processEvents()
        time.sleep(0.02)
    screen.apply("van", bench.van_network_test(), result=False)
    screen.apply("van", bench.van_test_approval())
    screen.apply("pager", bench.pager_status(), result=False)
    if not bench.pager_off():
        screen.apply("pager", bench.call_pager(7))
    screen.traffic.poll()
    approvals = [i for i, row in enumerate(screen.traffic.rows)  # the KI 0200: field 16 masked
                 if row.device == "van" and row.direction == "tx" and row.data[5:7] == b"KI"]
    screen.traffic.select(approvals[0] if approvals else len(screen.traffic.rows) - 1)
    # scroll the dump to field 16 (bytes 154-190 of the frame: 8 a line after one header)
    screen.traffic.detail.verticalScrollBar().setValue(154 // 8 - 3)
