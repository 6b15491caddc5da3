"""The checks that need no driver: the database, the VAN link (0800), pending 망취소, and the
runner that gives every probe its own time limit so one hung device cannot hang the doctor."""

from __future__ import annotations

import contextlib
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kspos.diagnostics import Check

if TYPE_CHECKING:
    from kspos.config import Settings
    from kspos.ports import VanLink
    from kspos.store.db import Database


@dataclass(frozen=True, slots=True)
class Probe:
    """A named check to run with a time limit (seconds)."""

    name: str
    run: Callable[[], Check]
    timeout_s: float = 20.0


def run_probes(probes: Sequence[Probe]) -> list[Check]:
    """Run every probe at once, each on its own thread; results in the probes' order.

    A probe that raises is a failed check with the error; one that outlives its time limit is
    a failed check saying so (its thread is left to finish on its own: daemon).
    """
    results: dict[int, Check] = {}
    threads = []
    for index, probe in enumerate(probes):
        def target(index: int = index, probe: Probe = probe) -> None:
            try:
                results[index] = probe.run()
            except Exception as exc:  # noqa: BLE001 - a probe's crash is its check's reason
                results[index] = Check(probe.name, False, one_line(f"{type(exc).__name__}: {exc}"))

        thread = threading.Thread(target=target, name=f"doctor-{probe.name}", daemon=True)
        thread.start()
        threads.append(thread)
    for thread, probe in zip(threads, probes, strict=True):
        thread.join(probe.timeout_s)
    return [results.get(index) or Check(probe.name, False,
                                        f"no answer within {probe.timeout_s:g} s (hung)")
            for index, probe in enumerate(probes)]


def one_line(text: str) -> str:
    """The first line of an error (SQLAlchemy appends the SQL and a link on more lines)."""
    return text.strip().splitlines()[0] if text.strip() else text


# --- database -----------------------------------------------------------------------------------


def check_database(settings: Settings) -> Check:
    """Integrity and migration head of the store, read only (nothing is migrated)."""
    from kspos.store.db import Database, DatabaseTooNew, StoreError, check, humanize_db_error

    path = settings.db_path
    if not path.exists():
        return Check("database", True, f"no database yet at {path} (it is created at the "
                                       "first start)")
    database = Database(path)
    try:
        database.open(migrate=False)
        result = check(database.engine)
    except DatabaseTooNew as exc:
        return Check("database", False, f"{path}: {exc}")
    except StoreError as exc:
        return Check("database", False, str(exc))
    except Exception as exc:  # sqlite3 / SQLAlchemy errors on a damaged file
        return Check("database", False, one_line(f"{path}: {humanize_db_error(exc)}"))
    finally:
        database.close()
    if result.integrity != "ok":
        return Check("database", False, f"{path}: integrity check failed: "
                                        f"{result.integrity[:300]}")
    if result.revision != result.head:
        return Check("database", False, f"{path}: schema {result.revision or 'none'}, this "
                                        f"version needs {result.head}: run `kspos db upgrade`")
    return Check("database", True, f"{path}: integrity ok, schema {result.head} (head)")


def pending_reversals(settings: Settings) -> Check:
    """망취소 still owed for this TID: card and easy-pay payments wait until they are done."""
    from kspos.store.db import StoreError
    from kspos.store.doctor import pending_reversal_serials

    try:
        pending = pending_reversal_serials(settings.db_path, settings.van.tid)
    except StoreError as exc:
        return Check("van.reversals", False, f"cannot read the journal: {exc}")
    if not pending:
        return Check("van.reversals", True, "no network cancel pending")
    serials = ", ".join(pending[:5])
    return Check("van.reversals", False, f"망취소 대기 {len(pending)}건 (serial {serials}): card "
                                         "payments are paused; `kspos van test` retries them")


# --- VAN ----------------------------------------------------------------------------------------


@contextlib.contextmanager
def van_database(settings: Settings, store_ok: bool) -> Iterator[Database]:
    """The store when it is healthy (serials stay the POS's own), else a throwaway one so the
    network test still runs."""
    from kspos.store.db import Database

    if store_ok and settings.db_path.exists():
        database = Database(settings.db_path, settings.identity).open(migrate=False)
        try:
            yield database
        finally:
            database.close()
        return
    with tempfile.TemporaryDirectory(prefix="kspos-doctor-") as folder:
        database = Database(Path(folder) / "doctor.sqlite3").open()
        try:
            yield database
        finally:
            database.close()


def check_van(settings: Settings, link: VanLink, database: Database) -> Check:
    """A network test (NT 0800) with the configured TID and timeouts."""
    from kspos.store.db import humanize_db_error
    from kspos.van.client import VanClient
    from kspos.van.rules import VanError

    spec = link.spec or settings.van.spec
    try:
        client = VanClient.from_settings(settings, database, link)
        result = client.network_test()
    except VanError as exc:
        return Check("van", False, f"{spec}: {exc}")
    except Exception as exc:
        # the store cannot journal it (sqlite3's own errors come from kspos.store.sql)
        if type(exc).__module__.startswith(("sqlalchemy", "sqlite3")):
            return Check("van", False, one_line(f"{spec}: {humanize_db_error(exc)}"))
        raise
    if result.approved:
        return Check("van", True, f"{spec}: {result.type} {result.code} {result.message} "
                                  f"(TID {settings.van.tid})")
    answer = f"{result.type} {result.status} {result.code} " if result.answered else ""
    return Check("van", False, f"{spec}: {answer}{result.message}")


def van_time_limit(settings: Settings) -> float:
    """How long the doctor waits for the VAN probe: its own timeouts plus room to settle."""
    return float(settings.van.connect_timeout_s + settings.van.response_timeout_s + 10)


def describe_settings(settings: Settings) -> Check:
    """The config in use (a pass: a bad config is its own failed check)."""
    who = f"store {settings.store.code}, POS {settings.store.terminal}"
    if settings.path is None:
        return Check("config", True, f"no config file: demo mode ({who}; simulated devices, "
                                     "embedded VAN)")
    simulated = settings.simulated()
    note = f"; simulated: {', '.join(simulated)}" if simulated else ""
    return Check("config", True, f"{settings.path} ({who}){note}")

