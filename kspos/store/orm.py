"""The ORM session under a unit of work, for the repositories that query through the ORM.

Domain modules name a unit of work only as :data:`kspos.store.unit.Unit` (a Session or a Core
Connection); the reads that build screens need the Session's ``exec``/``get``/``add``, and
:func:`session_of` says so plainly when a Core Connection is handed to one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlmodel import Session

    from kspos.store.unit import Unit


def session_of(unit: Unit) -> Session:
    """``unit`` itself, which must be an ORM session (TypeError otherwise)."""
    from sqlmodel import Session

    if not isinstance(unit, Session):
        raise TypeError(f"this query runs on an ORM session, not a {type(unit).__name__}")
    return unit
