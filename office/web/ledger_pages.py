"""카드 승인 내역 (``/approvals``) and 마감 (``/closing``: Z reports and 부가세 자료).

카드 승인 내역 searches the approvals of a period by amount, approval number and the card's
last four digits; it shows the masked PAN and nothing more of a card (the office never has
more), and marks cancelled, partly cancelled and 망취소 approvals. 마감 lists each terminal's
Z per business day with its cash count and 과부족, and the 부가세 신고 자료 of a quarter.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from office.store import OfficeStore
from office.store import sales as sales_repo
from office.web.filters import Filter, bad_request, presets, read_filter
from office.web.render import page

AMOUNT = re.compile(r"[0-9]{1,12}")
APPROVAL_NO = re.compile(r"[0-9A-Za-z]{1,20}")
LAST4 = re.compile(r"[0-9]{4}")
SHOWN = 500  # approvals on one page; a narrower search finds the rest


def _search(request: Request) -> dict[str, str]:
    """The search fields as typed (validated: a wrong one is a 400 that says which)."""
    fields = {name: request.query_params.get(name, "").strip().replace(",", "")
              for name in ("amount", "approval", "last4")}
    for name, pattern in (("amount", AMOUNT), ("approval", APPROVAL_NO), ("last4", LAST4)):
        if fields[name] and not pattern.fullmatch(fields[name]):
            raise bad_request(request, f"approvals.err.{name}")
    return fields


def _names(store: OfficeStore, f: Filter) -> list[tuple[str, str]]:
    with store.transaction() as conn:
        return [(c, n) for c, n in sales_repo.known_stores(conn) if c in f.codes]


def _approvals(store: OfficeStore, f: Filter, search: dict[str, str]) -> list[Any]:
    with store.transaction() as conn:
        return sales_repo.card_approvals(
            conn, f.codes, f.start, f.end,
            amount=int(search["amount"]) if search["amount"] else None,
            approval_no=search["approval"] or None, last4=search["last4"] or None,
            limit=SHOWN + 1)


async def approvals(request: Request) -> Response:
    """The 카드 승인 내역 page."""
    f, search = read_filter(request), _search(request)
    store = request.app.state.store
    found = await run_in_threadpool(_approvals, store, f, search)
    names = await run_in_threadpool(_names, store, f)
    shown = found[:SHOWN]
    approved = sum(a.amount - a.refunded for a in shown if a.status != "reversed")
    return page(request, "approvals.html", f=f, search=search, rows=shown,
                more=len(found) > SHOWN, approved=approved, stores=names,
                presets=presets(f, "/approvals", date.today(), **search), keep={},
                extra=[("amount", "approvals.amount", search["amount"], "numeric"),
                       ("approval", "approvals.approval_no", search["approval"], "text"),
                       ("last4", "approvals.last4", search["last4"], "numeric")])


def _quarter(request: Request, today: date) -> tuple[int, int]:
    text = request.query_params.get("quarter", "")
    if not text:
        return today.year, (today.month - 1) // 3 + 1
    match = re.fullmatch(r"([0-9]{4})-Q([1-4])", text)
    if match is None or not 2000 <= int(match[1]) <= 2100:
        raise bad_request(request, "closing.err.quarter")
    return int(match[1]), int(match[2])


def _closing(store: OfficeStore, f: Filter, year: int, quarter: int) -> dict[str, Any]:
    with store.transaction() as conn:
        return {"closings": sales_repo.closings(conn, f.codes, f.start, f.end),
                "vat": sales_repo.vat_quarter(conn, f.codes, year, quarter),
                "stores": [(c, n) for c, n in sales_repo.known_stores(conn) if c in f.codes]}


def _quarters(today: date, count: int = 8) -> list[str]:
    """The last ``count`` quarters, newest first, as ``YYYY-Qn``."""
    year, quarter = today.year, (today.month - 1) // 3 + 1
    out = []
    for _ in range(count):
        out.append(f"{year}-Q{quarter}")
        year, quarter = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    return out


async def closing(request: Request) -> Response:
    """The 마감 page: Z reports of the period, 부가세 자료 of a quarter."""
    today = date.today()
    f = read_filter(request)
    year, quarter = _quarter(request, today)
    data = await run_in_threadpool(_closing, request.app.state.store, f, year, quarter)
    rows = data["closings"]
    chosen = f"{year}-Q{quarter}"
    return page(request, "closing.html", f=f, quarter=chosen, quarters=_quarters(today),
                over_short=sum(c.over_short for c in rows),
                presets=presets(f, "/closing", today, quarter=chosen),
                keep={"quarter": chosen}, **data)
