"""The office's ASGI app (Starlette): the terminal API now, the back office pages later.

Stateless: everything lives in the database, so several processes behind one address serve
alike (``kspos office serve`` starts one; run more under any process manager).
"""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from office.api.ingest import post_facts, problem
from office.api.menus import get_menu, post_applied
from office.store import OfficeStore

SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"content-security-policy", b"default-src 'self'; frame-ancestors 'none'"),
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


async def _not_found(_request: Request, _exc: Exception) -> Response:
    return problem(404, "no such page")


async def _method(_request: Request, _exc: Exception) -> Response:
    return problem(405, "method not allowed")


async def _crash(_request: Request, _exc: Exception) -> Response:
    # the traceback goes to the server's log (uvicorn), never to the client
    return problem(500, "internal error")


def create_app(store: OfficeStore) -> Starlette:
    """The app over an opened :class:`~office.store.OfficeStore`."""
    app = Starlette(routes=[Route("/api/v1/facts", post_facts, methods=["POST"]),
                            Route("/api/v1/menu", get_menu, methods=["GET"]),
                            Route("/api/v1/menu/applied", post_applied, methods=["POST"]),
                            Route("/api/v1/health", health, methods=["GET"])],
                    exception_handlers={404: _not_found, 405: _method, 500: _crash})
    app.state.store = store
    app.add_middleware(SecurityHeaders)
    return app
