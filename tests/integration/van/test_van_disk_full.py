"""The disk fills between the intent and the answer: the host approved, the answer cannot be
recorded. The approval must be undone at the host (a 0440 from memory, whatever the store
says), and no message may claim that nothing happened."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from kspos.van.client import VanClient, VanError
from kspos.van.simulator import SimulatorThread
from tests.integration.van.conftest import TID

KEYED = "4111111111111111=3012"


class FullDisk:
    """Our Database, whose every write fails as SQLite's does on a full disk once ``full()``
    says so (reads go on: a full disk still reads)."""

    def __init__(self, db: Any, full: Callable[[], bool]) -> None:
        self._db, self.full = db, full

    def __getattr__(self, name: str) -> Any:
        return getattr(self._db, name)

    @contextmanager
    def session(self) -> Iterator[Any]:
        with self._db.session() as session:
            raw = session.connection().connection.driver_connection
            before = raw.total_changes
            yield session
            session.flush()
            if self.full() and raw.total_changes != before:
                # a commit with something to write fails: the store rolls back and says why
                raise sqlite3.OperationalError("database or disk is full")

    def write(self, sql: str, params: tuple[object, ...] = ()) -> None:
        if self.full():
            from kspos.store import StoreError, humanize_db_error

            raise StoreError(humanize_db_error(sqlite3.OperationalError("database or disk is full")))
        self._db.write(sql, params)


def _full_once_the_host_answers(sim: SimulatorThread) -> Callable[[], bool]:
    seen = sim.sim.state.requests
    return lambda: sim.sim.state.requests > seen


def test_an_approval_that_cannot_be_recorded_is_reversed_and_said_so(
        db: Any, sim: SimulatorThread, make_client: Callable[..., VanClient]) -> None:
    disk = FullDisk(db, _full_once_the_host_answers(sim))
    client = VanClient(disk, make_client().link, TID, make_client().timeouts,
                       policy=make_client().policy)
    recorded: list[object] = []
    with pytest.raises(VanError) as caught:
        client.approve_card(12_000, keyed=KEYED, on_response=lambda s, r: recorded.append(r))
    message = str(caught.value)
    assert "nothing was saved" not in message
    assert "망취소" in message and "결제되지 않았습니다" in message
    txn = sim.sim.state.transaction(TID, datetime.now().strftime("%y%m%d") + "000001")
    assert txn is not None and txn.reversed  # the 0440 went out although the journal could not be written
    assert txn.approval_no in message  # the technician can tell the host which one
    # the disk is freed: the journal learns that the entry the full disk kept is done
    disk.full = lambda: False
    assert client.resume_pending(force=True) == []
    assert client.pending_reversals() == []
    [entry] = client.journal.history()
    assert (entry.serial, entry.result_message) == (txn.serial, "망취소완료")
    assert sim.sim.state.requests == 2  # the approval and one 0440


def test_van_approve_on_a_full_disk_exits_1_with_the_truth(
        data_dir: Path, db: Any, sim: SimulatorThread,
        capsys: pytest.CaptureFixture[str]) -> None:
    from kspos import cli
    from kspos.van import van_cli as commands

    config = data_dir / "config.toml"
    config.write_text(f'[van]\nspec = "tcp:127.0.0.1:{sim.port}"\ntid = "{TID}"\n'
                      'connect_timeout_s = 2\nresponse_timeout_s = 2\n', "utf-8")
    args = cli.build_parser().parse_args(
        ["--config", str(config), "--data-dir", str(data_dir), "van", "approve",
         "--amount", "12000", "--card", KEYED])
    disk = FullDisk(db, _full_once_the_host_answers(sim))

    class Cli:  # the composition root, with our store swapped for the full one
        UsageError, CommandFailed = cli.UsageError, cli.CommandFailed
        load_settings_for = staticmethod(cli.load_settings_for)

        @staticmethod
        def open_database(settings: Any) -> Any:
            return disk

    with pytest.raises(cli.CommandFailed) as caught:
        commands.main(args, Cli)
    message = str(caught.value)
    assert "nothing was saved" not in message and "망취소 완료" in message
    assert sim.sim.state.requests == 2  # the approval and its 0440
    assert sim.sim.state.live_approvals() == []


class LosesFirstAnswer:
    """Our VanLink port around the real TCP link: the host gets and answers the first request,
    and the answer is lost on the way back."""

    def __init__(self, link: Any) -> None:
        self.link, self.lost = link, False

    def exchange(self, frame: bytes, **timeouts: float) -> bytes:
        from kspos.ports import VanNoAnswer

        answer: bytes = self.link.exchange(frame, **timeouts)
        if not self.lost:
            self.lost = True
            raise VanNoAnswer("the answer was lost")
        return answer


def test_a_lost_answer_on_a_full_disk_still_gets_its_0440(
        db: Any, sim: SimulatorThread, make_client: Callable[..., VanClient]) -> None:
    disk = FullDisk(db, _full_once_the_host_answers(sim))
    template = make_client()
    client = VanClient(disk, LosesFirstAnswer(template.link), TID, template.timeouts,
                       policy=template.policy)
    result = client.approve_card(12_000, keyed=KEYED)
    assert not result.approved and result.network_cancel is not None
    assert result.network_cancel.status == "done"
    assert sim.sim.state.live_approvals() == []


class Unplugged:
    """Our VanLink port around the real TCP link, with the cable pulled while ``out``."""

    def __init__(self, link: Any) -> None:
        self.link, self.out = link, False

    def exchange(self, frame: bytes, **timeouts: float) -> bytes:
        from kspos.ports import VanConnectError

        if self.out:
            raise VanConnectError("connection refused")
        answer: bytes = self.link.exchange(frame, **timeouts)
        return answer


def test_an_unrecorded_approval_whose_0440_is_not_through_blocks_the_next_card(
        db: Any, sim: SimulatorThread, make_client: Callable[..., VanClient]) -> None:
    from kspos.van.client import VanReversalPending

    full = {"on": False}
    disk = FullDisk(db, lambda: full["on"])
    template = make_client()
    link = Unplugged(template.link)
    client = VanClient(disk, link, TID, template.timeouts, policy=template.policy)

    def approved_then_trouble(_session: Any, _result: Any) -> None:
        full["on"], link.out = True, True  # the disk fills and the line drops at once

    with pytest.raises(VanError, match="망취소 대기"):
        client.approve_card(12_000, keyed=KEYED, on_response=approved_then_trouble)
    assert client.reversal_owed()
    full["on"] = False  # the disk is freed; the line is still down
    with pytest.raises(VanReversalPending):
        client.approve_card(5_000, keyed=KEYED)
    link.out = False  # the line is back: the 0440 goes first, then the sale
    assert client.approve_card(5_000, keyed=KEYED).approved
    assert [t.total for t in sim.sim.state.live_approvals()] == [5_000]


def test_a_0440_sent_at_start_up_on_a_full_disk_is_done_not_an_error(
        db: Any, sim: SimulatorThread, make_client: Callable[..., VanClient]) -> None:
    from kspos.van.client import ReversalPolicy

    full = {"on": False}
    disk = FullDisk(db, lambda: full["on"])
    template = make_client()
    client = VanClient(disk, LosesFirstAnswer(template.link), TID, template.timeouts,
                       policy=ReversalPolicy(immediate=()))  # no in-line 0440: left pending
    result = client.approve_card(12_000, keyed=KEYED)
    assert result.network_cancel is not None and result.network_cancel.status == "pending"
    full["on"] = True
    [outcome] = client.resume_pending(force=True)  # `kspos van ...` does this first
    assert outcome.done and outcome.message == "망취소완료"
    assert sim.sim.state.live_approvals() == []
    full["on"] = False
    assert client.pending_reversals() == [] and not client.reversal_owed()
