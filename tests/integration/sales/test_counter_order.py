"""The order on the counter survives the program: a real cashier process killed -9 after a
few taps leaves its order in 보류목록; two registers on one file never take each other's."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from kspos.config import demo_settings
from kspos.context import AppContext
from kspos.ports import Devices
from kspos.sales.orders import OrderState
from kspos.sales.staff import Role
from kspos.store import Database

ROOT = Path(__file__).resolve().parents[3]


def start(data_dir: Path) -> AppContext:
    settings = demo_settings(data_dir)
    return AppContext.create(settings, Database(settings.db_path).open(), Devices(),
                             start_workers=False)


def open_orders(db_path: Path) -> list[tuple[int, int]]:
    """(order id, lines) of the orders saved as open, read like another program would."""
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=5)
    try:
        return conn.execute("SELECT o.id, (SELECT sum(qty) FROM order_line l "
                            "WHERE l.order_id = o.id) FROM sale_order o "
                            "WHERE o.state = 'open'").fetchall()
    except sqlite3.OperationalError:  # not created yet
        return []
    finally:
        conn.close()


def test_an_order_on_the_counter_killed_9_is_in_the_held_list_at_the_next_start(
        tmp_path: Path) -> None:
    data = tmp_path / "data"
    env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen")
    child = subprocess.Popen([sys.executable, "-m", "tests.integration.sales.counter_child",
                              str(data)], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    try:
        line = child.stdout.readline() if child.stdout else ""
        assert line.startswith("TAPPED"), f"the child did not tap: {line!r} " \
            f"{child.stderr.read() if child.stderr and child.poll() is not None else ''}"
        total = int(line.split()[1])
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and open_orders(data / "kspos.sqlite3") != [(1, 3)]:
            time.sleep(0.05)
        assert open_orders(data / "kspos.sqlite3") == [(1, 3)], \
            "the order on the counter never reached the database"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(10)
    assert child.returncode == -signal.SIGKILL

    context = start(data)
    try:
        held = context.sales.held()
        assert [(h.state, h.total, h.line_count) for h in held] == \
            [(OrderState.HELD, total, 2)]
        context.register.login("1111")
        context.register.recall(held[0].id)
        assert sum(line.qty for line in context.register.order.lines) == 3
        assert context.register.pay_cash(total).approved
    finally:
        context.close()


def states(context: AppContext) -> list[str]:
    return [row[0] for row in context.db.read("SELECT state FROM sale_order ORDER BY id")]


def test_a_register_starting_leaves_the_orders_other_live_registers_are_taking(
        tmp_path: Path) -> None:
    data = tmp_path / "data"
    first, second = start(data), start(data)  # two registers on one store file
    third = fourth = None
    try:
        first.register.login("1111")
        second.register.login("1111")
        first.sales.days.open(first.staff.first(Role.OWNER), 0)
        item = next(i for i in first.catalog.by_id.values() if not i.groups and not i.sold_out)
        first.register.add_item(item.id)
        first.register.checkpoint()  # the first register's order
        second.register.add_item(item.id, qty=2)
        second.register.checkpoint()  # the second register's order
        assert states(first) == ["open", "open"]

        first.close()  # the first register goes with its order on the counter
        third = start(data)
        assert states(third) == ["held", "open"]  # the live one's order is left to it
        assert [h.total for h in third.sales.held()] == [item.price]
        assert second.register.pay_cash(2 * item.price).approved  # it finishes its sale

        second.register.add_item(item.id)
        second.register.checkpoint()
        second.close()  # now the second goes with an order on its counter
        fourth = start(data)
        assert [(h.total, h.line_count) for h in fourth.sales.held()] == \
            [(item.price, 1), (item.price, 1)]
    finally:
        for context in (third, fourth):
            if context is not None:
                context.close()


def test_an_order_recalled_by_a_register_that_then_goes_is_held_again(tmp_path: Path) -> None:
    data = tmp_path / "data"
    first, second = start(data), start(data)
    third = None
    try:
        for context in (first, second):
            context.register.login("1111")
        first.sales.days.open(first.staff.first(Role.OWNER), 0)
        item = next(i for i in first.catalog.by_id.values() if not i.groups and not i.sold_out)
        first.register.add_item(item.id)
        first.register.checkpoint()
        held = first.register.hold()  # saved by the first register, which stays up
        second.register.recall(held.id)  # the second takes it to its counter...
        second.close()  # ...and goes
        third = start(data)
        assert [h.id for h in third.sales.held()] == [held.id]
    finally:
        first.close()
        if third is not None:
            third.close()
