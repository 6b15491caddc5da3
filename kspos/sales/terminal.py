"""This process as one register (terminal) on a store file that others may share.

An order on the counter is saved as it is built, marked with the terminal that has it. At
start-up a register moves to 보류목록 the open orders whose terminal is gone (a crash, the
power), never the order another live register on the same file is taking. A terminal is alive
while it holds an exclusive ``flock`` on its file in ``<data dir>/terminals/``: the kernel
drops the lock when the process ends, even by ``kill -9``, so no heartbeat is needed.

Where ``flock`` is missing (not POSIX) or the directory cannot be written, every other
terminal counts as gone: the single-register behaviour.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

log = logging.getLogger(__name__)
SUFFIX = ".lock"


def _try_lock(fd: int) -> bool:
    """Take an exclusive lock on ``fd`` without waiting; False when someone holds it."""
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


class Terminal:
    """This process's terminal: a name, and the lock that says it is alive."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.name = f"{os.getpid()}-{os.urandom(4).hex()}"
        self._fd: int | None = None
        try:
            directory.mkdir(parents=True, exist_ok=True)
            # Locked under a temporary name, then renamed: a sweeping register never finds
            # (and removes) the file between its creation and its lock.
            temporary = directory / f"{self.name}.new"
            fd = os.open(temporary, os.O_CREAT | os.O_RDWR, 0o600)
            if not _try_lock(fd):  # pragma: no cover - a fresh random name
                os.close(fd)
                return
            os.replace(temporary, self.path(self.name))
            self._fd = fd
        except (OSError, ImportError) as exc:
            log.warning("terminal lock not available (%s): other registers count as gone", exc)

    def path(self, name: str) -> Path:
        return self.directory / f"{name}{SUFFIX}"

    def alive(self, name: str | None) -> bool:
        """Whether the terminal ``name`` is this one or another running process."""
        if not name:
            return False
        if name == self.name:
            return self._fd is not None
        if self._fd is None:
            return False
        try:
            fd = os.open(self.path(name), os.O_RDWR)
        except OSError:
            return False  # its file is gone: so is it
        try:
            return not _try_lock(fd)
        finally:
            os.close(fd)  # closing drops a lock we took

    def sweep(self) -> None:
        """Remove the files of terminals that are gone (their orders have been taken over)."""
        if self._fd is None:
            return
        for path in self.directory.glob(f"*{SUFFIX}"):
            name = path.name[:-len(SUFFIX)]
            if name != self.name and not self.alive(name):
                path.unlink(missing_ok=True)

    def close(self) -> None:
        if self._fd is not None:
            self.path(self.name).unlink(missing_ok=True)
            os.close(self._fd)
            self._fd = None
