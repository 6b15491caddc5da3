"""The device bench behind the 장치 점검 screen: status and test actions for each device.

Every action blocks (device or network I/O): the screen runs it on that device's worker via
``ui.ops.run_op`` and shows the :class:`Outcome`. While a kind's spec is the one the running
store uses, the bench uses the store's own device (one owner per serial port); after the
technician saves another spec it builds its own through the :class:`DeviceLab` and uses that
until the program restarts with the new config.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kspos.diagnostics import CONFIG_KEYS, KINDS, DeviceLab
from kspos.ports import DeviceError, DeviceUnavailable, PrinterStatus, ReadResult

if TYPE_CHECKING:
    from kspos.context import AppContext
    from kspos.van.client import VanClient

TEST_PAN = "4111111111111111"
TEST_AMOUNT = 1_004
SAMPLE_PAYMENT_CODE = "281006123456789012"  # a 카카오페이 code shape, for the simulated scanner
READ_TIMEOUT_S = 20.0
SCAN_TIMEOUT_S = 15.0
PAGER_PROBE_S = 2.0  # what kspos doctor allows a 진동벨 box to accept a connection
PAGER_OFF = "사용 안 함"
ENTRY_WORDS = {"I": "IC", "S": "MS (긁기)", "K": "키인"}


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a status check or action found: ``level`` ok / warn / bad colours the dot,
    ``words`` are the short status (연결됨, 용지 없음...), ``detail`` the result lines."""

    ok: bool
    level: str
    words: str
    detail: str = ""


def future_expiry(today: dt.date | None = None) -> str:
    """YYMM of December three years ahead: the test card is never expired."""
    return f"{((today or dt.date.today()).year + 3) % 100:02d}12"


def device_error(exc: BaseException) -> Outcome:
    """A device that would not open or answer, in words a technician knows."""
    text = str(exc) or type(exc).__name__
    lowered = text.lower()
    if "pcscd" in lowered:
        words = "pcscd 없음"
    elif "pyscard" in lowered:
        words = "pyscard 없음"
    elif "no pc/sc reader" in lowered or "no reader matches" in lowered:
        words = "리더기 없음"
    elif isinstance(exc, DeviceUnavailable):
        words = "연결 안 됨"
    else:
        words = "응답 없음"
    return Outcome(False, "bad", words, text)


def printer_outcome(status: PrinterStatus, simulated: bool = False) -> Outcome:
    """PrinterStatus → words: 용지 없음, 덮개 열림, 오프라인, 용지 부족, 연결됨."""
    detail = status.detail
    if status.paper_out:
        return Outcome(False, "bad", "용지 없음", detail)
    if status.cover_open:
        return Outcome(False, "bad", "덮개 열림", detail)
    if not status.online:
        return Outcome(False, "bad", "오프라인", detail)
    suffix = " · 시뮬레이터" if simulated else ""
    if not status.known:
        return Outcome(True, "warn", "연결됨 (상태 응답 없음)" + suffix, detail)
    if status.paper_near_end:
        return Outcome(True, "warn", "용지 부족" + suffix, detail)
    return Outcome(True, "ok", "연결됨" + suffix, detail)


