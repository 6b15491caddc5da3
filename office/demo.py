"""``kspos office serve --demo``: an office over three demo stores, filled the real way.

Each demo terminal is a real terminal: its own data dir and config (``[store] code``/
``terminal``, ``[office] url``/``token``), a history made by ``kspos demo-data`` through the
sales core (orders, split tenders, refunds, voids, 마감 with a cash count), and its outbox sent
to this office by ``kspos sync --once``, over HTTP, with its own token. Nothing is written into
the office's tables directly, so the demo shows what a chain's head office would see.

The terminals run as child processes once the server is listening, so the pages answer at
once and fill up within a minute; a second start reuses the data dir (``demo-data`` skips days
it already has, the pusher sends only what is pending).
"""

from __future__ import annotations

import random
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kspos.sales.demo_data import DemoStore
    from office.store import OfficeStore


@dataclass(frozen=True, slots=True)
class DemoStoreSpec:
    """One demo store: its code, its name on the pages, its terminals' numbers."""

    code: str
    name: str
    terminals: tuple[str, ...]


DEMO_STORES = (
    DemoStoreSpec("S0001", "강남역점", ("01", "02")),
    DemoStoreSpec("S0002", "홍대입구점", ("01",)),
    DemoStoreSpec("S0003", "판교점", ("01",)),
)
DEMO_DAYS = 42
DEMO_ORDERS_PER_DAY = 110
DEMO_LOGIN = "demo"
DEMO_OWNER = "hongdae"  # owner of S0002 only
LIVE_EVERY_S = (4.0, 12.0)  # between two live sales
LIVE_MENU_EVERY_S = 20.0  # a demo terminal asks for a newer menu this often
DEMO_PASSWORD = "demo1234"  # shown on the console at start; a demo is not a real office


@dataclass(frozen=True, slots=True)
class DemoTerminal:
    """A demo terminal's place on disk."""

    store: DemoStoreSpec
    number: str
    data_dir: Path

    @property
    def config(self) -> Path:
        return self.data_dir / "kspos.toml"

    @property
    def seed(self) -> int:
        return int(self.store.code[1:]) * 100 + int(self.number)


def demo_terminals(base: Path) -> list[DemoTerminal]:
    """Every demo terminal, under ``base`` (``<data dir>/office-demo``)."""
    return [DemoTerminal(spec, number, base / f"{spec.code}-{number}")
            for spec in DEMO_STORES for number in spec.terminals]


def _config_text(terminal: DemoTerminal, url: str, token: str) -> str:
    return (f'[store]\nname = "카페 예시 {terminal.store.name}"\n'
            f'code = "{terminal.store.code}"\nterminal = "{terminal.number}"\n\n'
            f'[office]\nurl = "{url}"\ntoken = "{token}"\n')


def register(store: OfficeStore, base: Path, url: str) -> list[DemoTerminal]:
    """Make the demo stores, give every demo terminal a fresh token and write its config.

    A token is kept only as its hash, so every start issues new ones (the old stop working).
    """
    from office.auth import new_token, token_hash
    from office.store import terminals

    made = []
    for terminal in demo_terminals(base):
        terminal.data_dir.mkdir(parents=True, exist_ok=True)
        token = new_token()
        with store.transaction() as conn:
            terminals.ensure_store(conn, terminal.store.code, terminal.store.name)
            terminals.set_token(conn, terminal.store.code, terminal.number,
                                token_hash(token), f"카운터 {terminal.number}")
        terminal.config.write_text(_config_text(terminal, url, token), encoding="utf-8")
        made.append(terminal)
    _demo_users(store)
    return made


def _demo_users(store: OfficeStore) -> None:
    """The demo's admin, and an owner of one store (to see what an owner sees)."""
    from office.auth import hash_password
    from office.store import users

    for login, role, codes in ((DEMO_LOGIN, "admin", []), (DEMO_OWNER, "owner", ["S0002"])):
        with store.transaction() as conn:
            if users.get(conn, login) is None:
                users.add(conn, login, hash_password(DEMO_PASSWORD), role, codes)


def _kspos(terminal: DemoTerminal, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "kspos.cli", "--config", str(terminal.config),
               "--data-dir", str(terminal.data_dir), *args]
    return subprocess.run(command, capture_output=True, text=True, check=False, timeout=900)


def fill(terminals: list[DemoTerminal], say: Callable[[str], None]) -> bool:
    """Make each terminal's history and today so far, and push it; True when every
    terminal's outbox is empty afterwards."""
    ok = True
    for terminal in terminals:
        who = f"{terminal.store.code}/{terminal.number}"
        if _history_needed(terminal):
            made = _kspos(terminal, "demo-data", "--days", str(DEMO_DAYS), "--orders-per-day",
                          str(DEMO_ORDERS_PER_DAY), "--seed", str(terminal.seed))
            if made.returncode != 0:
                say(f"demo: {who}: demo-data failed: {_last_line(made)}")
                ok = False
                continue
            say(f"demo: {who}: {_last_line(made)}")
        LiveTerminal(terminal).open_today()
        pushed = _kspos(terminal, "sync", "--once", "--batch", "2000")
        ok = ok and pushed.returncode == 0
        say(f"demo: {who}: sync: {_last_line(pushed)}")
    return ok


