"""The back office as a person uses it, in headless Chromium against a real ``kspos office
serve``: logging in and out, the throttle, scoping, the admin adding a terminal, the English
switch, and a phone-sized page without sideways scroll (screenshots saved to look at)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import Office

pytestmark = pytest.mark.timeout(180)


def _by(kind: str) -> Any:
    from selenium.webdriver.common.by import By

    return getattr(By, kind)


def _text(browser: Any) -> str:
    return str(browser.find_element(_by("TAG_NAME"), "body").text)


def _click(browser: Any, element: Any) -> None:
    """Click ``element`` and wait until the browser has left its page."""
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.wait import WebDriverWait

    page = browser.find_element(_by("TAG_NAME"), "html")
    element.click()
    WebDriverWait(browser, 15).until(expected_conditions.staleness_of(page))


def _login(browser: Any, office: Office, login: str, password: str | None = None,
           path: str = "/login") -> None:
    browser.get(office.url + path)
    browser.find_element(_by("NAME"), "login").send_keys(login)
    browser.find_element(_by("NAME"), "password").send_keys(
        password if password is not None else office.passwords[login])
    _click(browser, browser.find_element(_by("CSS_SELECTOR"), "form.stack button[type=submit]"))


def _phone(browser: Any) -> None:
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": True})


def _no_sideways_scroll(browser: Any) -> int:
    width = int(browser.execute_script("return document.documentElement.scrollWidth"))
    assert browser.execute_script("return window.innerWidth") == 390
    assert width <= 390, f"the page is {width} px wide on a 390 px phone"
    return width


def test_anonymous_pages_redirect_to_login_and_back(browser: Any, office: Office) -> None:
    browser.get(office.url + "/admin")
    assert browser.current_url == office.url + "/login?next=%2Fadmin"
    _login(browser, office, "boss", path="/login?next=%2Fadmin")
    assert browser.current_url == office.url + "/admin"
    assert "사용자·단말기 관리" in _text(browser)


def test_login_works_and_logout_ends_it(browser: Any, office: Office) -> None:
    _login(browser, office, "kim")
    assert browser.current_url == office.url + "/today"
    assert "kim" in _text(browser) and "매출 현황" in _text(browser)
    browser.save_screenshot(str(office.shots / "today-laptop.png"))
    _click(browser, browser.find_element(_by("CSS_SELECTOR"), "form[action='/logout'] button"))
    assert browser.current_url == office.url + "/login"
    browser.get(office.url + "/today")
    assert browser.current_url.startswith(office.url + "/login")


def test_a_wrong_password_shows_a_message(browser: Any, office: Office) -> None:
    _login(browser, office, "kim", "wrong password")
    assert browser.current_url == office.url + "/login"
    alert = browser.find_element(_by("CSS_SELECTOR"), "[role=alert]").text
    assert alert == "아이디 또는 비밀번호가 맞지 않습니다."
    browser.save_screenshot(str(office.shots / "login-wrong-password.png"))


def test_repeated_failures_lock_the_login(browser: Any, office: Office) -> None:
    for _ in range(5):
        _login(browser, office, "lee", "guess")
        assert "맞지 않습니다" in _text(browser)
    _login(browser, office, "lee")  # the right password, locked now
    alert = browser.find_element(_by("CSS_SELECTOR"), "[role=alert]").text
    assert "로그인 실패가 너무 많습니다" in alert and "분 후에 다시 시도하세요" in alert
    browser.get(office.url + "/today")
    assert browser.current_url.startswith(office.url + "/login")


def test_an_owner_sees_neither_admin_nor_another_store(browser: Any, office: Office) -> None:
    _login(browser, office, "kim")
    nav = [a.get_attribute("href") for a in browser.find_elements(_by("CSS_SELECTOR"),
                                                                    "nav a")]
    assert nav and not any(href.endswith("/admin") for href in nav)
    browser.get(office.url + "/admin")
    assert "이 화면을 볼 권한이 없습니다." in _text(browser) and "lee" not in _text(browser)
    browser.get(office.url + "/sales?store=S2")
    assert "찾는 화면이 없습니다." in _text(browser)
    browser.get(office.url + "/sales?store=S1")
    assert "판매집계" in _text(browser)
    chosen = browser.find_element(_by("CSS_SELECTOR"), "select[name=store] option[selected]")
    assert chosen.get_attribute("value") == "S1"
    # the store filter offers the owner's stores only
    offered = [o.get_attribute("value") for o in browser.find_elements(
        _by("CSS_SELECTOR"), "select[name=store] option")]
    assert offered == ["", "S1"]


def test_the_admin_adds_a_terminal_and_sees_its_token(browser: Any, office: Office) -> None:
    _login(browser, office, "boss", path="/login?next=%2Fadmin")
    form = browser.find_element(_by("CSS_SELECTOR"), "form[action='/admin/terminals']")
    form.find_element(_by("NAME"), "store").send_keys("S3")
    form.find_element(_by("NAME"), "terminal").send_keys("02")
    form.find_element(_by("NAME"), "name").send_keys("2층 카운터")
    _click(browser, form.find_element(_by("CSS_SELECTOR"), "button[type=submit]"))
    token = browser.find_element(_by("ID"), "token").text
    assert token.startswith("ksp_") and len(token) > 40
    assert "한 번만 보입니다" in _text(browser)
    browser.save_screenshot(str(office.shots / "admin-token.png"))
    _click(browser, browser.find_element(_by("LINK_TEXT"), "관리 화면으로"))
    page = _text(browser)
    assert "S3" in page and "2층 카운터" in page and token not in page
    browser.save_screenshot(str(office.shots / "admin-laptop.png"))


def test_the_language_switch_shows_english(browser: Any, office: Office) -> None:
    browser.get(office.url + "/login")
    _click(browser, browser.find_element(_by("LINK_TEXT"), "English"))
    assert browser.find_element(_by("TAG_NAME"), "h1").text == "Log in"
    _login(browser, office, "boss")
    assert "Users & terminals" in _text(browser) and "Log out" in _text(browser)
    browser.save_screenshot(str(office.shots / "today-english.png"))
    _click(browser, browser.find_element(_by("LINK_TEXT"), "한국어"))
    assert "사용자·단말기" in _text(browser)


@pytest.mark.parametrize("login", ["boss", "kim"])
def test_on_a_phone_nothing_scrolls_sideways(browser: Any, office: Office, login: str) -> None:
    _phone(browser)
    browser.get(office.url + "/login")
    _no_sideways_scroll(browser)
    browser.save_screenshot(str(office.shots / "phone-login.png"))
    _login(browser, office, login)
    for path in ("/today", "/admin") if login == "boss" else ("/today", "/sales?store=S1"):
        browser.get(office.url + path)
        _no_sideways_scroll(browser)
        name = path.strip("/").split("?")[0]
        browser.save_screenshot(str(office.shots / f"phone-{login}-{name}.png"))


def test_a_tablet_shows_the_admin_tables(browser: Any, office: Office) -> None:
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": 820, "height": 1180, "deviceScaleFactor": 1, "mobile": True})
    _login(browser, office, "boss", path="/login?next=%2Fadmin")
    header = browser.find_element(_by("CSS_SELECTOR"), "#users thead")
    assert header.is_displayed()
    assert int(browser.execute_script("return document.documentElement.scrollWidth")) <= 820
    browser.save_screenshot(str(office.shots / "tablet-admin.png"))


def _push_sale(office: Office, store: str, total: int, seq: int) -> None:
    """A sale of today through the terminal API, as ``kspos sync`` sends it."""
    import json
    import urllib.request
    from datetime import datetime

    from tests.unit.office.facts_data import batch, order, payment

    now = datetime.now()
    sold = order(store=store, total=total, seq=seq)
    sold["body"].update(business_day=now.date().isoformat(), created_at=now.isoformat(),
                        paid_at=now.isoformat())
    paid = payment(sold, seq=seq + 1)
    paid["body"]["created_at"] = now.isoformat()
    request = urllib.request.Request(
        office.url + "/api/v1/facts", data=json.dumps(batch(sold, paid, store=store)).encode(),
        headers={"Authorization": f"Bearer {office.tokens[store]}",
                 "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as answer:
        assert json.loads(answer.read())["stored"] == 2


def test_today_refreshes_itself_when_a_sale_arrives(browser: Any, office: Office) -> None:
    from selenium.webdriver.support.wait import WebDriverWait

    _login(browser, office, "kim")
    cell = browser.find_element(_by("CSS_SELECTOR"), "[data-store='S1'][data-field='net_sales']")
    before = cell.text
    assert before.endswith("원") and "S2" not in _text(browser)
    _push_sale(office, "S1", 12300, 101)
    WebDriverWait(browser, 40, poll_frequency=0.5).until(lambda _: cell.text != before)
    from kspos.money import parse_won

    assert parse_won(cell.text) == parse_won(before) + 12300
    assert browser.execute_script("return performance.getEntriesByType('navigation').length") == 1
    browser.save_screenshot(str(office.shots / "today-kim-laptop.png"))


def test_today_for_the_admin_on_a_phone(browser: Any, office: Office) -> None:
    _push_sale(office, "S2", 4500, 201)
    _phone(browser)
    _login(browser, office, "boss")
    assert "전체 매장" in _text(browser) and "S1" in _text(browser) and "S2" in _text(browser)
    _no_sideways_scroll(browser)
    browser.save_screenshot(str(office.shots / "phone-boss-today-figures.png"))
