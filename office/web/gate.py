"""The gate: no page and no data without a login (or, for the terminal API, a token).

An ASGI middleware inside the session middleware: it loads the session's user from the
database on every request (a disabled user is out at once, in every office process) and puts
it in the scope for :func:`office.web.access.current_user`. Anonymous:

- a page (GET/HEAD) → 303 to ``/login?next=<the page>``;
- ``/api/...`` → 401 JSON, except ``/api/v1/...`` with a Bearer token (the terminal API
  checks its token itself) and ``/api/v1/health``;
- any other method → 303 to ``/login``.
"""

from __future__ import annotations

import json
import logging
from urllib.parse import quote, urlsplit

from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Receive, Scope, Send

from office.store import OfficeStore, OfficeStoreError
from office.web.access import USER_KEY, load_user

log = logging.getLogger("office.web")

PUBLIC = frozenset({"/login", "/lang/ko", "/lang/en", "/api/v1/health", "/favicon.ico"})
PUBLIC_PREFIXES = ("/static/",)
HOME = "/today"
_NEXT_MAX = 512


def safe_next(target: str | None) -> str:
    """``target`` if it is a path on this site, else :data:`HOME` (no open redirect: no
    scheme, no host, no ``//`` or ``/\\`` that a browser reads as another host)."""
    if not target or len(target) > _NEXT_MAX or not target.startswith("/"):
        return HOME
    if target.startswith(("//", "/\\")) or any(ord(c) < 0x21 or c == "\\" for c in target):
        return HOME
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or parts.path.startswith("/login"):
        return HOME
    return target


async def _answer(send: Send, status: int, headers: list[tuple[bytes, bytes]],
                  body: bytes) -> None:
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def _json(reason: str) -> bytes:
    return json.dumps({"error": reason}).encode()


class LoginGate:
    """See the module docstring."""

    def __init__(self, app: ASGIApp, store: OfficeStore) -> None:
        self.app, self.store = app, store

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        if path.startswith(PUBLIC_PREFIXES):
            await self.app(scope, receive, send)
            return
        session = scope.get("session", {})
        login = session.get("login")
        user = None
        if isinstance(login, str):
            try:
                user = await run_in_threadpool(load_user, self.store, login)
            except OfficeStoreError as exc:
                log.warning("%s", exc)
                await _answer(send, 503, [(b"content-type", b"text/plain; charset=utf-8"),
                                          (b"retry-after", b"5")],
                              b"the office database is unavailable; try again later")
                return
            if user is None:
                session.clear()  # disabled or removed since the login
        scope[USER_KEY] = user
        if user is not None or path in PUBLIC or self._token_api(scope):
            await self.app(scope, receive, send)
        elif path.startswith("/api/v1/"):  # the terminal API: say what a terminal needs
            await _answer(send, 401, [(b"content-type", b"application/json"),
                                      (b"www-authenticate", b"Bearer")],
                          _json("a terminal token is needed (Authorization: Bearer ...)"))
        elif path.startswith("/api/"):
            await _answer(send, 401, [(b"content-type", b"application/json")],
                          _json("log in first"))
        else:
            await _answer(send, 303, [(b"location", self._login_url(scope).encode()),
                                      (b"content-length", b"0")], b"")

    @staticmethod
    def _token_api(scope: Scope) -> bool:
        """A terminal's request: /api/v1/... with a Bearer token (checked by the route)."""
        if not scope["path"].startswith("/api/v1/"):
            return False
        headers: dict[bytes, bytes] = dict(scope.get("headers") or [])
        return headers.get(b"authorization", b"")[:7].lower() == b"bearer "

    @staticmethod
    def _login_url(scope: Scope) -> str:
        if scope["method"] not in ("GET", "HEAD"):
            return "/login"
        target = scope["path"]
        query = scope.get("query_string", b"").decode("latin-1")
        if query:
            target += "?" + query
        return "/login?next=" + quote(safe_next(target), safe="")
