"""The office's data-access layer: the only code of :mod:`office` that talks to a database.

:class:`OfficeStore` opens PostgreSQL (psycopg 3) or SQLite, brings the schema to the head of
its own alembic tree (``office/store/migrations``) and hands out transactions; the
repositories (:mod:`office.store.terminals`, :mod:`office.store.ingest`) are functions that
take the caller's connection first. Database errors leave this package as
:class:`OfficeStoreError` (the server answers 503), never as a driver's exception.
"""

from office.store.engine import (
    OfficeStore,
    OfficeStoreError,
    OfficeUnavailable,
    database_url,
    describe_url,
)

__all__ = ["OfficeStore", "OfficeStoreError", "OfficeUnavailable", "database_url",
           "describe_url"]
