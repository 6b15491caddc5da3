"""The serial IC card reader / sign pad driver (specs/card-reader-serial.md).

One background thread owns the port's read side: it parses frames, ACKs or NAKs each one,
hands ACK/NAK bytes to the sender waiting for them, files replies by their letter and passes
unsolicited ``e`` events to ``on_event``. Commands may come from several threads (a cancel
while ``read_card`` blocks); each send-and-wait-for-ACK is serialised.

A port that fails (unplugged USB adapter, closed pty) wakes every waiter with DeviceError: a
read never hangs on a dead reader. The reader thread never dies silently: a frame it cannot
handle is logged and skipped, and when the thread does end (the port failed, or a bug), the
next command reopens the port and starts a new one, so one bad moment does not cost the
session its reader. Replies nobody waits for are kept within a bound (oldest dropped, counted).
"""

from __future__ import annotations

import contextlib
import logging
import math
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Any

from kspos.devices import cardframe as cf
from kspos.devices import traffic
from kspos.devices.cards import brand_of, card_bin, mask_pan, split_track2
from kspos.ports import (
    NOT_SIMULATED,
    CardRead,
    DeviceError,
    DeviceUnavailable,
    ReaderStatus,
    ReadResult,
    Signature,
)

log = logging.getLogger(__name__)

DEFAULT_BAUDRATE = 38_400
ACK_TIMEOUT_S = 0.5
MAX_RESENDS = 3
REPLY_TIMEOUT_S = 3.0
"""How long a reply to S/C/D/B may take once the reader ACKed the command."""
READ_MARGIN_S = 5.0
"""Beyond the read's own timeout: the reader reports its timeout itself; this is for a dead one."""
MAX_QUEUED = 16
"""Replies of one letter kept until asked for; beyond it the oldest go (``dropped_replies``)."""

NO_ANSWER = "리더기 응답 없음 (card reader not answering)"
DISCONNECTED = "리더기 연결 끊김 (card reader disconnected)"

_STATES = {"R": "ready", "I": "card", "E": "error"}
_EVENTS = {"I": "inserted", "O": "removed"}


