"""The serial card reader driver against the reader emulator on a real pty pair: noise, NAKs,
corrupt and cut frames, a silent reader, cancel, unplug mid-read."""

from __future__ import annotations

import contextlib
import os
import select
import threading
import time
import tty
from collections.abc import Callable, Iterator

import pytest

from drivers.cardreader.serial import SerialCardReader
from drivers.sim.reader_emulator import EmulatorOptions, ReaderEmulator
from kspos.devices import cardframe as cf
from kspos.ports import DeviceError, ReadResult

MakeRig = Callable[..., tuple[ReaderEmulator, SerialCardReader]]


@pytest.fixture
def rig() -> Iterator[MakeRig]:
    """Start an emulator with the given options and an open reader on its pty."""
    made: list[tuple[ReaderEmulator, SerialCardReader]] = []

    def make(events: list[str] | None = None, **options: object) -> tuple[
            ReaderEmulator, SerialCardReader]:
        emulator = ReaderEmulator.on_pty(EmulatorOptions(**options)).start()  # type: ignore[arg-type]
        reader = SerialCardReader(emulator.path, on_event=events.append if events is not None
                                  else None)
        reader.open()
        made.append((emulator, reader))
        return emulator, reader

    yield make
    for emulator, reader in made:
        reader.close()
        emulator.stop()


def test_a_card_read_gives_the_masked_pan_and_keeps_track2_in_memory(rig: MakeRig) -> None:
    emulator, reader = rig(track2="5365101234560006=3012101", card_delay_s=0.1)
    read = reader.read_card(15000, 10)
    assert read.result is ReadResult.READ
    assert (read.masked_pan, read.bin, read.brand, read.entry_mode) == \
        ("536510******0006", "536510", "MASTER", "I")
    assert read.track2 == "5365101234560006=3012101" and read.expiry == "3012"
    assert "5365101234560006" not in repr(read)
    assert emulator.received == ["R"]


def test_status_display_signature_and_beep(rig: MakeRig) -> None:
    emulator, reader = rig()
    status = reader.status()
    assert (status.state, status.model, status.firmware) == ("ready", "KSPOS-EMU", "1.0")
    reader.display("결제금액", "60,000원")
    signature = reader.get_signature(60000, 10)
    reader.beep(3)
    assert emulator.displayed == [("결제금액", "60,000원")]
    assert signature is not None and signature.has_ink()
    assert emulator.received == ["S", "D", "G", "B"]


def test_line_noise_and_corrupt_frames_from_the_reader_are_survived(rig: MakeRig) -> None:
    emulator, reader = rig(noise=True, corrupt=2)
    read = reader.read_card(1000, 10)
    assert read.result is ReadResult.READ and read.masked_pan == "411111******1111"
    assert emulator.resends >= 2  # our NAKs made it send the corrupt frames again


def test_naks_from_the_reader_make_the_driver_resend(rig: MakeRig) -> None:
    emulator, reader = rig(nak=2)
    reader.beep()
    assert emulator.naks_sent == 2 and reader.resends == 2
    assert emulator.received == ["B"]


def test_a_reader_that_naks_everything_is_reported_after_three_resends(rig: MakeRig) -> None:
    emulator, reader = rig(nak=100)
    started = time.monotonic()
    with pytest.raises(DeviceError, match="응답 없음"):
        reader.beep()
    assert emulator.naks_sent == 4 and reader.resends == 3
    assert time.monotonic() - started < 1.0  # NAKs resend at once, no 500 ms waits


def test_a_cancel_from_another_thread_ends_a_pending_read(rig: MakeRig) -> None:
    emulator, reader = rig(card_delay_s=-1)
    threading.Timer(0.2, reader.cancel_read).start()
    started = time.monotonic()
    read = reader.read_card(1000, 30)
    assert read.result is ReadResult.CANCELLED and read.masked_pan == ""
    assert time.monotonic() - started < 2
    assert emulator.received == ["R", "C"]
    assert emulator.sent[-2:] == ["c", "r"]


def test_the_readers_own_timeout_ends_the_read(rig: MakeRig) -> None:
    _, reader = rig(card_delay_s=-1)
    started = time.monotonic()
    assert reader.read_card(1000, 1).result is ReadResult.TIMED_OUT
    assert 0.9 < time.monotonic() - started < 2


def test_a_chip_failure_asks_for_a_swipe(rig: MakeRig) -> None:
    _, reader = rig(result="3")
    read = reader.read_card(1000, 5)
    assert read.result is ReadResult.FALLBACK and read.track2 == ""


def test_card_inserted_events_reach_the_listener(rig: MakeRig) -> None:
    events: list[str] = []
    emulator, reader = rig(events=events, card_delay_s=0.1)
    reader.read_card(1000, 5)
    emulator.send_event("O")
    deadline = time.monotonic() + 2
    while len(events) < 2 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert events == ["inserted", "removed"]


def test_unplugging_mid_read_raises_instead_of_hanging(rig: MakeRig) -> None:
    emulator, reader = rig(card_delay_s=-1)
    threading.Timer(0.3, emulator.unplug).start()
    started = time.monotonic()
    with pytest.raises(DeviceError, match="연결 끊김"):
        reader.read_card(1000, 30)
    assert time.monotonic() - started < 2
    assert reader.status().state == "offline"


# --- the POS side seen from the wire: a test plays the reader by hand ------------------------


def read_frames(master: int, seconds: float) -> list[cf.ParseEvent]:
    parser = cf.FrameParser()
    events: list[cf.ParseEvent] = []
    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        ready, _, _ = select.select([master], [], [], left)
        if ready:
            events += parser.feed(os.read(master, 4096))
    return events


