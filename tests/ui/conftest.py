"""An app context on a temp database with the demo menu and simulated devices."""

from __future__ import annotations

import pytest

from kspos.config import demo_settings
from kspos.context import AppContext
from kspos.ports import Devices


@pytest.fixture
def context(data_dir, qapp):  # type: ignore[no-untyped-def]
    from drivers.sim.printer import SimPrinter
    from kspos.store import Database
    from ui.app import ensure_app

    ensure_app("ko")
    settings = demo_settings(data_dir)
    db = Database(settings.db_path).open()
    printer = SimPrinter()
    devices = Devices(printer=printer, drawer=printer)
    ctx = AppContext.create(settings, db, devices)
    yield ctx
    ctx.close()


@pytest.fixture
def window(context, qtbot):  # type: ignore[no-untyped-def]
    from ui.app import MainWindow

    win = MainWindow(context)
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    return win


@pytest.fixture
def van_context(data_dir, qapp):  # type: ignore[no-untyped-def]
    """A store with the VAN simulator on loopback, a simulated reader, scanner and printer."""
    from drivers.sim.printer import SimPrinter
    from drivers.sim.reader import SimCardReader
    from drivers.sim.scanner import SimScanner
    from kspos.store import Database
    from kspos.van.link import TcpVanLink
    from kspos.van.simulator import SimulatorThread
    from ui.app import ensure_app

    ensure_app("ko")
    sim = SimulatorThread().start()
    settings = demo_settings(data_dir)
    db = Database(settings.db_path).open()
    printer = SimPrinter()
    devices = Devices(printer=printer, drawer=printer, card_reader=SimCardReader(),
                      scanner=SimScanner(), van=TcpVanLink("127.0.0.1", sim.port))
    ctx = AppContext.create(settings, db, devices, start_workers=False)
    ctx.sim = sim
    yield ctx
    ctx.close()
    sim.stop()
