"""Staff with PINs (scrypt-hashed) and roles; who may do what."""

from __future__ import annotations

import enum
import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from kspos.messages import DomainError, Words
from kspos.store import staff as staff_store
from kspos.store.db import Database

TYPE_CHECKING = False  # start-up: typing is not imported for this alone
if TYPE_CHECKING:
    from kspos.store.unit import Unit


class Role(enum.StrEnum):
    CASHIER = "cashier"
    OWNER = "owner"
    TECHNICIAN = "technician"


ROLE_WORDS = {Role.CASHIER: "캐셔", Role.OWNER: "점주", Role.TECHNICIAN: "기술자"}

# What each role may do (docs/roles.md). A technician installs and checks the devices: no
# sales, no money back, no figures. A cashier sells and reprints; the owner does everything.
ACTIONS = frozenset({"sell", "history", "reprint", "refund", "void_paid", "reports",
                     "device_test", "menu_edit", "close_day", "staff_admin", "floor_edit"})
PRIVILEGED = ACTIONS - {"sell", "history", "reprint"}  # more than a cashier
ALLOWED: dict[Role, frozenset[str]] = {
    Role.CASHIER: frozenset({"sell", "history", "reprint"}),
    Role.OWNER: ACTIONS,
    Role.TECHNICIAN: frozenset({"device_test"}),
}


class AuthError(DomainError, PermissionError):
    """Wrong PIN or not allowed: a message code (kspos.messages) and its parameters."""


class PinLocked(AuthError):
    """Too many wrong PINs on this terminal: entry is refused for ``seconds`` more."""

    def __init__(self, seconds: int) -> None:
        super().__init__("staff.pin_locked", seconds=seconds)
        self.seconds = seconds


@dataclass(frozen=True, slots=True)
class StaffMember:
    id: int
    name: str
    role: Role

    def may(self, action: str) -> bool:
        """Whether this member's role allows ``action`` (one of :data:`ACTIONS`)."""
        return action in ALLOWED[self.role]


def hash_pin(pin: str) -> str:
    """scrypt(N=2^14, r=8, p=1) with a random salt, stored as ``scrypt$salt$hash`` in hex."""
    import hashlib  # here, not at the top: OpenSSL's loading is ~5 ms of the first screen's
    import secrets

    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=2**14, r=8, p=1, dklen=32)
    return f"scrypt${salt.hex()}${digest.hex()}"


def verify_pin(pin: str, stored: str) -> bool:
    try:
        scheme, salt_hex, digest_hex = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    import hashlib
    import hmac

    digest = hashlib.scrypt(pin.encode(), salt=bytes.fromhex(salt_hex), n=2**14, r=8, p=1,
                            dklen=32)
    return hmac.compare_digest(digest.hex(), digest_hex)


def check_pin_format(pin: str) -> str:
    if not pin.isdigit() or not 4 <= len(pin) <= 8:
        raise AuthError("staff.pin_format")
    return pin


DEMO_STAFF = (("김민지", Role.CASHIER, "1111"), ("홍길동", Role.OWNER, "0000"),
              ("박기술", Role.TECHNICIAN, "9999"))


LOCK_AFTER = 5  # wrong PINs in a row on one terminal before entry locks
LOCK_FIRST_S = 30  # the first lock; each further one (without a good PIN between) doubles
LOCK_LONGEST_S = 3600  # so a prankster cannot lock the counter for the day
NAME_LONGEST = 40


def check_name(name: str) -> str:
    """A staff name as shown on receipts and screens: 1-40 characters, trimmed."""
    name = " ".join(name.split())
    if not name or len(name) > NAME_LONGEST:
        raise AuthError("staff.name_length", most=NAME_LONGEST)
    return name