@pytest.fixture
def wire() -> Iterator[tuple[int, SerialCardReader]]:
    master, slave = os.openpty()
    tty.setraw(slave)
    reader = SerialCardReader(os.ttyname(slave))
    reader.open()
    yield master, reader
    reader.close()
    for fd in (master, slave):
        with contextlib.suppress(OSError):
            os.close(fd)


def test_a_silent_reader_gets_four_sends_then_not_answering(wire: tuple[int, SerialCardReader]
                                                             ) -> None:
    master, reader = wire
    result: dict[str, object] = {}

    def ask() -> None:
        result["status"] = reader.status()

    asker = threading.Thread(target=ask)
    asker.start()
    frames = read_frames(master, 2.4)
    asker.join(5)
    assert [e.frame.cmd for e in frames if e.frame] == ["S"] * 4  # 1 send + 3 resends
    status = result["status"]
    assert status.state == "offline" and "응답 없음" in status.detail  # type: ignore[attr-defined]


def test_a_partial_frame_is_dropped_after_one_second_and_naked(
        wire: tuple[int, SerialCardReader]) -> None:
    master, reader = wire
    frame = cf.encode_frame("e", b"I")
    events: list[str] = []
    reader.on_event = events.append
    os.write(master, b"\x7fnoise" + frame[:3])
    started = time.monotonic()
    ready, _, _ = select.select([master], [], [], 3)
    assert ready and os.read(master, 16) == cf.NAK_BYTE
    assert 0.95 < time.monotonic() - started < 1.6
    os.write(master, frame)  # the reader resends: ACKed and delivered
    ready, _, _ = select.select([master], [], [], 2)
    assert ready and os.read(master, 16) == cf.ACK_BYTE
    time.sleep(0.05)
    assert events == ["inserted"]


# --- noise that looks like a frame, a reader thread that dies, frames nobody asked for ------


def junk_frame(cmd_byte: int, data: bytes = b"\x01\x02") -> bytes:
    body = bytes([cmd_byte]) + data
    covered = len(body).to_bytes(2, "big") + body + bytes([cf.ETX])
    return bytes([cf.STX]) + covered + bytes([cf.lrc(covered)])


def test_junk_frames_in_the_line_noise_never_kill_the_reader(rig: MakeRig) -> None:
    # --noise sends, now and then, a whole frame with a command byte >= 0x80: it used to
    # raise in the reader thread, and every later command said "리더기 응답 없음".
    emulator, reader = rig(noise=True, card_delay_s=0.05)
    for _ in range(4):
        assert reader.status().state == "ready"
        assert reader.read_card(1000, 10).result is ReadResult.READ
    assert emulator.received == ["S", "R"] * 4


def test_a_frame_with_a_non_ascii_command_byte_is_ignored_as_noise(
        wire: tuple[int, SerialCardReader]) -> None:
    master, reader = wire
    events: list[str] = []
    reader.on_event = events.append
    os.write(master, junk_frame(0x9F) + cf.encode_frame("e", b"I"))
    ready, _, _ = select.select([master], [], [], 2)
    time.sleep(0.1)
    assert ready and os.read(master, 16) == cf.ACK_BYTE  # one ACK: the real frame's only
    assert events == ["inserted"]


def test_a_reader_on_a_socket_that_drops_is_reopened_on_the_next_command() -> None:
    import socket

    server = socket.create_server(("127.0.0.1", 0))
    port = server.getsockname()[1]
    emulators: list[ReaderEmulator] = []

    def serve(count: int) -> None:
        for _ in range(count):
            conn, _ = server.accept()
            emulators.append(ReaderEmulator(_SocketPort(conn)).start())

    acceptor = threading.Thread(target=serve, args=(2,), daemon=True)
    acceptor.start()
    reader = SerialCardReader(f"socket://127.0.0.1:{port}")
    reader.open()
    try:
        assert reader.status().state == "ready"
        emulators[0].unplug()  # the link drops under the driver: its reader thread ends
        time.sleep(0.3)
        assert reader.status().state == "ready"  # reopened, not "연결 끊김" for the session
        assert len(emulators) == 2 and emulators[1].received == ["S"]
    finally:
        reader.close()
        for emulator in emulators:
            emulator.stop()
        server.close()


class _SocketPort:
    """A TCP connection as the emulator's byte port (the far end of a socket:// reader)."""

    def __init__(self, conn: object) -> None:
        import socket

        assert isinstance(conn, socket.socket)
        self.conn = conn

    def read(self, timeout_s: float) -> bytes:
        ready, _, _ = select.select([self.conn], [], [], timeout_s)
        if not ready:
            return b""
        data = self.conn.recv(4096)
        if not data:
            raise OSError("closed")
        return data

    def write(self, data: bytes) -> None:
        self.conn.sendall(data)

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.conn.close()


def test_frames_nobody_asked_for_are_kept_within_a_bound(
        wire: tuple[int, SerialCardReader]) -> None:
    master, reader = wire
    for n in range(300):
        os.write(master, cf.encode_frame("x", str(n).encode()))
    acks = 0
    deadline = time.monotonic() + 5
    while acks < 300 and time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.5)
        if ready:
            acks += os.read(master, 4096).count(cf.ACK_BYTE)
    assert acks == 300
    time.sleep(0.1)  # the driver ACKs a frame before it files it
    assert reader.queued_replies() <= 16  # the oldest are dropped, not kept for the session
    assert reader.dropped_replies == 300 - reader.queued_replies()
