"""``kspos staff list|add|set-pin|deactivate`` (delegated from kspos/cli.py).

For the technician installing a store: the owner and the staff get their own PINs before the
first start, so the demo PINs are never created. A PIN is read from stdin (asked twice without
echo at a terminal), never from the command line, so it stays out of the shell's history and
the process list.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse

    from kspos.command_host import CommandHost
    from kspos.sales.staff_admin import StaffAdmin, StaffEntry


def arguments(staff: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    """``kspos staff list|add|set-pin|deactivate``'s arguments."""
    ssub = staff.add_subparsers(dest="staff_command", required=True, parser_class=type(staff),
                                metavar="{list,add,set-pin,deactivate}")
    listing = ssub.add_parser("list", parents=[common], help="everyone, active first")
    listing.add_argument("--json", action="store_true")
    add = ssub.add_parser("add", parents=[common], help="add a member (PIN read from stdin)")
    add.add_argument("name", metavar="NAME")
    add.add_argument("--role", required=True, choices=("cashier", "owner", "technician"))
    pin = ssub.add_parser("set-pin", parents=[common], help="a new PIN (read from stdin)")
    pin.add_argument("who", metavar="ID|NAME")
    off = ssub.add_parser("deactivate", parents=[common], help="the member can no longer log in")
    off.add_argument("who", metavar="ID|NAME")


def _read_pin(cli: CommandHost) -> str:
    """The PIN from stdin: asked twice without echo at a terminal, else its first line."""
    if sys.stdin is None:  # started without one (a service, pythonw)
        raise cli.UsageError("no PIN on stdin")
    if sys.stdin.isatty():
        from getpass import getpass

        first, again = getpass("PIN: "), getpass("PIN (again): ")
        if first != again:
            raise cli.UsageError("the two PINs differ")
        return first
    line = sys.stdin.readline().strip()
    if not line:
        raise cli.UsageError("no PIN on stdin (e.g. read -s PIN; echo \"$PIN\" | kspos staff ...)")
    return line


def _find(admin: StaffAdmin, who: str, cli: CommandHost) -> StaffEntry:
    """The active member named ``who`` (or with that id)."""
    found = [m for m in admin.members() if m.active and (m.name == who or str(m.id) == who)]
    if len(found) != 1:
        raise cli.UsageError(f"no active staff member {who!r}" if not found else
                             f"{len(found)} active members are named {who!r}: use the id")
    return found[0]


def _print_list(admin: StaffAdmin, as_json: bool) -> None:
    from kspos.sales.staff import ROLE_WORDS

    members = admin.members()
    if as_json:
        import json

        print(json.dumps({"staff": [{"id": m.id, "name": m.name, "role": m.role.value,
                                     "active": m.active, "demo_pin": m.pin_demo}
                                    for m in members]}, ensure_ascii=False))
        return
    for m in members:
        notes = [w for w, on in (("inactive", not m.active), ("demo PIN", m.pin_demo)) if on]
        print(f"{m.id:>4}  {m.name}  {ROLE_WORDS[m.role]} ({m.role.value})"
              + (f"  [{', '.join(notes)}]" if notes else ""))


def _run(args: argparse.Namespace, admin: StaffAdmin, cli: CommandHost) -> None:
    from kspos.sales.staff import Role
    from kspos.sales.staff_admin import SHELL

    command = args.staff_command
    if command == "list":
        _print_list(admin, args.json)
    elif command == "add":
        member = admin.add(args.name, Role(args.role), _read_pin(cli), SHELL)
        print(f"added {member.name} ({member.role.value}), id {member.id}")
        if not any(m.active and m.role is Role.OWNER for m in admin.members()):
            print("note: the store has no owner yet (add one with --role owner)", file=sys.stderr)
    elif command == "set-pin":
        target = _find(admin, args.who, cli)
        admin.set_pin(target.id, _read_pin(cli), SHELL)
        print(f"new PIN set for {target.name}")
    else:
        target = _find(admin, args.who, cli)
        admin.deactivate(target.id, SHELL)
        print(f"deactivated {target.name}")


def main(args: argparse.Namespace, cli: CommandHost) -> int:
    """Exit 0 done; 2 bad input (a PIN's format, a PIN someone has, no such member);
    1 refused by a rule (the last active owner) or the store failed."""
    from kspos.sales.staff import AuthError, StaffDirectory
    from kspos.sales.staff_admin import LastOwner, StaffAdmin
    from kspos.store import StoreError

    settings = cli.load_settings_for(args)
    db = cli.open_database(settings)
    try:
        _run(args, StaffAdmin(StaffDirectory(db, terminal=settings.van.tid)), cli)
    except LastOwner as exc:
        raise cli.CommandFailed(str(exc)) from None
    except AuthError as exc:
        raise cli.UsageError(str(exc)) from None
    except StoreError as exc:
        raise cli.CommandFailed(str(exc)) from None
    finally:
        db.close()
    return 0
