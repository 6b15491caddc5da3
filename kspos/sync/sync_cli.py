"""``kspos sync [--once] [--json]``: push this terminal's outbox to the office now.

``--once`` makes one pass and returns: exit 0 when the office has every fact, 1 when it could
not be reached or refused some (they stay in the outbox). Without it the pusher keeps running
(new facts every few seconds, backoff when the office is down) until interrupted or
terminated. ``--json`` prints one object at the end: ``sent``, ``pending``, ``last_error``
(null or one line) and ``refused`` (``[{seq, uuid, reason}]``). Each pass that reaches the
office also reports the menu versions applied here and pulls a newer one (kept pending for the
POS to apply: kspos/menu/updates.py).
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kspos.command_host import CommandHost
    from kspos.sync.pusher import PushResult


def arguments(parser: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    """The options of ``kspos sync``."""
    parser.add_argument("--once", action="store_true",
                        help="one pass; exit 1 if the office cannot be reached")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--batch", type=int, default=500, metavar="N",
                        help="facts per request (1-5000, default 500)")


def _error_of(result: PushResult) -> str | None:
    if result.error:
        return result.error
    if result.refused:
        first = result.refused[0]
        return (f"the office refused {len(result.refused)} fact(s), kept in the outbox: "
                f"{first.get('reason')}")
    return None


def _report(args: argparse.Namespace, summary: dict[str, Any]) -> None:
    if args.json:
        print(json.dumps(summary, ensure_ascii=False))
        return
    line = f"sent {summary['sent']}, pending {summary['pending']}"
    print(line + (f" ({summary['last_error']})" if summary["last_error"] else ""))


def _run(pusher: Any, args: argparse.Namespace) -> PushResult:
    """Push until SIGINT/SIGTERM; the totals of every pass."""
    from kspos.sync.pusher import PushResult

    total, stop = PushResult(), threading.Event()

    def passed(result: PushResult) -> None:
        total.sent += result.sent
        total.refused = result.refused
        total.error = _error_of(result)
        if result.sent and not args.json:
            print(f"sent {result.sent}", flush=True)

    previous = signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        pusher.run(stop, on_pass=passed)
    except KeyboardInterrupt:
        stop.set()
    finally:
        signal.signal(signal.SIGTERM, previous)
    return total


def _once(pusher: Any) -> PushResult:
    result: PushResult = pusher.push_pending()
    if result.error is None and pusher.menus is not None:
        result.menu = pusher.menus.sync(force=True)
    return result


def main(args: argparse.Namespace, host: CommandHost) -> int:
    """Run ``kspos sync``; exit code per the module docstring."""
    if not 1 <= args.batch <= 5000:
        raise host.UsageError("--batch must be 1 to 5000")
    settings = host.load_settings_for(args)
    if not settings.office.url or not settings.office.token:
        raise host.UsageError("no office to push to: set [office] url and token in the config "
                              "(`kspos office terminal add` prints the token)")
    from kspos.logs import setup_logging
    from kspos.sync.menus import MenuPuller
    from kspos.sync.pusher import Pusher

    try:
        setup_logging(settings.log_dir, verbose=getattr(args, "verbose", False))
    except OSError as exc:
        print(f"kspos: warning: cannot write logs: {exc.strerror}", file=sys.stderr)
    db = host.open_database(settings)
    try:
        pusher = Pusher(db, settings.office.url, settings.office.token, settings.identity,
                        batch=args.batch,
                        menus=MenuPuller(db, settings.office.url, settings.office.token))
        result = _once(pusher) if args.once else _run(pusher, args)
        error = _error_of(result)
        _report(args, {"sent": result.sent, "pending": pusher.pending_count(),
                       "last_error": error, "refused": result.refused})
    finally:
        db.close()
    return 1 if args.once and error else 0
