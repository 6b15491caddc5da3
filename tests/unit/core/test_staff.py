"""직원 관리 and PIN entry on a real temp SQLite file: staff changes, shared PINs, the last
owner, demo PINs, the lockout after wrong PINs (kept across a restart, per terminal), roles."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from kspos.sales.staff import AuthError, PinLocked, Role, StaffDirectory, StaffMember, require
from kspos.sales.staff_admin import SHELL, StaffAdmin
from kspos.store import Database


class Clock:
    """A wall clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = datetime(2026, 12, 5, 9, 0, 0)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def directory(db: Database, clock: Clock) -> StaffDirectory:
    staff = StaffDirectory(db, terminal="POS0000001", clock=clock)
    staff.ensure_defaults()
    return staff


@pytest.fixture
def admin(directory: StaffDirectory) -> StaffAdmin:
    return StaffAdmin(directory)


def _audit(db: Database, action: str) -> list[tuple[int | None, dict[str, object]]]:
    return [(staff_id, json.loads(detail)) for staff_id, detail in db.read(
        "SELECT staff_id, detail FROM audit_log WHERE action = ? ORDER BY id", (action,))]


def _owner(directory: StaffDirectory) -> StaffMember:
    return directory.login("0000")


# --- 직원 관리 ----------------------------------------------------------------------------------


def test_the_owner_adds_renames_changes_the_role_and_deactivates(
        directory: StaffDirectory, admin: StaffAdmin, db: Database) -> None:
    owner = _owner(directory)
    new = admin.add("이수진", Role.CASHIER, "4821", owner)
    assert directory.login("4821") == new
    admin.rename(new.id, "이수진B", owner)
    admin.set_role(new.id, Role.OWNER, owner)
    assert directory.login("4821") == StaffMember(new.id, "이수진B", Role.OWNER)
    admin.deactivate(new.id, owner)
    with pytest.raises(AuthError):
        directory.login("4821")
    listed = {m.name: m for m in admin.members()}
    assert not listed["이수진B"].active and listed["홍길동"].active
    for action in ("staff_add", "staff_rename", "staff_role", "staff_deactivate"):
        entries = _audit(db, action)
        assert entries and entries[-1][0] == owner.id, action
    assert "4821" not in json.dumps([_audit(db, a) for a in ("staff_add", "staff_pin")])


def test_a_cashier_cannot_manage_staff_and_the_message_says_who_can(
        directory: StaffDirectory, admin: StaffAdmin) -> None:
    cashier = directory.login("1111")
    with pytest.raises(AuthError, match="점주"):
        admin.add("몰래", Role.OWNER, "5555", cashier)
    technician = directory.login("9999")
    with pytest.raises(AuthError, match="점주"):
        admin.set_pin(cashier.id, "5555", technician)
    assert len(admin.members()) == 3


def test_no_two_staff_share_a_pin(directory: StaffDirectory, admin: StaffAdmin) -> None:
    owner = _owner(directory)
    with pytest.raises(AuthError, match="다른 직원"):
        admin.add("이수진", Role.CASHIER, "1111", owner)
    kim = directory.login("1111")
    with pytest.raises(AuthError, match="다른 직원"):
        admin.set_pin(kim.id, "9999", owner)
    assert directory.login("1111") == kim and len(admin.members()) == 3


def test_own_pin_by_the_person_any_pin_by_the_owner(
        directory: StaffDirectory, admin: StaffAdmin, db: Database) -> None:
    kim, tech, owner = directory.login("1111"), directory.login("9999"), _owner(directory)
    admin.set_pin(kim.id, "2468", kim)
    with pytest.raises(AuthError):
        admin.set_pin(tech.id, "1357", kim)  # not someone else's
    admin.set_pin(tech.id, "1357", owner)
    assert directory.login("2468") == kim and directory.login("1357") == tech
    with pytest.raises(AuthError):
        directory.login("1111")
    assert [d["target"] for _, d in _audit(db, "staff_pin")] == [kim.id, tech.id]


