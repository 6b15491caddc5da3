"""``kspos office init | serve | user add | terminal add | terminal revoke | report sales |
menu publish | menu list``: the office from the shell.

``kspos.cli`` routes ``kspos office ...`` here and hands over its host (settings, the two
usage errors). The database is ``--database URL``, else ``[office_server] database``, else
``office.sqlite3`` in the data dir. Nothing heavy is imported before a command runs.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from office import user_cli
from office.identity import STORE_CODE, TERMINAL_NO

if TYPE_CHECKING:
    from kspos.command_host import CommandHost
    from office.store import OfficeStore

_STORE = STORE_CODE
_TERMINAL = TERMINAL_NO


def _port(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"not a TCP port: {text!r}")
    return int(text)


def arguments(parser: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    """The subcommands of ``kspos office``."""
    sub = parser.add_subparsers(dest="office_command", required=True, parser_class=type(parser),
                                metavar="{init,serve,user,terminal,report,menu}")
    database = argparse.ArgumentParser(add_help=False)
    database.add_argument("--database", metavar="URL",
                          help="postgresql://USER@HOST:PORT/DB or sqlite:///PATH")
    sub.add_parser("init", parents=[common, database], help="create or upgrade the database")
    serve = sub.add_parser("serve", parents=[common, database], help="run the office server")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=_port, default=8080)
    serve.add_argument("--demo", action="store_true",
                       help="an office over three demo stores, filled by real terminals")
    user_cli.arguments(sub, [common, database], type(parser))
    terminal = sub.add_parser("terminal", parents=[common], help="terminals and their tokens")
    tsub = terminal.add_subparsers(dest="terminal_command", required=True,
                                   parser_class=type(parser), metavar="{add,revoke}")
    add = tsub.add_parser("add", parents=[common, database],
                          help="register a terminal and print its token (once)")
    add.add_argument("store", metavar="STORE")
    add.add_argument("terminal", metavar="TERMINAL")
    add.add_argument("--name", default="")
    revoke = tsub.add_parser("revoke", parents=[common, database],
                             help="stop a terminal's token")
    revoke.add_argument("store", metavar="STORE")
    revoke.add_argument("terminal", metavar="TERMINAL")
    from office import report_cli

    report_cli.arguments(sub, [common, database], type(parser))
    from office import menu_cli

    menu_cli.arguments(sub, common, database, type(parser))


def _open(args: argparse.Namespace, host: CommandHost) -> OfficeStore:
    settings = host.load_settings_for(args)
    url = (getattr(args, "database", None) or settings.office_server.database
           or f"sqlite:///{settings.data_dir / 'office.sqlite3'}")
    from office.store import OfficeStore, OfficeStoreError

    try:
        return OfficeStore(url).open()
    except OfficeStoreError as exc:
        if "not a database URL" in str(exc):
            raise host.UsageError(str(exc)) from None
        raise host.CommandFailed(str(exc)) from None


def _identity(args: argparse.Namespace, host: CommandHost) -> tuple[str, str]:
    if not _STORE.fullmatch(args.store):
        raise host.UsageError(f"STORE is 1-12 capital letters or digits, got {args.store!r}")
    if not _TERMINAL.fullmatch(args.terminal):
        raise host.UsageError(f"TERMINAL is 01 to 99, got {args.terminal!r}")
    return args.store, args.terminal


def _terminal(args: argparse.Namespace, host: CommandHost) -> int:
    from office.auth import new_token, token_hash
    from office.store import OfficeStoreError, terminals

    store_code, number = _identity(args, host)
    store = _open(args, host)
    try:
        with store.transaction() as conn:
            if args.terminal_command == "revoke":
                if not terminals.revoke(conn, store_code, number):
                    raise host.CommandFailed(f"{store_code}/{number} has no live token")
                print(f"revoked the token of {store_code}/{number}")
                return 0
            token = new_token()
            replaced = terminals.set_token(conn, store_code, number, token_hash(token),
                                           args.name)
    except OfficeStoreError as exc:
        raise host.CommandFailed(str(exc)) from None
    finally:
        store.close()
    print(token)  # stdout: the token alone, for a script; it is never shown again
    what = "a new token (the old one no longer works)" if replaced else "registered"
    print(f"{store_code}/{number}: {what}; put it in the terminal's config as [office] token",
          file=sys.stderr)
    return 0


def _serve(args: argparse.Namespace, host: CommandHost) -> int:
    try:
        import uvicorn

        from office.app import create_app
    except ImportError as exc:
        raise host.CommandFailed(f"the office server needs {exc.name}: "
                                 "pip install starlette uvicorn") from None
    from office.store import describe_url

    if args.demo:
        return _serve_demo(args, host)
    store = _open(args, host)
    print(f"office: {describe_url(store.url)} on http://{args.host}:{args.port}",
          file=sys.stderr, flush=True)
    try:
        uvicorn.run(create_app(store), host=args.host, port=args.port, log_level="warning",
                    access_log=False)
    finally:
        store.close()
    return 0


def _serve_demo(args: argparse.Namespace, host: CommandHost) -> int:
    """``serve --demo``: the office over three demo stores (office/demo.py says how)."""
    import uvicorn

    from office import demo
    from office.app import create_app
    from office.store import describe_url

    base = host.load_settings_for(args).data_dir / "office-demo"
    base.mkdir(parents=True, exist_ok=True)
    if not getattr(args, "database", None):
        args.database = f"sqlite:///{base / 'office.sqlite3'}"
    store = _open(args, host)
    url = f"http://{args.host}:{args.port}"
    terminals = demo.register(store, base, url)
    def say(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    say(f"office (demo): {describe_url(store.url)} on {url}")
    say(f"office (demo): log in as {demo.DEMO_LOGIN} (admin) or {demo.DEMO_OWNER} (owner of "
        f"S0002), password {demo.DEMO_PASSWORD}")
    server = uvicorn.Server(uvicorn.Config(create_app(store), host=args.host, port=args.port,
                                           log_level="warning", access_log=False))
    demo.fill_when_listening(lambda: server.started, terminals, say)
    try:
        server.run()
    finally:
        store.close()
    return 0


def _menu(args: argparse.Namespace, host: CommandHost) -> int:
    from office import menu_cli
    from office.store import OfficeStoreError

    store = _open(args, host)
    try:
        return menu_cli.main(args, host, store)
    except OfficeStoreError as exc:
        raise host.CommandFailed(str(exc)) from None
    finally:
        store.close()


def main(args: argparse.Namespace, host: CommandHost) -> int:
    """Run ``kspos office ...``."""
    if args.office_command == "terminal":
        return _terminal(args, host)
    if args.office_command == "serve":
        return _serve(args, host)
    if args.office_command == "menu":
        return _menu(args, host)
    if args.office_command == "report":
        from office import report_cli

        opened = _open(args, host)
        try:
            return report_cli.main(args, host, opened)
        finally:
            opened.close()
    store = _open(args, host)
    try:
        if args.office_command == "user":
            return user_cli.main(args, host, store)
        from office.store import OfficeStoreError, describe_url
        from office.store import users as users_repo

        try:
            with store.transaction() as conn:
                users_repo.session_secret(conn)  # made now, shared by every process later
        except OfficeStoreError as exc:
            raise host.CommandFailed(str(exc)) from None
        print(f"{describe_url(store.url)}: office schema {store.revision()}")
    finally:
        store.close()
    return 0