class DeviceBench:
    """Device status and test actions for one store (see the module docstring)."""

    def __init__(self, context: AppContext, lab: DeviceLab | None = None) -> None:
        self.context, self.lab = context, lab
        self._lock = threading.Lock()
        self._owned: dict[str, tuple[str, Any]] = {}
        self.specs = {kind: self.live_spec(kind) for kind in KINDS}

    # --- specs ----------------------------------------------------------------------------

    def live(self, kind: str) -> Any:
        devices = self.context.devices
        return {"printer": devices.printer, "card_reader": devices.card_reader,
                "scanner": devices.scanner, "van": devices.van, "pager": devices.pager}[kind]

    def live_spec(self, kind: str) -> str:
        """The spec the running store uses for ``kind``."""
        device = self.live(kind)
        if device is not None and device.spec:
            return str(device.spec)
        section, key = CONFIG_KEYS[kind]
        return str(getattr(getattr(self.context.settings, section), key))

    def uses_live(self, kind: str) -> bool:
        return self.specs[kind] == self.live_spec(kind) and self.live(kind) is not None

    def config_path(self) -> Path:
        """The config file edits go to (created if the store runs without one)."""
        if self.context.settings.path is not None:
            return Path(self.context.settings.path)
        from kspos.config import ENV_CONFIG, default_config_path

        explicit = os.environ.get(ENV_CONFIG)
        return Path(explicit) if explicit else default_config_path()

    def save_spec(self, kind: str, spec: str) -> Path:
        """Validate and save ``spec`` to the config file; ConfigError (nothing written) when
        it is refused. The bench uses the new spec from now on."""
        from kspos.config.writer import save_setting

        spec = spec.strip()
        section, key = CONFIG_KEYS[kind]
        path = self.config_path()
        save_setting(path, section, key, spec)
        with self._lock:
            self.specs[kind] = spec
        return path

    def device(self, kind: str) -> Any:
        """The device to test for ``kind`` (call on its worker: it may close an old one)."""
        with self._lock:
            spec = self.specs[kind]
            owned = self._owned.get(kind)
        if owned is not None and owned[0] != spec:
            self._release(kind)
            owned = None
        if spec == self.live_spec(kind) and self.live(kind) is not None:
            return self.live(kind)
        if owned is not None:
            return owned[1]
        if self.lab is None:
            raise DeviceUnavailable("새 설정은 프로그램을 다시 시작하면 적용됩니다 "
                                    "(restart KSPOS# to use the new spec)")
        from kspos.devices.specs import SpecError

        try:
            device = self.lab.build(kind, spec)
        except SpecError as exc:
            raise DeviceUnavailable(str(exc)) from None
        with self._lock:
            self._owned[kind] = (spec, device)
        return device

    def release(self, kind: str) -> None:
        """Close the device the bench built for ``kind``, if any (call on its worker)."""
        self._release(kind)

    def owned(self) -> list[str]:
        with self._lock:
            return list(self._owned)

    def _release(self, kind: str) -> None:
        with self._lock:
            owned = self._owned.pop(kind, None)
        if owned is not None:
            with contextlib.suppress(Exception):  # a stale test device: best effort
                owned[1].close()

    def close(self) -> None:
        """Close the devices the bench built (not the store's own)."""
        for kind in list(self._owned):
            self._release(kind)

    def simulated(self, kind: str) -> bool:
        return self.specs[kind] in ("sim", "embedded")

    # --- printer and drawer -----------------------------------------------------------------

    def printer_status(self) -> Outcome:
        try:
            printer = self.device("printer")
            printer.open()
            status = printer.status()
        except DeviceError as exc:
            return device_error(exc)
        return printer_outcome(status, self.simulated("printer"))

    def print_test(self, mode: str) -> Outcome:
        """A test page (Hangul and English) in ``text`` or ``raster`` mode."""
        from kspos.receipts.escpos import profile_for
        from kspos.receipts.fonts import ReceiptFontMissing
        from kspos.receipts.model import StoreHeader
        from kspos.receipts.render import render
        from kspos.receipts.samples import test_page

        settings = self.context.settings
        width = settings.devices.printer_width
        try:
            printer = self.device("printer")
            page = test_page(width, printer.spec, mode, dt.datetime.now(),
                             StoreHeader.from_settings(settings.store))
            data = render(page, mode, width, profile=profile_for(settings.devices.printer_qr))
            printer.open()
            status = printer.status()
            if status.known and not status.ok:
                return printer_outcome(status)
            printer.write(data)
        except ReceiptFontMissing as exc:
            return Outcome(False, "bad", "글꼴 없음", str(exc))
        except (DeviceError, ValueError) as exc:
            return device_error(exc)
        kind = {"text": "텍스트", "raster": "그래픽"}.get(mode, mode)
        result = printer_outcome(status, self.simulated("printer"))
        return Outcome(True, result.level, result.words,
                       f"테스트 인쇄 완료 ({kind}, {width}칸, {len(data):,} bytes)")

    def drawer_status(self, printer: Outcome | None = None) -> Outcome:
        """The drawer hangs off the printer: its status is the printer's (``printer``: an
        outcome just read, so the printer is not asked twice)."""
        outcome = printer or self.printer_status()
        try:
            self.device("printer")  # every printer kicks its drawer: without one, no drawer
        except DeviceError:
            return Outcome(False, "bad", "금전함 없음", "이 프린터로는 금전함을 열 수 없습니다")
        if not outcome.ok:
            return Outcome(False, outcome.level, "프린터 " + outcome.words, outcome.detail)
        return Outcome(True, outcome.level, "프린터 통해 연결", self.specs["printer"])

    def printer_and_drawer(self) -> tuple[Outcome, Outcome]:
        printer = self.printer_status()
        return printer, self.drawer_status(printer)

    def open_drawer(self) -> Outcome:
        """Kick the drawer (ESC p); audited like every drawer open."""
        try:
            if self.uses_live("printer"):
                if not self.context.open_drawer("장치 점검"):
                    return Outcome(False, "warn", "열지 않음",
                                   "연습 모드이거나 금전함이 없습니다 (training mode or no drawer)")
            else:
                from kspos.sales.audit import audit_now

                printer = self.device("printer")
                staff = self.context.register.staff
                audit_now(self.context.db, "drawer_open", staff.id if staff else None,
                          reason="장치 점검", printer=printer.spec)
                printer.open()
                printer.open_drawer()
        except (DeviceError, AttributeError) as exc:
            return device_error(exc)
        return Outcome(True, "ok", "금전함 열림", "열림 신호를 보냈습니다 (ESC p)")

    # --- card reader ------------------------------------------------------------------------

    def reader_status(self) -> Outcome:
        try:
            reader = self.device("card_reader")
            reader.open()
            status = reader.status()
        except DeviceError as exc:
            return device_error(exc)
        about = " ".join(p for p in (status.model, status.firmware, status.detail) if p)
        suffix = " · 시뮬레이터" if self.simulated("card_reader") else ""
        if status.state == "ready":
            return Outcome(True, "ok", "준비됨" + suffix, about)
        if status.state == "card":
            return Outcome(True, "ok", "카드 있음" + suffix, about)
        if status.state == "offline":
            return device_error(DeviceError(status.detail or "리더기 응답 없음"))
        return Outcome(False, "bad", "리더기 오류", about)

    def read_card(self, timeout_s: float = READ_TIMEOUT_S) -> Outcome:
        """Wait for a card; the result shows the entry mode, masked PAN, brand (and ATR)."""
        try:
            reader = self.device("card_reader")
            reader.open()
            read = reader.read_card(0, timeout_s)
        except DeviceError as exc:
            return device_error(exc)
        if read.result is ReadResult.TIMED_OUT:
            return Outcome(False, "warn", "카드 없음", "시간 안에 카드가 없었습니다 (no card)")
        if read.result is ReadResult.CANCELLED:
            return Outcome(False, "warn", "취소됨", "카드 읽기를 취소했습니다")
        if read.result is ReadResult.FALLBACK:
            return Outcome(False, "warn", "IC 인식 실패", "카드를 긁어주세요 (fallback)")
        if read.result is not ReadResult.READ:
            return Outcome(False, "bad", "읽기 실패", "카드를 읽지 못했습니다")
        lines = [f"{ENTRY_WORDS.get(read.entry_mode, read.entry_mode)} · "
                 f"{read.brand or '?'} · {read.masked_pan}"]
        if read.atr:
            lines.append(f"ATR {read.atr}")
        if read.reader and read.reader != self.specs["card_reader"]:
            lines.append(read.reader)
        return Outcome(True, "ok", "카드 읽음", "\n".join(lines))

    def cancel_read(self) -> None:
        """End a waiting read (call on a plain thread: the reader's worker is busy reading)."""
        with contextlib.suppress(DeviceError):
            self.device("card_reader").cancel_read()

    # --- scanner ----------------------------------------------------------------------------

    def scanner_status(self) -> Outcome:
        spec = self.specs["scanner"]
        try:
            scanner = self.device("scanner")
            scanner.open()
        except DeviceError as exc:
            return device_error(exc)
        if spec == "hid":
            return Outcome(True, "ok", "키보드 방식", "스캔하면 결과가 여기 보입니다")
        return Outcome(True, "ok", "연결됨" + (" · 시뮬레이터" if spec == "sim" else ""), spec)

    def queue_sample_scan(self) -> bool:
        """Give a simulated scanner a sample payment code to deliver; False for real ones."""
        scanner = self.device("scanner")
        if not scanner.simulated:
            return False
        scanner.queue_scan(SAMPLE_PAYMENT_CODE)
        return True

    def scan(self, timeout_s: float = SCAN_TIMEOUT_S) -> Outcome:
        """Read one code straight from the scanner (when no screen is already reading it)."""
        try:
            scanner = self.device("scanner")
            scanner.open()
            self.queue_sample_scan()
            code = scanner.read_scan(timeout_s)
        except DeviceError as exc:
            return device_error(exc)
        if code is None:
            return Outcome(False, "warn", "스캔 없음", "시간 안에 스캔이 없었습니다 (no scan)")
        return describe_scan(code)

    # --- pager (진동벨) ------------------------------------------------------------------------

    def pager_off(self) -> bool:
        """True when the store has no 진동벨 (``[devices] pager = "off"``)."""
        return self.specs["pager"].strip().lower() == "off"

    def pager_status(self) -> Outcome:
        """Like ``kspos doctor``: a network box is connected to and let go with nothing sent (no
        customer's pager buzzes); a serial one has its port opened; ``off`` is 사용 안 함."""
        if self.pager_off():
            return Outcome(False, "unknown", PAGER_OFF, 'pager = "off"')
        spec = self.specs["pager"]
        try:
            pager = self.device("pager")
            pager.open()
            if spec.startswith("tcp:"):
                _reach(spec)
        except DeviceError as exc:
            return device_error(exc)
        if self.simulated("pager"):
            return Outcome(True, "ok", "연결됨 · 시뮬레이터", spec)
        words = "연결됨" if spec.startswith("tcp:") else "포트 열림"
        return Outcome(True, "ok", words, spec)

    def call_pager(self, number: int) -> Outcome:
        """Send ``CALL <number>`` to the transmitter: the pager with that number buzzes."""
        if self.pager_off():
            return Outcome(False, "unknown", PAGER_OFF, 'pager = "off"')
        from kspos.devices.pager import MAX_NUMBER, call_line

        try:
            line = call_line(number)
        except ValueError:
            return Outcome(False, "warn", "번호 확인", f"1 ~ {MAX_NUMBER} (number {number})")
        try:
            pager = self.device("pager")
            pager.open()
            pager.call(number)
        except DeviceError as exc:
            return device_error(exc)
        sent = line.decode("ascii").strip()
        suffix = " · 시뮬레이터" if self.simulated("pager") else ""
        return Outcome(True, "ok", "호출 보냄" + suffix,
                       f"{number}번 호출 보냄 (sent {sent}) → {self.specs['pager']}")

    # --- VAN --------------------------------------------------------------------------------

    def van_client(self) -> VanClient:
        if self.uses_live("van") and self.context.van is not None:
            return self.context.van
        from kspos.van.client import VanClient

        return VanClient.from_settings(self.context.settings, self.context.db,
                                       self.device("van"))

    def van_network_test(self) -> Outcome:
        """NT 0800: the host answers 0810 O 0000 when the link is there."""
        from kspos.van.rules import VanError

        try:
            result = self.van_client().network_test()
        except (VanError, DeviceError) as exc:
            return device_error(exc)
        if result.approved:
            return Outcome(True, "ok", "정상", f"{result.type} {result.code} {result.message}")
        if not result.answered:
            words = "연결 안 됨" if not result.sent else "응답 없음"
            return Outcome(False, "bad", words, result.message)
        return Outcome(False, "bad", "거절", f"{result.type} {result.code} {result.message}")

    def van_test_approval(self, amount: int = TEST_AMOUNT) -> Outcome:
        """A keyed test approval (거래형태 T) of the test card, then its cancel."""
        from kspos.van.rules import VanError

        keyed = f"{TEST_PAN}={future_expiry()}"
        try:
            client = self.van_client()
            approval = client.approve_card(amount, keyed=keyed, test=True, pos_ref="장치점검")
            if not approval.approved:
                return _van_failure("승인 실패", approval)
            first = (f"승인 {amount:,}원 · {approval.brand} {approval.masked_pan} · "
                     f"승인번호 {approval.approval_no}")
            cancel = client.cancel_card(approval_no=approval.approval_no,
                                        approval_date=approval.approval_date, amount=amount,
                                        klass=approval.klass, test=True, pos_ref="장치점검")
        except (VanError, DeviceError) as exc:
            return device_error(exc)
        if not cancel.approved:
            failed = _van_failure("취소 실패", cancel)
            return Outcome(False, "bad", failed.words, first + "\n" + failed.detail)
        return Outcome(True, "ok", "승인·취소 정상",
                       f"{first}\n취소 {cancel.type} {cancel.code} {cancel.message} · "
                       f"승인번호 {cancel.approval_no}")


