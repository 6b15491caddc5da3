"""A real PC/SC test rig: pcscd with the vsmartcard ``vpcd`` reader driver, and a virtual EMV
card written here that speaks vpcd's protocol.

vpcd (a pcscd reader driver) listens on a TCP port; a virtual card "is inserted" by connecting
to it and "removed" by closing the connection. Messages both ways are a 2-byte big-endian
length and a payload. From vpcd, a 1-byte payload is a control message (0 power off, 1 power
on, 2 reset, 4 send the ATR); anything longer is a command APDU, answered with the response.

pcscd's socket path is fixed at build time (/run/pcscd/pcscd.comm), so when we can (root, as in
CI) the rig's pcscd runs in its own mount namespace with a private /run/pcscd, and clients find
it through PCSCLITE_CSOCK_NAME: it never meets a system pcscd or another test run. Otherwise it
runs plainly when no pcscd is running, or uses the running one (whose vpcd listens on the
Debian default port 35963). pcscd is stopped by its PID, and only when the rig started it.

Fixtures: ``pcsc_rig`` (session) and ``virtual_card`` (a card in the reader for one test).
``KSPOS_PCSC_RIG=isolated|plain|system`` forces one of the three ways (for trying them).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

VPCD_DRIVER = Path("/usr/lib/pcsc/drivers/serial/libifdvpcd.so")
DEFAULT_SOCKET = Path("/run/pcscd/pcscd.comm")
DEBIAN_VPCD_PORT = 35963
T0_ATR = bytes.fromhex("3B6800000073C84000009000")  # no TD1: the card speaks T=0 only

VISA_AID, MASTER_AID, LOCAL_AID = "A0000000031010", "A0000000041010", "D4100000012010"


# ---------------------------------------------------------------------------------------------
# The virtual EMV card
# ---------------------------------------------------------------------------------------------


def tlv(tag: int, *values: bytes) -> bytes:
    """BER-TLV encoding of ``tag`` holding the concatenated ``values``."""
    value = b"".join(values)
    tag_bytes = tag.to_bytes((tag.bit_length() + 7) // 8 or 1, "big")
    if len(value) < 0x80:
        length = bytes([len(value)])
    elif len(value) < 0x100:
        length = bytes([0x81, len(value)])
    else:
        length = bytes([0x82]) + len(value).to_bytes(2, "big")
    return tag_bytes + length + value


def _bcd_digits(digits: str) -> bytes:
    return bytes.fromhex(digits + ("F" if len(digits) % 2 else ""))


@dataclass
class VirtualEmvCard:
    """A contact EMV card with T=0 manners: case-4 commands answer 61xx (fetch the data with
    GET RESPONSE); READ RECORD with a wrong Le answers 6Cxx (resend with that Le)."""

    pan: str = "5365101234560006"
    expiry: str = "301231"  # YYMMDD
    name: str = "KSPOS/TEST CARD"
    aid: str = MASTER_AID
    label: str = "MASTERCARD"
    pse: bool = True  # False: no PSE, the reader must try its list of known AIDs
    with_tag57: bool = True  # False: only 5A and 5F24 (track 2 built from them)
    atr: bytes = T0_ATR
    apdus: list[bytes] = field(default_factory=list)
    _selected: str = ""
    _pending: bytes = b""

    PDOL = bytes.fromhex("9F02065F2A029A03")  # amount, currency, date: 11 bytes of GPO data

    def track2(self) -> bytes:
        return _bcd_digits(f"{self.pan}D{self.expiry[:4]}1010000000000")

    def records(self) -> dict[tuple[int, int], bytes]:
        """(SFI, record) → record of the payment application."""
        first = tlv(0x70, *((tlv(0x57, self.track2()),) if self.with_tag57 else ()),
                    tlv(0x5F20, self.name.encode("ascii")))
        second = tlv(0x70, tlv(0x5A, _bcd_digits(self.pan)),
                     tlv(0x5F24, bytes.fromhex(self.expiry)), tlv(0x5F25, bytes.fromhex("230101")))
        return {(1, 1): first, (1, 2): second}

    def directory(self) -> bytes:
        return tlv(0x70, tlv(0x61, tlv(0x4F, bytes.fromhex(self.aid)),
                             tlv(0x50, self.label.encode("ascii")), tlv(0x87, b"\x01")))

    def reset(self) -> None:
        self._selected, self._pending = "", b""

    def respond(self, apdu: bytes) -> bytes:
        self.apdus.append(apdu)
        if len(apdu) < 4:
            return bytes.fromhex("6700")
        cla, ins, p1, p2 = apdu[:4]
        if ins == 0xC0:  # GET RESPONSE
            return self._get_response(apdu)
        self._pending = b""
        if ins == 0xA4 and p1 == 0x04:
            return self._select(apdu)
        if ins == 0xB2:
            return self._read_record(apdu, p1, p2 >> 3)
        if cla == 0x80 and ins == 0xA8:
            return self._gpo(apdu)
        return bytes.fromhex("6D00")

    def _later(self, data: bytes) -> bytes:
        """T=0, case 4: the data waits for GET RESPONSE."""
        self._pending = data
        return bytes([0x61, len(data) & 0xFF])

    def _get_response(self, apdu: bytes) -> bytes:
        if not self._pending:
            return bytes.fromhex("6985")
        wanted = apdu[4] if len(apdu) > 4 and apdu[4] else 256
        chunk, self._pending = self._pending[:wanted], self._pending[wanted:]
        if self._pending:
            return chunk + bytes([0x61, len(self._pending) & 0xFF])
        return chunk + b"\x90\x00"

    def _select(self, apdu: bytes) -> bytes:
        length = apdu[4] if len(apdu) > 4 else 0
        name = apdu[5:5 + length]
        if name == b"1PAY.SYS.DDF01" and self.pse:
            self._selected = "PSE"
            return self._later(tlv(0x6F, tlv(0x84, name), tlv(0xA5, tlv(0x88, b"\x01"))))
        if name.hex().upper() == self.aid:
            self._selected = self.aid
            fci = tlv(0x6F, tlv(0x84, name), tlv(0xA5, tlv(0x50, self.label.encode("ascii")),
                                                  tlv(0x87, b"\x01"), tlv(0x9F38, self.PDOL)))
            return self._later(fci)
        return bytes.fromhex("6A82")

    def _read_record(self, apdu: bytes, record: int, sfi: int) -> bytes:
        if self._selected == "PSE":
            found = self.directory() if (sfi, record) == (1, 1) else None
        elif self._selected == self.aid:
            found = self.records().get((sfi, record))
        else:
            return bytes.fromhex("6985")
        if found is None:
            return bytes.fromhex("6A83")
        le = apdu[4] if len(apdu) == 5 else 0
        if le != len(found):
            return bytes([0x6C, len(found)])
        return found + b"\x90\x00"

    def _gpo(self, apdu: bytes) -> bytes:
        if self._selected != self.aid:
            return bytes.fromhex("6985")
        data = apdu[5:5 + apdu[4]] if len(apdu) > 5 else b""
        if data[:2] != bytes([0x83, 11]) or len(data) != 13:
            return bytes.fromhex("6700")
        aip, afl = bytes.fromhex("1800"), bytes.fromhex("08010200")
        return self._later(tlv(0x80, aip + afl))


class VirtualCardSlot:
    """The card side of one vpcd slot: :meth:`insert` connects, :meth:`remove` disconnects."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.card: VirtualEmvCard | None = None
        self._sock: socket.socket | None = None
        self._thread: threading.Thread | None = None

    def insert(self, card: VirtualEmvCard) -> None:
        self.remove()
        self.card = card
        deadline = time.monotonic() + 5
        while True:
            try:
                self._sock = socket.create_connection(("127.0.0.1", self.port), timeout=5)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        self._sock.settimeout(None)
        self._sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._thread = threading.Thread(target=self._serve, args=(self._sock, card),
                                        name="virtual-card", daemon=True)
        self._thread.start()

    def remove(self) -> None:
        sock, self._sock = self._sock, None
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()
        if self._thread is not None:
            self._thread.join(timeout=2)
            self._thread = None

    @staticmethod
    def _recv_exact(sock: socket.socket, count: int) -> bytes:
        data = b""
        while len(data) < count:
            # vpcd sends the length and the payload in two writes; with Nagle on its side the
            # payload waits for our ACK, which Linux would delay 40 ms: ACK at once instead
            quickack = getattr(socket, "TCP_QUICKACK", None)
            if quickack is not None:
                sock.setsockopt(socket.IPPROTO_TCP, quickack, 1)
            chunk = sock.recv(count - len(data))
            if not chunk:
                raise EOFError
            data += chunk
        return data

    def _serve(self, sock: socket.socket, card: VirtualEmvCard) -> None:
        try:
            while True:
                (length,) = struct.unpack(">H", self._recv_exact(sock, 2))
                message = self._recv_exact(sock, length)
                if length == 1:
                    if message[0] == 4:
                        reply = card.atr
                    else:
                        if message[0] == 2:
                            card.reset()
                        continue  # power on/off/reset: no answer
                else:
                    reply = card.respond(message)
                sock.sendall(struct.pack(">H", len(reply)) + reply)
        except (EOFError, OSError):
            return


