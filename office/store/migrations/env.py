"""Alembic environment of the office: migrations run on the connection the store hands over
(one transaction: all of them or none, PostgreSQL's DDL is transactional and so is SQLite's
under the office's own BEGIN)."""

from alembic import context

from office.store.tables import metadata

config = context.config
connection = config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata,
                  render_as_batch=connection.dialect.name == "sqlite")
with context.begin_transaction():
    context.run_migrations()
