"""A card reader emulator speaking specs/card-reader-serial.md on a pty or any serial URL.

    python -m drivers.sim.reader_emulator --pty              # prints the slave path to use
    python -m drivers.sim.reader_emulator --port /dev/pts/7  # or socket://..., loop://, COM3

It plays the reader's side exactly (ACK/NAK, resends, the 1 s partial-frame rule) and can
misbehave on purpose: line noise, NAKing the POS's frames, corrupt or cut frames, silence.
Tests run it in-process on a pty pair (:meth:`ReaderEmulator.on_pty`); technicians run it as a
program to try the POS without hardware.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import random
import select
import sys
import threading
import time
import tty
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from drivers.sim.reader import sample_signature, test_track2
from kspos.devices import cardframe as cf
from kspos.devices.cards import brand_of, mask_pan, split_track2

log = logging.getLogger(__name__)

ACK_WAIT_S = 0.5
MAX_RESENDS = 3
_NOISE_BYTES = bytes(b for b in range(256) if b not in (cf.STX, cf.ACK, cf.NAK))


@dataclass
class EmulatorOptions:
    """How the emulated reader behaves. Counters (``nak``, ``corrupt``, ``partial``) count down."""

    track2: str = field(default_factory=test_track2, repr=False)
    entry_mode: str = "I"
    brand: str = ""
    result: str = "0"  # what an R ends with: "0" read ... "4" read error
    card_delay_s: float = 0.0  # the card is "inserted" this long after R; < 0: never
    sign_delay_s: float = 0.0
    events: bool = True  # send e+I when the card goes in
    noise: bool = False  # garbage bytes before every frame sent, at times a whole junk frame
    nak: int = 0  # NAK this many of the POS's frames
    corrupt: int = 0  # send this many frames with a wrong LRC
    partial: int = 0  # send this many frames cut in half (the POS drops them after 1 s)
    silent: bool = False  # never answer anything (a dead reader)
    model: str = "KSPOS-EMU"
    firmware: str = "1.0"
    seed: int = 1


class _FdPort:
    """A pty master (or any fd) as a byte port."""

    def __init__(self, fd: int, keep: int | None = None) -> None:
        self.fd, self.keep = fd, keep

    def read(self, timeout_s: float) -> bytes:
        ready, _, _ = select.select([self.fd], [], [], timeout_s)
        if not ready:
            return b""
        try:
            return os.read(self.fd, 4096)
        except OSError:  # EIO: no process has the slave open (yet); not an error for us
            time.sleep(timeout_s)
            return b""

    def write(self, data: bytes) -> None:
        os.write(self.fd, data)

    def close(self) -> None:
        for fd in (self.fd, self.keep):
            if fd is not None:
                with contextlib.suppress(OSError):
                    os.close(fd)


class _SerialPort:
    def __init__(self, url: str, baudrate: int) -> None:
        import serial

        self.port: Any = serial.serial_for_url(url, baudrate=baudrate, timeout=0.02)

    def read(self, timeout_s: float) -> bytes:
        data: bytes = self.port.read(self.port.in_waiting or 1)
        return data

    def write(self, data: bytes) -> None:
        self.port.write(data)

    def close(self) -> None:
        self.port.close()


class ReaderEmulator:
    """The reader side of the protocol, run on its own thread (:meth:`start`) or in the
    foreground (:meth:`serve_forever`). ``received`` lists the commands it got, ``displayed``
    the text shown."""

    def __init__(self, port: Any, options: EmulatorOptions | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.port = port
        self.options = options or EmulatorOptions()
        self.clock = clock
        self.received: list[str] = []
        self.displayed: list[tuple[str, str]] = []
        self.sent: list[str] = []
        self.naks_sent = 0
        self.resends = 0
        self.path = ""
        self._parser = cf.FrameParser(clock=clock)
        self._random = random.Random(self.options.seed)
        self._outbox: deque[bytes] = deque()
        self._awaiting: tuple[bytes, float, int] | None = None
        self._pending_read: tuple[float, float | None] | None = None  # (deadline, card at)
        self._pending_sign: tuple[float, float] | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    # --- construction ------------------------------------------------------------------------

    @classmethod
    def on_pty(cls, options: EmulatorOptions | None = None) -> ReaderEmulator:
        """An emulator on a new pty pair; the POS opens ``emulator.path``."""
        master, slave = os.openpty()
        tty.setraw(slave)  # no echo, no line editing: bytes pass as they are
        emulator = cls(_FdPort(master, keep=slave), options)
        emulator.path = os.ttyname(slave)
        return emulator

    @classmethod
    def on_url(cls, url: str, baudrate: int = 38_400,
               options: EmulatorOptions | None = None) -> ReaderEmulator:
        emulator = cls(_SerialPort(url, baudrate), options)
        emulator.path = url
        return emulator

    # --- running -----------------------------------------------------------------------------

    def start(self) -> ReaderEmulator:
        self._thread = threading.Thread(target=self.serve_forever, name="reader-emulator",
                                        daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=2.0)
        self.port.close()

    def unplug(self) -> None:
        """Pull the cable: the port goes away under the POS (a pty's master is closed)."""
        self._stop.set()
        self.port.close()

    def serve_forever(self) -> None:
        while not self._stop.is_set():
            try:
                chunk = self.port.read(0.02)
            except (OSError, ValueError):  # unplug() or stop() closed the port: the rig is done
                return
            events = self._parser.feed(chunk) if chunk else self._parser.expire()
            try:
                for event in events:
                    self._on_event(event)
                self._tick()
            except OSError:  # the same, mid-answer
                return

    def send_event(self, what: str) -> None:
        """Send an unsolicited ``e`` event: ``I`` card inserted, ``O`` card removed."""
        with self._lock:
            self._outbox.append(cf.encode_frame("e", what.encode("ascii")))

    # --- receiving -----------------------------------------------------------------------------

    def _on_event(self, event: cf.ParseEvent) -> None:
        opts = self.options
        if event.kind == "ack":
            if self._awaiting is not None:
                self._awaiting = None
            return
        if event.kind == "nak":
            if self._awaiting is not None:
                self._resend()
            return
        if opts.silent:
            return
        if event.kind == "bad":
            self._write(cf.NAK_BYTE)
            self.naks_sent += 1
            return
        if opts.nak > 0:
            opts.nak -= 1
            self._write(cf.NAK_BYTE)
            self.naks_sent += 1
            return
        self._write(cf.ACK_BYTE)
        assert event.frame is not None
        self.received.append(event.frame.cmd)
        self._handle(event.frame)

    def _handle(self, frame: cf.Frame) -> None:
        opts = self.options
        now = self.clock()
        cmd = frame.cmd
        if cmd == "S":
            self._reply("s", cf.status_reply("R", opts.model, opts.firmware))
        elif cmd == "R":
            try:
                _, seconds = cf.parse_read_request(frame.data)
            except cf.FieldError:
                seconds = 30
            card_at = None if opts.card_delay_s < 0 else now + opts.card_delay_s
            self._pending_read = (now + seconds, card_at)
        elif cmd == "C":
            self._reply("c")
            if self._pending_read is not None:
                self._pending_read = None
                self._reply("r", cf.read_reply("2"))
            if self._pending_sign is not None:
                self._pending_sign = None
                self._reply("g", cf.signature_reply("2"))
        elif cmd == "D":
            with contextlib.suppress(cf.FieldError):
                self.displayed.append(cf.parse_display_request(frame.data))
            self._reply("d")
        elif cmd == "G":
            try:
                _, seconds = cf.parse_read_request(frame.data)
            except cf.FieldError:
                seconds = 30
            self._pending_sign = (now + seconds, now + opts.sign_delay_s)
        elif cmd == "B":
            self._reply("b")
        else:
            self._reply("?", cmd.encode("ascii", errors="replace")[:1])

    def _tick(self) -> None:
        """Finish pending reads/signatures whose time has come; drive the outbox."""
        now = self.clock()
        if self._pending_read is not None:
            deadline, card_at = self._pending_read
            if card_at is not None and now >= card_at:
                self._pending_read = None
                if self.options.events:
                    self._reply("e", b"I")
                self._reply("r", self._card_reply())
            elif now >= deadline:
                self._pending_read = None
                self._reply("r", cf.read_reply("1"))
        if self._pending_sign is not None:
            deadline, signed_at = self._pending_sign
            if now >= signed_at:
                self._pending_sign = None
                self._reply("g", cf.signature_reply("0", sample_signature()))
            elif now >= deadline:
                self._pending_sign = None
                self._reply("g", cf.signature_reply("1"))
        self._pump(now)

    def _card_reply(self) -> bytes:
        opts = self.options
        if opts.result != "0":
            return cf.read_reply(opts.result)
        pan, expiry = split_track2(opts.track2)
        return cf.read_reply("0", opts.entry_mode, mask_pan(pan), opts.track2, expiry,
                             opts.brand or brand_of(pan))

    # --- sending -------------------------------------------------------------------------------

    def _reply(self, cmd: str, data: bytes = b"") -> None:
        with self._lock:
            self._outbox.append(cf.encode_frame(cmd, data))
        self.sent.append(cmd)

    def _pump(self, now: float) -> None:
        if self._awaiting is not None:
            frame, deadline, _resends = self._awaiting
            if now >= deadline:
                self._resend()
            return
        with self._lock:
            if not self._outbox:
                return
            frame = self._outbox.popleft()
        self._transmit(frame)
        self._awaiting = (frame, self.clock() + ACK_WAIT_S, 0)

    def _resend(self) -> None:
        assert self._awaiting is not None
        frame, _, resends = self._awaiting
        if resends >= MAX_RESENDS:
            log.info("emulator: POS never ACKed a frame; dropping it")
            self._awaiting = None
            return
        self.resends += 1
        self._transmit(frame)
        self._awaiting = (frame, self.clock() + ACK_WAIT_S, resends + 1)

    def _transmit(self, frame: bytes) -> None:
        opts = self.options
        if opts.noise:
            count = self._random.randint(1, 12)
            self._write(bytes(self._random.choice(_NOISE_BYTES) for _ in range(count)))
            if self._random.random() < 0.5:
                self._write(self._junk_frame())
        if opts.partial > 0:
            opts.partial -= 1
            self._write(frame[: len(frame) // 2])
            return
        if opts.corrupt > 0:
            opts.corrupt -= 1
            frame = frame[:-1] + bytes([frame[-1] ^ 0x5A])
        self._write(frame)

    def _junk_frame(self) -> bytes:
        """Noise that looks like a frame: right length, ETX and LRC, but a command byte no
        reader sends (>= 0x80), as a burst on a long cable now and then produces."""
        body = bytes([self._random.randint(0x80, 0xFF)]) + self._random.randbytes(
            self._random.randint(0, 8))
        covered = len(body).to_bytes(2, "big") + body + bytes([cf.ETX])
        return bytes([cf.STX]) + covered + bytes([cf.lrc(covered)])

    def _write(self, data: bytes) -> None:
        self.port.write(data)


def build_options(args: argparse.Namespace) -> EmulatorOptions:
    track2 = args.card or test_track2()
    if "=" not in track2:
        track2 = test_track2(track2)
    split_track2(track2)  # ValueError for a bad card
    return EmulatorOptions(track2=track2, entry_mode=args.entry, result=args.result,
                           card_delay_s=args.card_delay, noise=args.noise, nak=args.nak,
                           corrupt=args.corrupt, partial=args.partial, silent=args.silent)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m drivers.sim.reader_emulator",
                                     description="Emulate a KSPOS serial card reader.")
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--pty", action="store_true", help="create a pty and print its path")
    where.add_argument("--port", metavar="URL", help="serial port or pyserial URL to serve")
    parser.add_argument("--baudrate", type=int, default=38_400)
    parser.add_argument("--card", metavar="PAN[=YYMM...]",
                        help="card to present (default: the VISA test card)")
    parser.add_argument("--entry", choices=("I", "S"), default="I", help="chip or swipe")
    parser.add_argument("--result", choices=("0", "1", "2", "3", "4"), default="0",
                        help="how a read ends (0 read, 1 timed out, 3 fallback, 4 error)")
    parser.add_argument("--card-delay", type=float, default=0.5, metavar="S",
                        help="seconds until the card goes in after R (<0: never)")
    parser.add_argument("--noise", action="store_true",
                        help="garbage bytes (at times a junk frame) before frames")
    parser.add_argument("--nak", type=int, default=0, metavar="N", help="NAK the first N frames")
    parser.add_argument("--corrupt", type=int, default=0, metavar="N",
                        help="send the first N frames with a bad LRC")
    parser.add_argument("--partial", type=int, default=0, metavar="N",
                        help="send the first N frames cut in half")
    parser.add_argument("--silent", action="store_true", help="never answer (a dead reader)")
    args = parser.parse_args(argv)
    try:
        options = build_options(args)
    except ValueError as exc:
        parser.exit(2, f"reader_emulator: error: --card: {exc}\n")
    try:
        emulator = (ReaderEmulator.on_pty(options) if args.pty
                    else ReaderEmulator.on_url(args.port, args.baudrate, options))
    except Exception as exc:
        print(f"reader_emulator: cannot open {args.port}: {exc}", file=sys.stderr)
        return 1
    print(emulator.path, flush=True)
    try:
        emulator.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        emulator.port.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