# ---------------------------------------------------------------------------------------------
# pcscd
# ---------------------------------------------------------------------------------------------


class PortTaken(RuntimeError):
    """vpcd's port was taken between our probe and pcscd's start: worth another try."""


def _free_port_pair() -> int:
    """A port P with P and P+1 both free for vpcd, which listens on INADDR_ANY with
    SO_REUSEADDR on two consecutive ports; probed the same way (bound, never listening)."""
    for _ in range(50):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = int(probe.getsockname()[1])
        if port + 1 > 65535:
            continue
        try:
            for candidate in (port, port + 1):
                with socket.socket() as check:
                    check.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                    check.bind(("", candidate))
        except OSError:
            continue
        return port
    raise RuntimeError("no two consecutive free TCP ports")


def _can_unshare() -> bool:
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        return False
    probe = subprocess.run(["unshare", "-m", "--propagation", "private", "true"],
                           capture_output=True, timeout=10, check=False)
    return probe.returncode == 0


def _pcscd_running() -> bool:
    if not DEFAULT_SOCKET.exists():
        return False
    with socket.socket(socket.AF_UNIX) as probe:
        try:
            probe.connect(str(DEFAULT_SOCKET))
        except OSError:
            return False
    return True


@dataclass
class PcscRig:
    """A running pcscd with a vpcd reader. ``env`` is what a client process needs."""

    slot: VirtualCardSlot
    reader_name: str
    env: dict[str, str]
    mode: str  # "isolated", "plain" or "system"
    process: subprocess.Popen[bytes] | None = None
    workdir: Path | None = None

    def insert(self, card: VirtualEmvCard | None = None, wait: bool = True) -> VirtualEmvCard:
        """Put ``card`` (default: a Mastercard) in the reader; with ``wait``, return once
        pcscd sees it."""
        card = card or VirtualEmvCard()
        self.slot.insert(card)
        if wait:
            self.wait_card(present=True)
        return card

    def remove(self, wait: bool = True) -> None:
        self.slot.remove()
        if wait:
            self.wait_card(present=False)

    def wait_card(self, present: bool, timeout_s: float = 5.0) -> None:
        """Until pcscd reports the card in (or out of) the reader. Uses pyscard in this
        process: PCSCLITE_CSOCK_NAME must already be set (the ``pcsc_rig`` fixture does)."""
        import smartcard.scard as scard

        hresult, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
        assert hresult == scard.SCARD_S_SUCCESS, scard.SCardGetErrorMessage(hresult)
        try:
            deadline = time.monotonic() + timeout_s
            while True:
                _, states = scard.SCardGetStatusChange(
                    context, 0, [(self.reader_name, scard.SCARD_STATE_UNAWARE)])
                state = states[0][1] if states else 0
                if bool(state & scard.SCARD_STATE_PRESENT) == present:
                    return
                if time.monotonic() > deadline:
                    raise TimeoutError(f"pcscd never saw the card {'in' if present else 'out'}")
                time.sleep(0.05)
        finally:
            scard.SCardReleaseContext(context)

    def stop(self) -> None:
        self.slot.remove()
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()  # by PID: only the pcscd this rig started
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        if self.workdir is not None:
            shutil.rmtree(self.workdir, ignore_errors=True)


