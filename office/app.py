"""The office's ASGI app (Starlette): the terminal API and the web back office.

Stateless: everything lives in the database (the session key too), so several processes
behind one address serve alike (``kspos office serve`` starts one; run more under any process
manager).

Middleware, outermost first: security headers on every answer; the request guard (hostile
requests refused with a 4xx, :mod:`office.web.guard`); session and CSRF
(:mod:`office.web.security`); the login gate (:mod:`office.web.gate`); then the routes.
"""

from __future__ import annotations

from datetime import date

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from office.api.ingest import post_facts, problem
from office.api.menus import get_menu, post_applied
from office.store import OfficeStore
from office.store import users as users_repo
from office.web import admin, ledger_pages, login, menus_page, pages, sales_page, today
from office.web.gate import LoginGate
from office.web.guard import RequestGuard
from office.web.render import STATIC
from office.web.security import protect

SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"content-security-policy", b"default-src 'self'; script-src 'self'; style-src 'self'; "
                                 b"img-src 'self' data:; frame-ancestors 'none'; "
                                 b"form-action 'self'"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
]


class SecurityHeaders:
    """Adds :data:`SECURITY_HEADERS` to every answer (a plain ASGI middleware)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *SECURITY_HEADERS]
            await send(message)

        await self.app(scope, receive, with_headers)


async def health(_request: Request) -> JSONResponse:
    """Liveness for a load balancer: no data, no login."""
    return JSONResponse({"ok": True})


async def _crash(_request: Request, _exc: Exception) -> Response:
    # the traceback goes to the server's log (uvicorn), never to the client
    return problem(500, "internal error")


def routes() -> list[BaseRoute]:
    """Every route of the office: the terminal API, then the pages."""
    return [
        Route("/api/v1/facts", post_facts, methods=["POST"]),
        Route("/api/v1/menu", get_menu, methods=["GET"]),
        Route("/api/v1/menu/applied", post_applied, methods=["POST"]),
        Route("/api/v1/health", health, methods=["GET"]),
        Route("/login", login.login_form, methods=["GET"]),
        Route("/login", login.login_post, methods=["POST"]),
        Route("/logout", login.logout, methods=["POST"]),
        Route("/lang/{lang:str}", login.set_lang, methods=["GET"]),
        Route("/", pages.home, methods=["GET"]),
        Route("/today", today.today, methods=["GET"]),
        Route("/api/today", today.today_json, methods=["GET"]),
        *[Route(path, pages.soon, methods=["GET"]) for path in pages.SOON],
        Route("/sales", sales_page.sales, methods=["GET"]),
        Route("/sales.csv", sales_page.sales_csv, methods=["GET"]),
        Route("/sales.xlsx", sales_page.sales_xlsx, methods=["GET"]),
        Route("/approvals", ledger_pages.approvals, methods=["GET"]),
        Route("/closing", ledger_pages.closing, methods=["GET"]),
        Route("/menus", menus_page.overview, methods=["GET"]),
        Route("/menus", menus_page.publish_menu, methods=["POST"]),
        Route("/admin", admin.overview, methods=["GET"]),
        Route("/admin/terminals", admin.add_terminal, methods=["POST"]),
        *[Route(path, admin.change, methods=["POST"]) for path in (
            "/admin/users", "/admin/users/disable", "/admin/users/enable",
            "/admin/terminals/revoke")],
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]


def create_app(store: OfficeStore) -> Starlette:
    """The app over an opened :class:`~office.store.OfficeStore` (whose session key it
    reads, or makes on a database that ``kspos office init`` has not seen)."""
    with store.transaction() as conn:
        secret = users_repo.session_secret(conn)
    app = Starlette(routes=routes(),
                    middleware=[Middleware(SecurityHeaders), Middleware(RequestGuard),
                                Middleware(protect, secret=secret),
                                Middleware(LoginGate, store=store)],
                    exception_handlers={400: pages.http_error, 401: pages.http_error,
                                        403: pages.http_error, 404: pages.http_error,
                                        405: pages.http_error,
                                        500: _crash})
    app.state.store = store
    app.state.today = date.today  # the office's "today" (a test gives its own)
    return app
