"""``/login``, ``/logout`` and the language switch ``/lang/ko|en``.

The throttle lives in the database (``login_failures``) so every office process counts the
same tries: after :data:`LOGIN_LIMIT` failures of one login, or :data:`ADDRESS_LIMIT` from one
address, in :data:`WINDOW`, further tries are refused (429) until the oldest of them is older
than the window. A try is written as a failure *before* the password is checked and removed
when it was right, and tries of one login take turns at that count
(:func:`office.store.users.serialize_login`), so parallel guesses cannot slip past it. A refused try is not
counted (a locked login unlocks on time). The address limit is higher than the login's: the
owners of a chain's stores may share one NAT address.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from office.auth import hash_password, needs_rehash, verify_password
from office.identity import PASSWORD_MAX
from office.store import OfficeStore
from office.store import users as users_repo
from office.web.access import USER_KEY
from office.web.gate import safe_next
from office.web.render import page
from office.web.words import LANGS, word

LOGIN_LIMIT = 5
ADDRESS_LIMIT = 20
WINDOW = timedelta(minutes=15)
LOGIN_MAX = 64
LANG_SECONDS = 365 * 24 * 3600


@dataclass(frozen=True)
class Attempt:
    """How a try went: ``ok``, or refused until ``locked_until``, or a wrong password."""

    ok: bool
    locked_until: datetime | None = None


def _start(store: OfficeStore, login: str, address: str, now: datetime) -> Attempt | str | None:
    """Check the throttle and note the try as a failure; the stored hash (None: no usable
    user), or an Attempt when locked."""
    with store.transaction() as conn:
        users_repo.serialize_login(conn, login)
        since = now - WINDOW
        by_login, by_address = users_repo.failures_since(conn, login, address, since)
        if by_login >= LOGIN_LIMIT or by_address >= ADDRESS_LIMIT:
            oldest = users_repo.oldest_failure_since(conn, login, address, since) or now
            return Attempt(False, oldest + WINDOW)
        users_repo.clear_failures(conn, login, before=now - 2 * WINDOW)  # housekeeping
        users_repo.record_failure(conn, login, address, now)
        record = users_repo.get(conn, login)
    return None if record is None or record.disabled else record.password_hash


def attempt(store: OfficeStore, login: str, password: str, address: str,
            now: datetime | None = None) -> Attempt:
    """One login try, throttled (blocking: run it in the thread pool)."""
    now = now or datetime.now()
    started = _start(store, login, address, now)
    if isinstance(started, Attempt):
        return started
    if not verify_password(started, password):  # the slow hash outside any transaction
        return Attempt(False)
    with store.transaction() as conn:
        users_repo.clear_failures(conn, login)
        if started and needs_rehash(started):
            users_repo.set_password_hash(conn, login, hash_password(password))
    return Attempt(True)


def _form_page(request: Request, status: int, message: str = "", login: str = "",
               target: str = "") -> Response:
    return page(request, "login.html", status, message=message, login=login,
                next=target or safe_next(request.query_params.get("next")))


async def login_form(request: Request) -> Response:
    """The login form (a logged-in user goes on to ``next``)."""
    if request.scope.get(USER_KEY) is not None:
        return RedirectResponse(safe_next(request.query_params.get("next")), 303)
    return _form_page(request, 200)


async def login_post(request: Request) -> Response:
    """Check a login; on success a fresh session and 303 to ``next``."""
    from office.web.render import lang_of

    form = await request.form()
    login, password = str(form.get("login") or ""), str(form.get("password") or "")
    target = safe_next(str(form.get("next") or ""))
    say = lang_of(request)
    if len(login) > LOGIN_MAX or len(password) > PASSWORD_MAX:
        return _form_page(request, 400, word(say, "login.too_long"), target=target)
    if not login or not password:
        return _form_page(request, 400, word(say, "login.empty"), login, target)
    address = request.client.host if request.client else "unknown"
    store: OfficeStore = request.app.state.store
    result = await run_in_threadpool(attempt, store, login, password, address)
    if result.locked_until is not None:
        minutes = max(1, -(-int((result.locked_until - datetime.now()).total_seconds()) // 60))
        response = _form_page(request, 429, word(say, "login.locked", minutes=minutes), login,
                              target)
        response.headers["Retry-After"] = str(minutes * 60)
        return response
    if not result.ok:
        return _form_page(request, 401, word(say, "login.bad"), login, target)
    request.session.clear()
    request.session["login"] = login
    return RedirectResponse(target, 303)


async def logout(request: Request) -> Response:
    """End the session (POST with CSRF: a link cannot log anyone out)."""
    request.session.clear()
    return RedirectResponse("/login", 303)


async def set_lang(request: Request) -> Response:
    """``/lang/ko`` or ``/lang/en``: remember the language in a cookie, back to ``next``."""
    lang = request.path_params["lang"]
    target = request.query_params.get("next")
    response = RedirectResponse("/login" if target == "/login" else safe_next(target), 303)
    if lang in LANGS:
        response.set_cookie("lang", lang, max_age=LANG_SECONDS, httponly=True, samesite="lax",
                            secure=request.url.scheme == "https")
    return response
