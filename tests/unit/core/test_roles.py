"""Roles checked in the core, not only on the screens: the technician sells nothing, refunds
nothing and reads no sales; a logged-out terminal shows no 거래내역 and reprints nothing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from drivers.sim.printer import SimPrinter
from kspos.config import demo_settings
from kspos.context import AppContext
from kspos.ports import Devices
from kspos.reports.slips import CashCount, day_slip
from kspos.reports.summary import load_summary
from kspos.sales.staff import AuthError, Role
from kspos.store import Database


@pytest.fixture
def context(data_dir: Path) -> Iterator[AppContext]:
    settings = demo_settings(data_dir)
    db = Database(settings.db_path).open()
    ctx = AppContext.create(settings, db, Devices(printer=SimPrinter()), start_workers=False)
    yield ctx
    ctx.close()


def _paid_order(context: AppContext) -> int:
    register = context.register
    register.login("1111")
    context.sales.days.open(register.staff, 0)
    plain = next(i for i in context.catalog.by_id.values() if not i.groups and not i.sold_out)
    register.add_item(plain.id)
    register.pay_cash(50_000)
    assert register.last_paid is not None and register.last_paid.id is not None
    return register.last_paid.id


def test_a_technician_rings_up_nothing_and_refunds_nothing(context: AppContext) -> None:
    order_id = _paid_order(context)
    register = context.register
    register.login("9999")
    item = next(i for i in context.catalog.by_id.values() if not i.groups and not i.sold_out)
    with pytest.raises(AuthError, match="캐셔 또는 점주"):
        register.add_item(item.id)
    assert register.order.is_empty
    with pytest.raises(AuthError):
        register.refund(order_id)
    with pytest.raises(AuthError):
        register.history()


def test_a_logged_out_terminal_shows_no_history_and_reprints_nothing(
        context: AppContext) -> None:
    order_id = _paid_order(context)
    register, printing = context.register, context.printing
    assert printing is not None
    assert [s.id for s in register.history()] == [order_id]  # the cashier sees today's sales
    jobs = len(printing.pending())
    printing.reprint(order_id, register.staff)
    assert len(printing.pending()) == jobs + 1
    register.logout()
    with pytest.raises(AuthError, match="로그인"):
        register.history()
    with pytest.raises(AuthError, match="로그인"):
        printing.reprint(order_id, register.staff)
    assert len(printing.pending()) == jobs + 1


def test_sales_figures_are_the_owners(context: AppContext) -> None:
    _paid_order(context)
    today = date.today()
    path = context.db.path
    cashier, owner = context.staff.first(Role.CASHIER), context.staff.first(Role.OWNER)
    technician = context.staff.first(Role.TECHNICIAN)
    for who in (None, cashier, technician):
        with pytest.raises(AuthError):
            load_summary(path, today, today, who)
        with pytest.raises(AuthError):
            day_slip("X", path, context.settings.store, today.isoformat(), CashCount(0, 0),
                     viewer=who)
    assert load_summary(path, today, today, owner).totals.orders == 1
    slip = day_slip("X", path, context.settings.store, today.isoformat(), CashCount(0, 0),
                    viewer=owner)
    assert "  X 리포트 (중간 집계)  " in slip.as_text()


def test_a_logout_is_audited_like_a_login(context: AppContext) -> None:
    register = context.register
    member = register.login("1111")
    register.logout()
    assert context.db.read("SELECT action, staff_id FROM audit_log WHERE action IN "
                           "('login', 'logout') ORDER BY id") == [("login", member.id),
                                                                  ("logout", member.id)]
