"""What a subcommand handler that lives with its feature gets from the composition root.

``kspos.cli`` routes ``kspos van``, ``kspos report``, ``kspos device`` and the others to a
handler beside the code it drives (``kspos/van/van_cli.py``, ``drivers/device_cli.py``...) and
hands it ``kspos.cli.HOST``: the settings and the store opened the way every command opens them,
and the two errors the command line turns into exit codes. It is passed, not imported, because
``drivers/`` may not import the composition root; a test hands a handler its own host.

For type checkers only (imported under ``TYPE_CHECKING``): a short command never pays for
``typing`` at run time.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from kspos.cli import CommandFailed as _CommandFailed
    from kspos.cli import UsageError as _UsageError
    from kspos.config import Settings
    from kspos.store import Database


class CommandHost(Protocol):
    """The composition root's services for a subcommand handler."""

    @property
    def UsageError(self) -> type[_UsageError]:  # noqa: N802 - the exception class itself
        """Bad usage or bad input: one line, exit 2."""
        ...

    @property
    def CommandFailed(self) -> type[_CommandFailed]:  # noqa: N802 - the exception class itself
        """A check or transaction failed: one line, exit 1."""
        ...

    def load_settings_for(self, args: argparse.Namespace, demo: bool = False) -> Settings:
        """Settings per the global options (``--config``, ``--data-dir``); a bad config
        file raises :attr:`UsageError` with the file, line and reason."""
        ...

    def open_database(self, settings: Settings) -> Database:
        """The store, opened and migrated; a store problem raises :attr:`CommandFailed`."""
        ...

    def build_printer(self, spec: str) -> Any:
        """A printer from its device spec (``tcp:HOST:PORT``, ``sim`` ...), not yet opened."""
        ...
