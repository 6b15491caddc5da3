"""``GET /api/v1/menu`` and ``POST /api/v1/menu/applied``: terminals pull their store's menu.

The same terminal token as ``POST /api/v1/facts`` (401 without a live one); the store is the
token's, never a parameter: a terminal cannot read another store's menu (naming another store
or terminal in the request is 403). docs/office-api.md, "Menus".
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING, Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from office.api.ingest import _who, problem
from office.auth import bearer
from office.store import OfficeStoreError, OfficeUnavailable

if TYPE_CHECKING:
    from office.store import OfficeStore

MAX_VERSION = 2**31 - 1
MAX_BODY = 4096


class _Bad(Exception):
    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status, self.reason = status, reason


def _version(value: Any, name: str, low: int) -> int:
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 10:
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= MAX_VERSION:
        raise _Bad(422, f"{name} must be a whole number from {low} to {MAX_VERSION}")
    return value


def _same_terminal(who: tuple[str, str], store: Any, terminal: Any) -> None:
    if (store is not None and store != who[0]) or (terminal is not None and terminal != who[1]):
        raise _Bad(403, "this token is for another store or terminal")


def _newest(store: OfficeStore, code: str, have: int) -> dict[str, Any] | None:
    from office.store import menus as repo

    with store.transaction() as conn:
        return repo.newest_for(conn, code, have)


def _applied(store: OfficeStore, who: tuple[str, str], version: int) -> bool:
    from office.store import menus as repo

    with store.transaction() as conn:
        if not repo.is_visible(conn, who[0], version):
            raise _Bad(422, f"version {version} was not published to store {who[0]}")
        return repo.record_applied(conn, who[0], who[1], version, datetime.now())


async def _terminal(request: Request) -> tuple[str, str] | JSONResponse:
    token = bearer(request.headers.get("authorization"))
    if token is None:
        return problem(401, "a terminal token is needed (Authorization: Bearer ...)",
                       **{"WWW-Authenticate": "Bearer"})
    who = await run_in_threadpool(_who, request.app.state.store, token)
    if who is None:
        return problem(401, "unknown or revoked terminal token",
                       **{"WWW-Authenticate": 'Bearer error="invalid_token"'})
    return who


def _unavailable(exc: OfficeStoreError) -> JSONResponse:
    what = "unavailable" if isinstance(exc, OfficeUnavailable) else "in trouble"
    return problem(503, f"the office database is {what}; try again later",
                   **{"Retry-After": "5"})


async def get_menu(request: Request) -> Response:
    """The newest version for the token's store newer than ``?have=N`` (200), or 204."""
    try:
        who = await _terminal(request)
        if isinstance(who, JSONResponse):
            return who
        params = request.query_params
        _same_terminal(who, params.get("store"), params.get("terminal"))
        have = _version(params.get("have", "0"), "have", 0)
        row = await run_in_threadpool(_newest, request.app.state.store, who[0], have)
    except _Bad as exc:
        return problem(exc.status, exc.reason)
    except OfficeStoreError as exc:
        return _unavailable(exc)
    if row is None:
        return Response(status_code=204)
    return JSONResponse({"store": who[0], "version": row["version"], "apply": row["apply"],
                         "published_at": row["published_at"].isoformat(timespec="seconds"),
                         "published_by": row["published_by"], "document": row["document"]})


async def post_applied(request: Request) -> JSONResponse:
    """``{"version": N}``: the token's terminal applied version N (recorded once)."""
    try:
        who = await _terminal(request)
        if isinstance(who, JSONResponse):
            return who
        kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if kind != "application/json":
            raise _Bad(415, "send application/json")
        raw = await request.body()
        if len(raw) > MAX_BODY:
            raise _Bad(413, f"at most {MAX_BODY} bytes")
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            raise _Bad(400, "the body is not UTF-8 JSON") from None
        if not isinstance(data, dict):
            raise _Bad(422, 'send {"version": N}')
        _same_terminal(who, data.get("store"), data.get("terminal"))
        version = _version(data.get("version"), "version", 1)
        new = await run_in_threadpool(_applied, request.app.state.store, who, version)
    except _Bad as exc:
        return problem(exc.status, exc.reason)
    except OfficeStoreError as exc:
        return _unavailable(exc)
    return JSONResponse({"store": who[0], "terminal": who[1], "version": version,
                         "recorded": new})
