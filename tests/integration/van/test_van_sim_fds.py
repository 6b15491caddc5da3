"""The simulator out of file descriptors (EMFILE on accept) backs off and says so once, instead
of spinning on a listener that stays readable (it took a core and wrote 120 MB of log in 30 s)."""

from __future__ import annotations

import resource
import signal
import socket
import subprocess
import time
from pathlib import Path

from tests.integration.van.conftest import kspos_command

FD_LIMIT = 48


def _cpu_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def test_out_of_file_descriptors_the_simulator_backs_off_and_logs_once(tmp_path: Path) -> None:
    def few_fds() -> None:
        resource.setrlimit(resource.RLIMIT_NOFILE, (FD_LIMIT, FD_LIMIT))

    errors = tmp_path / "stderr.txt"
    with errors.open("w") as err:
        proc = subprocess.Popen([*kspos_command(), "van-sim", "--port", "0"],
                                stdout=subprocess.PIPE, stderr=err, text=True,
                                preexec_fn=few_fds)
    clients: list[socket.socket] = []
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert "listening on" in line, errors.read_text()
        port = int(line.rsplit(":", 1)[1].split()[0])
        for _ in range(FD_LIMIT + 20):  # silent clients: each holds one of its descriptors
            clients.append(socket.create_connection(("127.0.0.1", port), timeout=5))
        time.sleep(0.5)  # it has run out by now
        before, start = _cpu_ticks(proc.pid), time.monotonic()
        time.sleep(2.0)
        busy = (_cpu_ticks(proc.pid) - before) / 100 / (time.monotonic() - start)
        assert busy < 0.25, f"the simulator spins: {busy:.0%} of a core"
        for client in clients:  # descriptors come back: it serves again
            client.close()
        clients.clear()
        time.sleep(1.5)
        with socket.create_connection(("127.0.0.1", port), timeout=5) as probe:
            probe.sendall(b"0005\x02HELLO")  # unreadable: closed without an answer
            probe.settimeout(5)
            assert probe.recv(10) == b""
    finally:
        for client in clients:
            client.close()
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=10)
    failures = [x for x in errors.read_text().splitlines() if "accept" in x]
    assert 1 <= len(failures) <= 3, failures[:5]
