"""``kspos office user add LOGIN --role admin|owner [--store CODE]...``: a back-office login.

The password is read from standard input (one line; from a terminal without echo), never
from the command line where ``ps`` and the shell history would show it.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import TYPE_CHECKING

from office.identity import LOGIN, PASSWORD_MAX, STORE_CODE

if TYPE_CHECKING:
    from kspos.command_host import CommandHost
    from office.store import OfficeStore


def arguments(sub: argparse._SubParsersAction,  # type: ignore[type-arg]
              parents: list[argparse.ArgumentParser], parser_class: type) -> None:
    """``kspos office user add`` under the ``office`` subcommands ``sub``."""
    user = sub.add_parser("user", parents=parents[:1], help="back-office logins")
    usub = user.add_subparsers(dest="user_command", required=True, parser_class=parser_class,
                               metavar="{add}")
    add = usub.add_parser("add", parents=parents,
                          help="add a login (the password is read from standard input)")
    add.add_argument("login", metavar="LOGIN")
    add.add_argument("--role", required=True, choices=("admin", "owner"))
    add.add_argument("--store", action="append", default=[], metavar="CODE",
                     help="a store the owner sees (repeat for several)")


def _password(host: CommandHost) -> str:
    if sys.stdin.isatty():
        text = getpass.getpass("password: ")
    else:
        text = sys.stdin.readline().removesuffix("\n").removesuffix("\r")
    if not text:
        raise host.UsageError("the password is empty (give it on standard input)")
    if len(text) > PASSWORD_MAX:
        raise host.UsageError(f"the password is longer than {PASSWORD_MAX} characters")
    return text


def _check(args: argparse.Namespace, host: CommandHost) -> list[str]:
    if not LOGIN.fullmatch(args.login):
        raise host.UsageError("LOGIN is 1-64 letters, digits, '.', '_' or '-' "
                              f"(starting with a letter or digit), got {args.login!r}")
    codes: list[str] = args.store
    bad = [c for c in codes if not STORE_CODE.fullmatch(c)]
    if bad:
        raise host.UsageError(f"a store code is 1-12 capital letters or digits, got {bad[0]!r}")
    if args.role == "owner" and not codes:
        raise host.UsageError("an owner needs at least one --store CODE")
    if args.role == "admin" and codes:
        raise host.UsageError("an admin sees every store; --store is for owners")
    return codes


def main(args: argparse.Namespace, host: CommandHost, store: OfficeStore) -> int:
    """Run ``kspos office user add`` on the opened ``store`` (the caller closes it)."""
    from office.auth import hash_password
    from office.store import OfficeStoreError
    from office.store import users as users_repo

    codes = _check(args, host)
    password = _password(host)
    try:
        with store.transaction() as conn:
            known = set(users_repo.store_list(conn))
            unknown = [c for c in codes if c not in known]
            if unknown:
                raise host.UsageError(f"no such store: {', '.join(unknown)} (a store is known "
                                      "once a terminal is added: kspos office terminal add)")
            if users_repo.get(conn, args.login) is not None:
                raise host.UsageError(f"the user {args.login!r} exists already")
            users_repo.add(conn, args.login, hash_password(password), args.role, codes)
    except OfficeStoreError as exc:
        raise host.CommandFailed(str(exc)) from None
    where = "every store" if args.role == "admin" else ", ".join(codes)
    print(f"added {args.role} {args.login} ({where})")
    return 0
