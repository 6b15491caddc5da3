"""매출 현황 (``/today``): each store the user may see, today beside yesterday and the same
weekday last week; the page refreshes its figures itself (``/static/today.js`` reads
``/api/today`` every :data:`REFRESH_SECONDS`).

Figures come from :func:`office.store.sales.today_by_store` (the rollups kept at ingest:
live at every push). "Today" is the office's calendar date (``app.state.today``), which is
the terminals' business day unless a store trades past midnight.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from kspos.money import won_in
from office.store import OfficeStore
from office.store import sales as sales_repo
from office.web.access import current_user, require_store
from office.web.render import lang_of, page
from office.web.words import word

REFRESH_SECONDS = 20
ALL = "*"  # data-store of the row that sums every store shown


@dataclass(frozen=True)
class Row:
    """One store's card (or the sum of all, ``store == ALL``): raw numbers and what to show."""

    store: str
    name: str
    net_sales: int
    cells: dict[str, str]


def _change(now: int, then: int) -> str:
    if then <= 0:
        return "—"
    percent = round((now - then) * 100 / then)
    return f"{percent:+d}%".replace("-", "−")  # a real minus sign reads better


def _count(lang: str, n: int) -> str:
    return word(lang, "today.order" if n == 1 else "today.orders", n=f"{n:,}")


def _row(lang: str, store: str, name: str, figures: tuple[int, ...]) -> Row:
    net, orders, y_net, y_orders, w_net, w_orders = figures
    cells = {
        "net_sales": won_in(net, lang), "orders": _count(lang, orders),
        "yesterday": won_in(y_net, lang), "yesterday_orders": _count(lang, y_orders),
        "vs_yesterday": _change(net, y_net), "last_week": won_in(w_net, lang),
        "last_week_orders": _count(lang, w_orders), "vs_last_week": _change(net, w_net)}
    return Row(store, name, net, cells)


def _read(store: OfficeStore, codes: frozenset[str], day: date) -> list[sales_repo.StoreToday]:
    with store.transaction() as conn:
        return sales_repo.today_by_store(conn, codes, day)


async def _figures(request: Request) -> tuple[date, list[Row]]:
    """The rows for this user (or the one ``?store=`` they may see), the sum first when
    there are several."""
    user = current_user(request)
    chosen = request.query_params.get("store")
    codes = frozenset({require_store(request, chosen)}) if chosen is not None else user.stores
    day: date = request.app.state.today()
    found = await run_in_threadpool(_read, request.app.state.store, codes, day)
    lang = lang_of(request)
    rows = [_row(lang, s.store, s.name, (s.net_sales, s.orders, s.yesterday_net_sales,
                                         s.yesterday_orders, s.last_week_net_sales,
                                         s.last_week_orders)) for s in found]
    if len(found) > 1:
        sums = tuple(sum(getattr(s, f) for s in found) for f in (
            "net_sales", "orders", "yesterday_net_sales", "yesterday_orders",
            "last_week_net_sales", "last_week_orders"))
        rows.insert(0, _row(lang, ALL, word(lang, "today.all"), sums))
    return day, rows


def _as_of(request: Request) -> str:
    return word(lang_of(request), "today.as_of", time=datetime.now().strftime("%H:%M:%S"))


async def today(request: Request) -> Response:
    """The 매출 현황 page."""
    day, rows = await _figures(request)
    query = f"?store={request.query_params['store']}" if "store" in request.query_params else ""
    return page(request, "today.html", rows=rows, day=day.isoformat(), as_of=_as_of(request),
                refresh_url="/api/today" + query, every=REFRESH_SECONDS, all_key=ALL,
                weekday=word(lang_of(request), f"weekday.{day.weekday()}"))


async def today_json(request: Request) -> Response:
    """``/api/today``: the same figures for the page's refresh script (and nothing else)."""
    day, rows = await _figures(request)
    data: dict[str, Any] = {"day": day.isoformat(), "as_of": _as_of(request),
                            "stores": [{"store": r.store, "net_sales": r.net_sales,
                                        "cells": r.cells} for r in rows]}
    return JSONResponse(data, headers={"Cache-Control": "no-store"})
