"""The window owns its device threads: closing it lets the work already queued finish before
the store's database closes, and a device that hangs cannot hang the close."""

from __future__ import annotations

import threading
import time

from ui.ops import run_op, worker


def test_closing_the_window_waits_for_queued_work_before_the_store_closes(window, context) -> None:  # type: ignore[no-untyped-def]
    written: list[int] = []

    def save_later() -> None:  # a save still running when the cashier closes the program
        time.sleep(0.3)
        with context.db.session() as session:
            written.append(session.connection().exec_driver_sql("SELECT 1").scalar_one())

    run_op(window, save_later, on_success=lambda _r: None, on_error=lambda _e: None)
    window.close()
    assert written == [1]  # done on the open store, not cut off by the close after this


def test_a_hung_device_does_not_hang_the_close(window) -> None:  # type: ignore[no-untyped-def]
    release = threading.Event()
    worker("card_reader").submit(lambda: release.wait(10), lambda _r, _e: None)
    started = time.monotonic()
    stuck = window.workers.stop(wait_s=0.3)
    assert stuck == ["card_reader"] and time.monotonic() - started < 2
    release.set()
