"""`kspos device print-test` and `kspos device drawer`, end to end through kspos.cli."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from PIL import Image

from kspos.cli import main
from kspos.receipts.decode import decode
from tests.integration.printing.escpos_server import PAPER_OUT, EscposServer


def _body(received: bytes) -> bytes:
    return received[received.index(b"\x1b@"):]  # after the status queries


def test_print_test_in_text_mode_over_tcp(data_dir: Path, capsys: pytest.CaptureFixture[str]) \
        -> None:
    with EscposServer() as server:
        code = main(["device", "print-test", "--printer", server.spec, "--mode", "text",
                     "--width", "42"])
        received = server.wait_for(2000)
    assert code == 0, capsys.readouterr().err
    printout = decode(_body(received))
    rows = [r.strip() for r in printout.rows]
    assert "프린터 테스트" in rows and "PRINTER TEST" in rows
    assert "English: The quick brown fox 0123456789" in rows
    assert "123456789012345678901234567890123456789012" in rows  # the 42-column ruler
    assert not any(len(r) == 48 and r.isdigit() for r in rows)  # no 48 ruler on 42 columns
    assert "[image 576x32]" in printout.rows  # the 똠 row went as an image (42 columns: 32 dots)
    assert printout.qr_payloads == ["KSPOS PRINT TEST"] and printout.cuts == 1
    assert "printed a test page" in capsys.readouterr().out


def test_print_test_defaults_come_from_the_config(data_dir: Path, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    with EscposServer() as server:
        config = tmp_path / "kspos.toml"
        config.write_text(f'[devices]\nprinter = "{server.spec}"\nprinter_mode = "raster"\n'
                          "printer_width = 32\n", encoding="utf-8")
        monkeypatch.setenv("KSPOS_CONFIG", str(config))
        assert main(["device", "print-test"]) == 0
        received = server.wait_for(20_000)
    printout = decode(_body(received))
    assert printout.images and {w for w, _, _ in printout.images} == {384}


def test_print_test_on_sim_writes_a_preview(data_dir: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["device", "print-test", "--printer", "sim", "--width", "32"]) == 0
    out = capsys.readouterr().out
    path = Path(out.strip().splitlines()[-1].removeprefix("preview: "))
    assert path == data_dir / "receipts" / "print-test-32.png"
    with Image.open(path) as image:
        assert image.width == 384 and image.height > 600


def test_paper_out_fails_with_a_clear_message(data_dir: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    with EscposServer(PAPER_OUT) as server:
        code = main(["device", "print-test", "--printer", server.spec])
        received = server.wait_for(9)
    assert code == 1
    assert "paper out" in capsys.readouterr().err
    assert b"\x1b@" not in received  # nothing printed on a printer without paper


def test_a_printer_that_does_not_answer_exits_1(data_dir: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    assert main(["device", "print-test", "--printer", f"tcp:127.0.0.1:{port}"]) == 1
    assert "cannot connect to printer" in capsys.readouterr().err
    assert main(["device", "drawer", "--printer", f"tcp:127.0.0.1:{port}"]) == 1


def test_bad_spec_exits_2(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["device", "print-test", "--printer", "lpt1"]) == 2
    assert "tcp:HOST:PORT" in capsys.readouterr().err
    assert main(["device", "drawer", "--printer", "tcp:nohost"]) == 2


def test_usb_without_a_device_exits_1(data_dir: Path, capsys: pytest.CaptureFixture[str]) \
        -> None:
    assert main(["device", "print-test", "--printer", "usb:04b8:0202"]) == 1
    assert "USB" in capsys.readouterr().err


def test_drawer_kick(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with EscposServer() as server:
        assert main(["device", "drawer", "--printer", server.spec]) == 0
        assert server.wait_for(5) == b"\x1bp\x00\x19\xfa"
    assert main(["device", "drawer", "--printer", "sim"]) == 0


def test_file_printer_appends(data_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / "spool" / "printer.bin"
    for _ in range(2):
        assert main(["device", "print-test", "--printer", f"file:{target}", "--mode",
                     "text"]) == 0
    data = target.read_bytes()
    assert data.count(b"\x1b@") == 2 and decode(data).cuts == 2
