"""Repository of the back office's users, their stores, failed logins and the session key.

Functions take the caller's connection first, like the other repositories. Passwords arrive
here already hashed (:func:`office.auth.hash_password`); nothing in this module sees one.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Column, delete, func, or_, select, text, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from office.store.tables import login_failures, office_secrets, stores, user_stores, users

ROLES = ("admin", "owner")
SESSION_KEY = "session"


@dataclass(frozen=True)
class UserRecord:
    """A user as the web layer needs it (``stores`` is empty for an admin: they see all)."""

    login: str
    role: str
    password_hash: str
    disabled: bool
    created_at: datetime
    stores: tuple[str, ...]


def add(conn: Connection, login: str, password_hash: str, role: str,
        store_codes: list[str] | tuple[str, ...] = ()) -> None:
    """Create the user ``login`` (ValueError: it exists, a bad role, an unknown store)."""
    if role not in ROLES:
        raise ValueError(f"role is admin or owner, not {role!r}")
    if get(conn, login) is not None:
        raise ValueError(f"the user {login!r} exists already")
    unknown = sorted(set(store_codes) - set(store_list(conn)))
    if unknown:
        raise ValueError(f"no such store: {', '.join(unknown)}")
    conn.execute(users.insert().values(login=login, password_hash=password_hash, role=role,
                                       created_at=datetime.now(), disabled=False))
    for code in sorted(set(store_codes)):
        conn.execute(user_stores.insert().values(login=login, store_code=code))


def get(conn: Connection, login: str) -> UserRecord | None:
    """The user ``login`` with their stores, or None."""
    row = conn.execute(select(users.c.login, users.c.role, users.c.password_hash,
                              users.c.disabled, users.c.created_at).where(
        users.c.login == login)).first()
    if row is None:
        return None
    codes = conn.execute(select(user_stores.c.store_code).where(
        user_stores.c.login == login).order_by(user_stores.c.store_code)).scalars().all()
    return UserRecord(str(row.login), str(row.role), str(row.password_hash),
                      bool(row.disabled), row.created_at, tuple(str(c) for c in codes))


def listing(conn: Connection) -> list[UserRecord]:
    """Every user by login, with their stores (hashes included: callers never show them)."""
    logins = conn.execute(select(users.c.login).order_by(users.c.login)).scalars().all()
    return [record for login in logins if (record := get(conn, str(login))) is not None]


def set_password_hash(conn: Connection, login: str, password_hash: str) -> None:
    """Replace ``login``'s hash (argon2's parameters grew: the hash is redone at login)."""
    conn.execute(update(users).where(users.c.login == login).values(
        password_hash=password_hash))


def set_disabled(conn: Connection, login: str, disabled: bool = True) -> bool:
    """Disable (or enable) ``login``; False when there is no such user."""
    return bool(conn.execute(update(users).where(users.c.login == login).values(
        disabled=disabled)).rowcount)


def store_list(conn: Connection) -> list[str]:
    """Every store code the office knows, sorted."""
    return [str(c) for c in conn.execute(select(stores.c.code).order_by(stores.c.code))
            .scalars().all()]


def serialize_login(conn: Connection, login: str) -> None:
    """Make tries of one login take turns until this transaction ends (PostgreSQL: an
    advisory lock on the login; SQLite's write lock already serializes every transaction),
    so two guesses at the same moment cannot both pass the throttle's last count."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(hashtext(:login))"),
                     {"login": login[:64]})


def record_failure(conn: Connection, login: str, address: str, at: datetime) -> None:
    """Note a failed login of ``login`` from ``address``."""
    conn.execute(login_failures.insert().values(login=login[:64], address=address[:64],
                                                at=at))


def failures_since(conn: Connection, login: str, address: str,
                   since: datetime) -> tuple[int, int]:
    """``(failures of login, failures from address)`` since ``since``."""
    def count(column: Column[str], value: str) -> int:
        return int(conn.execute(select(func.count()).select_from(login_failures).where(
            column == value, login_failures.c.at >= since)).scalar_one())
    return count(login_failures.c.login, login[:64]), count(login_failures.c.address,
                                                            address[:64])


def oldest_failure_since(conn: Connection, login: str, address: str,
                         since: datetime) -> datetime | None:
    """The oldest failure of ``login`` or from ``address`` since ``since`` (when a lock
    ends is 15 minutes after it)."""
    found = conn.execute(select(func.min(login_failures.c.at)).where(
        or_(login_failures.c.login == login[:64], login_failures.c.address == address[:64]),
        login_failures.c.at >= since)).scalar_one()
    return found if isinstance(found, datetime) else None


def clear_failures(conn: Connection, login: str, before: datetime | None = None) -> None:
    """Forget ``login``'s failures (after a good login), or everyone's older than ``before``."""
    if before is not None:
        conn.execute(delete(login_failures).where(login_failures.c.at < before))
    else:
        conn.execute(delete(login_failures).where(login_failures.c.login == login[:64]))


def session_secret(conn: Connection) -> str:
    """The key that signs session cookies, made on first use and then shared by every
    office process (a race between two first users keeps the first one written)."""
    def read() -> str | None:
        value = conn.execute(select(office_secrets.c.value).where(
            office_secrets.c.name == SESSION_KEY)).scalar_one_or_none()
        return None if value is None else str(value)

    found = read()
    if found is not None:
        return found
    try:
        with conn.begin_nested():
            conn.execute(office_secrets.insert().values(name=SESSION_KEY,
                                                        value=secrets.token_urlsafe(48)))
    except IntegrityError:
        pass  # another process wrote it first: use theirs
    found = read()
    assert found is not None
    return found