def _wait_for_reader(env: dict[str, str], process: subprocess.Popen[bytes] | None,
                     log: Path | None) -> str:
    """The name of vpcd's first slot once pcscd lists it (asked in a child process, so this
    process's libpcsclite does not cache a socket path before the rig sets it)."""
    script = ("import smartcard.scard as s\n"
              "h, c = s.SCardEstablishContext(s.SCARD_SCOPE_USER)\n"
              "h, r = s.SCardListReaders(c, []) if h == 0 else (h, [])\n"
              "print('\\n'.join(x for x in r if 'Virtual PCD' in x))\n")
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        detail = log.read_text(errors="replace")[-2000:] if log and log.exists() else ""
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"pcscd exited with {process.returncode}: {detail}")
        if "Could not initialize connection to virtual ICC" in detail:
            raise PortTaken(f"vpcd could not open its port: {detail}")
        found = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                               text=True, timeout=15, check=False).stdout.split("\n")
        names = sorted(name for name in found if name.strip())
        if names:
            return names[0]
        time.sleep(0.2)
    raise RuntimeError("pcscd did not list the vpcd reader within 15 s")


def start_rig(attempts: int = 3) -> PcscRig:
    """Start (or find) pcscd with vpcd; pytest.skip only when pcscd or vpcd is not installed.
    A start that fails (e.g. a vpcd port taken between probe and use) is tried again."""
    for attempt in range(attempts):
        try:
            return _start_rig_once()
        except PortTaken:
            if attempt == attempts - 1:
                raise
    raise AssertionError("unreachable")


