"""Option groups for 메뉴 관리 (사이즈, 온도, 샷 추가...): validating and saving them, without Qt.

A group is required (the cashier must pick) or optional, single or multi choice, and holds
1-12 choices, each with a price delta in won (negative for 샷 빼기 and the like). Orders copy
the option names and deltas when they are sold, so editing or deleting a group never changes
history; deleting one unlinks it from the items that offered it. Every change is audited.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kspos.money import MAX_PRICE_KRW
from kspos.sales.audit import audit
from kspos.sales.staff import StaffMember, require
from kspos.store import menu as menu_store
from kspos.store.db import Database
from kspos.store.models import OptionGroup

if TYPE_CHECKING:
    from kspos.store.unit import Unit

MAX_NAME = 40
MAX_CHOICES = 12  # the cashier's options sheet shows them 4 to a row: three rows at most


class OptionGroupError(ValueError):
    """A refused option-group change; ``str()`` lists what to fix (Korean first)."""


@dataclass
class ChoiceForm:
    """One row of the choice table. ``price_delta`` is the text typed ("+500", "-300")."""

    name: str
    price_delta: str | int = 0
    name_en: str = ""
    id: int | None = None


@dataclass
class GroupForm:
    name: str
    choices: list[ChoiceForm]
    name_en: str = ""
    required: bool = False
    multi: bool = False
    id: int | None = None


@dataclass(frozen=True)
class GroupDetail:
    """A saved group with its choices, in order (what the dialog opens with)."""

    id: int
    name: str
    name_en: str
    required: bool
    multi: bool
    choices: tuple[ChoiceForm, ...] = field(default_factory=tuple)
    item_count: int = 0  # how many active items offer it (said before a delete)

    def form(self) -> GroupForm:
        return GroupForm(self.name, [ChoiceForm(c.name, c.price_delta, c.name_en, c.id)
                                     for c in self.choices],
                         self.name_en, self.required, self.multi, self.id)


def parse_delta(value: str | int) -> int:
    """``"+500"``, ``"-300원"``, ``"1,000"``, ``""`` (0) or 500 → won; OptionGroupError else."""
    if isinstance(value, bool):
        raise OptionGroupError("추가 금액은 숫자로 입력하세요 (price change must be a number)")
    if isinstance(value, int):
        delta = value
    else:
        text = value.strip().removesuffix("원").replace(",", "").replace(" ", "")
        sign = -1 if text.startswith(("-", "−")) else 1
        digits = text[1:] if text[:1] in ("+", "-", "−") else text
        if not digits:
            if text:
                raise OptionGroupError(f"추가 금액이 잘못되었습니다: {value!r} (whole won)")
            return 0
        if not (digits.isascii() and digits.isdigit()) or len(digits) > 12:
            raise OptionGroupError(f"추가 금액은 원 단위 숫자로 입력하세요: {value!r} "
                                   "(whole won, e.g. +500 or -300)")
        delta = sign * int(digits)
    if abs(delta) > MAX_PRICE_KRW:
        raise OptionGroupError(f"추가 금액은 ±{MAX_PRICE_KRW:,}원 이내여야 합니다 (too large)")
    return delta


def lowest_change(required: bool, multi: bool, deltas: list[int]) -> int:
    """The most a group's choices can take off an item's price (≤ 0 unless every choice of
    a required group costs extra): what keeps "price + options ≥ 0" checkable when saving."""
    if not deltas:
        return 0
    if multi:
        cuts = sum(d for d in deltas if d < 0)
        return cuts if cuts < 0 or not required else min(deltas)
    return min(deltas) if required else min(min(deltas), 0)


def group_lows(unit: Unit) -> dict[int, int]:
    """group id → :func:`lowest_change` of the saved groups."""
    deltas = menu_store.choice_deltas(unit)
    return {g.id: lowest_change(g.required, g.multi, deltas.get(g.id, []))
            for g in menu_store.groups(unit) if g.id is not None}


def negative_items(unit: Unit, lows: dict[int, int],
                   only_group: int | None = None) -> list[str]:
    """Active items whose price the options could push below 0 (with ``lows`` per group),
    as messages; ``only_group`` limits the check to the items offering that group."""
    links = menu_store.item_groups(unit)
    found = []
    for item in menu_store.active_items(unit):
        groups = links.get(item.id or -1, [])
        if only_group is not None and only_group not in groups:
            continue
        lowest = item.price + sum(lows.get(g, 0) for g in groups)
        if lowest < 0:
            found.append(f"'{item.name}' {item.price:,}원이 옵션으로 {lowest:,}원이 됩니다: "
                         "0원 아래로 내려가지 않게 하세요 (options would make the price negative)")
    return found


def _blank(choice: ChoiceForm) -> bool:
    """A row left empty in the table (no name, no amount): ignored, not an error."""
    delta = str(choice.price_delta).strip().strip("+-−원0,")
    return not choice.name.strip() and not choice.name_en.strip() and not delta


def group_problems(db: Database, form: GroupForm) -> list[str]:
    """Everything wrong with ``form``, as messages for the owner (empty = fine)."""
    found: list[str] = []
    name = form.name.strip()
    if not name:
        found.append("옵션 그룹 이름을 입력하세요 (enter a group name)")
    elif len(name) > MAX_NAME:
        found.append(f"이름은 {MAX_NAME}자까지입니다 (name too long)")
    if len(form.name_en.strip()) > MAX_NAME:
        found.append("영문명이 너무 깁니다 (English name too long)")
    choices = [c for c in form.choices if not _blank(c)]
    if not choices:
        found.append("선택지를 하나 이상 입력하세요 (add at least one choice)")
    elif len(choices) > MAX_CHOICES:
        found.append(f"선택지는 {MAX_CHOICES}개까지입니다 (at most {MAX_CHOICES} choices)")
    seen: set[str] = set()
    for n, choice in enumerate(choices, start=1):
        label = choice.name.strip()
        if not label:
            found.append(f"{n}번째 선택지의 이름을 입력하세요 (choice {n} has no name)")
        elif len(label) > MAX_NAME:
            found.append(f"선택지 '{label[:10]}…' 이름이 너무 깁니다 (choice name too long)")
        elif label in seen:
            found.append(f"선택지 '{label}'가 두 번 있습니다 (duplicate choice)")
        seen.add(label)
        try:
            parse_delta(choice.price_delta)
        except OptionGroupError as exc:
            found.append(f"{label or n}: {exc}")
    with db.session() as s:
        twin = menu_store.group_named(s, name, form.id)
        if name and twin is not None:
            found.append(f"'{name}' 옵션 그룹이 이미 있습니다 (duplicate group name)")
        if form.id is not None and menu_store.group(s, form.id) is None:
            found.append("옵션 그룹을 찾을 수 없습니다 (group not found)")
        elif form.id is not None and not found:  # the items that offer it stay sellable
            deltas = [parse_delta(c.price_delta) for c in choices]
            lows = {**group_lows(s), form.id: lowest_change(form.required, form.multi, deltas)}
            found.extend(negative_items(s, lows, only_group=form.id))
    return found


def group_details(db: Database) -> list[GroupDetail]:
    """Every option group with its choices, in menu order, read in one session."""
    with db.session() as s:
        return [_detail(s, g) for g in menu_store.groups(s)]


def _detail(unit: Unit, group: OptionGroup) -> GroupDetail:
    assert group.id is not None
    choices = tuple(ChoiceForm(c.name, c.price_delta, c.name_en, c.id)
                    for c in menu_store.choices(unit, group.id))
    return GroupDetail(group.id, group.name, group.name_en, group.required, group.multi,
                       choices, menu_store.active_items_offering(unit, group.id))


def save_group(db: Database, form: GroupForm, staff: StaffMember | None) -> int:
    """Insert or update a group and its choices (kept ids stay, new rows are added, rows left
    out are removed). Returns the group id."""
    require(staff, "menu_edit")
    assert staff is not None
    found = group_problems(db, form)
    if found:
        raise OptionGroupError("\n".join(found))
    rows = [(c.name.strip(), c.name_en.strip(), parse_delta(c.price_delta), c.id)
            for c in form.choices if not _blank(c)]
    with db.session() as s:
        if form.id is None:
            group = OptionGroup(name="", position=menu_store.next_group_position(s))
        else:
            found_group = menu_store.group(s, form.id)
            assert found_group is not None  # group_problems said so
            group = found_group
        group.name, group.name_en = form.name.strip(), form.name_en.strip()
        group.required, group.multi = form.required, form.multi
        menu_store.save(s, group)
        assert group.id is not None
        menu_store.replace_choices(s, group.id, rows)
        audit(s, "option_group_save", staff.id, group_id=group.id, name=group.name,
              required=group.required, multi=group.multi,
              choices=[[name, delta] for name, _en, delta, _id in rows])
        return group.id


def delete_group(db: Database, group_id: int, staff: StaffMember | None) -> None:
    """Remove a group, its choices and its links to items (sold lines keep their copies)."""
    require(staff, "menu_edit")
    assert staff is not None
    with db.session() as s:
        group = menu_store.group(s, group_id)
        if group is None:
            raise OptionGroupError("옵션 그룹을 찾을 수 없습니다 (group not found)")
        items = menu_store.active_items_offering(s, group_id)
        menu_store.remove_group(s, group)
        audit(s, "option_group_delete", staff.id, group_id=group_id, name=group.name,
              items=items, group_uuid=group.uuid)  # gone from its table: the office needs it
