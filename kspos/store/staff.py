"""Staff accounts and PIN entry: the ``staff`` and ``pin_lockout`` tables (and the
``login_failed`` lines of ``audit_log``, which 직원 관리 lists).

Reads that run at start-up or on a PIN tap (who is active, the lock) use the store's plain
connection (``Database.read``/``write``): no ORM before the first screen. Changes that are
audited run on the caller's unit of work, so they commit with their audit line.

A PIN hash never leaves this module except to the check the caller hands in
(:func:`pin_holder`): the domain learns who holds a PIN, never a hash.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

TYPE_CHECKING = False  # start-up: typing is not imported for this alone
if TYPE_CHECKING:
    from kspos.store.db import Database
    from kspos.store.unit import Unit

Member = tuple[int, str, str]  # id, name, role (the role's stored word)


# --- who is on the staff (plain reads) -----------------------------------------------------------


def active_members(db: Database) -> list[Member]:
    """The active members, in the order they were added."""
    return [(int(i), str(n), str(r)) for i, n, r in db.read(
        "SELECT id, name, role FROM staff WHERE active ORDER BY id")]


def anyone_active(db: Database) -> bool:
    return bool(db.read("SELECT 1 FROM staff WHERE active LIMIT 1"))


def demo_pin_names(db: Database) -> list[str]:
    """Names of the active members still on their demo PIN."""
    return [str(name) for (name,) in db.read(
        "SELECT name FROM staff WHERE active AND pin_demo ORDER BY id")]


def first_with_role(db: Database, role: str) -> Member | None:
    """The first active member with ``role``, else the first active member at all."""
    rows = db.read("SELECT id, name, role FROM staff WHERE active "
                   "ORDER BY role != ?, id LIMIT 1", (role,))
    return (int(rows[0][0]), str(rows[0][1]), str(rows[0][2])) if rows else None


def pin_holder(db: Database, matches: Callable[[str], bool]) -> Member | None:
    """The first active member whose stored PIN hash ``matches`` (the caller's PIN check);
    every hash is offered to it in turn until one matches."""
    for staff_id, name, role, pin_hash in db.read(
            "SELECT id, name, role, pin_hash FROM staff WHERE active ORDER BY id"):
        if matches(pin_hash):
            return int(staff_id), str(name), str(role)
    return None


def everyone(db: Database) -> list[tuple[int, str, str, bool, bool]]:
    """Every member (id, name, role, active, pin_demo): active first, then as added."""
    return [(int(i), str(n), str(r), bool(a), bool(d)) for i, n, r, a, d in db.read(
        "SELECT id, name, role, active, pin_demo FROM staff ORDER BY active DESC, id")]


def failed_logins(db: Database, limit: int) -> list[tuple[str, str | None]]:
    """The latest ``login_failed`` audit lines (at, detail JSON), newest first."""
    return [(str(at), detail) for at, detail in db.read(
        "SELECT at, detail FROM audit_log WHERE action = 'login_failed' "
        "ORDER BY id DESC LIMIT ?", (limit,))]


# --- changes, in the caller's unit of work ------------------------------------------------------


def add(unit: Unit, name: str, role: str, pin_hash: str, demo: bool) -> int:
    """A new active member; returns the id."""
    from kspos.store.models import Staff
    from kspos.store.sql import insert_row

    return insert_row(unit, Staff, {"name": name, "role": role, "pin_hash": pin_hash,
                                    "pin_demo": demo})


# An UPDATE's guard: some other active owner stays (the placeholder is the member's id).
# Checked inside the UPDATE, so it reads the store as it is when the write lock is taken.
_ANOTHER_OWNER = ("EXISTS (SELECT 1 FROM staff AS o WHERE o.active AND o.role = 'owner' "
                  "AND o.id != ?)")


def _changed_one(unit: Unit, sql: str, params: tuple[object, ...]) -> bool:
    from kspos.store.sql import execute

    return bool(execute(unit, sql, params).rowcount == 1)


def rename(unit: Unit, staff_id: int, name: str) -> bool:
    """Rename an active member; False when there is no such active member."""
    return _changed_one(unit, "UPDATE staff SET name = ? WHERE id = ? AND active",
                        (name, staff_id))


def set_role(unit: Unit, staff_id: int, role: str) -> bool:
    """A new role for an active member, unless that would leave the store without an active
    owner; False when refused (see :func:`is_active` for which reason)."""
    return _changed_one(unit, "UPDATE staff SET role = ? WHERE id = ? AND active AND "
                              f"(? = 'owner' OR role != 'owner' OR {_ANOTHER_OWNER})",
                        (role, staff_id, role, staff_id))


def deactivate(unit: Unit, staff_id: int) -> bool:
    """Deactivate an active member, unless they are the last active owner; False if refused."""
    return _changed_one(unit, "UPDATE staff SET active = 0 WHERE id = ? AND active AND "
                              f"(role != 'owner' OR {_ANOTHER_OWNER})", (staff_id, staff_id))


def set_pin_hash(unit: Unit, staff_id: int, pin_hash: str) -> bool:
    """A new PIN hash for an active member (no longer the demo PIN); False if none such."""
    return _changed_one(unit, "UPDATE staff SET pin_hash = ?, pin_demo = 0 "
                              "WHERE id = ? AND active", (pin_hash, staff_id))


def is_active(unit: Unit, staff_id: int) -> bool:
    """Whether ``staff_id`` is an active member (False: no such member, or deactivated)."""
    from kspos.store.sql import execute

    row = execute(unit, "SELECT active FROM staff WHERE id = ?", (staff_id,)).fetchone()
    return row is not None and bool(row[0])


# --- wrong PINs on a terminal (pin_lockout, on the plain connection) ----------------------------


def count_attempt(db: Database, terminal: str) -> None:
    """One more PIN attempt on ``terminal`` (cleared by :func:`clear_lock` when it was good)."""
    db.write("INSERT INTO pin_lockout (terminal, failures) VALUES (?, 1) "
             "ON CONFLICT (terminal) DO UPDATE SET failures = failures + 1", (terminal,))


def clear_lock(db: Database, terminal: str) -> None:
    """A good PIN: the count, the locks and the wait start again from nothing."""
    db.write("UPDATE pin_lockout SET failures = 0, lockouts = 0, locked_until = NULL "
             "WHERE terminal = ?", (terminal,))


def failures(db: Database, terminal: str) -> tuple[int, int]:
    """Attempts counted in a row and locks so far on ``terminal`` (after an attempt)."""
    found, lockouts = db.read("SELECT failures, lockouts FROM pin_lockout WHERE terminal = ?",
                              (terminal,))[0]
    return int(found), int(lockouts)


def lock(db: Database, terminal: str, until: datetime) -> None:
    """Lock PIN entry on ``terminal`` until ``until``; the count starts again."""
    db.write("UPDATE pin_lockout SET failures = 0, lockouts = lockouts + 1, locked_until = ? "
             "WHERE terminal = ?", (until.isoformat(sep=" "), terminal))


def lock_state(db: Database, terminal: str) -> tuple[datetime, int] | None:
    """When ``terminal``'s lock ends and how many locks it has had; None: not locked."""
    rows = db.read("SELECT locked_until, lockouts FROM pin_lockout WHERE terminal = ?",
                   (terminal,))
    if not rows or rows[0][0] is None:
        return None
    return datetime.fromisoformat(rows[0][0]), int(rows[0][1])
