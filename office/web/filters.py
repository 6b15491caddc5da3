"""The filters the report pages share: a period (``from``, ``to``) and a store (``store``).

Their URLs are a contract (bookmarkable): ``/sales?from=YYYY-MM-DD&to=YYYY-MM-DD[&store=CODE]
[&by=...]``, and the same ``from``/``to``/``store`` on 카드 승인 내역 and 마감. A missing
period means this month so far; a bad one is a 400 with the reason in the page's language; a
store the user may not see is a 404 (:func:`office.web.access.require_store`), never its
figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import urlencode

from starlette.exceptions import HTTPException
from starlette.requests import Request

from office.web.access import current_user, require_store
from office.web.render import lang_of
from office.web.words import word

MAX_DAYS = 366 * 3  # a page's period; the CLI report goes further


@dataclass(frozen=True)
class Filter:
    """A page's period and the stores it reads (``store`` is "" for every store the user
    may see)."""

    start: date
    end: date
    store: str
    codes: frozenset[str]

    def query(self, **extra: str) -> str:
        """This filter (and ``extra``) as a query string for a link."""
        params = {"from": self.start.isoformat(), "to": self.end.isoformat()}
        if self.store:
            params["store"] = self.store
        params.update({k: v for k, v in extra.items() if v})
        return urlencode(params)


def bad_request(request: Request, key: str, **params: object) -> HTTPException:
    """A 400 whose page says ``key``'s sentence in the user's language."""
    return HTTPException(400, word(lang_of(request), key, **params))


def _day(request: Request, name: str, default: date) -> date:
    text = request.query_params.get(name, "")
    if not text:
        return default
    try:
        if len(text) != 10:
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        raise bad_request(request, "filter.err.date", name=name) from None


def read_filter(request: Request, today: date | None = None) -> Filter:
    """The filter of ``request``'s query (400 / 404 as the module says)."""
    today = today or date.today()
    start = _day(request, "from", today.replace(day=1))
    end = _day(request, "to", today)
    if end < start:
        raise bad_request(request, "filter.err.reversed")
    if (end - start).days >= MAX_DAYS:
        raise bad_request(request, "filter.err.too_long", days=MAX_DAYS)
    store = request.query_params.get("store", "")
    codes = frozenset({require_store(request, store)}) if store else current_user(request).stores
    return Filter(start, end, store, codes)


def presets(f: Filter, path: str, today: date, **keep: str) -> list[tuple[str, str, bool]]:
    """(word key, link, chosen) of the period buttons: 오늘, 어제, 이번 주, 이번 달, 지난 달;
    each link keeps the store and ``keep`` (the page's own parameters)."""
    first = today.replace(day=1)
    last_month_end = first - timedelta(days=1)
    periods = [("filter.today", today, today),
               ("filter.yesterday", today - timedelta(days=1), today - timedelta(days=1)),
               ("filter.week", today - timedelta(days=today.weekday()), today),
               ("filter.month", first, today),
               ("filter.last_month", last_month_end.replace(day=1), last_month_end)]
    return [(key, f"{path}?{Filter(a, b, f.store, f.codes).query(**keep)}",
             (a, b) == (f.start, f.end)) for key, a, b in periods]
