"""판매집계 (``/sales``) and its downloads (``/sales.csv``, ``/sales.xlsx``).

The figures are :func:`office.store.sales.sales_summary`: kspos's own SalesSummary over the
rollups, so every number here means what it means in ``kspos report sales`` and at the
counter, and the CSV and XLSX are written by :mod:`kspos.reports.export` itself. The page
shows 구분·건수·금액, 기타정보, one grouping's table (``by``), pies of categories and items,
bars by hour and by day, and a weekday × hour heat map.
"""

from __future__ import annotations

import asyncio
import tempfile
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from kspos.reports.summary import GROUPINGS, SalesSummary, other_info, overview
from office.store import OfficeStore
from office.store import sales as sales_repo
from office.web import charts
from office.web.filters import Filter, bad_request, presets, read_filter
from office.web.render import lang_of, page
from office.web.words import word

DEFAULT_BY = "category"
HOURS = range(6, 24)  # the heat map's columns: a store's day; earlier sales still count


def _by(request: Request) -> str:
    by = request.query_params.get("by", DEFAULT_BY)
    if by not in GROUPINGS:
        raise bad_request(request, "sales.err.by", choices=", ".join(GROUPINGS))
    return by


def _load(store: OfficeStore, f: Filter) -> tuple[SalesSummary, list[tuple[str, str]]]:
    """The summary and the names of the filter's stores (for the store picker)."""
    with store.transaction() as conn:
        summary = sales_repo.sales_summary(conn, f.codes, f.start, f.end)
        names = [(c, n) for c, n in sales_repo.known_stores(conn) if c in f.codes]
    return summary, names


def _load_drawn(store: OfficeStore, f: Filter, lang: str
                ) -> tuple[SalesSummary, list[tuple[str, str]], dict[str, str]]:
    summary, names = _load(store, f)
    return summary, names, _charts(summary, lang) if summary.totals.orders else {}


def _heat_map(store: OfficeStore, f: Filter) -> sales_repo.HeatMap:
    with store.transaction() as conn:
        return sales_repo.weekday_hours(conn, f.codes, f.start, f.end)


def _charts(summary: SalesSummary, lang: str) -> dict[str, str]:
    other = word(lang, "sales.other")
    hours = summary.rows("hour")
    days = summary.rows("day")
    return {
        "category": charts.pie([(r.label, r.net_sales) for r in summary.rows("category")],
                               other),
        "item": charts.pie([(r.label, r.net_sales) for r in summary.rows("item")], other),
        "tender": charts.pie([(r.label, r.net_sales) for r in summary.rows("tender")], other),
        "hour": charts.bars([f"{int(r.key):02d}" for r in hours], [r.net_sales for r in hours]),
        "day": charts.bars([r.key[5:] for r in days], [r.net_sales for r in days],
                           label_every=max(1, len(days) // 14), width=1040, height=340),
    }


def _heat(heat: sales_repo.HeatMap, lang: str) -> dict[str, Any]:
    levels = charts.heat_levels([row[min(HOURS):] for row in heat.net_sales])
    weekdays = word(lang, "sales.weekdays").split(",")
    return {"hours": [f"{h:02d}" for h in HOURS],
            "rows": [(weekdays[d], [(levels[d][n], heat.net_sales[d][h], heat.orders[d][h])
                                    for n, h in enumerate(HOURS)]) for d in range(7)]}


async def sales(request: Request) -> Response:
    """The 판매집계 page."""
    f, by = read_filter(request), _by(request)
    lang = lang_of(request)
    store = request.app.state.store
    # The heat map's query runs beside the summary and its charts (two connections: on a
    # chain's month each is a good part of the page's time). Each reads its own snapshot: a
    # sale arriving between them shows in one and not yet in the other, as on any live page.
    (summary, names, drawn), heat = await asyncio.gather(
        run_in_threadpool(_load_drawn, store, f, lang), run_in_threadpool(_heat_map, store, f))
    return page(request, "sales.html", f=f, by=by, groupings=summary.groupings(), summary=summary,
                lines=overview(summary), info=other_info(summary), rows=summary.rows(by),
                charts=drawn, heat=_heat(heat, lang), stores=names,
                presets=presets(f, "/sales", date.today(), by=by), keep={"by": by})


def _filename(f: Filter, ext: str) -> str:
    store = f"_{f.store}" if f.store else ""
    return f"판매집계{store}_{f.start}_{f.end}.{ext}"


def _download(data: bytes, media: str, name: str) -> Response:
    # RFC 6266: an ASCII fallback and the UTF-8 name (Hangul) for browsers that read it
    disposition = f"attachment; filename=\"sales.{name.rsplit('.', 1)[1]}\"; " \
                  f"filename*=UTF-8''{quote(name)}"
    return Response(data, media_type=media, headers={"Content-Disposition": disposition,
                                                     "Cache-Control": "no-store"})


async def sales_csv(request: Request) -> Response:
    """``/sales.csv``: the grouping ``by`` as CSV for Excel (UTF-8 with a BOM)."""
    from kspos.reports.export import as_csv

    f, by = read_filter(request), _by(request)
    summary, _names = await run_in_threadpool(_load, request.app.state.store, f)
    return _download(as_csv(summary, by), "text/csv; charset=utf-8", _filename(f, "csv"))


def _xlsx(summary: SalesSummary) -> bytes:
    from kspos.reports.export import write_xlsx

    with tempfile.TemporaryDirectory(prefix="kspos-office-") as folder:
        path = Path(folder) / "sales.xlsx"
        write_xlsx(summary, GROUPINGS, path)
        return path.read_bytes()


async def sales_xlsx(request: Request) -> Response:
    """``/sales.xlsx``: 판매집계, every grouping and 부가세 신고 자료 as one workbook."""
    f = read_filter(request)
    summary, _names = await run_in_threadpool(_load, request.app.state.store, f)
    data = await run_in_threadpool(_xlsx, summary)
    return _download(data, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                     _filename(f, "xlsx"))
