"""The unit of work every repository function runs on: a Session or a Core Connection.

Domain modules name it in type hints (``if TYPE_CHECKING: from kspos.store.unit import Unit``)
and never import a database library themselves; they open one with ``Database.session()`` and
hand it to the repositories under :mod:`kspos.store`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

    # re-exported: a callback always handed ``Database.session()``'s unit names it
    from sqlmodel import Session as Session

    Unit = Session | Connection
