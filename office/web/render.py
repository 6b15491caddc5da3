"""Pages from Jinja2 templates (autoescape on), in the language of the ``lang`` cookie.

:func:`page` is what a route returns: it passes every template the user, the words
(``t('key')``), the CSRF token for its forms and the navigation, and marks the answer
``Cache-Control: no-store`` (figures and tokens are not for a shared cache).
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

import jinja2
from starlette.requests import HTTPConnection
from starlette.responses import HTMLResponse

from office.web.access import USER_KEY
from office.web.words import DEFAULT, LANGS, word

TEMPLATES = Path(__file__).with_name("templates")
STATIC = Path(__file__).with_name("static")

# (path, word key, admin only): the back office's sections, in the order of the nav
NAV: tuple[tuple[str, str, bool], ...] = (
    ("/today", "nav.today", False),
    ("/sales", "nav.sales", False),
    ("/approvals", "nav.approvals", False),
    ("/closing", "nav.closing", False),
    ("/menus", "nav.menus", True),
    ("/admin", "nav.admin", True),
)

_env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                          undefined=jinja2.StrictUndefined, trim_blocks=True,
                          lstrip_blocks=True)


def lang_of(request: HTTPConnection) -> str:
    """The page language: the ``lang`` cookie when it names one we have, else Korean."""
    lang = request.cookies.get("lang", DEFAULT)
    return lang if lang in LANGS else DEFAULT


def page(request: HTTPConnection, template: str, status: int = 200,
         **context: Any) -> HTMLResponse:
    """``template`` rendered for this request's user and language."""
    lang = lang_of(request)
    user = request.scope.get(USER_KEY)
    csrf = request.scope.get("csrftoken")
    nav = [(path, key) for path, key, admin in NAV if user and (user.is_admin or not admin)]
    here = request.url.path
    html = _env.get_template(template).render(
        t=partial(word, lang), lang=lang, other_lang="en" if lang == "ko" else "ko",
        user=user, csrf=csrf() if callable(csrf) else "", nav=nav, here=here, **context)
    return HTMLResponse(html, status_code=status, headers={"Cache-Control": "no-store"})