def test_the_last_active_owner_cannot_be_deactivated_or_demoted(
        directory: StaffDirectory, admin: StaffAdmin) -> None:
    owner = _owner(directory)
    with pytest.raises(AuthError, match="마지막 점주"):
        admin.deactivate(owner.id, owner)
    with pytest.raises(AuthError, match="마지막 점주"):
        admin.set_role(owner.id, Role.CASHIER, owner)
    second = admin.add("박사장", Role.OWNER, "7777", owner)
    admin.deactivate(owner.id, second)  # with a second owner, the first may go
    with pytest.raises(AuthError, match="마지막 점주"):
        admin.deactivate(second.id, SHELL)
    assert [m.name for m in admin.members() if m.active and m.role is Role.OWNER] == ["박사장"]


def test_names_are_checked(directory: StaffDirectory, admin: StaffAdmin) -> None:
    owner = _owner(directory)
    with pytest.raises(AuthError, match="이름"):
        admin.add("  ", Role.CASHIER, "4821", owner)
    with pytest.raises(AuthError, match="이름"):
        admin.rename(owner.id, "가" * 41, owner)


def test_demo_pins_are_flagged_until_each_is_changed(
        directory: StaffDirectory, admin: StaffAdmin) -> None:
    assert sorted(directory.demo_pins_left()) == ["김민지", "박기술", "홍길동"]
    owner = _owner(directory)
    admin.set_pin(owner.id, "8642", owner)
    kim, tech = directory.login("1111"), directory.login("9999")
    admin.set_pin(kim.id, "2468", owner)
    assert directory.demo_pins_left() == ["박기술"]
    admin.deactivate(tech.id, owner)  # a member who left no longer needs a new PIN
    assert directory.demo_pins_left() == []


# --- wrong PINs ---------------------------------------------------------------------------------


def _wrong(directory: StaffDirectory, times: int) -> None:
    for _ in range(times):
        with pytest.raises(AuthError):
            directory.login("4444")


def test_five_wrong_pins_lock_entry_for_30_s_then_60(
        directory: StaffDirectory, clock: Clock, db: Database) -> None:
    _wrong(directory, 4)
    assert directory.login("1111").name == "김민지"  # a good PIN before the fifth resets
    _wrong(directory, 5)
    with pytest.raises(PinLocked, match="30초") as locked:
        directory.login("0000")  # even the right PIN waits
    assert locked.value.seconds == 30
    clock.advance(29)
    with pytest.raises(PinLocked, match="1초"):
        directory.login("0000")
    clock.advance(1)
    _wrong(directory, 5)  # the second lock doubles
    with pytest.raises(PinLocked, match="60초"):
        directory.login("0000")
    clock.advance(60)
    assert directory.login("0000").name == "홍길동"
    _wrong(directory, 5)  # a good PIN starts the doubling over
    assert directory.locked_for() == 30
    failures = _audit(db, "login_failed")  # every wrong PIN; a refused one while locked is no guess
    assert len(failures) == 19 and all(d["terminal"] == "POS0000001" for _, d in failures)
    assert [d["locked_s"] for _, d in failures if d["locked_s"]] == [30, 60, 30]
    assert "4444" not in json.dumps(failures)


def test_the_lock_holds_across_a_restart_and_is_per_terminal(
        data_dir: Path, clock: Clock) -> None:
    path = data_dir / "kspos.sqlite3"
    with Database(path).open() as db:
        staff = StaffDirectory(db, terminal="POS0000001", clock=clock)
        staff.ensure_defaults()
        _wrong(staff, 5)
    clock.advance(10)
    with Database(path).open() as db:  # the program was restarted
        with pytest.raises(PinLocked, match="20초"):
            StaffDirectory(db, terminal="POS0000001", clock=clock).login("1111")
        other = StaffDirectory(db, terminal="POS0000002", clock=clock)
        assert other.login("1111").name == "김민지"


