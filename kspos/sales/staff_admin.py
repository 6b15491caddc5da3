"""직원 관리: add, rename, change the role, deactivate, change PINs; the wrong PINs seen.

Every change is audited with who made it (never the PIN). ``by`` is the member doing it, whose
role must allow ``staff_admin`` (the owner), except to change their own PIN; or :data:`SHELL`,
the technician installing the store with ``kspos staff`` at the store computer's shell (who can
open the database file anyway). The last active owner can be neither deactivated nor demoted,
so the store always has someone who can close the day and manage staff.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from kspos.sales.staff import (
    DEMO_STAFF,
    AuthError,
    PinLocked,
    Role,
    StaffDirectory,
    StaffMember,
    check_name,
    check_pin_format,
    hash_pin,
    require,
)

if TYPE_CHECKING:
    from sqlmodel import Session

DEMO_PINS = frozenset(pin for _, _, pin in DEMO_STAFF)
class LastOwner(AuthError):
    """Refused by the rule that the store keeps an active owner (not a typing mistake)."""


class ShellUser:
    """The person at the store computer's shell running ``kspos staff``."""

    id = None
    name = "kspos staff"


SHELL = ShellUser()
Actor = StaffMember | ShellUser


@dataclass(frozen=True, slots=True)
class StaffEntry:
    """One row of 직원 관리: active or not, and whether the PIN is still the demo one."""

    id: int
    name: str
    role: Role
    active: bool
    pin_demo: bool


@dataclass(frozen=True, slots=True)
class FailedLogin:
    """A wrong PIN: when, on which terminal, the count in a row, the lock it caused (s)."""

    at: datetime
    terminal: str
    failures: int
    locked_s: int


class StaffAdmin:
    """The staff changes of 직원 관리 and ``kspos staff``, each in one audited transaction."""

    def __init__(self, directory: StaffDirectory) -> None:
        self.directory = directory
        self.db = directory.db

    def members(self) -> list[StaffEntry]:
        """Everyone, active first, then in the order they were added."""
        return [StaffEntry(i, n, Role(r), bool(a), bool(d)) for i, n, r, a, d in self.db.read(
            "SELECT id, name, role, active, pin_demo FROM staff ORDER BY active DESC, id")]

    def add(self, name: str, role: Role, pin: str, by: Actor) -> StaffMember:
        """A new active member with a PIN nobody else has."""
        _admin(by)
        name = check_name(name)
        self._check_new_pin(pin, None, by)
        # the member and the audited change (a fact for the office) in one transaction
        return self.directory.add(name, role, pin, then=lambda s, staff_id: self._audit(
            "staff_add", by, staff_id, session=s, name=name, role=role.value))

    def rename(self, staff_id: int, name: str, by: Actor) -> None:
        _admin(by)
        name = check_name(name)
        self._update("staff_rename", by, staff_id,
                     "UPDATE staff SET name = ? WHERE id = ? AND active", (name, staff_id),
                     name=name)

    def set_role(self, staff_id: int, role: Role, by: Actor) -> None:
        """A new role; the last active owner keeps theirs."""
        _admin(by)
        self._update("staff_role", by, staff_id,
                     "UPDATE staff SET role = ? WHERE id = ? AND active AND "
                     f"(? = 'owner' OR role != 'owner' OR {_ANOTHER_OWNER})",
                     (role.value, staff_id, role.value, staff_id),
                     role=role.value)

    def deactivate(self, staff_id: int, by: Actor) -> None:
        """The member can no longer log in (their sales and audit lines keep their name)."""
        _admin(by)
        self._update("staff_deactivate", by, staff_id,
                     f"UPDATE staff SET active = 0 WHERE id = ? AND active AND (role != 'owner' "
                     f"OR {_ANOTHER_OWNER})", (staff_id, staff_id))

    def set_pin(self, staff_id: int, pin: str, by: Actor) -> None:
        """A new PIN: one's own, or anyone's by the owner. Clears the demo-PIN warning."""
        if not (isinstance(by, StaffMember) and by.id == staff_id):
            _admin(by)
        self._check_new_pin(pin, staff_id, by)
        self._update("staff_pin", by, staff_id,
                     "UPDATE staff SET pin_hash = ?, pin_demo = 0 WHERE id = ? AND active",
                     (hash_pin(pin), staff_id))

    def failed_logins(self, limit: int = 100) -> list[FailedLogin]:
        """The latest wrong PINs on every terminal, newest first."""
        seen = []
        for at, detail in self.db.read("SELECT at, detail FROM audit_log WHERE action = "
                                       "'login_failed' ORDER BY id DESC LIMIT ?", (limit,)):
            d = json.loads(detail or "{}")
            seen.append(FailedLogin(datetime.fromisoformat(str(at)), str(d.get("terminal", "")),
                                    int(d.get("failures", 0)), int(d.get("locked_s", 0))))
        return seen

    # --- helpers --------------------------------------------------------------------------------

    def _check_new_pin(self, pin: str, staff_id: int | None, by: Actor) -> None:
        check_pin_format(pin)
        holder = self.directory.holder_of(pin)
        if holder is not None and holder.id != staff_id:
            if _is_admin(by):
                raise AuthError("staff.pin_taken")
            # Someone changing their own PIN would otherwise learn a colleague's: the refusal
            # counts as a wrong PIN on this terminal, and says nothing about why.
            wait = self.directory.locked_for() or self.directory.count_failure()
            if wait:
                raise PinLocked(wait)
            raise AuthError("staff.pin_refused")
        if pin in DEMO_PINS:
            raise AuthError("staff.demo_pin")

    def _update(self, action: str, by: Actor, staff_id: int, sql: str,
                params: tuple[object, ...], **detail: object) -> None:
        """One guarded UPDATE and its audit line in one transaction; the UPDATE comes first,
        so its guard reads the store as it is when the write lock is taken."""
        from kspos.store.sql import execute

        with self.db.session() as s:
            if execute(s, sql, params).rowcount != 1:
                raise self._why_not(s, staff_id)
            self._audit(action, by, staff_id, session=s, **detail)

    @staticmethod
    def _why_not(session: Session, staff_id: int) -> AuthError:
        from kspos.store.sql import execute

        row = execute(session, "SELECT active FROM staff WHERE id = ?", (staff_id,)).fetchone()
        if row is None or not row[0]:
            return AuthError("staff.no_such_member")
        return LastOwner("staff.last_owner")

    @staticmethod
    def _audit(action: str, by: Actor, staff_id: int, session: Session,
               **detail: object) -> None:
        """The change's audit line (a fact for the office) in the change's transaction."""
        from kspos.sales.audit import audit

        detail = {"target": staff_id, **detail}
        if not isinstance(by, StaffMember):
            detail["via"] = "cli"
        audit(session, action, by.id, None, **detail)


# An UPDATE's guard: some other active owner stays (the placeholder is the member's id).
_ANOTHER_OWNER = "EXISTS (SELECT 1 FROM staff AS o WHERE o.active AND o.role = 'owner' " \
                 "AND o.id != ?)"


def _is_admin(by: Actor) -> bool:
    return isinstance(by, ShellUser) or by.may("staff_admin")


def _admin(by: Actor) -> None:
    if not isinstance(by, ShellUser):
        require(by, "staff_admin")