def _history_needed(terminal: DemoTerminal) -> bool:
    """False when the terminal already has today's business day open (a second start):
    ``demo-data`` fills only closed days before today, so it has nothing to add then."""
    live = LiveTerminal(terminal)
    try:
        live.close_stale_day()
        return not live.today_is_open()
    finally:
        live.close()


class LiveTerminal:
    """A demo terminal in this process: today's sales, one at a time, pushed at once."""

    def __init__(self, terminal: DemoTerminal) -> None:
        from kspos.config import load_settings
        from kspos.store import Database
        from kspos.sync.menus import MenuPuller
        from kspos.sync.pusher import Pusher

        settings = load_settings(terminal.config, terminal.data_dir)
        url, token = settings.office.url, settings.office.token
        self.terminal = terminal
        self.db = Database(settings.db_path, settings.identity).open()
        self.pusher = Pusher(self.db, url, token, settings.identity)
        self.menus = MenuPuller(self.db, url, token, every_s=LIVE_MENU_EVERY_S)
        self._store: DemoStore | None = None

    def today_is_open(self) -> bool:
        from kspos.sales.days import BusinessDays

        current = BusinessDays(self.db).current()
        return current is not None and current.day == date.today().isoformat()

    def close_stale_day(self) -> None:
        """Close a day left open by an earlier start on an earlier date (cash as expected)."""
        from kspos.sales.days import BusinessDays
        from kspos.sales.staff import Role, StaffDirectory

        days = BusinessDays(self.db)
        current = days.current()
        if current is None or current.day == date.today().isoformat():
            return
        owner = next((p for p in StaffDirectory(self.db).all() if p.role is Role.OWNER), None)
        days.close(owner, days.expected_cash(current.id))

    def _demo_store(self) -> DemoStore:
        if self._store is None:
            from kspos.sales.demo_data import DemoStore

            self._store = DemoStore(self.db, random.Random(self.terminal.seed * 7919),
                                    batch=1)
        return self._store

    def open_today(self) -> bool:
        """Open today with the morning's orders unless a day is already open; then close."""
        from kspos.sales.days import BusinessDays
        from kspos.sales.demo_data import DemoStats

        try:
            if BusinessDays(self.db).current() is not None:
                return False
            self._demo_store().open_today(datetime.now(), DEMO_ORDERS_PER_DAY, DemoStats())
            return True
        finally:
            self.close()

    def sale(self) -> int:
        """One order now on the open day, pushed; the facts sent. A menu the office published
        to apply at once is applied after the sale (between orders, as the POS does)."""
        from kspos.menu.updates import apply_due
        from kspos.sales.demo_data import DemoStats

        if not self.today_is_open():
            return 0
        self._demo_store().sale_at(datetime.now(), DemoStats())
        sent = self.pusher.push_pending().sent
        self.menus.sync()  # as the POS's pusher does after a pass: report, pull when due
        if apply_due(self.db) is not None:
            self._store = None  # the next sale rings up the new menu
            sent += self.pusher.push_pending().sent
            self.menus.sync()  # "applied" to the office now
        return sent

    def close(self) -> None:
        self.db.close()


def _last_line(done: subprocess.CompletedProcess[str]) -> str:
    lines = (done.stdout.strip() or done.stderr.strip()).splitlines()
    return lines[-1] if lines else f"exit {done.returncode}"


def sell_live(terminals: list[DemoTerminal], stop: threading.Event,
              say: Callable[[str], None]) -> None:
    """A sale every few seconds on one of the terminals, until ``stop``: 매출 현황 moves."""
    rng = random.Random()
    live = [LiveTerminal(t) for t in terminals]
    try:
        while not stop.wait(rng.uniform(*LIVE_EVERY_S)):
            try:
                rng.choice(live).sale()
            except Exception as exc:  # noqa: BLE001 - a demo's sale must not end the server
                say(f"demo: a live sale failed: {exc}")
    finally:
        for terminal in live:
            terminal.close()


def fill_when_listening(started: Callable[[], bool], terminals: list[DemoTerminal],
                        say: Callable[[str], None],
                        stop: threading.Event | None = None) -> threading.Thread:
    """Start :func:`fill` on a thread once ``started()`` is true (the server listens), then
    :func:`sell_live` until ``stop`` is set."""
    stop = stop or threading.Event()

    def run() -> None:
        while not started():
            time.sleep(0.05)
        say("demo: making the terminals' history and pushing it (about a minute)…")
        done = fill(terminals, say)
        say("demo: ready" if done else "demo: some terminals did not finish (see above)")
        sell_live(terminals, stop, say)

    thread = threading.Thread(target=run, name="office-demo-fill", daemon=True)
    thread.start()
    return thread
