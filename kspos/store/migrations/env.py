"""Alembic environment: KSPOS# runs migrations in-process on the engine it hands over."""

from alembic import context
from sqlmodel import SQLModel

# importing the models registers their tables on SQLModel.metadata (the VAN link's too)
import kspos.store.models
import kspos.store.van_models  # noqa: F401
from kspos.store.print_queue import print_job_table

print_job_table()  # the print queue's table lives on the same metadata
config = context.config
target_metadata = SQLModel.metadata


def run_migrations() -> None:
    # kspos.store.db.upgrade hands over a connection already inside its one transaction
    # (BEGIN IMMEDIATE): every migration runs in it, and it commits them all at once or none.
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(connection=connection, target_metadata=target_metadata,
                          render_as_batch=True, transactional_ddl=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = config.attributes.get("engine")
    if engine is None:
        from pathlib import Path

        from kspos.store.db import make_engine

        engine = make_engine(Path(config.get_main_option("kspos_db_path") or "kspos.sqlite3"))
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata,
                          render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


run_migrations()
