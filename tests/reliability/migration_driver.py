"""The process the migration crash test kills: ``kspos db upgrade``, with its imports done first.

``python -m tests.reliability.migration_driver --data-dir D [--kill-after N]`` imports
everything an upgrade needs (SQLAlchemy, sqlmodel, alembic, the models), prints ``READY``,
then runs the real ``kspos db upgrade`` (``kspos.cli.main``) and exits with its code.
Importing first puts the test's timed kills inside the upgrade rather than in Python's
start-up. ``--kill-after N`` SIGKILLs the process itself right after the N-th SQL statement
SQLAlchemy executes (a listener on SQLAlchemy's public event API; product code is untouched),
so a kill lands between any two statements of a migration, however short the gap; without it
the driver prints ``STATEMENTS <n>`` at the end, the count to choose N from.
"""

from __future__ import annotations

import os
import signal
import sys


def main(argv: list[str]) -> int:
    if len(argv) not in (2, 4) or argv[0] != "--data-dir" or argv[2:3] not in ([], ["--kill-after"]):
        print("usage: migration_driver --data-dir D [--kill-after N]", file=sys.stderr)
        return 2
    kill_after = int(argv[3]) if len(argv) == 4 else 0
    import alembic.command
    import alembic.runtime.migration  # noqa: F401
    import sqlalchemy  # noqa: F401
    import sqlmodel  # noqa: F401
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    import kspos.cli
    import kspos.receipts.queue
    import kspos.store.backup
    import kspos.store.models

    done = [0]

    def after_statement(*_args: object) -> None:
        done[0] += 1
        if done[0] == kill_after:
            os.kill(os.getpid(), signal.SIGKILL)

    event.listen(Engine, "after_cursor_execute", after_statement)
    print("READY", flush=True)
    code = kspos.cli.main(["--data-dir", argv[1], "db", "upgrade"])
    print(f"STATEMENTS {done[0]}", flush=True)
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
