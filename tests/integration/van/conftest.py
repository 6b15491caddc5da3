"""Fixtures for the VAN integration tests: the simulator on a real loopback port, clients on a
temp SQLite file, and the ``kspos`` command as a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from kspos.van.client import ReversalPolicy, Timeouts, VanClient
from kspos.van.link import TcpVanLink
from kspos.van.simulator import SimulatorThread
from tests.conftest import ROOT

TID = "DPT0TEST03"
FAST = Timeouts(connect_s=2.0, response_s=0.5)  # short, yet roomy for a busy CI box


@pytest.fixture
def sim() -> Iterator[SimulatorThread]:
    """The host simulator in this process, on 127.0.0.1 and an ephemeral port."""
    thread = SimulatorThread(host="127.0.0.1", port=0, seed=11).start()
    yield thread
    thread.stop()


@pytest.fixture
def make_client(db: Any, sim: SimulatorThread) -> Callable[..., VanClient]:
    def make(**kwargs: Any) -> VanClient:
        kwargs.setdefault("policy", ReversalPolicy(immediate=(0.0,), base_s=0.0))
        link = TcpVanLink("127.0.0.1", sim.port)
        return VanClient(db, link, kwargs.pop("tid", TID), kwargs.pop("timeouts", FAST),
                         **kwargs)

    return make


@pytest.fixture
def client(make_client: Callable[..., VanClient]) -> VanClient:
    return make_client()


def kspos_command() -> list[str]:
    exe = ROOT / ".venv" / "bin" / "kspos"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "kspos.cli"]


@pytest.fixture
def run_kspos(data_dir: Path) -> Callable[..., subprocess.CompletedProcess[str]]:
    """Run ``kspos ARGS`` on the test's data dir; returns the completed process."""
    def run(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*kspos_command(), *args], capture_output=True, text=True,
                              timeout=timeout, env=dict(os.environ), check=False)

    return run
