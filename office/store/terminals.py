"""Repository of ``stores`` and ``terminals``: who may push, by the hash of their token."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.engine import Connection

from office.store.tables import stores, terminals


def ensure_store(conn: Connection, code: str, name: str = "") -> None:
    """The store ``code`` exists afterwards (made now if it was not known)."""
    if conn.execute(select(stores.c.code).where(stores.c.code == code)).first() is None:
        conn.execute(stores.insert().values(code=code, name=name, created_at=datetime.now()))


def set_token(conn: Connection, store: str, terminal: str, token_hash: str,
              name: str = "") -> bool:
    """Give ``store``/``terminal`` the token whose hash is ``token_hash``; True when the
    terminal was known (its old token stops working now), False when it is new."""
    ensure_store(conn, store)
    now = datetime.now()
    known = conn.execute(update(terminals).where(
        terminals.c.store_code == store, terminals.c.terminal == terminal).values(
        token_hash=token_hash, revoked_at=None, created_at=now,
        **({"name": name} if name else {}))).rowcount
    if not known:
        conn.execute(terminals.insert().values(store_code=store, terminal=terminal, name=name,
                                               token_hash=token_hash, created_at=now))
    return bool(known)


def revoke(conn: Connection, store: str, terminal: str) -> bool:
    """Stop ``store``/``terminal``'s token; False when there was no live one."""
    return bool(conn.execute(update(terminals).where(
        terminals.c.store_code == store, terminals.c.terminal == terminal,
        terminals.c.revoked_at.is_(None)).values(revoked_at=datetime.now())).rowcount)


def by_token_hash(conn: Connection, token_hash: str) -> tuple[str, str] | None:
    """``(store, terminal)`` of the live token with this hash, or None."""
    row = conn.execute(select(terminals.c.store_code, terminals.c.terminal).where(
        terminals.c.token_hash == token_hash, terminals.c.revoked_at.is_(None))).first()
    return (str(row[0]), str(row[1])) if row else None


def listing(conn: Connection) -> list[dict[str, object]]:
    """Every terminal, by store and number (never the token hash)."""
    rows = conn.execute(select(terminals.c.store_code, terminals.c.terminal, terminals.c.name,
                               terminals.c.created_at, terminals.c.revoked_at).order_by(
        terminals.c.store_code, terminals.c.terminal))
    return [dict(row._mapping) for row in rows]
