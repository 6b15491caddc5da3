"""Repository of ``menu_versions`` and ``menu_applied``: menus published to the stores.

A version is published to one store (``store_code``) or to every store (NULL). Its number
is one more than the highest any store it reaches can already see, so each store sees its
versions strictly increasing whatever mix of one-store and every-store publishing made them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select, text
from sqlalchemy.engine import Connection

from office.store.tables import menu_applied, menu_versions, stores

_PUBLISH_LOCK = 0x4B534D4E  # "KSMN": publishers take turns on a shared PostgreSQL


def _visible(store_code: str) -> Any:
    return or_(menu_versions.c.store_code == store_code, menu_versions.c.store_code.is_(None))


def lock(conn: Connection) -> None:
    """Publishers one at a time (two numbering the same version would race). SQLite's
    write transaction already is one at a time."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PUBLISH_LOCK})


def next_version(conn: Connection, store_code: str | None) -> int:
    """The number a version published now to ``store_code`` (None: every store) gets."""
    query = select(func.max(menu_versions.c.version))
    if store_code is not None:
        query = query.where(_visible(store_code))
    return int(conn.execute(query).scalar() or 0) + 1


def known_stores(conn: Connection) -> list[str]:
    return [str(r[0]) for r in conn.execute(select(stores.c.code).order_by(stores.c.code))]


def add(conn: Connection, store_code: str | None, version: int, document: dict[str, Any],
        apply: str, published_by: str, at: datetime, items: int) -> None:
    conn.execute(menu_versions.insert().values(
        store_code=store_code, version=version, document=document, apply=apply,
        published_by=published_by, published_at=at, item_count=items))


def newest_for(conn: Connection, store_code: str, have: int) -> dict[str, Any] | None:
    """The newest version ``store_code`` can see that is newer than ``have``, or None."""
    row = conn.execute(select(menu_versions).where(
        _visible(store_code), menu_versions.c.version > have).order_by(
        menu_versions.c.version.desc()).limit(1)).first()
    return dict(row._mapping) if row else None


def is_visible(conn: Connection, store_code: str, version: int) -> bool:
    return conn.execute(select(menu_versions.c.id).where(
        _visible(store_code), menu_versions.c.version == version).limit(1)).first() is not None


def record_applied(conn: Connection, store_code: str, terminal: str, version: int,
                   at: datetime) -> bool:
    """Note that a terminal applied ``version``; False when it was noted before."""
    known = conn.execute(select(menu_applied.c.version).where(
        menu_applied.c.store_code == store_code, menu_applied.c.terminal == terminal,
        menu_applied.c.version == version)).first()
    if known is not None:
        return False
    conn.execute(menu_applied.insert().values(store_code=store_code, terminal=terminal,
                                              version=version, applied_at=at))
    return True


def listing(conn: Connection, store_code: str | None = None,
            limit: int = 100) -> list[dict[str, Any]]:
    """The versions (newest first; of one store: those it sees), without the documents, each
    with ``applied``: ``[{store_code, terminal, applied_at}]``."""
    query = select(menu_versions.c.id, menu_versions.c.store_code, menu_versions.c.version,
                   menu_versions.c.apply, menu_versions.c.published_by,
                   menu_versions.c.published_at, menu_versions.c.item_count)
    if store_code is not None:
        query = query.where(_visible(store_code))
    rows = [dict(r._mapping) for r in conn.execute(
        query.order_by(menu_versions.c.version.desc(), menu_versions.c.id.desc()).limit(limit))]
    if not rows:
        return rows
    applied = select(menu_applied).where(menu_applied.c.version.in_(
        {r["version"] for r in rows})).order_by(menu_applied.c.store_code,
                                                 menu_applied.c.terminal)
    if store_code is not None:
        applied = applied.where(menu_applied.c.store_code == store_code)
    found: dict[int, list[dict[str, Any]]] = {}
    for a in conn.execute(applied):
        found.setdefault(int(a.version), []).append(
            {"store_code": a.store_code, "terminal": a.terminal, "applied_at": a.applied_at})
    for row in rows:
        row["applied"] = [a for a in found.get(row["version"], [])
                          if row["store_code"] is None or a["store_code"] == row["store_code"]]
    return rows


def latest_document(conn: Connection) -> dict[str, Any] | None:
    """The document of the version published last (to any store), for the page's editor."""
    row = conn.execute(select(menu_versions.c.document).order_by(
        menu_versions.c.published_at.desc(), menu_versions.c.id.desc()).limit(1)).first()
    return dict(row[0]) if row else None
