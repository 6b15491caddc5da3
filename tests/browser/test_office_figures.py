"""The back office's figures in Chromium equal the terminals' own reports.

Two terminals of store A1 and one of B2 sell through the real core (``kspos demo-data``) and
push with ``kspos sync --once`` to a real ``kspos office serve``; an owner of A1 logs in with
Chromium and reads 판매집계, 카드 승인 내역 and 마감; every figure is compared with what
``kspos report sales`` prints on the terminals. Screenshots (laptop and phone) go to
``$KSPOS_SHOTS``.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.integration.cli.test_cli_contract import KSPOS
from tests.integration.office_link.rig import Office, Terminal, _env

pytestmark = pytest.mark.timeout(600)
DAYS = 3
END = date.today() - timedelta(days=1)
START = END - timedelta(days=DAYS - 1)
PERIOD = f"from={START}&to={END}"


@dataclass
class Chain:
    office: Office
    terminals: list[Terminal]
    password: str


def _user_add(office: Office, login: str, *args: str, password: str) -> None:
    done = subprocess.run([*KSPOS, "office", "user", "add", login, *args, "--database",
                           office.database], env=_env(office.folder), input=password + "\n",
                          text=True, capture_output=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="module")
def chain(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Chain]:
    folder = tmp_path_factory.mktemp("chain")
    office = Office(folder / "office", f"sqlite:///{folder / 'office.sqlite3'}").start()
    try:
        terminals = [Terminal(folder / f"{store}-{n}", store, n, office.url,
                              office.token(store, n))
                     for store, n in (("A1", "01"), ("A1", "02"), ("B2", "01"))]
        for seed, terminal in enumerate(terminals, start=1):
            terminal.sell(days=DAYS, orders=25, seed=seed)
            status, answer = terminal.sync()
            assert status == 0 and answer["pending"] == 0, answer
        _user_add(office, "a1owner", "--role", "owner", "--store", "A1", password="a1-pw-1")
        yield Chain(office, terminals, "a1-pw-1")
    finally:
        office.stop()


def _report(terminal: Terminal, by: str) -> dict[str, Any]:
    done = terminal.run("report", "sales", "--from", str(START), "--to", str(END), "--by", by,
                        "--format", "json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _login(browser: Any, chain: Chain) -> None:
    from selenium.webdriver.common.by import By

    browser.get(chain.office.url + "/login")
    browser.find_element(By.NAME, "login").send_keys("a1owner")
    browser.find_element(By.NAME, "password").send_keys(chain.password)
    browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(browser, 30).until(lambda b: "/login" not in b.current_url)


def _won(text: str) -> int:
    return int(re.sub(r"[^0-9-]", "", text))


def _overview(browser: Any) -> dict[str, tuple[int, int]]:
    from selenium.webdriver.common.by import By

    rows = browser.find_elements(By.CSS_SELECTOR, "table.figures tbody tr")
    out = {}
    for row in rows:
        label = row.find_element(By.CSS_SELECTOR, "th").text.strip()
        count, amount = (_won(td.text) for td in row.find_elements(By.CSS_SELECTOR, "td"))
        out[label] = (count, amount)
    return out


def test_the_owner_reads_the_same_figures_as_the_terminals(browser: Any, chain: Chain) -> None:
    from selenium.webdriver.common.by import By

    store_a = [t for t in chain.terminals if t.store == "A1"]
    totals = [_report(t, "tender")["totals"] for t in store_a]
    _login(browser, chain)
    browser.get(f"{chain.office.url}/sales?{PERIOD}&by=item")
    figures = _overview(browser)
    assert figures["순매출"] == (sum(t["orders"] for t in totals),
                              sum(t["net_sales"] for t in totals))
    assert figures["총매출"][1] == sum(t["gross"] for t in totals)
    assert figures["환불"][1] == sum(t["refunds"] for t in totals)
    # by item: every row's 금액 is the sum of the terminals' rows of that item
    expected: dict[str, int] = {}
    for terminal in store_a:
        for row in _report(terminal, "item")["rows"]:
            expected[row["label"]] = expected.get(row["label"], 0) + row["net_sales"]
    shown = {}
    for row in browser.find_elements(By.CSS_SELECTOR, "table.rows tbody tr"):
        cells = row.find_elements(By.CSS_SELECTOR, "td")
        shown[cells[1].text.strip()] = _won(cells[5].text)
    assert shown == expected
    # B2's figures are not A1's owner's: asking is a 404 page
    browser.get(f"{chain.office.url}/sales?{PERIOD}&store=B2")
    assert "찾는 화면이 없습니다." in browser.find_element(By.TAG_NAME, "body").text
    browser.get(f"{chain.office.url}/sales?{PERIOD}")
    browser.save_screenshot(str(_shots(chain) / "sales-laptop.png"))


def test_closing_lists_every_z_and_the_phone_page_fits(browser: Any, chain: Chain) -> None:
    from selenium.webdriver.common.by import By

    _login(browser, chain)
    browser.get(f"{chain.office.url}/closing?{PERIOD}")
    rows = browser.find_elements(By.CSS_SELECTOR, "table.rows tbody tr")
    assert len(rows) == DAYS * 2, browser.find_element(By.TAG_NAME, "body").text
    closes = [t.read("SELECT counted_cash FROM business_day WHERE closed_at IS NOT NULL "
                     f"AND day BETWEEN '{START}' AND '{END}'") for t in chain.terminals[:2]]
    counted = sorted(int(c) for rows_ in closes for (c,) in rows_)
    assert sorted(_won(r.find_elements(By.CSS_SELECTOR, "td")[4].text) for r in rows) == counted
    browser.get(f"{chain.office.url}/approvals?{PERIOD}")
    body = browser.find_element(By.TAG_NAME, "body").text
    assert re.search(r"\d{6}\*{6}\d{4}", body)  # masked PANs, and no longer digit run
    assert not re.search(r"\d{13,19}", body.replace(",", ""))
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True})
    for path in ("/sales", "/approvals", "/closing"):
        browser.get(f"{chain.office.url}{path}?{PERIOD}")
        assert browser.execute_script("return document.documentElement.scrollWidth") <= 390
    browser.save_screenshot(str(_shots(chain) / "closing-phone.png"))


def _shots(chain: Chain) -> Path:
    folder = Path(os.environ.get("KSPOS_SHOTS") or chain.office.folder)
    folder.mkdir(parents=True, exist_ok=True)
    return folder
