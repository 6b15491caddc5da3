"""Plain statements on a unit of work's own sqlite3 connection: the checkout's path.

A card sale runs about twenty statements. Through SQLAlchemy each one costs 0.2-0.6 ms of
Python (statement objects, cache keys, result rows, unit-of-work flushes); on the driver it costs
15-20 µs, and the whole sale's budget is 15 ms. These helpers run on the connection the session
(or Core connection) has already begun, so they commit or roll back with everything else in it.

Values are stored the way SQLAlchemy stores them on SQLite -- datetimes as
``YYYY-MM-DD HH:MM:SS.ffffff`` text, booleans as 0/1 -- so the ORM reads these rows exactly as if
it had written them. Rows read here come back as plain records: datetime columns stay text
(:func:`moment` parses them) and booleans stay 0/1.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from datetime import datetime
from functools import cache
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection
    from sqlmodel import Session, SQLModel


def driver(unit: Session | Connection) -> sqlite3.Connection:
    """The sqlite3 connection under ``unit``'s transaction (a Session or a Core Connection)."""
    # Session.connection() is a method (it begins the unit's transaction); a Core
    # Connection's .connection is the pooled DBAPI connection itself.
    pooled = unit.connection() if callable(unit.connection) else unit
    found = pooled.connection.driver_connection
    assert isinstance(found, sqlite3.Connection)
    return found


def stamp(moment_: datetime) -> str:
    """A datetime as SQLAlchemy's SQLite ``DateTime`` stores it (always with microseconds)."""
    return moment_.isoformat(" ", "microseconds")


def moment(text: str | datetime) -> datetime:
    """A stored datetime column back as a datetime."""
    if isinstance(text, datetime):
        return text
    return datetime.fromisoformat(text)


def _stored(value: object) -> object:
    return stamp(value) if isinstance(value, datetime) else value


@cache
def _shape(model: type[SQLModel]) -> tuple[str, tuple[str, ...], dict[str, Any]]:
    """The model's table, its insertable columns (all but ``id``) and their defaults
    (a value, or a zero-argument callable for a ``default_factory``)."""
    from pydantic_core import PydanticUndefined

    columns, defaults = [], {}
    for name, field in model.model_fields.items():
        if name == "id":
            continue
        columns.append(name)
        if field.default_factory is not None:
            defaults[name] = field.default_factory
        elif field.default is not PydanticUndefined:
            defaults[name] = field.default
    return str(model.__tablename__), tuple(columns), defaults


@cache
def _insert_sql(table: str, columns: tuple[str, ...]) -> str:
    names = ", ".join(f'"{c}"' for c in columns)
    return f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' * len(columns))})"


def _row_values(model: type[SQLModel], values: Mapping[str, object]) -> list[object]:
    table, columns, defaults = _shape(model)
    unknown = values.keys() - columns
    if unknown:
        raise TypeError(f"{table} has no column(s) {', '.join(sorted(unknown))}")
    row: list[object] = []
    for name in columns:
        if name in values:
            row.append(_stored(values[name]))
        elif name in defaults:
            default = defaults[name]
            row.append(_stored(default() if callable(default) else default))
        else:
            raise TypeError(f"{table}.{name} needs a value")
    return row


def insert_row(unit: Session | Connection, model: type[SQLModel],
               values: Mapping[str, object]) -> int:
    """Insert one row of ``model``'s table (model defaults fill what ``values`` leaves out);
    returns its id."""
    table, columns, _ = _shape(model)
    cursor = driver(unit).execute(_insert_sql(table, columns), _row_values(model, values))
    assert cursor.lastrowid is not None
    return int(cursor.lastrowid)


def insert_rows(unit: Session | Connection, model: type[SQLModel],
                rows: Sequence[Mapping[str, object]]) -> None:
    """Insert several rows of ``model``'s table in one ``executemany``."""
    if not rows:
        return
    table, columns, _ = _shape(model)
    driver(unit).executemany(_insert_sql(table, columns),
                             [_row_values(model, values) for values in rows])


def _record(cursor: sqlite3.Cursor, values: tuple[Any, ...]) -> SimpleNamespace:
    return SimpleNamespace(**{d[0]: v for d, v in zip(cursor.description, values, strict=True)})


def records(unit: Session | Connection, sql: str, params: Sequence[object] = ()
            ) -> list[Any]:
    """The rows of a query as records with a field per column (``row.total``)."""
    cursor = driver(unit).cursor()
    cursor.row_factory = _record
    try:
        return cursor.execute(sql, params).fetchall()
    finally:
        cursor.close()


def execute(unit: Session | Connection, sql: str, params: Sequence[object] = ()
            ) -> sqlite3.Cursor:
    """One statement in ``unit``'s transaction (datetimes among ``params`` stored as text)."""
    return driver(unit).execute(sql, [_stored(p) for p in params])
