"""Sessions and CSRF from kept libraries, wired once: no hand-written session or crypto code.

- Sessions: Starlette's :class:`SessionMiddleware` (an itsdangerous-signed cookie holding only
  the login); HttpOnly, SameSite=Lax, 12 hours, and Secure when the request came over https.
- CSRF: ``asgi-csrf`` (double-submit cookie, signed): every POST to a page must carry the
  form field ``csrftoken`` matching the ``csrftoken`` cookie, also when the browser sends no
  cookie at all (the login form too); the terminal API under ``/api/`` is exempt (it is
  authenticated by a Bearer token, which a browser never sends by itself).
- Both keys come from the one secret kept in the database (``office_secrets``, made at
  ``kspos office init``), so every office process signs and checks alike.

Secure or not is chosen per request: the stack is built twice and the request's scheme (which
uvicorn takes from X-Forwarded-Proto behind a trusted proxy) picks one.
"""

from __future__ import annotations

import hashlib
from typing import Any

from asgi_csrf import Errors, asgi_csrf
from starlette.middleware.sessions import SessionMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

SESSION_COOKIE = "kspos_session"
SESSION_SECONDS = 12 * 3600
CSRF_FAILED = "csrf"  # the scope key the error page reads


class _EveryPage:
    """asgi-csrf's ``always_protect``: check a POST without cookies too, except the API."""

    def __contains__(self, path: object) -> bool:
        return isinstance(path, str) and not path.startswith("/api/")


def _skip(scope: dict[str, Any]) -> bool:
    return bool(scope["path"].startswith("/api/"))


def _derive(secret: str, purpose: str) -> str:
    # one stored secret, a separate key per use (a session cookie is never a CSRF token)
    return hashlib.sha256(f"{purpose}:{secret}".encode()).hexdigest()


async def _csrf_failed(_scope: Scope, send: Send, _error: Errors) -> None:
    body = ("양식이 만료되었습니다. 화면을 새로 고친 뒤 다시 시도하세요.\n"
            "The form has expired (CSRF check failed). Reload the page and try again.\n")
    await send({"type": "http.response.start", "status": 403,
                "headers": [(b"content-type", b"text/plain; charset=utf-8")]})
    await send({"type": "http.response.body", "body": body.encode()})


def _stack(app: ASGIApp, secret: str, secure: bool) -> ASGIApp:
    csrf = asgi_csrf(app, signing_secret=_derive(secret, "csrf"), always_protect=_EveryPage(),
                     skip_if_scope=_skip, cookie_secure=secure, send_csrf_failed=_csrf_failed)
    return SessionMiddleware(csrf, secret_key=_derive(secret, "session"),
                             session_cookie=SESSION_COOKIE, max_age=SESSION_SECONDS,
                             same_site="lax", https_only=secure)


def protect(app: ASGIApp, secret: str) -> ASGIApp:
    """``app`` behind sessions and CSRF, cookies Secure on https requests."""
    plain, tls = _stack(app, secret, False), _stack(app, secret, True)

    async def by_scheme(scope: Scope, receive: Receive, send: Send) -> None:
        await (tls if scope.get("scheme") in ("https", "wss") else plain)(scope, receive, send)

    return by_scheme
