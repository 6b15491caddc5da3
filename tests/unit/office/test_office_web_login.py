"""The back office's door, through Starlette's test client on a temp SQLite office: login,
sessions, CSRF, the throttle, the gate, security headers, and hostile requests (4xx with a
reason, never a 500)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from office.app import create_app
from office.store import OfficeStore
from office.web import login as login_page
from office.web.gate import safe_next
from tests.unit.office.web_rig import Browser, office

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
pytest.importorskip("starlette.testclient")

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "frame-ancestors 'none'; form-action 'self'")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[OfficeStore]:
    opened = office(tmp_path / "office.sqlite3")
    yield opened
    opened.close()


@pytest.fixture
def browser(store: OfficeStore) -> Browser:
    return Browser(store)


def _cookie(answer: object, name: str) -> str:
    headers = answer.headers.get_list("set-cookie")  # type: ignore[attr-defined]
    found = [h for h in headers if h.startswith(name + "=")]
    assert found, f"no {name} cookie in {headers}"
    return str(found[0]).lower()


def test_a_right_password_opens_a_session_and_the_pages(browser: Browser) -> None:
    answer = browser.login("kim", next_url="/sales")
    assert answer.status_code == 303 and answer.headers["location"] == "/sales"
    session = _cookie(answer, "kspos_session")
    assert "httponly" in session and "samesite=lax" in session and "secure" not in session
    page = browser.get("/sales")
    assert page.status_code == 200 and "판매집계" in page.text and "kim" in page.text


def test_a_wrong_password_shows_a_message_and_opens_nothing(browser: Browser) -> None:
    answer = browser.login("kim", "not-it")
    assert answer.status_code == 401
    assert "아이디 또는 비밀번호가 맞지 않습니다" in answer.text
    assert "kspos_session" not in answer.headers.get("set-cookie", "")
    assert browser.get("/today").status_code == 303
    unknown = browser.login("nobody", "whatever")
    assert unknown.status_code == 401 and "맞지 않습니다" in unknown.text  # same answer


def test_over_https_the_cookies_are_secure(store: OfficeStore) -> None:
    tls = Browser(store, base_url="https://testserver")
    form = tls.get("/login")
    assert "secure" in _cookie(form, "csrftoken")
    answer = tls.login("kim")
    assert answer.status_code == 303 and "secure" in _cookie(answer, "kspos_session")


def test_logout_ends_the_session(browser: Browser) -> None:
    browser.login("kim")
    assert browser.get("/today").status_code == 200
    assert browser.client.get("/logout").status_code == 405  # a link cannot log out
    assert browser.get("/today").status_code == 200
    answer = browser.post("/logout", {})
    assert answer.status_code == 303 and answer.headers["location"] == "/login"
    assert browser.get("/today").status_code == 303


@pytest.mark.parametrize("token", [None, "", "forged.token"])
def test_a_form_post_without_the_csrf_token_is_refused(browser: Browser,
                                                       token: str | None) -> None:
    browser.get("/login")
    data = {"login": "kim", "password": "kim-pw-1"}
    if token is not None:
        data["csrftoken"] = token
    answer = browser.post("/login", data, csrf=False)
    assert answer.status_code == 403 and "CSRF" in answer.text
    assert "kspos_session" not in answer.headers.get("set-cookie", "")


def test_a_cross_site_post_without_any_cookie_is_refused_too(store: OfficeStore) -> None:
    fresh = Browser(store)
    answer = fresh.client.post("/login", data={"login": "kim", "password": "kim-pw-1"})
    assert answer.status_code == 403


def test_a_logged_in_form_needs_the_token_as_well(browser: Browser) -> None:
    browser.login("boss")
    answer = browser.post("/admin/terminals", {"store": "S9", "terminal": "01"}, csrf=False)
    assert answer.status_code == 403
    assert "S9" not in browser.get("/admin").text


def test_five_failures_lock_the_login_with_a_message(browser: Browser,
                                                     store: OfficeStore) -> None:
    for _ in range(login_page.LOGIN_LIMIT):
        assert browser.login("kim", "guess").status_code == 401
    locked = browser.login("kim")  # the right password, but too late
    assert locked.status_code == 429 and "15분 후에 다시 시도하세요" in locked.text
    assert int(locked.headers["retry-after"]) > 0
    assert browser.get("/today").status_code == 303
    other = Browser(store, app=create_app(store))  # another office process: same count
    assert other.login("kim").status_code == 429
    assert other.login("lee").status_code == 303  # another login from the address still works


def test_the_lock_ends_after_the_window(store: OfficeStore) -> None:
    then = datetime.now() - login_page.WINDOW - timedelta(minutes=1)
    for _ in range(login_page.LOGIN_LIMIT):
        assert not login_page.attempt(store, "kim", "guess", "10.0.0.9", then).ok
    assert login_page.attempt(store, "kim", "guess", "10.0.0.9", then).locked_until
    assert login_page.attempt(store, "kim", "kim-pw-1", "10.0.0.9").ok


def test_an_address_is_locked_after_many_failures_over_logins(store: OfficeStore) -> None:
    for n in range(login_page.ADDRESS_LIMIT):
        assert not login_page.attempt(store, f"user{n}", "guess", "10.0.0.7").ok
    assert login_page.attempt(store, "kim", "kim-pw-1", "10.0.0.7").locked_until
    assert login_page.attempt(store, "kim", "kim-pw-1", "10.0.0.8").ok


def test_a_good_login_forgets_its_failures(store: OfficeStore) -> None:
    for _ in range(login_page.LOGIN_LIMIT - 1):
        login_page.attempt(store, "kim", "guess", "10.0.0.5")
    assert login_page.attempt(store, "kim", "kim-pw-1", "10.0.0.5").ok
    assert not login_page.attempt(store, "kim", "guess", "10.0.0.5").locked_until
    assert login_page.attempt(store, "kim", "kim-pw-1", "10.0.0.5").ok


def test_a_session_works_in_every_office_process(store: OfficeStore) -> None:
    first = Browser(store)
    first.login("kim")
    second = Browser(store, app=create_app(store))
    second.client.cookies = first.client.cookies
    assert second.get("/today").status_code == 200


def test_a_disabled_user_is_out_at_the_next_click(store: OfficeStore) -> None:
    owner, admin = Browser(store), Browser(store)
    owner.login("kim")
    admin.login("boss")
    assert admin.post("/admin/users/disable", {"login": "kim"}).status_code == 303
    assert owner.get("/today").status_code == 303
    assert owner.login("kim").status_code == 401


@pytest.mark.parametrize(("path", "location"), [
    ("/today", "/login?next=%2Ftoday"), ("/admin", "/login?next=%2Fadmin"),
    ("/sales?from=2026-12-01&to=2026-12-06",
     "/login?next=%2Fsales%3Ffrom%3D2026-12-01%26to%3D2026-12-06"),
    ("/nowhere", "/login?next=%2Fnowhere")])
def test_anonymous_pages_go_to_the_login_with_next(browser: Browser, path: str,
                                                   location: str) -> None:
    answer = browser.get(path)
    assert answer.status_code == 303 and answer.headers["location"] == location
    assert answer.text == ""


@pytest.mark.parametrize("path", ["/api/today", "/api/v1/menus", "/api/v1/facts"])
def test_anonymous_api_calls_are_401_json(browser: Browser, path: str) -> None:
    answer = browser.get(path)
    assert answer.status_code == 401 and answer.json()["error"]


def test_after_login_the_page_asked_for_opens(browser: Browser) -> None:
    first = browser.get("/sales?from=2026-12-01")
    assert first.headers["location"] == "/login?next=%2Fsales%3Ffrom%3D2026-12-01"
    form = browser.get(first.headers["location"])
    assert 'name="next" value="/sales?from=2026-12-01"' in form.text
    answer = browser.post("/login", {"login": "kim", "password": "kim-pw-1",
                                     "next": "/sales?from=2026-12-01"})
    assert answer.headers["location"] == "/sales?from=2026-12-01"


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/", "/\\evil.example",
                                    "javascript:alert(1)", "/%0d%0aSet-Cookie:x=1", "\t//evil",
                                    "/login?next=//evil", "evil.example", "/" + "a" * 600,
                                    "/\r\nLocation: //evil"])
def test_next_never_leaves_the_site(browser: Browser, target: str) -> None:
    assert not safe_next(target).startswith("//")
    answer = browser.post("/login", {"login": "kim", "password": "kim-pw-1", "next": target})
    assert answer.status_code == 303
    location = answer.headers["location"]
    # only an escaped path of this site is kept; everything else goes home
    assert location in ("/today", "/%0d%0aSet-Cookie:x=1"), location


def test_every_answer_carries_the_security_headers(browser: Browser) -> None:
    answers = [browser.get("/login"), browser.get("/today"), browser.get("/static/office.css"),
               browser.client.put("/login"), browser.get("/api/v1/health")]
    browser.login("kim")
    answers += [browser.get("/today"), browser.get("/admin"), browser.get("/nowhere")]
    for answer in answers:
        assert answer.headers["content-security-policy"] == CSP
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert answer.headers["x-frame-options"] == "DENY"
        assert answer.headers["referrer-policy"] == "same-origin"
    assert answers[-3].headers["cache-control"] == "no-store"
    assert answers[-1].status_code == 404 and "찾는 화면이 없습니다" in answers[-1].text


def test_the_stylesheet_is_served_by_the_office(browser: Browser) -> None:
    css = browser.get("/static/office.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")


def test_hostile_requests_get_a_4xx_with_a_reason(browser: Browser) -> None:
    browser.get("/login")
    cases = [
        browser.post("/login", {"login": "kim", "password": "x" * 100_000}),  # huge field
        browser.client.get("/login?q=" + "x" * 5000),
        browser.client.request("PUT", "/login"),
        browser.client.request("DELETE", "/admin"),
        browser.client.request("PATCH", "/today"),
        browser.client.post("/login", content=b"login=\xff\xfe", headers={
            "content-type": "application/x-www-form-urlencoded"}),
        browser.client.post("/login", files={"login": ("a", b"b")}),
        browser.client.post("/login", content=b"{}", headers={"content-type": "application/json"}),
        browser.client.post("/login", content=b"a=b", headers={
            "content-type": "application/x-www-form-urlencoded", "content-length": "abc"}),
        browser.client.get("/login", headers={"cookie": "x=" + "y" * 10_000}),
    ]
    for answer in cases:
        assert 400 <= answer.status_code < 500, (answer.status_code, answer.text[:200])
        assert answer.text.strip() and "Traceback" not in answer.text
    assert [a.status_code for a in cases] == [413, 414, 405, 405, 405, 400, 415, 415, 413, 400]


def test_sql_in_a_field_is_just_a_wrong_login(browser: Browser, store: OfficeStore) -> None:
    for text in ("' OR '1'='1", "kim'; DROP TABLE users; --", "kim\" OR 1=1 --"):
        answer = browser.login(text[:60], text)
        assert answer.status_code in (400, 401)
    assert browser.login("kim").status_code == 303  # the users table is still there


def test_a_non_utf8_cookie_is_400_not_500(store: OfficeStore) -> None:
    # httpx will not send such a header: the raw ASGI call, as a hostile client's bytes arrive
    import anyio

    app = create_app(store)
    sent: list[dict[str, object]] = []

    async def receive() -> dict[str, object]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, object]) -> None:
        sent.append(message)

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
             "method": "GET", "scheme": "http", "path": "/login", "raw_path": b"/login",
             "query_string": b"", "root_path": "", "headers": [(b"cookie", b"lang=\xff")],
             "client": ("127.0.0.1", 5000), "server": ("testserver", 80)}
    anyio.run(app, scope, receive, send)
    assert sent[0]["status"] == 400 and b"UTF-8" in sent[1]["body"]  # type: ignore[operator]


_text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=80)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(login=_text, password=_text, target=_text, query=_text)
def test_any_form_and_query_never_make_a_500(browser: Browser, login: str, password: str,
                                             target: str, query: str) -> None:
    browser.get("/login")
    answer = browser.post("/login", {"login": login, "password": password, "next": target})
    assert answer.status_code in (303, 400, 401, 429), answer.text[:200]
    if answer.status_code == 303:
        assert answer.headers["location"].startswith("/")
    assert browser.client.get("/login", params={"next": query}).status_code < 500
    assert browser.client.get("/lang/en", params={"next": query}).status_code == 303


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cookie=st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E),
                      max_size=120))
def test_any_cookie_header_never_makes_a_500(browser: Browser, cookie: str) -> None:
    for method, path in (("GET", "/login"), ("POST", "/login"), ("GET", "/api/today")):
        answer = browser.client.request(method, path, headers={
            "cookie": cookie, "content-type": "application/x-www-form-urlencoded"},
            content=b"login=kim&password=kim-pw-1")
        assert answer.status_code < 500, (method, path, answer.text[:200])
        if method == "POST":  # no form gets through without the CSRF field, whatever the cookie
            assert answer.status_code == 403


def test_a_stray_cookie_the_parser_refuses_is_dropped_not_a_500(store: OfficeStore) -> None:
    from starlette.testclient import TestClient

    client = TestClient(create_app(store), raise_server_exceptions=False)
    answer = client.get("/login", headers={"cookie": ")=x; lang=en; [bad]=1"})
    assert answer.status_code == 200 and '<html lang="en">' in answer.text


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=_text)
def test_any_query_value_on_a_logged_in_page_never_makes_a_500(browser: Browser,
                                                               value: str) -> None:
    if not browser.csrf:  # the first example logs in; the browser is kept between examples
        assert browser.login("boss").status_code == 303
    for path, name in (("/today", "store"), ("/api/today", "store"), ("/sales", "store"),
                       ("/admin", "done"), ("/login", "next")):
        answer = browser.client.get(path, params={name: value})
        assert answer.status_code in (200, 303, 404), (path, value, answer.text[:200])
