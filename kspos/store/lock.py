"""Who has the store open: advisory locks on a file beside the database.

Every KSPOS# process that opens the store holds a *shared* lock on ``kspos.sqlite3.lock``
while it is open; ``kspos db restore`` needs it *exclusively* (nobody else has the file open)
before it swaps the database. ``demo-data`` holds a second, exclusive lock of its own so two
runs never write the same days. The locks are ``flock`` locks: the kernel drops them when the
process dies (kill -9 included), so a crash never leaves the store "in use".
"""

from __future__ import annotations

import os
from pathlib import Path

try:
    import fcntl
except ImportError:  # not POSIX: no detection, the locks always succeed
    fcntl = None  # type: ignore[assignment]


class StoreInUse(Exception):
    """Another process holds the lock; ``str()`` is a message for the user."""


class FileLock:
    """One flock on ``path`` (created if missing); held until :meth:`release`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    def acquire(self, exclusive: bool, wait: bool = False) -> bool:
        """Take the lock; False when another process holds it (and ``wait`` is False).

        A folder where the lock file cannot be made (read-only media) gives no protection
        rather than no store: the lock is then treated as taken."""
        if fcntl is None:
            return True
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        except OSError:
            try:
                fd = os.open(self.path, os.O_RDONLY | os.O_CLOEXEC)
            except OSError:
                return True
        flags = (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | (0 if wait else fcntl.LOCK_NB)
        try:
            fcntl.flock(fd, flags)
        except OSError:
            os.close(fd)
            return False
        self._fd = fd
        return True

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the descriptor drops its flock
            self._fd = None


def open_lock(db_path: Path) -> FileLock:
    """The lock every process that has ``db_path`` open holds shared."""
    return FileLock(db_path.with_name(db_path.name + ".lock"))


def job_lock(db_path: Path, job: str) -> FileLock:
    """A lock for one kind of long job on ``db_path`` (``demo-data``)."""
    return FileLock(db_path.with_name(f"{db_path.name}.{job}.lock"))


def processes_holding(paths: list[str]) -> list[int]:
    """Other processes that have one of ``paths`` open, found in ``/proc/PID/fd`` (Linux; an
    empty list elsewhere, and for processes this user may not look into). This catches what
    takes no KSPOS# lock: an older build, the sqlite3 shell, a DB browser."""
    wanted = set(paths)
    found: list[int] = []
    try:
        pids = [int(name) for name in os.listdir("/proc") if name.isdigit()]
    except OSError:
        return found
    for pid in pids:
        if pid == os.getpid():
            continue
        folder = f"/proc/{pid}/fd"
        try:
            links = [os.readlink(os.path.join(folder, fd)) for fd in os.listdir(folder)]
        except OSError:  # gone meanwhile, or another user's
            continue
        if wanted.intersection(links):
            found.append(pid)
    return found