def _start_rig_once() -> PcscRig:
    pcscd = shutil.which("pcscd") or ("/usr/sbin/pcscd" if Path("/usr/sbin/pcscd").exists()
                                      else None)
    if pcscd is None:
        pytest.skip("pcscd is not installed (apt-get install pcscd vsmartcard-vpcd)")
    if not VPCD_DRIVER.exists():
        pytest.skip("the vpcd reader driver is not installed (apt-get install vsmartcard-vpcd)")
    env = dict(os.environ)
    forced = os.environ.get("KSPOS_PCSC_RIG", "")  # isolated | plain | system: to try a mode
    isolated = forced == "isolated" or (not forced and _can_unshare())
    if forced == "system" or (not forced and not isolated and _pcscd_running()):
        slot = VirtualCardSlot(DEBIAN_VPCD_PORT)
        return PcscRig(slot, _wait_for_reader(env, None, None), env, "system")
    workdir = Path(tempfile.mkdtemp(prefix="kspos-pcsc-"))
    port = _free_port_pair()
    conf = workdir / "reader.conf.d"
    conf.mkdir()
    (conf / "vpcd").write_text(f'FRIENDLYNAME "Virtual PCD"\nDEVICENAME /dev/null:0x{port:X}\n'
                               f"LIBPATH {VPCD_DRIVER}\nCHANNELID 0x{port:X}\n")
    log = workdir / "pcscd.log"
    command = [pcscd, "--foreground", "--config", str(conf)]
    if isolated:
        run = workdir / "run"
        run.mkdir()
        Path("/run/pcscd").mkdir(parents=True, exist_ok=True)  # the mount point pcscd uses
        command = ["unshare", "-m", "--propagation", "private", "sh", "-c",
                   f'mount --bind "{run}" /run/pcscd && exec "$0" "$@"', *command]
        env["PCSCLITE_CSOCK_NAME"] = str(run / "pcscd.comm")
        # libpcsclite reads this once per process: set it before anything here talks PC/SC
        os.environ["PCSCLITE_CSOCK_NAME"] = env["PCSCLITE_CSOCK_NAME"]
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, env=env)
    rig = PcscRig(VirtualCardSlot(port), "", env, "isolated" if isolated else "plain",
                  process, workdir)
    try:
        rig.reader_name = _wait_for_reader(env, process, log)
    except Exception:
        rig.stop()
        raise
    return rig


@pytest.fixture(scope="session")
def pcsc_rig() -> Iterator[PcscRig]:
    """pcscd + vpcd for the whole session; PCSCLITE_CSOCK_NAME is set for this process and its
    children while it runs."""
    previous = os.environ.get("PCSCLITE_CSOCK_NAME")
    rig = start_rig()
    try:
        yield rig
    finally:
        rig.stop()
        if previous is None:
            os.environ.pop("PCSCLITE_CSOCK_NAME", None)
        else:
            os.environ["PCSCLITE_CSOCK_NAME"] = previous


@pytest.fixture
def virtual_card(pcsc_rig: PcscRig) -> Iterator[VirtualEmvCard]:
    """The default virtual card (a Mastercard) in the vpcd reader for one test."""
    card = pcsc_rig.insert()
    try:
        yield card
    finally:
        pcsc_rig.remove()
