"""Logging to a rotating file in the data dir, with card numbers masked on the way out."""

from __future__ import annotations

import logging
import logging.handlers
import re
from pathlib import Path

LOG_FILE = "kspos.log"
_PAN_LIKE = re.compile(r"(?<!\d)(\d{6})(\d{3,9})(\d{4})(?!\d)")


def mask_digits_in_text(text: str) -> str:
    """Mask any 13-19 digit run that could be a card number (defence in depth for logs)."""
    return _PAN_LIKE.sub(lambda m: m[1] + "*" * len(m[2]) + m[3], text)


class CardDataFilter(logging.Filter):
    """Rewrites every record so a card number that slipped into a message is masked."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_digits_in_text(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True


def setup_logging(log_dir: Path, level: int = logging.INFO, verbose: bool = False) -> Path:
    """Log to ``log_dir/kspos.log`` (1 MB × 5 files). Returns the log file path."""
    log_dir.mkdir(parents=True, exist_ok=True)
    path = log_dir / LOG_FILE
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_kspos", False):
            root.removeHandler(handler)
            handler.close()
    handler = logging.handlers.RotatingFileHandler(path, maxBytes=1_000_000, backupCount=5,
                                                   encoding="utf-8")
    handler.setFormatter(logging.Formatter(
        "%(asctime)s %(levelname)s %(threadName)s %(name)s: %(message)s"))
    handler.addFilter(CardDataFilter())
    handler._kspos = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(logging.DEBUG if verbose else level)
    return path
