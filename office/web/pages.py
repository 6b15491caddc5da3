"""The sections not built yet ("준비 중"), the home redirect, and error pages in HTML.

A section built later replaces its entry in :data:`SOON` with its own route.
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from office.api.ingest import problem
from office.web.render import lang_of, page
from office.web.words import word

SOON: dict[str, str] = {}  # every section is built; a new one starts here
_ADMIN_ONLY = {"/menus"}
_API_REASONS = {404: "no such page", 405: "method not allowed"}


async def home(_request: Request) -> Response:
    """``/`` → the first section."""
    return RedirectResponse("/today", 303)


async def soon(request: Request) -> Response:
    """A plain "준비 중" page for a section that is not built yet. It already honours the
    bookmarkable ``?store=CODE`` the way the real page will: another's store is a 404."""
    from office.web.access import require_admin, require_store

    if request.url.path in _ADMIN_ONLY:
        require_admin(request)
    store_code = request.query_params.get("store")
    if store_code is not None:
        require_store(request, store_code)
    return page(request, "soon.html", title_key=SOON[request.url.path],
                store_code=store_code or "")


async def http_error(request: Request, exc: Exception) -> Response:
    """HTTP errors: JSON under ``/api/``, a page with the reason elsewhere."""
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    detail = exc.detail if isinstance(exc, HTTPException) else "internal error"
    if request.url.path.startswith("/api/") or status >= 500:
        return problem(status, _API_REASONS.get(status, str(detail)))
    key = f"error.{status}"
    message = word(lang_of(request), key) if status in (403, 404, 405) else str(detail)
    return page(request, "error.html", status, message=message)
