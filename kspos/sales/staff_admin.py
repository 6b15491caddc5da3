"""직원 관리: add, rename, change the role, deactivate, change PINs; the wrong PINs seen.

Every change is audited with who made it (never the PIN). ``by`` is the member doing it, whose
role must allow ``staff_admin`` (the owner), except to change their own PIN; or :data:`SHELL`,
the technician installing the store with ``kspos staff`` at the store computer's shell (who can
open the database file anyway). The last active owner can be neither deactivated nor demoted,
so the store always has someone who can close the day and manage staff.
"""

from __future__ import annotations

import json
from collections.abc import Callable
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
from kspos.store import staff as staff_store

if TYPE_CHECKING:
    from kspos.store.unit import Unit

DEMO_PINS = frozenset(pin for _, _, pin in DEMO_STAFF)
LAST_OWNER = ("마지막 점주는 비활성화하거나 역할을 바꿀 수 없습니다 "
              "(the last active owner must stay an active owner)")


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
        return [StaffEntry(i, n, Role(r), a, d) for i, n, r, a, d in staff_store.everyone(self.db)]

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
                     lambda s: staff_store.rename(s, staff_id, name), name=name)

    def set_role(self, staff_id: int, role: Role, by: Actor) -> None:
        """A new role; the last active owner keeps theirs."""
        _admin(by)
        self._update("staff_role", by, staff_id,
                     lambda s: staff_store.set_role(s, staff_id, role.value), role=role.value)

    def deactivate(self, staff_id: int, by: Actor) -> None:
        """The member can no longer log in (their sales and audit lines keep their name)."""
        _admin(by)
        self._update("staff_deactivate", by, staff_id,
                     lambda s: staff_store.deactivate(s, staff_id))

    def set_pin(self, staff_id: int, pin: str, by: Actor) -> None:
        """A new PIN: one's own, or anyone's by the owner. Clears the demo-PIN warning."""
        if not (isinstance(by, StaffMember) and by.id == staff_id):
            _admin(by)
        self._check_new_pin(pin, staff_id, by)
        pin_hash = hash_pin(pin)
        self._update("staff_pin", by, staff_id,
                     lambda s: staff_store.set_pin_hash(s, staff_id, pin_hash))

    def failed_logins(self, limit: int = 100) -> list[FailedLogin]:
        """The latest wrong PINs on every terminal, newest first."""
        seen = []
        for at, detail in staff_store.failed_logins(self.db, limit):
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
                raise AuthError("다른 직원이 쓰는 PIN입니다 (another staff member has this PIN)")
            # Someone changing their own PIN would otherwise learn a colleague's: the refusal
            # counts as a wrong PIN on this terminal, and says nothing about why.
            wait = self.directory.locked_for() or self.directory.count_failure()
            if wait:
                raise PinLocked(wait)
            raise AuthError("쓸 수 없는 PIN입니다: 다른 PIN을 고르세요 (choose another PIN)")
        if pin in DEMO_PINS:
            raise AuthError("데모 PIN은 쓸 수 없습니다 (the demo PINs cannot be used)")

    def _update(self, action: str, by: Actor, staff_id: int, change: Callable[[Unit], bool],
                **detail: object) -> None:
        """One guarded change (a repository write saying whether it changed the member) and
        its audit line in one transaction; the change comes first, so its guard reads the
        store as it is when the write lock is taken."""
        with self.db.session() as s:
            if not change(s):
                raise self._why_not(s, staff_id)
            self._audit(action, by, staff_id, session=s, **detail)

    @staticmethod
    def _why_not(session: Unit, staff_id: int) -> AuthError:
        if not staff_store.is_active(session, staff_id):
            return AuthError("없거나 비활성화된 직원입니다 (no such active staff member)")
        return LastOwner(LAST_OWNER)

    @staticmethod
    def _audit(action: str, by: Actor, staff_id: int, session: Unit,
               **detail: object) -> None:
        """The change's audit line (a fact for the office) in the change's transaction."""
        from kspos.sales.audit import audit

        detail = {"target": staff_id, **detail}
        if not isinstance(by, StaffMember):
            detail["via"] = "cli"
        audit(session, action, by.id, None, **detail)


def _is_admin(by: Actor) -> bool:
    return isinstance(by, ShellUser) or by.may("staff_admin")


def _admin(by: Actor) -> None:
    if not isinstance(by, ShellUser):
        require(by, "staff_admin")
