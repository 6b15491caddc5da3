"""e-KSPOS, the head office: terminals push their facts here; owners read them in a browser.

Layout (ARCHITECTURE.md): :mod:`office.app` (the ASGI app), :mod:`office.api` (the terminal
ingest), :mod:`office.store` (its own tables and alembic tree: the only place that talks to the
database), :mod:`office.cli` (``kspos office ...``). It imports :mod:`kspos`, never ``ui`` or
``drivers``, and nothing in :mod:`kspos` imports it.
"""
