"""메뉴 배포 (``/menus``, admins only): publish a menu to one store or every store, and see
which terminals applied which version.

The menu is typed or pasted as TOML (the format of the demo menu) or as the JSON document; the
form starts with the document published last, so a price change is an edit of that. Publishing
goes through :func:`office.menus.publish`, which checks the document with the terminal's own
rules: the page lists every problem and stores nothing when there is one.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from office.menus import APPLY_WHEN, PublishError, publish, versions
from office.store import OfficeStore
from office.store import menus as menus_repo
from office.store import users as users_repo
from office.web.access import require_admin
from office.web.render import lang_of, page
from office.web.words import word

MAX_PROBLEMS = 20


def _state(store: OfficeStore) -> dict[str, Any]:
    with store.transaction() as conn:
        latest = menus_repo.latest_document(conn)
        codes = users_repo.store_list(conn)
    return {"versions": versions(store, limit=30), "stores": codes,
            "text": json.dumps(latest, ensure_ascii=False, indent=2) if latest else ""}


async def _show(request: Request, status: int = 200, problems: list[str] | None = None,
                form: FormData | None = None) -> Response:
    state = await run_in_threadpool(_state, request.app.state.store)
    if form is not None:
        state["text"] = str(form.get("menu") or "")
    done = request.query_params.get("done", "")
    return page(request, "menus.html", status, problems=problems or [],
                notice=word(lang_of(request), "menus.done", versions=done)
                if done and len(done) < 200 else "",
                form=form or {}, applies=APPLY_WHEN, **state)


async def overview(request: Request) -> Response:
    """The 메뉴 배포 page."""
    require_admin(request)
    return await _show(request)


def _data(text: str) -> Any:
    """The typed menu: a JSON document when it starts with ``{``, else TOML."""
    from kspos.menu.document import MenuDocumentError, from_toml

    text = text.strip()
    if not text:
        raise PublishError("the menu is empty")
    if text.startswith("{"):
        try:
            return json.loads(text)
        except ValueError as exc:
            raise PublishError(f"not JSON: {exc}") from None
    try:
        return from_toml(text)
    except MenuDocumentError as exc:
        raise PublishError(str(exc), exc.problems) from None


async def publish_menu(request: Request) -> Response:
    """POST /menus: publish the typed menu; back to the page with the versions made."""
    user = require_admin(request)
    form = await request.form()
    target = str(form.get("target") or "")
    stores = None if target == "all" else sorted({str(s) for s in form.getlist("store")})
    apply = str(form.get("apply") or "open")
    try:
        if stores is not None and not stores:
            raise PublishError(word(lang_of(request), "menus.err.no_store"))
        made = await run_in_threadpool(publish, request.app.state.store,
                                       _data(str(form.get("menu") or "")), stores, apply,
                                       user.login)
    except PublishError as exc:
        return await _show(request, 400, exc.problems[:MAX_PROBLEMS], form)
    done = ", ".join(f"{m.store or '*'} v{m.version}" for m in made)
    return RedirectResponse(f"/menus?{urlencode({'done': done})}", 303)
