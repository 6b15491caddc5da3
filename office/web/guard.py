"""Hostile requests refused before anything reads them: a 4xx with a reason, never a 500.

The outermost middleware of the pages (the terminal API under ``/api/v1/`` has its own limits,
:mod:`office.api.ingest`). It also shields the CSRF library, which reads a whole form body into
memory and decodes cookies and bodies as UTF-8 without asking:

- a query string over :data:`MAX_QUERY` bytes → 414;
- a Cookie header over :data:`MAX_COOKIE` bytes or not UTF-8 → 400; a cookie the standard
  library's parser refuses (another program on the same host may set one) is dropped;
- a page asked with a method other than GET, HEAD or POST → 405;
- a POST that is not ``application/x-www-form-urlencoded`` → 415 (our forms send nothing
  else), over :data:`MAX_FORM` bytes → 413, not UTF-8 → 400.
"""

from __future__ import annotations

from http.cookies import CookieError, SimpleCookie

from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_QUERY = 2048
MAX_COOKIE = 8192
MAX_FORM = 64 * 1024
_FORM = b"application/x-www-form-urlencoded"


class Refused(Exception):
    """A request the guard answers itself."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status, self.reason = status, reason


def _parses(pair: str) -> bool:
    try:
        SimpleCookie().load(pair)
    except CookieError:
        return False
    return True


def _clean_cookies(value: bytes) -> bytes:
    """``value`` without the pairs the CSRF library's parser (``SimpleCookie``) would raise
    on: a stray cookie of another program must not make every page a 500."""
    try:
        text = value.decode("utf-8")
    except UnicodeDecodeError:
        raise Refused(400, "a cookie is not UTF-8") from None
    pairs = [p.strip() for p in text.split(";")]
    return "; ".join(p for p in pairs if "=" in p and _parses(p)).encode()


def _check_head(scope: Scope) -> Scope:
    """``scope`` checked, with its Cookie headers cleaned."""
    if len(scope.get("query_string", b"")) > MAX_QUERY:
        raise Refused(414, f"the query string is longer than {MAX_QUERY} bytes")
    headers = scope.get("headers") or []
    if sum(len(v) for k, v in headers if k == b"cookie") > MAX_COOKIE:
        raise Refused(400, "the cookies are too large")
    if not any(k == b"cookie" for k, _v in headers):
        return scope
    cleaned = [(k, _clean_cookies(v) if k == b"cookie" else v) for k, v in headers]
    return {**scope, "headers": cleaned}


def _check_form_head(scope: Scope) -> None:
    headers = dict(scope.get("headers") or [])
    if headers.get(b"content-type", b"").split(b";")[0].strip().lower() != _FORM:
        raise Refused(415, "a form is sent as application/x-www-form-urlencoded")
    declared = headers.get(b"content-length", b"0")
    if not declared.isdigit() or int(declared) > MAX_FORM:
        raise Refused(413, f"a form is at most {MAX_FORM} bytes")


async def _read_form(receive: Receive) -> bytes:
    chunks: list[bytes] = []
    size, more = 0, True
    while more:
        message = await receive()
        if message["type"] != "http.request":
            raise Refused(400, "the client went away")
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_FORM:
            raise Refused(413, f"a form is at most {MAX_FORM} bytes")
        chunks.append(chunk)
        more = message.get("more_body", False)
    body = b"".join(chunks)
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        raise Refused(400, "the form is not UTF-8") from None
    return body


class RequestGuard:
    """See the module docstring."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        try:
            scope = _check_head(scope)
            if scope["path"].startswith("/api/v1/"):
                await self.app(scope, receive, send)
                return
            if scope["method"] not in ("GET", "HEAD", "POST"):
                raise Refused(405, "a page is read with GET and sent with POST")
            if scope["method"] != "POST":
                await self.app(scope, receive, send)
                return
            _check_form_head(scope)
            body = await _read_form(receive)
        except Refused as refused:
            await _refuse(send, refused)
            return
        await self.app(scope, _replay(body, receive), send)


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()  # after the body: the disconnect, when it comes

    return replay


async def _refuse(send: Send, refused: Refused) -> None:
    headers = [(b"content-type", b"text/plain; charset=utf-8")]
    if refused.status == 405:
        headers.append((b"allow", b"GET, HEAD, POST"))
    await send({"type": "http.response.start", "status": refused.status, "headers": headers})
    await send({"type": "http.response.body", "body": refused.reason.encode()})
