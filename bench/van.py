"""VAN figures: host simulator throughput with 50 concurrent clients, client codec cost.

The simulator runs as ``kspos van-sim`` in its own process on a loopback port; the load comes
from 50 asyncio clients in this process, each doing one connection per approval as the spec
says (connect, send, read the whole answer, close), for a few seconds. Every approval has its
own TID/serial and must come back ``O``/``0000`` to count.

Run: ``.venv/bin/python -m bench.van`` (or through ``make bench``).
"""

from __future__ import annotations

import selectors
import socket
import subprocess
import sys
import time
from pathlib import Path

from kspos.van.telegram import (
    Request,
    Response,
    decode_response,
    encode_request,
    encode_response,
    frame_length,
)

CLIENTS = 50
SECONDS = 4.0
ROOT = Path(__file__).resolve().parent.parent
SERIAL_AT = 4 + 24  # the serial's offset in a whole request frame


def _card_request(tid: str, serial: str = "250101000001") -> Request:
    return Request(klass="IC", type="0200", tid=tid, serial=serial, entry_mode="I",
                   sw_model="KSPOS# bench", track2="4111111111111111=3012", total=12_000,
                   supply=10_909, vat=1_091, pos_ref="20250101-0001")


def _start_simulator() -> tuple[subprocess.Popen[str], int]:
    exe = ROOT / ".venv" / "bin" / "kspos"
    command = [str(exe)] if exe.exists() else [sys.executable, "-m", "kspos.cli"]
    proc = subprocess.Popen([*command, "van-sim", "--port", "0"], stdout=subprocess.PIPE,
                            text=True)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if "listening on" not in line:
        proc.kill()
        raise RuntimeError(f"van-sim did not start: {line!r}")
    return proc, int(line.rsplit(":", 1)[1].split()[0])


class _Load:
    """50 clients on one selector: each does connect, send, read the whole answer, close,
    and starts over until the deadline. Non-blocking sockets keep the load generator cheaper
    than the server it measures (asyncio streams here would be the bottleneck)."""

    def __init__(self, port: int, clients: int, first_sequence: int) -> None:
        self.port = port
        self.selector = selectors.DefaultSelector()
        self.templates = [bytearray(encode_request(_card_request(f"BENCH{n:05d}")))
                          for n in range(clients)]
        self.day = time.strftime("%y%m%d").encode()
        self.sequence = [first_sequence] * clients
        self.approved = self.failed = 0

    def open(self, client: int) -> None:
        self.sequence[client] += 1
        frame = self.templates[client]
        frame[SERIAL_AT:SERIAL_AT + 12] = self.day + b"%06d" % self.sequence[client]
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setblocking(False)
        sock.connect_ex(("127.0.0.1", self.port))
        self.selector.register(sock, selectors.EVENT_WRITE, [client, bytes(frame), b""])

    def run(self, seconds: float) -> tuple[int, int, float]:
        started = time.perf_counter()
        deadline = started + seconds
        for client in range(len(self.templates)):
            self.open(client)
        while self.selector.get_map():
            for key, events in self.selector.select(timeout=5):
                sock, state = key.fileobj, key.data
                assert isinstance(sock, socket.socket)
                if events & selectors.EVENT_WRITE:
                    sent = sock.send(state[1])
                    state[1] = state[1][sent:]
                    if not state[1]:
                        self.selector.modify(sock, selectors.EVENT_READ, state)
                    continue
                chunk = sock.recv(4096)
                state[2] += chunk
                whole = len(state[2]) >= 4 and len(state[2]) >= 4 + frame_length(state[2][:4])
                if chunk and not whole:
                    continue
                self.selector.unregister(sock)
                sock.close()
                if whole and state[2][4 + 37:4 + 41] == b"0000":  # fields 9-10: O, 0000
                    self.approved += 1
                else:
                    self.failed += 1
                if time.perf_counter() < deadline:
                    self.open(state[0])
        return self.approved, self.failed, time.perf_counter() - started


def simulator_throughput(seconds: float = SECONDS) -> tuple[float, int]:
    """Approvals per second with 50 concurrent loopback clients, and failures seen."""
    proc, port = _start_simulator()
    try:
        _Load(port, CLIENTS, 0).run(0.5)  # warm up
        approved, failed, elapsed = _Load(port, CLIENTS, 100_000).run(seconds)
    finally:
        proc.terminate()
        proc.wait(10)
    return approved / elapsed, failed


def codec_microseconds(rounds: int = 20_000) -> float:
    """Client-side cost of one exchange: encode the request, decode the answer."""
    request = _card_request("DPT0TEST03")
    answer = encode_response(Response(
        klass="IC", type="0210", tid="DPT0TEST03", serial="250101000001", status="O",
        code="0000", host_time="250101120000", card_type="C", message1="정상승인",
        approval_no="12345678", van_txn_id="25010112000000000001",
        merchant_no="123456789012345", issuer_code="25", issuer_name="VISA",
        acquirer_code="25", acquirer_name="VISA", filler="411111******1111"))
    started = time.perf_counter()
    for _ in range(rounds):
        encode_request(request)
        decode_response(answer)
    return (time.perf_counter() - started) / rounds * 1e6


def run() -> list[tuple[str, str, str]]:
    rate, failed = simulator_throughput()
    codec = codec_microseconds()
    rows = [
        (f"VAN simulator approvals/s ({CLIENTS} loopback clients)", f"{rate:,.0f}/s",
         "≥ 3,000/s"),
        ("VAN client encode+decode per exchange", f"{codec:.0f} µs", "(reported)"),
    ]
    if failed:
        rows.append(("VAN simulator answers other than 0000 under load", str(failed), "0"))
    return rows


if __name__ == "__main__":
    for figure, measured, goal in run():
        print(f"{figure:58} {measured:>22}  {goal}")
