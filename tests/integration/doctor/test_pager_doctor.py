"""`kspos doctor` checks the 진동벨 transmitter when the store has one: a box that takes a
connection passes (and hears nothing, so no customer's pager buzzes); a closed port fails with
the reason; no pager configured, no check."""

from __future__ import annotations

import socket
import threading
from pathlib import Path

from drivers.doctor import run_checks
from kspos.config import load_settings


def checks_for(tmp_path: Path, pager: str) -> dict[str, object]:
    tmp_path.mkdir(exist_ok=True)
    config = tmp_path / "config.toml"
    config.write_text(f'[van]\nspec = "embedded"\n\n[devices]\npager = "{pager}"\n',
                      encoding="utf-8")
    report = run_checks(load_settings(config, tmp_path / "data"))
    return {check.name: check for check in report.checks}


def test_a_transmitter_that_answers_passes_and_hears_nothing(tmp_path: Path) -> None:
    heard: list[bytes] = []
    with socket.socket() as box:
        box.bind(("127.0.0.1", 0))
        box.listen()
        box.settimeout(5)

        def serve() -> None:
            connection, _ = box.accept()
            with connection:
                connection.settimeout(2)
                heard.append(connection.recv(64))

        thread = threading.Thread(target=serve)
        thread.start()
        checks = checks_for(tmp_path, f"tcp:127.0.0.1:{box.getsockname()[1]}")
        thread.join(5)
    pager = checks["pager"]
    assert pager.ok and "nothing sent" in pager.detail  # type: ignore[attr-defined]
    assert heard == [b""]


def test_a_closed_port_fails_with_the_reason_and_off_is_not_checked(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    pager = checks_for(tmp_path, f"tcp:127.0.0.1:{closed}")["pager"]
    assert not pager.ok and f"127.0.0.1:{closed}" in pager.detail  # type: ignore[attr-defined]
    assert "pager" not in checks_for(tmp_path / "off", "off")