def test_a_clock_set_back_never_locks_longer_than_the_lock(
        directory: StaffDirectory, clock: Clock) -> None:
    _wrong(directory, 5)
    clock.advance(-86_400)
    assert directory.locked_for() == 30


def test_the_owner_sees_the_failed_pins(directory: StaffDirectory, admin: StaffAdmin) -> None:
    before = datetime.now().replace(microsecond=0)
    _wrong(directory, 6)  # the sixth is refused unchecked: entry is locked
    seen = admin.failed_logins()  # newest first
    assert len(seen) == 5 and seen[0].terminal == "POS0000001"
    assert seen[0].at >= before and seen[0].locked_s == 30 and seen[1].locked_s == 0


# --- roles --------------------------------------------------------------------------------------


def test_each_role_may_do_its_own_work_only() -> None:
    cashier = StaffMember(1, "김민지", Role.CASHIER)
    owner = StaffMember(2, "홍길동", Role.OWNER)
    technician = StaffMember(3, "박기술", Role.TECHNICIAN)
    for action in ("refund", "void_paid", "reports", "sell", "history", "reprint"):
        with pytest.raises(AuthError):
            require(technician, action)
    assert require(technician, "device_test") is technician
    for action in ("sell", "history", "reprint"):
        assert require(cashier, action) is cashier
    for action in ("refund", "reports", "device_test", "staff_admin", "menu_edit"):
        with pytest.raises(AuthError):
            require(cashier, action)
    for action in ("refund", "void_paid", "reports", "device_test", "staff_admin", "sell"):
        assert require(owner, action) is owner
    with pytest.raises(AuthError, match="로그인"):
        require(None, "history")


def test_a_pin_change_cannot_be_used_to_find_a_colleagues_pin(
        directory: StaffDirectory, admin: StaffAdmin, db: Database) -> None:
    kim = directory.login("1111")
    for _ in range(4):
        with pytest.raises(AuthError, match="다른 PIN") as refused:
            admin.set_pin(kim.id, "0000", kim)  # the owner's: refused without saying whose
        assert "직원" not in str(refused.value)
    with pytest.raises(PinLocked):
        admin.set_pin(kim.id, "0000", kim)  # counted as wrong PINs: the fifth locks
    with pytest.raises(PinLocked):
        directory.login("1111")
    assert len(_audit(db, "login_failed")) == 5


def test_a_store_upgraded_with_the_demo_pins_still_gets_the_warning(data_dir: Path) -> None:
    from alembic import command

    from kspos.sales.staff import hash_pin
    from kspos.store.db import _alembic_config

    path = data_dir / "kspos.sqlite3"
    with Database(path).open() as db:
        command.downgrade(_alembic_config(db.engine), "0005_print_encoding")
        for name, role, pin in (("홍길동", "owner", "0000"), ("김민지", "cashier", "5821"),
                                ("박기술", "technician", "9999")):
            db.write("INSERT INTO staff (name, role, pin_hash, active) VALUES (?, ?, ?, 1)",
                     (name, role, hash_pin(pin)))
    with Database(path).open() as db:  # the next start migrates
        assert StaffDirectory(db).demo_pins_left() == ["홍길동", "박기술"]


def test_a_guess_cut_off_mid_check_still_counts(directory: StaffDirectory,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Pulling the plug while a PIN is being checked must not give a free guess."""

    def power_cut(_self: StaffDirectory, _pin: str) -> None:
        raise SystemExit("killed")

    with monkeypatch.context() as patch:
        patch.setattr(StaffDirectory, "holder_of", power_cut)
        for _ in range(4):
            with pytest.raises(SystemExit):
                directory.login("4444")
    with pytest.raises(PinLocked):
        directory.login("4444")  # the fifth guess in a row
