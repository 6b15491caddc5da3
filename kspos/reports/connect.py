"""Where the report code opens the store: the plain read-only opening of kspos/store/readonly.py.

Kept as a name for the callers that seal a closed day or read a report on a connection of
their own (the closing screen, ``demo-data``, the benchmarks); the opening itself, its pragmas
and its schema check live beside ``Database`` in the store package.
"""

from kspos.store.readonly import connect, migration_head, open_at_head, schema_revision

__all__ = ["connect", "migration_head", "open_at_head", "schema_revision"]
