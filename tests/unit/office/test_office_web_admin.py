"""사용자·단말기 관리 and the scoping helpers, through Starlette's test client: who may open
what (owners only their stores, 404 for another's; /admin for admins only), adding users and
terminals from the forms, and the page shell (words in both languages, no inline script)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from office.app import create_app
from office.store import OfficeStore
from office.store import terminals as terminals_repo
from office.store import users as users_repo
from office.web.access import current_user, require_store
from office.web.render import TEMPLATES
from office.web.words import WORDS
from tests.unit.office.facts_data import batch, order
from tests.unit.office.web_rig import Browser, office

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
pytest.importorskip("starlette.testclient")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[OfficeStore]:
    opened = office(tmp_path / "office.sqlite3")
    yield opened
    opened.close()


async def _figures(request: Request) -> Response:
    """A stand-in for a report page: the figures of one store, through the helpers."""
    code = require_store(request, request.path_params["code"])
    user = current_user(request)
    return PlainTextResponse(f"figures of {code} for {user.login}; sees "
                             f"{','.join(sorted(user.stores))}")


def _with_probe(store: OfficeStore) -> Browser:
    app = create_app(store)
    app.router.routes.insert(0, Route("/probe/{code}", _figures))
    return Browser(store, app=app)


def test_an_owner_sees_their_store_and_a_404_for_any_other(store: OfficeStore) -> None:
    kim = _with_probe(store)
    kim.login("kim")
    mine = kim.get("/probe/S1")
    assert mine.status_code == 200 and mine.text == "figures of S1 for kim; sees S1"
    for other in ("S2", "S404"):  # another's store and no store answer alike
        answer = kim.get(f"/probe/{other}")
        assert answer.status_code == 404 and "figures" not in answer.text
        assert "찾는 화면이 없습니다" in answer.text


def test_an_admin_sees_every_store(store: OfficeStore) -> None:
    boss = _with_probe(store)
    boss.login("boss")
    assert boss.get("/probe/S2").text == "figures of S2 for boss; sees S1,S2"


@pytest.mark.parametrize("path", ["/admin", "/menus"])
def test_an_owner_cannot_open_the_admin_pages(store: OfficeStore, path: str) -> None:
    kim = Browser(store)
    kim.login("kim")
    answer = kim.get(path)
    assert answer.status_code == 403 and "권한이 없습니다" in answer.text
    assert "lee" not in answer.text and 'href="/admin"' not in answer.text
    refused = kim.post("/admin/terminals", {"store": "S1", "terminal": "02"})
    assert refused.status_code == 403 and "ksp_" not in refused.text


def test_the_nav_shows_an_owner_only_their_sections(store: OfficeStore) -> None:
    kim, boss = Browser(store), Browser(store)
    kim.login("kim")
    boss.login("boss")
    assert re.findall(r'<li><a href="(/\w+)"', kim.get("/today").text) == [
        "/today", "/sales", "/approvals", "/closing"]
    assert re.findall(r'<li><a href="(/\w+)"', boss.get("/today").text) == [
        "/today", "/sales", "/approvals", "/closing", "/menus", "/admin"]


def test_the_admin_page_lists_users_stores_and_terminals(store: OfficeStore) -> None:
    with store.transaction() as conn:
        terminals_repo.set_token(conn, "S1", "01", "a" * 64, "카운터")
    boss = Browser(store)
    boss.login("boss")
    page = boss.get("/admin").text
    for text in ("kim", "lee", "점주", "관리자", "전체 매장", "카운터", "S2"):
        assert text in page
    assert "a" * 64 not in page  # never a token hash


def test_an_admin_adds_a_terminal_and_sees_its_token_once(store: OfficeStore) -> None:
    boss = Browser(store)
    boss.login("boss")
    answer = boss.post("/admin/terminals", {"store": "S3", "terminal": "02", "name": "2층"})
    assert answer.status_code == 200 and answer.headers["cache-control"] == "no-store"
    token = re.search(r'id="token">(ksp_[\w-]+)<', answer.text)
    assert token and "한 번만" in answer.text
    bearer = {"Authorization": f"Bearer {token.group(1)}"}

    def one_order() -> dict[str, object]:
        return batch(order(store="S3", terminal="02"), store="S3", terminal="02")

    push = boss.client.post("/api/v1/facts", json=one_order(), headers=bearer)
    assert push.status_code == 200 and push.json()["stored"] == 1
    listing = boss.get("/admin").text
    assert "S3" in listing and "2층" in listing and token.group(1) not in listing
    assert boss.post("/admin/terminals/revoke", {"store": "S3", "terminal": "02"}
                     ).headers["location"] == "/admin?done=revoked"
    again = boss.client.post("/api/v1/facts", json=one_order(), headers=bearer)
    assert again.status_code == 401


@pytest.mark.parametrize(("fields", "message"), [
    ({"store": "s1!", "terminal": "01"}, "매장 코드는"),
    ({"store": "S1", "terminal": "100"}, "단말기 번호는"),
    ({"store": "S1", "terminal": "01", "name": "x" * 61}, "이름은 60자"),
])
def test_a_bad_terminal_form_says_why(store: OfficeStore, fields: dict[str, str],
                                      message: str) -> None:
    boss = Browser(store)
    boss.login("boss")
    answer = boss.post("/admin/terminals", fields)
    assert answer.status_code == 400 and message in answer.text and "ksp_" not in answer.text


def test_an_admin_adds_an_owner_who_can_then_log_in(store: OfficeStore) -> None:
    boss = Browser(store)
    boss.login("boss")
    answer = boss.client.post("/admin/users", data={
        "csrftoken": boss.csrf, "login": "park", "password": "park-pw", "role": "owner",
        "store": ["S1", "S2"]})
    assert answer.headers["location"] == "/admin?done=user_added"
    assert "사용자를 추가했습니다" in boss.get("/admin?done=user_added").text
    with store.transaction() as conn:
        park = users_repo.get(conn, "park")
    assert park is not None and park.stores == ("S1", "S2")
    assert park.password_hash.startswith("$argon2id$") and "park-pw" not in park.password_hash
    assert Browser(store).login("park", "park-pw").status_code == 303


@pytest.mark.parametrize(("fields", "message"), [
    ({"login": "kim", "password": "x", "role": "owner", "store": "S1"}, "이미 있는 아이디"),
    ({"login": "new", "password": "x", "role": "owner"}, "매장을 하나 이상"),
    ({"login": "new", "password": "x", "role": "owner", "store": "S9"}, "없는 매장"),
    ({"login": "new", "password": "x", "role": "admin", "store": "S1"}, "모든 매장을 봅니다"),
    ({"login": "new", "password": "", "role": "owner", "store": "S1"}, "비밀번호를 입력"),
    ({"login": "a b", "password": "x", "role": "owner", "store": "S1"}, "아이디는 영문"),
    ({"login": "new", "password": "x", "role": "root", "store": "S1"}, "권한을 고르세요"),
])
def test_a_bad_user_form_says_why(store: OfficeStore, fields: dict[str, str],
                                  message: str) -> None:
    boss = Browser(store)
    boss.login("boss")
    answer = boss.post("/admin/users", fields)
    assert answer.status_code == 400 and message in answer.text


def test_an_admin_cannot_disable_themselves(store: OfficeStore) -> None:
    boss = Browser(store)
    boss.login("boss")
    answer = boss.post("/admin/users/disable", {"login": "boss"})
    assert answer.status_code == 400 and "자기 자신은" in answer.text
    assert boss.post("/admin/users/disable", {"login": "ghost"}).status_code == 400
    assert boss.post("/admin/users/disable", {"login": "lee"}).status_code == 303
    assert Browser(store).login("lee").status_code == 401
    assert boss.post("/admin/users/enable", {"login": "lee"}).status_code == 303
    assert Browser(store).login("lee").status_code == 303


def test_the_english_switch(store: OfficeStore) -> None:
    kim = Browser(store)
    switched = kim.get("/lang/en?next=/login")
    assert switched.status_code == 303 and switched.headers["location"] == "/login"
    page = kim.get("/login").text
    assert '<html lang="en">' in page and "Log in" in page and "로그인" not in page
    assert kim.login("kim", "nope").text.count("Wrong login or password.") == 1
    kim.get("/lang/ko?next=/login")
    assert "로그인" in kim.get("/login").text
    kim.client.cookies.set("lang", "xx")
    assert '<html lang="ko">' in kim.get("/login").text


def test_both_languages_have_every_word_the_templates_use() -> None:
    assert set(WORDS["ko"]) == set(WORDS["en"])
    used: set[str] = set()
    for template in TEMPLATES.glob("*.html"):
        used |= set(re.findall(r"\bt\('([\w.]+)'\)", template.read_text(encoding="utf-8")))
    assert used and used <= set(WORDS["ko"]), used - set(WORDS["ko"])


def test_no_template_has_inline_script_or_style() -> None:
    for template in TEMPLATES.glob("*.html"):
        text = template.read_text(encoding="utf-8").lower()
        assert "style=" not in text and "<style" not in text
        # a script only from a file the office serves, never inline
        assert not re.search(r"<script(?![^>]*\bsrc=\"/static/)[^>]*>", text), template.name
        assert not re.search(r"<script[^>]*>[^<]+</script>", text), template.name
        assert not re.search(r"\son[a-z]+\s*=", text), template.name  # onclick= and co.


def test_the_session_key_is_made_once_and_shared(store: OfficeStore) -> None:
    with store.transaction() as conn:
        first = users_repo.session_secret(conn)
    with store.transaction() as conn:
        assert users_repo.session_secret(conn) == first and len(first) >= 48
