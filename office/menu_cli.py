"""``kspos office menu publish | list``: menus for the stores from the shell.

``publish FILE (--store CODE... | --all) [--apply open|now] [--by LOGIN]`` checks the menu
(TOML as ``assets/demo_menu.toml``, or a JSON document) and makes a version; ``list [--store
CODE] [--json]`` shows the versions with which terminals applied them. A bad file, an unknown
store or a bad option is exit 2 with one line; a database that cannot be reached, exit 1.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kspos.command_host import CommandHost
    from office.store import OfficeStore


def arguments(sub: Any, common: argparse.ArgumentParser, database: argparse.ArgumentParser,
              parser_class: type[argparse.ArgumentParser]) -> None:
    """Add ``menu`` and its subcommands to ``kspos office``'s subparsers ``sub``."""
    menu = sub.add_parser("menu", parents=[common], help="publish menus to the stores")
    msub = menu.add_subparsers(dest="menu_command", required=True, parser_class=parser_class,
                               metavar="{publish,list}")
    publish = msub.add_parser("publish", parents=[common, database],
                              help="publish a menu file to stores (a new version)")
    publish.add_argument("file", metavar="FILE", type=Path, help="a .toml menu or a .json "
                                                                 "document")
    where = publish.add_mutually_exclusive_group(required=True)
    where.add_argument("--store", metavar="CODE", action="append", dest="stores")
    where.add_argument("--all", action="store_true", help="every store")
    publish.add_argument("--apply", choices=("open", "now"), default="open",
                         help="at the next 개점 (default) or at once, between orders")
    publish.add_argument("--by", default="", metavar="LOGIN", help="who publishes it")
    listing = msub.add_parser("list", parents=[common, database],
                              help="the versions published and who applied them")
    listing.add_argument("--store", metavar="CODE")
    listing.add_argument("--json", action="store_true")


def _when(value: Any) -> str:
    return value.isoformat(sep=" ", timespec="seconds") if value is not None else ""


def _publish(args: argparse.Namespace, host: CommandHost, store: OfficeStore) -> int:
    from office.menus import PublishError, publish, read_file

    try:
        made = publish(store, read_file(args.file), None if args.all else args.stores,
                       args.apply, args.by)
    except PublishError as exc:
        for problem in exc.problems[1:20] if len(exc.problems) > 1 else []:
            print(f"  {problem}", file=sys.stderr)
        raise host.UsageError(str(exc)) from None
    for done in made:
        print(f"{done.store or 'every store'}: version {done.version} ({done.items} items, "
              f"applies {'at the next 개점' if args.apply == 'open' else 'now, between orders'})")
    return 0


def _list(args: argparse.Namespace, store: OfficeStore) -> int:
    from office.menus import versions

    rows = versions(store, args.store)
    if args.json:
        print(json.dumps({"versions": [
            {**{k: v for k, v in r.items() if k != "id"}, "published_at": _when(r["published_at"]),
             "applied": [{**a, "applied_at": _when(a["applied_at"])} for a in r["applied"]]}
            for r in rows]}, ensure_ascii=False))
        return 0
    if not rows:
        print("no menu published yet")
    for r in rows:
        applied = ", ".join(f"{a['store_code']}/{a['terminal']} {_when(a['applied_at'])}"
                            for a in r["applied"]) or "not applied yet"
        print(f"v{r['version']:<4} {r['store_code'] or 'every store':<12} {r['apply']:<5} "
              f"{r['item_count']:>5} items  {_when(r['published_at'])}  "
              f"{r['published_by'] or '-'}  applied: {applied}")
    return 0


def main(args: argparse.Namespace, host: CommandHost, store: OfficeStore) -> int:
    """Run ``kspos office menu ...`` on an opened office database."""
    import re

    code = getattr(args, "store", None) if args.menu_command == "list" else None
    codes = [code] if code else list(getattr(args, "stores", None) or [])
    bad = [c for c in codes if not re.fullmatch(r"[A-Z0-9]{1,12}", c)]
    if bad:
        raise host.UsageError(f"--store is 1-12 capital letters or digits, got {bad[0]!r}")
    if args.menu_command == "publish":
        return _publish(args, host, store)
    return _list(args, store)
