"""The process the crash test kills: a store taking payments in a loop against a VAN host
simulator that lives in the test process.

``python -m tests.reliability.crash_driver zygote --data-dir D --van-port P --seed S`` imports
the whole stack once, prints ``ZYGOTE <pid>``, then reads commands on stdin, one per line:

``LIFE <n> <plan>``
    Fork a worker ("a life"). The worker opens the data dir like the app does at start-up,
    runs the start-up recovery (``van.resume_pending(force=True)``, ``print_pending()``),
    prints ``READY <n> <pid>`` and stops itself (SIGSTOP) so the test can check the store and
    the host while nothing moves. After SIGCONT it takes payments, refunds and prints forever,
    until it is killed. The zygote reaps it and prints ``EXIT <n> <status>``.
``QUIT``
    End the zygote.

``<plan>`` says how the life ends:

- ``time``: the test SIGKILLs it after a random delay;
- ``hook:<point>:<op>:<count>``: the worker SIGKILLs itself at the ``count``-th time it
  reaches ``point`` while doing ``op`` (``any`` = whatever op), after printing
  ``DIE <n> <point> <op>``. ``recovery:<point>:<count>`` arms the hook during the start-up
  recovery instead.

Points (all of them in this file, wrapped around the real objects; product code is untouched):
``link_before`` (before a VAN frame is sent), ``link_after_send`` (the frame sent, the answer
not read), ``link_after_response`` (the answer read, not yet handed to the client),
``commit_before`` (SQLAlchemy is about to COMMIT), ``commit_after`` (an ORM session just
committed), ``print_mid`` (half a receipt sent to the printer), ``refund_claimed`` (a refund
holds the order, nothing given back yet), ``refund_before_release`` (every tender given back
and recorded, the order's claim not yet released), ``outbox_before`` / ``outbox_after`` (a
fact's outbox row about to be written / written, its transaction not yet committed).

``python -m tests.reliability.crash_driver recover --data-dir D --van-port P`` is a plain,
freshly exec'd start-up: recovery only, then ``READY`` and exit 0.

``python -m tests.reliability.crash_driver pay ... (--fill FILE | --lock) --when W`` takes one
card payment with the disk filled or the database locked by another connection, either before
anything is sent or right after the host approved, prints ``RESULT {json}`` (what the cashier
would read) and ends without tidying up, as a cashier closing the app would.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import socket
import sys
import threading
import traceback
from dataclasses import replace
from pathlib import Path
from typing import Any

POINTS = ("link_before", "link_after_send", "link_after_response", "commit_before",
          "commit_after", "print_mid", "refund_claimed", "refund_before_release",
          "outbox_before", "outbox_after")
IDENTITY = "01012345678"  # the cash-receipt identity every test customer gives


def say(line: str) -> None:
    """One line on stdout, written at once (a fork shares the buffer; os.write does not)."""
    os.write(1, (line + "\n").encode())


class Plan:
    """When this life kills itself."""

    def __init__(self, life: int, text: str) -> None:
        self.life = life
        self.phase = "work"
        self.point = self.op = ""
        self.count = 0
        self.armed = False
        self.current_op = "startup"
        kind, _, rest = text.partition(":")
        if kind == "hook":
            self.point, self.op, count = rest.split(":")
            self.count = int(count)
        elif kind == "recovery":
            self.phase = "recovery"
            self.point, count = rest.split(":")
            self.op, self.count = "any", int(count)

    def reached(self, point: str) -> None:
        if not self.armed or point != self.point:
            return
        if self.op not in ("any", self.current_op):
            return
        self.count -= 1
        if self.count <= 0:
            say(f"DIE {self.life} {point} {self.current_op}")
            os.kill(os.getpid(), signal.SIGKILL)


class KillLink:
    """A TcpVanLink with kill points around the exchange."""

    def __init__(self, host: str, port: int, plan: Plan) -> None:
        from kspos.van.link import TcpVanLink

        self.inner = TcpVanLink(host, port)
        self.host, self.port, self.plan = host, port, plan
        self.after_answer: Any = None  # the pay mode's fault, once the host has answered

    def exchange(self, frame: bytes, *, connect_timeout_s: float,
                 response_timeout_s: float) -> bytes:
        plan = self.plan
        plan.reached("link_before")
        if plan.armed and plan.point == "link_after_send" and \
                plan.op in ("any", plan.current_op) and plan.count == 1:
            sock = socket.create_connection((self.host, self.port), timeout=connect_timeout_s)
            sock.sendall(frame)
            plan.reached("link_after_send")  # dies here: the host has the request
        elif plan.point == "link_after_send":
            plan.reached("link_after_send")  # counts down without dying
        answer = self.inner.exchange(frame, connect_timeout_s=connect_timeout_s,
                                     response_timeout_s=response_timeout_s)
        plan.reached("link_after_response")
        if self.after_answer is not None:  # once: the fault stays while the 0440 goes out
            fault, self.after_answer = self.after_answer, None
            fault()
        return answer

    def close(self) -> None:
        self.inner.close()


class KillPrinter:
    """A SimPrinter that can die half-way through a receipt."""

    def __init__(self, plan: Plan) -> None:
        from drivers.sim.printer import SimPrinter

        self.inner = SimPrinter()
        self.plan = plan
        self.spec = "sim"

    def write(self, data: bytes) -> None:
        if self.plan.armed and self.plan.point == "print_mid" and len(data) > 64:
            if self.plan.count == 1 and self.plan.op in ("any", self.plan.current_op):
                self.inner.write(data[: len(data) // 2])
            self.plan.reached("print_mid")
        self.inner.write(data)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def install_commit_hooks(db: Any, plan: Plan) -> None:
    from sqlalchemy import event
    from sqlalchemy.orm import Session

    event.listen(db.engine, "commit", lambda _conn: plan.reached("commit_before"))
    event.listen(Session, "after_commit", lambda _session: plan.reached("commit_after"))


def install_outbox_hooks(plan: Plan) -> None:
    """Kill points around every outbox row: before its INSERT and after it, inside the
    transaction of its fact (the commit comes later)."""
    import kspos.store.outbox

    append = kspos.store.outbox.append

    def append_between(*args: Any, **kwargs: Any) -> None:
        plan.reached("outbox_before")
        append(*args, **kwargs)
        plan.reached("outbox_after")

    kspos.store.outbox.append = append_between  # type: ignore[assignment]


def install_refund_hooks(context: Any, plan: Plan) -> None:
    """Kill points around a refund (and the undoing of a split's tenders): after the order
    is claimed, and after everything is recorded but before the claim is released."""
    import kspos.sales.refunds

    sales = context.sales
    give_back, release = sales._give_back, kspos.sales.refunds.release

    def claimed_then_give_back(*args: Any, **kwargs: Any) -> Any:
        plan.reached("refund_claimed")
        return give_back(*args, **kwargs)

    def release_after(db: Any, order_id: int, token: str) -> None:
        plan.reached("refund_before_release")
        release(db, order_id, token)

    sales._give_back = claimed_then_give_back
    kspos.sales.refunds.release = release_after  # type: ignore[assignment]


def build_context(data_dir: Path, port: int, plan: Plan) -> Any:
    from drivers.sim.reader import SimCardReader
    from kspos.config import VanSettings, demo_settings
    from kspos.context import AppContext
    from kspos.ports import Devices
    from kspos.store import Database

    settings = demo_settings(data_dir)
    settings = replace(settings, van=VanSettings(spec=f"tcp:127.0.0.1:{port}",
                                                 connect_timeout_s=2.0, response_timeout_s=3.0))
    db = Database(settings.db_path).open()
    install_commit_hooks(db, plan)
    install_outbox_hooks(plan)
    printer = KillPrinter(plan)
    devices = Devices(printer=printer, drawer=printer, card_reader=SimCardReader(),
                      van=KillLink("127.0.0.1", port, plan))
    context = AppContext.create(settings, db, devices, start_workers=False)
    install_refund_hooks(context, plan)
    return context


def recover(context: Any, plan: Plan) -> dict[str, int]:
    """What the app does at start-up: finish 망취소, print what was queued."""
    from kspos.sales.staff import Role

    plan.current_op = "recovery"
    plan.armed = plan.phase == "recovery"
    outcomes = context.van.resume_pending(force=True)
    jobs = context.printing.print_pending()
    plan.armed = False
    if context.current_day() is None:
        context.sales.days.open(context.staff.first(Role.OWNER), 100_000)
    return {"reversals": len(outcomes), "reversed": sum(o.done for o in outcomes),
            "reprinted": sum(j.printed for j in jobs)}


# --- the work -------------------------------------------------------------------------------


class Store:
    """One life's register: random orders, tenders, refunds and prints."""

    def __init__(self, context: Any, rng: random.Random) -> None:
        from kspos.sales.staff import Role

        self.context, self.rng = context, rng
        self.sales = context.sales
        self.cashier = context.staff.first(Role.CASHIER)
        self.owner = context.staff.first(Role.OWNER)
        self.items = [i for i in context.catalog.by_id.values() if not i.sold_out]

    def order(self, big: bool = False) -> Any:
        from kspos.sales.orders import Order

        order = Order()
        for _ in range(self.rng.randint(1, 4)):
            item = self.rng.choice(self.items)
            picks = [g.choices[self.rng.randrange(len(g.choices))].id
                     for g in item.groups if g.required and g.choices]
            qty = self.rng.randint(1, 3) if not big else self.rng.randint(4, 9)
            order.add(self.context.register.line_for(item, picks, qty))
        return order

    def card(self, decline: bool = False) -> Any:
        reader = self.context.devices.card_reader
        if decline:
            reader.insert_card("4000000000000002")
        return reader.read_card(0, 1)

    def tender(self, order: Any, method: str, amount: int) -> Any:
        from drivers.sim.reader import sample_signature
        from kspos.money import SIGNATURE_ABOVE_KRW
        from kspos.ports import Signature
        from kspos.sales.payments import CashReceiptRequest, Method, TenderRequest

        if method == "card":
            sign = Signature(sample_signature()) if amount > SIGNATURE_ABOVE_KRW else None
            request = TenderRequest(Method.CARD, amount, "", card=self.card(
                self.rng.random() < 0.05), signature=sign)
        elif method == "easypay":
            code = "281006" + "".join(self.rng.choice("0123456789") for _ in range(8)) + \
                f"{self.rng.randrange(1, 10_000):04d}"
            request = TenderRequest(Method.EASYPAY, amount, "", code=code)
        elif method == "cash_receipt":
            purpose = self.rng.choice(("deduction", "expense"))
            request = TenderRequest(Method.CASH, amount, "", tendered=amount + 1_000,
                                    cash_receipt=CashReceiptRequest(IDENTITY, purpose))
        else:
            request = TenderRequest(Method.CASH, amount, "", tendered=amount)
        return self.sales.take_tender(order, request, self.cashier)

    def sale(self, methods: tuple[str, ...]) -> None:
        order = self.order(big=self.rng.random() < 0.2)
        for n, method in enumerate(methods):
            due = self.sales.remaining(order) if order.id else order.total
            if due <= 0:
                break
            amount = due if n == len(methods) - 1 else max(1, due // self.rng.randint(2, 4))
            result = self.tender(order, method, amount)
            if not result.approved:
                return  # a decline: the order stays open, as at the counter
        if order.id is not None and order.state.value == "paid":
            self.print(order.id)

    def print(self, order_id: int) -> None:
        printing = self.context.printing
        printing.queue_order(order_id)
        printing.print_pending()

    def paid_order(self) -> int | None:
        rows = self.context.db.read(
            "SELECT id FROM sale_order WHERE state IN ('paid', 'partly_refunded') "
            "ORDER BY id DESC LIMIT 30")
        return self.rng.choice(rows)[0] if rows else None

    def refund(self, whole: bool) -> None:
        order_id = self.paid_order()
        if order_id is None:
            return
        line_qty = None
        if not whole:
            lines = self.context.db.read(
                "SELECT position, qty - refunded_qty FROM order_line WHERE order_id = ? "
                "AND qty > refunded_qty", (order_id,))
            if not lines:
                return
            position, left = self.rng.choice(lines)
            line_qty = {position: self.rng.randint(1, left)}
        self.sales.refund(order_id, self.owner, line_qty, "crash test",
                          cash_receipt_identity=IDENTITY)

    def undo_split(self) -> None:
        """A 복합결제 abandoned after its first tender: the tender goes back, the order is
        voided."""
        order = self.order()
        method = self.rng.choice(("card", "easypay", "cash_receipt", "cash"))
        result = self.tender(order, method, max(1, order.total // 2))
        if result.approved:
            self.sales.undo_tenders(order, self.cashier, "crash test",
                                    cash_receipt_identity=IDENTITY)

    OPS = (("card", 22), ("easypay", 12), ("cash_receipt", 12), ("cash", 5), ("mixed", 15),
           ("refund_lines", 12), ("refund_whole", 10), ("undo_split", 6), ("reprint", 4))

    def step(self, op: str) -> None:
        if op in ("card", "easypay", "cash_receipt", "cash"):
            self.sale((op,))
        elif op == "mixed":
            self.sale(self.rng.choice((("cash", "card"), ("cash_receipt", "card"),
                                       ("easypay", "card"), ("card", "easypay", "cash"))))
        elif op == "refund_lines":
            self.refund(whole=False)
        elif op == "refund_whole":
            self.refund(whole=True)
        elif op == "undo_split":
            self.undo_split()
        else:
            order_id = self.paid_order()
            if order_id is not None:
                self.context.printing.queue_order(order_id, reprint=True)
                self.context.printing.print_pending()

    def pick(self) -> str:
        names = [name for name, _ in self.OPS]
        return self.rng.choices(names, [w for _, w in self.OPS])[0]


def work(context: Any, plan: Plan, seed: int) -> None:
    from kspos.sales.orders import OrderError
    from kspos.sales.payments import PaymentError

    store = Store(context, random.Random(seed))
    plan.armed = plan.phase == "work"
    done = 0
    while True:
        op = store.pick()
        if plan.op not in ("", "any") and store.rng.random() < 0.7:
            op = plan.op  # a life aimed at one kind of work does mostly that
        plan.current_op = op
        try:
            store.step(op)
        except (PaymentError, OrderError) as exc:
            say(f"REFUSED {plan.life} {op} {json.dumps(str(exc), ensure_ascii=False)}")
        except Exception:
            detail = traceback.format_exc().strip().splitlines()
            say(f"EXC {plan.life} {op} {json.dumps(detail[-6:], ensure_ascii=False)}")
        done += 1
        if done % 10 == 0:
            say(f"OPS {plan.life} {done}")


def life(data_dir: Path, port: int, seed: int, number: int, plan_text: str) -> None:
    import faulthandler

    faulthandler.register(signal.SIGUSR1)  # the test asks for the stacks of a life that hangs
    plan = Plan(number, plan_text)
    context = build_context(data_dir, port, plan)
    summary = recover(context, plan)
    say(f"READY {number} {os.getpid()} {json.dumps(summary)}")
    os.kill(os.getpid(), signal.SIGSTOP)  # the test checks, then SIGCONT
    work(context, plan, seed * 100_003 + number)


def warm_imports() -> None:
    """Everything a life needs, imported once before the forks (no threads may exist yet)."""
    import sqlalchemy.orm  # noqa: F401
    import sqlmodel  # noqa: F401

    import drivers.sim.printer
    import drivers.sim.reader  # noqa: F401
    import kspos.context
    import kspos.receipts.printing
    import kspos.receipts.queue
    import kspos.receipts.raster
    import kspos.receipts.render
    import kspos.sales.service
    import kspos.sales.tenders
    import kspos.store.models
    import kspos.van.client
    import kspos.van.link  # noqa: F401
    from kspos.receipts.render import render
    from kspos.receipts.samples import sample_receipt

    render(sample_receipt(), "raster", 48)  # fonts found and loaded once, for every life


def zygote(data_dir: Path, port: int, seed: int) -> int:
    warm_imports()
    assert threading.active_count() == 1, "a thread before fork() would be copied half-alive"
    say(f"ZYGOTE {os.getpid()}")
    for line in sys.stdin:
        words = line.split()
        if not words or words[0] == "QUIT":
            break
        number, plan_text = int(words[1]), words[2]
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                life(data_dir, port, seed, number, plan_text)
            except BaseException:
                detail = traceback.format_exc().strip().splitlines()
                say(f"EXC {number} startup {json.dumps(detail[-8:], ensure_ascii=False)}")
                code = 3
            os._exit(code)
        _, status = os.waitpid(pid, 0)
        say(f"EXIT {number} {status}")
    return 0


def recover_only(data_dir: Path, port: int) -> int:
    plan = Plan(0, "time")
    context = build_context(data_dir, port, plan)
    summary = recover(context, plan)
    say(f"READY 0 {os.getpid()} {json.dumps(summary)}")
    context.close()
    return 0


def pay_once(data_dir: Path, port: int, fill: Path | None, lock: bool, when: str) -> int:
    """One card sale with a fault (a full disk or a locked database) either before anything
    is sent or right after the host approved; prints ``RESULT`` with what the cashier sees."""
    import sqlite3

    import kspos.store.db

    if lock:
        kspos.store.db.BUSY_TIMEOUT_MS = 300  # give up on the lock quickly (the app waits 5 s)
    plan = Plan(0, "time")
    context = build_context(data_dir, port, plan)
    recover(context, plan)
    store = Store(context, random.Random(5))
    order = store.order()
    holder: list[sqlite3.Connection] = []

    def fault() -> None:
        if fill is not None:
            with fill.open("wb", buffering=0) as out:  # unbuffered: nothing left to flush on close
                try:
                    while True:
                        out.write(b"\0" * 65_536)
                except OSError:
                    pass
        if lock:
            conn = sqlite3.connect(context.db.path, timeout=0, isolation_level=None)
            conn.execute("BEGIN EXCLUSIVE")
            holder.append(conn)

    if when == "before_send":
        fault()
    else:
        context.devices.van.after_answer = fault
    outcome: dict[str, Any] = {"error": False, "type": "", "message": ""}
    try:
        result = store.tender(order, "card", order.total)
        outcome["message"] = result.message
        outcome["approved"] = result.approved
    except Exception as exc:
        outcome.update(error=True, type=f"{type(exc).__module__}.{type(exc).__name__}",
                       message=str(exc))
    for conn in holder:
        conn.rollback()
        conn.close()
    say("RESULT " + json.dumps(outcome, ensure_ascii=False))
    os._exit(0)  # like a cashier closing the app after the error: no tidy shutdown


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="crash_driver")
    parser.add_argument("mode", choices=("zygote", "recover", "pay"))
    parser.add_argument("--fill", type=Path, help="pay: fill this file system (disk full)")
    parser.add_argument("--lock", action="store_true", help="pay: lock the database")
    parser.add_argument("--when", choices=("before_send", "after_response"),
                        default="before_send")
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--van-port", type=int, required=True)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if args.mode == "zygote":
        return zygote(args.data_dir, args.van_port, args.seed)
    if args.mode == "pay":
        return pay_once(args.data_dir, args.van_port, args.fill, args.lock, args.when)
    return recover_only(args.data_dir, args.van_port)


if __name__ == "__main__":
    sys.exit(main())
