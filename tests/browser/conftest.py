"""The office's pages in a real browser: ``kspos office serve`` as a subprocess on a temp
SQLite office and a free loopback port, driven by Selenium through the system Chromium
(Debian's ``chromium`` and ``chromium-driver``, headless). Screenshots go to ``$KSPOS_SHOTS``
(default: a pytest temp dir)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.integration.cli.test_cli_contract import KSPOS
from tests.pg_rig import free_port

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
USERS = {"boss": ("admin", [], "boss-pw-1"), "kim": ("owner", ["S1"], "kim-pw-1"),
         "lee": ("owner", ["S2"], "lee-pw-1")}


@dataclass
class Office:
    """A running office: its URL, users' passwords, and where screenshots go."""

    url: str
    shots: Path
    passwords: dict[str, str]
    tokens: dict[str, str]  # store code → its terminal 01's token


def _kspos(env: dict[str, str], *args: str, password: str = "") -> str:
    done = subprocess.run([*KSPOS, "office", *args], env=env, input=password, text=True,
                          capture_output=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


@pytest.fixture(scope="session")
def office(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Office]:
    """``kspos office serve`` after ``office init``, two terminals and three ``user add``."""
    folder = tmp_path_factory.mktemp("office")
    env = dict(os.environ, KSPOS_DATA_DIR=str(folder / "data"),
               XDG_CONFIG_HOME=str(folder / "xdg"), QT_QPA_PLATFORM="offscreen")
    env.pop("KSPOS_CONFIG", None)
    database = ["--database", f"sqlite:///{folder / 'office.sqlite3'}"]
    _kspos(env, "init", *database)
    tokens = {store: _kspos(env, "terminal", "add", store, "01", *database)
              for store in ("S1", "S2")}
    for login, (role, stores, password) in USERS.items():
        flags = [flag for code in stores for flag in ("--store", code)]
        _kspos(env, "user", "add", login, "--role", role, *flags, *database,
               password=password + "\n")
    port = free_port()
    server = subprocess.Popen([*KSPOS, "office", "serve", "--port", str(port), *database],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_for(url, server)
        shots = Path(os.environ.get("KSPOS_SHOTS") or tmp_path_factory.mktemp("shots"))
        shots.mkdir(parents=True, exist_ok=True)
        yield Office(url, shots, {login: user[2] for login, user in USERS.items()}, tokens)
    finally:
        if server.poll() is None:
            os.kill(server.pid, signal.SIGTERM)
            server.wait(timeout=30)


def _wait_for(url: str, server: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/api/v1/health", timeout=2):
                return
        except OSError:
            assert server.poll() is None, server.communicate()[1]
            time.sleep(0.1)
    raise AssertionError("the office did not start")


@pytest.fixture
def browser() -> Iterator[Any]:
    """A fresh headless Chromium (its own profile), 1280×900 unless a test resizes it."""
    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        missing = (f"needs {CHROMIUM} and {CHROMEDRIVER} (Debian: chromium chromium-driver; "
                   "`make deb` as root installs them)")
        if os.environ.get("CI"):  # as the PostgreSQL rig: CI installs them, so missing is a bug
            pytest.fail(missing)
        pytest.skip(missing)
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="kspos-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--window-size=1280,900",
                 "--lang=ko-KR", f"--user-data-dir={profile}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