def _reach(spec: str) -> None:
    """Connect to a network 진동벨 box and let go, sending nothing (DeviceUnavailable when it
    does not accept the connection within :data:`PAGER_PROBE_S`)."""
    import socket

    from kspos.devices.specs import SpecError, parse_spec

    try:
        host, port = parse_spec(spec, "pager").host_port
    except SpecError as exc:
        raise DeviceUnavailable(str(exc)) from None
    try:
        with socket.create_connection((host, port), timeout=PAGER_PROBE_S):
            pass
    except OSError as exc:
        reason = "timed out" if isinstance(exc, TimeoutError) else \
            (exc.strerror or type(exc).__name__)
        raise DeviceUnavailable(f"진동벨 연결 실패 (cannot reach pager transmitter "
                                f"{host}:{port}): {reason}") from None


def _van_failure(words: str, result: Any) -> Outcome:
    detail = f"{result.type or '----'} {result.status} {result.code or '----'} {result.message}"
    if result.network_cancel is not None:
        detail += f"\n망취소 {result.network_cancel.serial}: {result.network_cancel.status}"
    return Outcome(False, "bad", words, detail)


def describe_scan(code: str) -> Outcome:
    """A scanned code as the screen shows it: kind, wallet, and the value (payment codes
    masked like card numbers)."""
    from kspos.devices.scanning import WALLET_NAMES, classify_scan
    from kspos.devices.traffic import mask_frame

    scan = classify_scan(code)
    shown = mask_frame("scan", "rx", scan.value.encode("utf-8")).decode("utf-8", "replace")
    if scan.kind == "payment" and scan.wallet:
        korean, _english = WALLET_NAMES.get(scan.wallet, (scan.wallet, scan.wallet))
        return Outcome(True, "ok", "결제 코드", f"{korean} ({scan.wallet}) · {shown}")
    if scan.kind == "product":
        return Outcome(True, "ok", "상품 바코드", shown)
    return Outcome(True, "warn", "알 수 없는 코드", shown)
