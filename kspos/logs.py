"""Logging to a rotating file in the data dir, with card numbers masked on the way out."""

from __future__ import annotations

import logging
import os
import re
import sys
from pathlib import Path

LOG_FILE = "kspos.log"
_PAN_LIKE = re.compile(r"(?<!\d)\d{13,19}(?!\d)")


# Control characters (C0, DEL, C1) but the tab; also the Unicode line and paragraph separators.
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")


def mask_digits_in_text(text: str) -> str:
    """Mask any 13-19 digit run that could be a card number (defence in depth for logs),
    by the card-number rule."""
    return _PAN_LIKE.sub(lambda m: _masked_run(m[0]), text)


def _masked_run(digits: str) -> str:
    """The card-number rule (kspos/devices/cards.py ``mask_pan``): the first 6 and, from the 13th
    digit on, at most the last 4 stay; 13-15 digit numbers show fewer than 4."""
    tail = min(4, len(digits) - 12)
    return digits[:6] + "*" * (len(digits) - 6 - tail) + digits[-tail:]


def escape_controls(text: str) -> str:
    """``text`` on one line: control characters as ``\\xNN`` (``\\u2028``), so text from
    outside (a VAN host's message) cannot forge a log line or move a terminal's cursor."""
    if not _CONTROL.search(text):
        return text
    return _CONTROL.sub(lambda m: m[0].encode("unicode_escape").decode("ascii"), text)


def outside_text(text: str) -> str:
    """Text from outside made safe to show and keep: card-like digit runs masked, control
    characters escaped."""
    return escape_controls(mask_digits_in_text(text))


class CardDataFilter(logging.Filter):
    """Rewrites every record so a card number that slipped into a message is masked and its
    control characters are escaped (one record, one line: nothing it quotes forges another)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = outside_text(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True


class RotatingLog(logging.FileHandler):
    """A log file that rolls over to ``.1`` … ``.N`` past ``max_bytes``.

    Our own rather than ``logging.handlers.RotatingFileHandler``: that module pulls in sockets
    and pickle, a sixth of the time the POS takes to show its first screen.
    """

    def __init__(self, path: Path, max_bytes: int, backups: int) -> None:
        super().__init__(path, encoding="utf-8")
        self.max_bytes, self.backups = max_bytes, backups
        self._said = False

    def emit(self, record: logging.LogRecord) -> None:
        try:
            if self.stream is not None and self.stream.tell() >= self.max_bytes:
                self._roll_over()
        except OSError:  # a log that cannot roll keeps writing where it is
            pass
        try:
            super().emit(record)  # opens the file first when it is closed: that can fail too
        except OSError:
            # The log's folder went away or filled up: the line is lost, never the sale or the
            # database work that logged it. Said once on stderr, in one line.
            if not self._said:
                self._said = True
                sys.stderr.write(f"kspos: cannot write the log {self.baseFilename}\n")

    def _roll_over(self) -> None:
        if self.stream is not None:
            self.stream.close()
            self.stream = None
        base = self.baseFilename
        for n in range(self.backups - 1, 0, -1):
            if os.path.exists(f"{base}.{n}"):
                os.replace(f"{base}.{n}", f"{base}.{n + 1}")
        os.replace(base, f"{base}.1")
        self.stream = self._open()


def setup_logging(log_dir: Path, level: int = logging.INFO, verbose: bool = False) -> Path:
    """Log to ``log_dir/kspos.log`` (1 MB × 5 files). Returns the log file path."""
    log_dir.mkdir(parents=True, exist_ok=True)
    path = log_dir / LOG_FILE
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_kspos", False):
            root.removeHandler(handler)
            handler.close()
    handler = RotatingLog(path, max_bytes=1_000_000, backups=5)
    handler.setFormatter(logging.Formatter(
        "%(asctime)s %(levelname)s %(threadName)s %(name)s: %(message)s"))
    handler.addFilter(CardDataFilter())
    handler._kspos = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(logging.DEBUG if verbose else level)
    return path
