"""The office and its terminals as real processes: ``kspos office serve`` (uvicorn) on a
loopback port, terminals with their own config and data dir running ``kspos demo-data`` and
``kspos sync``, and a TCP relay that can hold the office's answers back (a pusher killed
mid-request)."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import sqlite3
import subprocess
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

from office.store import database_url
from tests.integration.cli.test_cli_contract import KSPOS
from tests.pg_rig import free_port


def _env(folder: Path, config: Path | None = None) -> dict[str, str]:
    env = dict(os.environ, KSPOS_DATA_DIR=str(folder / "data"), QT_QPA_PLATFORM="offscreen",
               XDG_CONFIG_HOME=str(folder / "xdg"))
    env.pop("KSPOS_CONFIG", None)
    if config is not None:
        env["KSPOS_CONFIG"] = str(config)
    return env


def kspos(*args: str, folder: Path, config: Path | None = None,
          timeout: float = 120) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([*KSPOS, *args], env=_env(folder, config), capture_output=True,
                          text=True, timeout=timeout, check=False)
    assert "Traceback" not in done.stderr, done.stderr
    return done


class Office:
    """``kspos office serve`` on ``database`` (a URL), in its own process."""

    def __init__(self, folder: Path, database: str) -> None:
        self.folder, self.database = folder, database
        folder.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[str] | None = None
        done = kspos("office", "init", "--database", database, folder=folder)
        assert done.returncode == 0, done.stderr

    def start(self) -> Office:
        self.process = subprocess.Popen(
            [*KSPOS, "office", "serve", "--port", str(self.port), "--database", self.database],
            env=_env(self.folder), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/api/v1/health", timeout=2):
                    return self
            except OSError:
                assert self.process.poll() is None, self.process.communicate()[1]
                time.sleep(0.1)
        raise AssertionError("the office did not start")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)

    def token(self, store: str, terminal: str) -> str:
        done = kspos("office", "terminal", "add", store, terminal, "--database", self.database,
                     folder=self.folder)
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    def query(self, sql: str, **params: Any) -> list[Any]:
        engine = create_engine(database_url(self.database))
        try:
            with engine.connect() as conn:
                return list(conn.execute(text(sql), params))
        finally:
            engine.dispose()

    def post(self, data: Any, token: str | None) -> tuple[int, dict[str, Any]]:
        """A raw push: (status, JSON answer)."""
        payload = data if isinstance(data, bytes) else json.dumps(data).encode()
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        request = urllib.request.Request(f"{self.url}/api/v1/facts", data=payload,
                                         headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                return answer.status, json.loads(answer.read())
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read())


class Terminal:
    """A terminal: ``[store]`` code and number, ``[office]`` url and token, its own data."""

    def __init__(self, folder: Path, store: str, number: str, url: str, token: str) -> None:
        self.folder, self.store, self.number = folder, store, number
        folder.mkdir(parents=True, exist_ok=True)
        self.config = folder / "config.toml"
        self.point(url, token)

    def point(self, url: str, token: str) -> None:
        self.config.write_text(f'[store]\ncode = "{self.store}"\nterminal = "{self.number}"\n'
                               f'[office]\nurl = "{url}"\ntoken = "{token}"\n', "utf-8")

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return kspos(*args, folder=self.folder, config=self.config, timeout=300)

    def sell(self, days: int = 2, orders: int = 12, seed: int = 1) -> None:
        done = self.run("demo-data", "--days", str(days), "--orders-per-day", str(orders),
                        "--seed", str(seed))
        assert done.returncode == 0, done.stderr

    def sync(self, *args: str) -> tuple[int, dict[str, Any]]:
        done = self.run("sync", "--once", "--json", *args)
        return done.returncode, json.loads(done.stdout)

    def popen_sync(self, *args: str) -> subprocess.Popen[str]:
        return subprocess.Popen([*KSPOS, "sync", *args], env=_env(self.folder, self.config),
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)

    def read(self, sql: str) -> list[Any]:
        with sqlite3.connect(self.folder / "data" / "kspos.sqlite3") as conn:
            return conn.execute(sql).fetchall()

    def outbox(self) -> list[dict[str, Any]]:
        return [{"seq": s, "uuid": u, "kind": k, "version": v, "body": json.loads(b),
                 "sent": sent is not None} for s, u, k, v, b, sent in self.read(
            "SELECT seq, uuid, kind, version, body, sent_at FROM outbox ORDER BY seq")]

    def paid_total(self) -> int:
        """What this terminal's orders that were ever paid came to (training left out)."""
        return int(self.read("SELECT COALESCE(SUM(total), 0) FROM sale_order "
                             "WHERE paid_at IS NOT NULL AND training = 0")[0][0])

    def refunded_total(self) -> int:
        return int(self.read("SELECT COALESCE(SUM(r.amount), 0) FROM refund AS r "
                             "JOIN sale_order AS o ON o.id = r.order_id "
                             "WHERE o.training = 0")[0][0])


class HoldingRelay:
    """A TCP relay to ``upstream`` that forwards requests at once and holds every answer
    until :meth:`release`: the office commits, the pusher never hears it."""

    def __init__(self, upstream_port: int) -> None:
        self.upstream = upstream_port
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.released = threading.Event()
        self.requests = 0
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            server = socket.create_connection(("127.0.0.1", self.upstream))
            self.requests += 1
            threading.Thread(target=self._pump, args=(client, server, False), daemon=True).start()
            threading.Thread(target=self._pump, args=(server, client, True), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket, hold: bool) -> None:
        try:
            while data := source.recv(65536):
                if hold:
                    self.released.wait()
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for s in (source, sink):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)

    def release(self) -> None:
        self.released.set()

    def close(self) -> None:
        self.release()
        self.listener.close()