class SerialCardReader:
    """A card reader on ``url`` (any pyserial URL: /dev/ttyUSB0, COM3, socket://, loop://).

    ``on_event`` is called from the reader thread with ``"inserted"`` or ``"removed"``.
    """

    simulated = False

    def __init__(self, url: str, baudrate: int | None = None, spec: str = "",
                 on_event: Callable[[str], None] | None = None) -> None:
        self.url = url
        self.baudrate = baudrate or DEFAULT_BAUDRATE
        self.spec = spec or f"serial:{url}"
        self.on_event = on_event
        self.resends = 0  # total resends since open (diagnostics)
        self.dropped_replies = 0  # replies nobody asked for, dropped beyond MAX_QUEUED
        self.reopens = 0  # times the port was reopened after its reader thread ended
        self._port: Any = None
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self._cond = threading.Condition()
        self._acks: deque[str] = deque(maxlen=MAX_QUEUED)  # stray ACK bytes in noise too
        self._replies: dict[str, deque[bytes]] = {}
        self._failure: str | None = None
        self._send_lock = threading.Lock()
        self._write_lock = threading.Lock()

    # --- lifecycle -------------------------------------------------------------------------

    def open(self) -> None:
        """Open the port and start the reader thread; DeviceUnavailable when it cannot."""
        if self._port is not None:
            return
        self._port = self._open_port()
        self._start_thread()

    def _open_port(self) -> Any:
        import serial  # lazy: importing the driver touches no hardware

        try:
            return serial.serial_for_url(self.url, baudrate=self.baudrate, timeout=0.05)
        except (serial.SerialException, OSError, ValueError) as exc:
            raise DeviceUnavailable(f"리더기 포트를 열 수 없음: {self.url} ({exc})") from None

    def _start_thread(self) -> None:
        self._failure = None
        self._stop.clear()
        self._thread = threading.Thread(target=self._read_loop, args=(self._port,),
                                        name="cardreader-serial", daemon=True)
        self._thread.start()

    def _revive(self) -> None:
        """Reopen the port when its reader thread has ended (called before each command).

        Raises DeviceError (the reason) when the port cannot be opened again: the command
        fails as before, and the next one tries again (an adapter plugged back in works).
        """
        thread = self._thread
        if self._port is None or self._stop.is_set() or (thread is not None and
                                                         thread.is_alive()):
            return
        log.warning("card reader %s: reader thread ended (%s); reopening the port", self.url,
                    self._failure or "no reason")
        with contextlib.suppress(Exception):  # the port already failed: it is being replaced
            self._port.close()
        try:
            self._port = self._open_port()
        except DeviceUnavailable as exc:
            self._fail(DISCONNECTED)
            raise DeviceError(f"{DISCONNECTED}: {exc}") from None
        self.reopens += 1
        with self._cond:
            self._acks.clear()
            self._replies.clear()
        self._start_thread()

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=1.0)
            self._thread = None
        port, self._port = self._port, None
        if port is not None:
            with contextlib.suppress(Exception):  # an unplugged port may fail to close: it is gone
                port.close()
        self._fail("리더기 닫힘 (reader closed)")

    def __enter__(self) -> SerialCardReader:
        self.open()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- the read side -------------------------------------------------------------------------

    def _read_loop(self, port: Any) -> None:
        parser = cf.FrameParser()
        junk = 0
        try:
            while not self._stop.is_set():
                try:
                    chunk = port.read(port.in_waiting or 1)
                except Exception as exc:
                    if not self._stop.is_set():
                        log.warning("card reader %s: port failed: %s", self.url, exc)
                        self._fail(DISCONNECTED)
                    return
                for event in parser.feed(chunk) if chunk else parser.expire():
                    self._dispatch_safely(event)
                if parser.junk != junk:
                    junk = parser.junk
                    log.debug("card reader %s: a frame of line noise skipped", self.url)
                    traffic.record("card_reader", traffic.NOTE,
                                   note="noise frame skipped (command byte not ASCII)")
        except Exception:  # a bug: never a silent death; the next command reopens the port
            log.exception("card reader %s: reader thread failed", self.url)
            self._fail(NO_ANSWER)

    def _dispatch_safely(self, event: cf.ParseEvent) -> None:
        try:
            self._dispatch(event)
        except Exception:  # one frame we cannot handle must not cost the session its reader
            log.exception("card reader %s: cannot handle a %s frame; skipped", self.url,
                          event.kind)

    def _dispatch(self, event: cf.ParseEvent) -> None:
        self._report_rx(event)
        if event.kind in ("ack", "nak"):
            with self._cond:
                self._acks.append(event.kind)
                self._cond.notify_all()
            return
        if event.kind == "bad":
            log.debug("card reader %s: bad frame (%s), NAK", self.url, event.reason)
            self._write_raw(cf.NAK_BYTE)
            return
        frame = event.frame
        assert frame is not None
        self._write_raw(cf.ACK_BYTE)
        log.debug("card reader %s: got %r", self.url, frame)
        if frame.cmd == "e":
            self._deliver_event(frame.data)
            return
        with self._cond:
            queue = self._replies.setdefault(frame.cmd, deque(maxlen=MAX_QUEUED))
            if len(queue) == MAX_QUEUED:
                self.dropped_replies += 1
            queue.append(frame.data)
            self._cond.notify_all()

    def queued_replies(self) -> int:
        """How many replies wait to be asked for (diagnostics; at most MAX_QUEUED a letter)."""
        with self._cond:
            return sum(len(queue) for queue in self._replies.values())

    @staticmethod
    def _report_rx(event: cf.ParseEvent) -> None:
        """Traffic monitor hook (장치 점검): each received frame, masked by the monitor."""
        if not traffic.MONITOR.enabled:
            return
        if event.kind == "ack":
            traffic.record("card_reader", traffic.RX, cf.ACK_BYTE)
        elif event.kind == "nak":
            traffic.record("card_reader", traffic.RX, cf.NAK_BYTE)
        elif event.kind == "bad":
            traffic.record("card_reader", traffic.NOTE, note=f"bad frame: {event.reason}")
        elif event.frame is not None:
            with contextlib.suppress(ValueError):  # a monitor never costs us the frame
                traffic.record("card_reader", traffic.RX,
                               cf.encode_frame(event.frame.cmd, event.frame.data),
                               protocol="cardframe")

    def _deliver_event(self, data: bytes) -> None:
        what = _EVENTS.get(data[:1].decode("ascii", errors="replace"))
        callback = self.on_event
        if what and callback is not None:
            try:
                callback(what)
            except Exception:  # a faulty listener must not kill the reader thread
                log.exception("card reader event listener failed")

    def _fail(self, reason: str) -> None:
        with self._cond:
            self._failure = reason
            self._cond.notify_all()

    # --- the write side ------------------------------------------------------------------------

    def _write_raw(self, data: bytes) -> None:
        port = self._port
        if port is None:
            return
        try:
            with self._write_lock:
                port.write(data)
                port.flush()
            traffic.record("card_reader", traffic.TX, data, protocol="cardframe")  # monitor hook
        except Exception as exc:
            log.warning("card reader %s: write failed: %s", self.url, exc)
            self._fail(DISCONNECTED)

    def _check(self) -> None:
        if self._port is None:
            raise DeviceError("리더기가 열려 있지 않음 (reader not open)")
        if self._failure is not None:
            raise DeviceError(self._failure)

    def _send(self, cmd: str, data: bytes = b"") -> None:
        """Send one frame until ACKed: resend on NAK or no ACK in 500 ms, at most 3 times."""
        frame = cf.encode_frame(cmd, data)
        with self._send_lock:
            self._revive()
            for attempt in range(1 + MAX_RESENDS):
                self._check()
                if attempt:
                    self.resends += 1
                with self._cond:
                    self._acks.clear()
                self._write_raw(frame)
                answer = self._wait_ack()
                if answer == "ack":
                    return
                log.debug("card reader %s: %s for %s, resending", self.url, answer, cmd)
            self._check()
            raise DeviceError(NO_ANSWER)

    def _wait_ack(self) -> str:
        deadline = time.monotonic() + ACK_TIMEOUT_S
        with self._cond:
            while not self._acks and self._failure is None:
                left = deadline - time.monotonic()
                if left <= 0:
                    return "timeout"
                self._cond.wait(left)
            if self._failure is not None:
                raise DeviceError(self._failure)
            return self._acks.popleft()

    def _clear_replies(self, *cmds: str) -> None:
        with self._cond:
            for cmd in cmds:
                self._replies.pop(cmd, None)

    def _wait_reply(self, cmd: str, timeout_s: float) -> bytes:
        """The next ``cmd`` reply; DeviceError on ``?`` (unknown command), failure or timeout."""
        deadline = time.monotonic() + timeout_s
        with self._cond:
            while True:
                if self._failure is not None:
                    raise DeviceError(self._failure)
                queue = self._replies.get(cmd)
                if queue:
                    return queue.popleft()
                unknown = self._replies.get("?")
                if unknown:
                    refused = unknown.popleft()[:1].decode("ascii", errors="replace")
                    raise DeviceError(f"리더기가 지원하지 않는 명령: {refused}")
                left = deadline - time.monotonic()
                if left <= 0:
                    raise DeviceError(NO_ANSWER)
                self._cond.wait(left)

    def _request(self, cmd: str, data: bytes = b"", timeout_s: float = REPLY_TIMEOUT_S) -> bytes:
        reply = cmd.lower()
        self._clear_replies(reply, "?")
        self._send(cmd, data)
        return self._wait_reply(reply, timeout_s)

    # --- the CardReader port ---------------------------------------------------------------

    def status(self) -> ReaderStatus:
        """Ask the reader (``S``); ``offline`` with the reason when it does not answer."""
        try:
            reply = cf.parse_status_reply(self._request("S"))
        except (DeviceError, cf.FieldError) as exc:
            return ReaderStatus("offline", detail=str(exc))
        return ReaderStatus(_STATES.get(reply.state, "error"), reply.model, reply.firmware)

    def read_card(self, amount: int, timeout_s: float) -> CardRead:
        """Ask for a card (``R``) and wait for the ``r`` reply; see the port's docstring."""
        seconds = max(1, min(cf.MAX_READ_TIMEOUT_S, math.ceil(timeout_s)))
        self._clear_replies("r")
        self._send("R", cf.read_request(amount, seconds))
        try:
            data = self._wait_reply("r", seconds + READ_MARGIN_S)
        except DeviceError:
            self._try_cancel()
            raise
        try:
            reply = cf.parse_read_reply(data)
        except cf.FieldError as exc:
            raise DeviceError(f"리더기 응답 형식 오류 (bad reply from reader): {exc}") from None
        return self._card_read(reply)

    def _try_cancel(self) -> None:
        with contextlib.suppress(DeviceError):
            self._send("C")

    def _card_read(self, reply: cf.ReadReply) -> CardRead:
        try:
            result = ReadResult(reply.result)
        except ValueError:
            result = ReadResult.ERROR
        if result is not ReadResult.READ:
            return CardRead(result, reader=self.spec)
        try:
            pan, expiry = split_track2(reply.track2)
        except ValueError:
            raise DeviceError("리더기가 보낸 카드 정보가 올바르지 않음 (bad track-2)") from None
        bin_ = card_bin(pan)
        return CardRead(ReadResult.READ, entry_mode=reply.entry_mode, masked_pan=mask_pan(pan),
                        bin=bin_, brand=reply.brand or brand_of(bin_),
                        track2=reply.track2, expiry=expiry, reader=self.spec)

    def cancel_read(self) -> None:
        """Cancel a pending read (``C``): the blocked ``read_card`` returns CANCELLED."""
        self._request("C")

    def display(self, line1: str, line2: str = "") -> None:
        self._request("D", cf.display_request(line1, line2))

    def get_signature(self, amount: int, timeout_s: float) -> Signature | None:
        """Ask the pad for a signature (``G``); None when timed out or cancelled."""
        seconds = max(1, min(cf.MAX_READ_TIMEOUT_S, math.ceil(timeout_s)))
        data = self._request("G", cf.read_request(amount, seconds), seconds + READ_MARGIN_S)
        try:
            result, bitmap = cf.parse_signature_reply(data)
        except cf.FieldError as exc:
            raise DeviceError(f"리더기 응답 형식 오류 (bad reply from reader): {exc}") from None
        return Signature(bitmap) if result == "0" else None

    def beep(self, count: int = 1) -> None:
        self._request("B", cf.beep_request(count))

    def insert_card(self, track2_or_pan: str = "") -> None:
        raise DeviceError(NOT_SIMULATED)
