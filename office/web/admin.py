"""사용자·단말기 관리 (``/admin``, admins only): users and their stores, stores and terminals.

Every change is a POST with CSRF that ends in a 303 back to ``/admin?done=...`` (a reload does
not repeat it), except adding a terminal: that page shows the new token once and is never
stored or cached anywhere.
"""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from office.auth import hash_password, new_token, token_hash
from office.identity import LOGIN, PASSWORD_MAX, STORE_CODE, TERMINAL_NO
from office.store import OfficeStore
from office.store import terminals as terminals_repo
from office.store import users as users_repo
from office.web.access import require_admin
from office.web.render import lang_of, page
from office.web.words import word

NAME_MAX = 60
DONE = ("user_added", "user_disabled", "user_enabled", "revoked")


class FormError(Exception):
    """A form field is wrong; ``key`` names the message in the words."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _overview(store: OfficeStore) -> dict[str, Any]:
    with store.transaction() as conn:
        return {"users": users_repo.listing(conn), "stores": users_repo.store_list(conn),
                "terminals": terminals_repo.listing(conn)}


async def _show(request: Request, status: int = 200, error: str = "",
                form: FormData | None = None) -> Response:
    data = await run_in_threadpool(_overview, request.app.state.store)
    done = request.query_params.get("done", "")
    notice = word(lang_of(request), f"admin.done.{done}") if done in DONE else ""
    return page(request, "admin.html", status, error=error, notice=notice,
                form=form or {}, **data)


async def overview(request: Request) -> Response:
    """The administration page."""
    require_admin(request)
    return await _show(request)


def _new_user(store: OfficeStore, form: FormData) -> None:
    login, password = str(form.get("login") or ""), str(form.get("password") or "")
    role = str(form.get("role") or "")
    codes = sorted({str(c) for c in form.getlist("store")})
    if not LOGIN.fullmatch(login):
        raise FormError("admin.err.login")
    if not password or len(password) > PASSWORD_MAX:
        raise FormError("admin.err.password")
    if role not in users_repo.ROLES:
        raise FormError("admin.err.role")
    if role == "owner" and not codes:
        raise FormError("admin.err.owner_stores")
    if role == "admin" and codes:
        raise FormError("admin.err.admin_stores")
    hashed = hash_password(password)
    with store.transaction() as conn:
        if not set(codes) <= set(users_repo.store_list(conn)):
            raise FormError("admin.err.unknown_store")
        if users_repo.get(conn, login) is not None:
            raise FormError("admin.err.exists")
        users_repo.add(conn, login, hashed, role, codes)


def _set_disabled(store: OfficeStore, me: str, login: str, disabled: bool) -> None:
    if disabled and login == me:
        raise FormError("admin.err.self")
    with store.transaction() as conn:
        if not users_repo.set_disabled(conn, login, disabled):
            raise FormError("admin.err.no_user")


def _terminal_fields(form: FormData) -> tuple[str, str]:
    code, number = str(form.get("store") or "").strip(), str(form.get("terminal") or "").strip()
    if not STORE_CODE.fullmatch(code):
        raise FormError("admin.err.store")
    if not TERMINAL_NO.fullmatch(number):
        raise FormError("admin.err.terminal")
    return code, number


def _add_terminal(store: OfficeStore, form: FormData) -> tuple[str, str, str]:
    code, number = _terminal_fields(form)
    name = str(form.get("name") or "").strip()
    if len(name) > NAME_MAX:
        raise FormError("admin.err.name")
    token = new_token()
    with store.transaction() as conn:
        terminals_repo.set_token(conn, code, number, token_hash(token), name)
    return code, number, token


def _revoke(store: OfficeStore, form: FormData) -> None:
    code, number = _terminal_fields(form)
    with store.transaction() as conn:
        if not terminals_repo.revoke(conn, code, number):
            raise FormError("admin.err.no_token")


async def change(request: Request) -> Response:
    """POST /admin/users, /admin/users/disable|enable, /admin/terminals/revoke."""
    me = require_admin(request)
    form = await request.form()
    store: OfficeStore = request.app.state.store
    action = request.url.path.removeprefix("/admin/")
    try:
        if action == "users":
            await run_in_threadpool(_new_user, store, form)
            done = "user_added"
        elif action in ("users/disable", "users/enable"):
            disabled = action.endswith("disable")
            await run_in_threadpool(_set_disabled, store, me.login,
                                    str(form.get("login") or ""), disabled)
            done = "user_disabled" if disabled else "user_enabled"
        else:
            await run_in_threadpool(_revoke, store, form)
            done = "revoked"
    except FormError as exc:
        return await _show(request, 400, word(lang_of(request), exc.key), form)
    return RedirectResponse(f"/admin?done={done}", 303)


async def add_terminal(request: Request) -> Response:
    """POST /admin/terminals: register a terminal (or give it a new token) and show the
    token, once."""
    require_admin(request)
    form = await request.form()
    try:
        code, number, token = await run_in_threadpool(_add_terminal, request.app.state.store,
                                                      form)
    except FormError as exc:
        return await _show(request, 400, word(lang_of(request), exc.key), form)
    return page(request, "token.html", store_code=code, terminal=number, token=token)
