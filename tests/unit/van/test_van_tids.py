"""Two clients on one database (the live TID and 연습 모드's TRAIN00001) share the 망취소 journal
table but never each other's entries: each sends a 0440 only for its own TID, over its own link."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

import pytest

from kspos.van.client import ReversalPolicy, Timeouts, VanClient, VanReversalPending
from kspos.van.host import HostState
from kspos.van.store import PENDING
from tests.unit.van.van_fakes import NOW, TID, ScriptedLink

TRAIN = "TRAIN00001"
KEYED = "4111111111111111=3012"


@pytest.fixture
def training_link() -> ScriptedLink:
    return ScriptedLink(HostState(clock=lambda: NOW, rng=random.Random(5)))


@pytest.fixture
def training(db: Any, training_link: ScriptedLink) -> VanClient:
    return VanClient(db, training_link, TRAIN, Timeouts(0.3, 0.3), clock=lambda: NOW,
                     sleep=lambda s: None,
                     policy=ReversalPolicy(immediate=(0.0, 0.0, 0.0), base_s=0.0))


def _leave_pending(client: VanClient, link: ScriptedLink) -> str:
    # the host approves, the answer is lost; the three in-line 0440s find the host gone
    link.script = ["lost", "refused", "refused", "refused"]
    result = client.approve_card(10_000, keyed=KEYED)
    assert result.network_cancel is not None and result.network_cancel.status == "pending"
    return result.serial


def test_a_training_payment_never_touches_a_live_pending_reversal(
        client: VanClient, link: ScriptedLink, training: VanClient,
        training_link: ScriptedLink) -> None:
    serial = _leave_pending(client, link)
    assert training.approve_card(5_000, keyed=KEYED).approved
    # the training simulator never saw the live TID, and the live entry is still owed
    assert {r.tid for r in training_link.sent} == {TRAIN}
    assert [(p.tid, p.serial, p.state) for p in client.pending_reversals()] == \
        [(TID, serial, PENDING)]
    live_txn = link.host.transaction(TID, serial)
    assert live_txn is not None and not live_txn.reversed  # the customer is still charged...
    link.script = ["refused"]
    with pytest.raises(VanReversalPending):  # ...so live card payments stay paused
        client.approve_card(5_000, keyed=KEYED)
    assert client.approve_card(5_000, keyed=KEYED).approved  # the host is back: 0440 first
    assert live_txn.reversed


def test_a_training_entry_left_by_a_crash_never_goes_to_the_live_host(
        client: VanClient, link: ScriptedLink, training: VanClient,
        training_link: ScriptedLink) -> None:
    serial = _leave_pending(training, training_link)
    assert client.resume_pending(force=True) == []
    assert client.approve_card(5_000, keyed=KEYED).approved
    assert {r.tid for r in link.sent} == {TID} and all(r.type != "0440" for r in link.sent)
    assert client.pending_reversals() == []
    [outcome] = training.resume_pending(force=True)  # its own client finishes it
    assert (outcome.tid, outcome.serial, outcome.done) == (TRAIN, serial, True)


def test_whether_a_reversal_is_owed_is_asked_per_tid(
        client: VanClient, link: ScriptedLink, training: VanClient,
        training_link: ScriptedLink, make_client: Callable[..., VanClient]) -> None:
    assert not client.reversal_owed() and not training.reversal_owed()
    _leave_pending(training, training_link)
    assert training.reversal_owed() and not client.reversal_owed()
    _leave_pending(client, link)
    assert client.reversal_owed()


def test_the_card_dialogs_flag_follows_the_registers_mode(
        data_dir: Any, db: Any, link: ScriptedLink, training_link: ScriptedLink) -> None:
    from kspos.config import demo_settings
    from kspos.context import AppContext
    from kspos.ports import Devices

    context = AppContext.create(demo_settings(data_dir), db, Devices(van=link),
                                training_link=training_link, start_workers=False)
    assert context.training_van is not None and context.van is not None
    context.training_van.policy = context.van.policy = ReversalPolicy(immediate=(0.0,))
    _leave_pending(context.training_van, training_link)
    assert not context.reversal_pending()  # live: nothing owed, card payments go on
    context.register.set_training(True)
    assert context.reversal_pending()  # 연습 모드: its own entry waits
    context.register.set_training(False)
    _leave_pending(context.van, link)
    assert context.reversal_pending()


def test_the_training_tid_is_refused_for_the_live_link(tmp_path: Any) -> None:
    """TRAIN00001 is 연습 모드's: a live link under it would share its journal entries, which
    the training client settles over its own simulator."""
    import subprocess
    import sys

    from kspos.config import ConfigError, parse_config

    with pytest.raises(ConfigError, match="연습 모드") as caught:
        parse_config(f'[van]\ntid = "{TRAIN}"\n', "kspos.toml")
    assert caught.value.key == "van.tid"
    done = subprocess.run([sys.executable, "-m", "kspos.cli", "--data-dir", str(tmp_path), "van",
                           "test", "--van", "tcp:127.0.0.1:9", "--tid", TRAIN],
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 2 and "연습 모드" in done.stderr, done.stderr


def test_before_the_clients_are_built_the_flag_reads_the_journal_per_tid(
        data_dir: Any, db: Any, client: VanClient, link: ScriptedLink, training: VanClient,
        training_link: ScriptedLink) -> None:
    """The first paint asks before any VAN client exists (plain SQL, per TID)."""
    from kspos.config import demo_settings
    from kspos.context import AppContext
    from kspos.ports import Devices

    _leave_pending(training, training_link)  # another process's training crash
    context = AppContext.create(demo_settings(data_dir), db, Devices(van=link),
                                training_link=training_link, start_workers=False)
    assert not context.reversal_pending()
    context.register.set_training(True)
    assert context.reversal_pending()
    assert "_van_clients" not in context.__dict__  # no client was built to answer


def test_one_worker_finishes_each_clients_own_pending_entries(
        client: VanClient, link: ScriptedLink, training: VanClient,
        training_link: ScriptedLink) -> None:
    """연습 모드 had no worker: a training entry left pending stayed until the next start, and
    the card dialog said 망취소 대기 all the while."""
    import time

    from kspos.van.client import ReversalWorker

    live_serial = _leave_pending(client, link)
    _leave_pending(training, training_link)
    worker = ReversalWorker(client, training, interval_s=0.02).start()
    try:
        deadline = time.monotonic() + 5
        while (client.reversal_owed() or training.reversal_owed()) \
                and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        worker.stop()
    assert not client.reversal_owed() and not training.reversal_owed()
    assert {r.tid for r in link.sent} == {TID} and {r.tid for r in training_link.sent} == {TRAIN}
    live_txn = link.host.transaction(TID, live_serial)
    assert live_txn is not None and live_txn.reversed
