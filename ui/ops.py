"""Background work for the screens: one worker thread per device, and the one helper that runs
long database or device work with a progress dialog and error handling (like Anki's
CollectionOp). Widgets never block: results come back through Qt signals.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QDialog, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget
from shiboken6 import isValid

from ui.i18n import t

log = logging.getLogger(__name__)


class _Bridge(QObject):
    """Carries a finished job back to the GUI thread: it lives there, and its own slot is the
    receiver, so the queued connection runs the callback on the GUI thread."""

    done = Signal(object, object, object)  # callback, result, error

    def __init__(self) -> None:
        super().__init__()
        self.done.connect(self.deliver, Qt.ConnectionType.QueuedConnection)

    def deliver(self, on_done: Callable[[Any, BaseException | None], None], result: Any,
                error: BaseException | None) -> None:
        on_done(result, error)


class DeviceWorker:
    """A named thread that runs one device's jobs in order (one per device kind)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._jobs: queue.Queue[tuple[Callable[[], Any], Callable[[Any, BaseException | None],
                                                                   None]] | None] = queue.Queue()
        self._bridge = _Bridge()
        self._thread = threading.Thread(target=self._loop, name=f"device-{name}", daemon=True)
        self._thread.start()

    def submit(self, job: Callable[[], Any],
               on_done: Callable[[Any, BaseException | None], None]) -> None:
        self._jobs.put((job, on_done))

    def _loop(self) -> None:
        while True:
            item = self._jobs.get()
            if item is None:
                return
            job, on_done = item
            try:
                result, error = job(), None
            except BaseException as exc:  # noqa: BLE001 - reported to the screen, not lost
                result, error = None, exc
                if not isinstance(exc, Exception):
                    log.exception("job on %s", self.name)
            self._bridge.done.emit(on_done, result, error)

    def stop(self) -> None:
        """No new jobs after the ones already queued; the thread ends after them."""
        self._jobs.put(None)

    def join(self, timeout_s: float) -> bool:
        """Wait for the queued jobs to finish; False when one is still running."""
        self._thread.join(max(0.0, timeout_s))
        return not self._thread.is_alive()


class WorkerPool:
    """The device worker threads of one window (Electrum's device executor): made on first
    use, stopped and waited for when the window closes, so no job is still writing when the
    store's database closes after it."""

    def __init__(self) -> None:
        self._workers: dict[str, DeviceWorker] = {}
        self._lock = threading.Lock()
        self.closed = False

    def get(self, name: str) -> DeviceWorker:
        with self._lock:
            if name not in self._workers:
                self._workers[name] = DeviceWorker(name)
            return self._workers[name]

    def stop(self, wait_s: float = 5.0) -> list[str]:
        """Let every queued job finish (up to ``wait_s`` in all) and end the threads; the names
        of the workers still busy after that (a device that hangs) are logged and returned."""
        import time

        with self._lock:
            workers, self._workers = list(self._workers.values()), {}
            self.closed = True
        for device in workers:
            device.stop()
        deadline = time.monotonic() + wait_s
        stuck = [d.name for d in workers if not d.join(deadline - time.monotonic())]
        if stuck:
            log.warning("closing with device work still running on: %s", ", ".join(stuck))
        return stuck


_pool = WorkerPool()


def install_pool(pool: WorkerPool) -> None:
    """Make ``pool`` (a window's) the one :func:`worker` and :func:`run_op` use."""
    global _pool
    _pool = pool


def worker(name: str) -> DeviceWorker:
    """The worker thread for ``name`` (printer, card_reader, scanner, van, db) in the current
    window's pool."""
    return _pool.get(name)


class BusyDialog(QDialog):
    """A modal step-in-words dialog with a spinner and, where it makes sense, a cancel button."""

    def __init__(self, parent: QWidget | None, text: str,
                 on_cancel: Callable[[], None] | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("BusyDialog")
        self.setModal(True)
        self.setWindowTitle("KSPOS#")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 24, 32, 24)
        layout.setSpacing(16)
        self.label = QLabel(text)
        self.label.setProperty("role", "title")
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.label)
        spinner = QProgressBar()
        spinner.setRange(0, 0)  # indeterminate: an animated busy bar
        spinner.setTextVisible(False)
        layout.addWidget(spinner)
        if on_cancel is not None:
            cancel = QPushButton(t("취소"))
            cancel.setProperty("role", "danger")
            cancel.clicked.connect(on_cancel)
            layout.addWidget(cancel)
        self.setMinimumWidth(360)

    def set_step(self, text: str) -> None:
        self.label.setText(text)


def run_op(parent: QWidget | None, job: Callable[[], Any], *,
           on_success: Callable[[Any], None], on_error: Callable[[BaseException], None],
           label: str = "", device: str = "db", on_cancel: Callable[[], None] | None = None,
           show_after_ms: int = 150) -> BusyDialog | None:
    """Run ``job`` on ``device``'s worker; a busy dialog shows if it takes over
    ``show_after_ms``. Exactly one of the callbacks runs, on the GUI thread."""
    dialog = BusyDialog(parent, label, on_cancel) if label else None
    finished = {"done": False}

    def show() -> None:
        if dialog is not None and not finished["done"]:
            dialog.open()

    def done(result: Any, error: BaseException | None) -> None:
        finished["done"] = True
        if parent is not None and not isValid(parent):
            return  # the screen is gone (rebuilt after a language switch): nobody to tell
        if dialog is not None:
            dialog.done(0)
            dialog.deleteLater()
        if error is not None:
            on_error(error)
        else:
            on_success(result)

    if dialog is not None:
        QTimer.singleShot(show_after_ms, dialog, show)
    worker(device).submit(job, done)
    return dialog