class StaffDirectory:
    """Staff accounts in the database, and PIN entry on this terminal.

    ``terminal`` names the counter (the VAN TID) whose wrong PINs count towards its lock;
    the count lives in the store, so restarting the program does not clear it.
    """

    def __init__(self, db: Database, terminal: str = "local",
                 clock: Callable[[], datetime] | None = None) -> None:
        self.db = db
        self.terminal = terminal
        self.clock = clock or datetime.now

    def add(self, name: str, role: Role, pin: str, demo: bool = False,
            then: Callable[[Unit, int], object] | None = None) -> StaffMember:
        """A new active member (no check that the PIN is free: :class:`StaffAdmin` does it);
        ``then`` runs in the same transaction with the new id (the audited change)."""
        check_pin_format(pin)
        name = check_name(name)
        with self.db.session() as s:
            staff_id = staff_store.add(s, name, role.value, hash_pin(pin), demo)
            if then is not None:
                then(s, staff_id)
            return StaffMember(staff_id, name, role)

    def all(self) -> list[StaffMember]:
        """The active members, in the order they were added."""
        return [_member(found) for found in staff_store.active_members(self.db)]

    def ensure_defaults(self) -> None:
        """A store with nobody in it gets the demo staff (change the PINs in 직원 관리)."""
        if not staff_store.anyone_active(self.db):
            for name, role, pin in DEMO_STAFF:
                self.add(name, role, pin, demo=True)

    def demo_pins_left(self) -> list[str]:
        """Active members still on the PIN ensure_defaults() gave them (the screen warns)."""
        return staff_store.demo_pin_names(self.db)

    def first(self, role: Role) -> StaffMember | None:
        """The first active member with ``role`` (else anyone), read without the ORM."""
        found = staff_store.first_with_role(self.db, role.value)
        return _member(found) if found else None

    def holder_of(self, pin: str) -> StaffMember | None:
        """The active member with this PIN, checked against every hash (no lockout)."""
        found = staff_store.pin_holder(self.db, lambda pin_hash: verify_pin(pin, pin_hash))
        return _member(found) if found else None

    def login(self, pin: str) -> StaffMember:
        """The active staff member with this PIN; AuthError otherwise (PinLocked while
        this terminal's entry is locked: the PIN is then not even checked)."""
        check_pin_format(pin)
        wait = self.locked_for()
        if wait:
            raise PinLocked(wait)
        self._count_attempt()
        member = self.holder_of(pin)
        if member is None:
            locked_s = self._failed()
            if locked_s:
                raise PinLocked(locked_s)
            raise AuthError("staff.wrong_pin")
        staff_store.clear_lock(self.db, self.terminal)
        return member

    def count_failure(self) -> int:
        """Count a refusal that gave away as much as a wrong PIN; the lock it caused (s)."""
        self._count_attempt()
        return self._failed()

    def _count_attempt(self) -> None:
        # Before the check, so a process killed while checking still counts the attempt.
        staff_store.count_attempt(self.db, self.terminal)

    def _failed(self) -> int:
        """A wrong PIN: audited; the fifth in a row locks entry, each lock twice the last.
        Returns the lock's length in seconds (0: not locked)."""
        from kspos.sales.audit import audit_now

        failures, lockouts = staff_store.failures(self.db, self.terminal)
        locked_s = _lock_length(lockouts + 1) if failures >= LOCK_AFTER else 0
        # The audit line first: a process killed between the two still left the count at
        # five or more, so the next wrong PIN locks.
        audit_now(self.db, "login_failed", None, terminal=self.terminal, failures=failures,
                  locked_s=locked_s)
        if locked_s:
            until = self.clock() + timedelta(seconds=locked_s)
            staff_store.lock(self.db, self.terminal, until)
        return locked_s

    def locked_for(self) -> int:
        """Whole seconds until PIN entry reopens on this terminal (0: open now).

        Never more than the lock's own length, so a clock set back cannot stretch it."""
        found = staff_store.lock_state(self.db, self.terminal)
        if found is None:
            return 0
        until, lockouts = found
        left = (until - self.clock()).total_seconds()
        return max(0, min(math.ceil(left), _lock_length(lockouts)))


def _member(found: tuple[int, str, str]) -> StaffMember:
    staff_id, name, role = found
    return StaffMember(staff_id, name, Role(role))


def _lock_length(nth: int) -> int:
    """The ``nth`` lock's length: 30 s, 60 s, 120 s, ... up to an hour."""
    return min(LOCK_FIRST_S << min(max(nth - 1, 0), 16), LOCK_LONGEST_S)


def require(staff: StaffMember | None, action: str) -> StaffMember:
    """The staff member if allowed to do ``action``; AuthError naming who may."""
    if staff is None:
        raise AuthError("staff.login_required")
    if not staff.may(action):
        roles = [role for role in Role if action in ALLOWED[role]]
        words = " 또는 ".join(ROLE_WORDS[role] for role in roles)
        english = " or ".join(role.value for role in roles)
        raise AuthError("staff.role_required",
                        roles=Words(words, f"{_article(english)} {english}"))
    return staff


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"
