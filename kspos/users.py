"""Staff with PINs (scrypt-hashed) and roles; who may do what."""

from __future__ import annotations

import enum

from kspos.records import DataclassFields, FrozenRecord
from kspos.store.db import Database

_set = object.__setattr__  # a frozen record's __init__ sets its fields through object


class Role(enum.StrEnum):
    CASHIER = "cashier"
    OWNER = "owner"
    TECHNICIAN = "technician"


ROLE_WORDS = {Role.CASHIER: "캐셔", Role.OWNER: "점주", Role.TECHNICIAN: "기술자"}

# Actions that need more than a cashier (issue 3): refunds, voids after payment, reports,
# device test, menu and price changes, closing the day.
PRIVILEGED = {"refund", "void_paid", "reports", "device_test", "menu_edit", "close_day"}
ALLOWED: dict[Role, set[str]] = {
    Role.CASHIER: set(),
    Role.OWNER: set(PRIVILEGED),
    Role.TECHNICIAN: {"refund", "void_paid", "reports", "device_test"},
}


class AuthError(PermissionError):
    """Wrong PIN or not allowed; ``str()`` is for the cashier."""


class StaffMember(FrozenRecord):
    __slots__ = _fields = ("id", "name", "role")
    __dataclass_fields__ = DataclassFields()
    id: int
    name: str
    role: Role

    def __init__(self, id: int, name: str, role: Role) -> None:
        _set(self, "id", id)
        _set(self, "name", name)
        _set(self, "role", role)

    def may(self, action: str) -> bool:
        return action not in PRIVILEGED or action in ALLOWED[self.role]


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
        raise AuthError("PIN은 숫자 4-8자리입니다 (PIN is 4-8 digits)")
    return pin


DEMO_STAFF = (("김민지", Role.CASHIER, "1111"), ("홍길동", Role.OWNER, "0000"),
              ("박기술", Role.TECHNICIAN, "9999"))


class StaffDirectory:
    """Staff accounts in the database."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def add(self, name: str, role: Role, pin: str) -> StaffMember:
        from kspos.store.models import Staff

        check_pin_format(pin)
        with self.db.session() as s:
            row = Staff(name=name, role=role.value, pin_hash=hash_pin(pin))
            s.add(row)
            s.flush()
            assert row.id is not None
            return StaffMember(row.id, name, role)

    def all(self) -> list[StaffMember]:
        from sqlmodel import col, select

        from kspos.store.models import Staff

        with self.db.session() as s:
            return [StaffMember(r.id, r.name, Role(r.role))
                    for r in s.exec(select(Staff).where(col(Staff.active)).order_by(col(Staff.id)))
                    if r.id is not None]

    def ensure_defaults(self) -> None:
        """A store with nobody in it gets the demo staff (change the PINs in 메뉴 관리)."""
        if not self.db.read("SELECT 1 FROM staff WHERE active LIMIT 1"):
            for name, role, pin in DEMO_STAFF:
                self.add(name, role, pin)

    def first(self, role: Role) -> StaffMember | None:
        """The first active member with ``role`` (else anyone), read without the ORM."""
        rows = self.db.read("SELECT id, name, role FROM staff WHERE active "
                            "ORDER BY role != ?, id LIMIT 1", (role.value,))
        return StaffMember(rows[0][0], rows[0][1], Role(rows[0][2])) if rows else None

    def login(self, pin: str) -> StaffMember:
        """The active staff member with this PIN; AuthError otherwise."""
        check_pin_format(pin)
        for staff_id, name, role, pin_hash in self.db.read(
                "SELECT id, name, role, pin_hash FROM staff WHERE active ORDER BY id"):
            if verify_pin(pin, pin_hash):
                return StaffMember(staff_id, name, Role(role))
        raise AuthError("PIN이 맞지 않습니다 (wrong PIN)")


def require(staff: StaffMember | None, action: str) -> StaffMember:
    """The staff member if allowed to do ``action``; AuthError naming what is needed."""
    if staff is None:
        raise AuthError("로그인이 필요합니다 (log in first)")
    if not staff.may(action):
        raise AuthError("점주 또는 기술자 권한이 필요합니다 (needs an owner or technician PIN)")
    return staff
