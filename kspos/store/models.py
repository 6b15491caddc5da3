"""The core tables (sqlmodel). Money columns are integer KRW; no column ever holds card data
beyond a masked PAN and a BIN.

Migrations in ``kspos/store/migrations/versions`` create these tables; a change here needs a
new migration.

Retention (migration ``0009_retention``, not modelled here): triggers refuse deleting a row of
sale_order, order_line (of a settled order), payment, refund, business_day, audit_log or
van_reversal (once a reversal is owed) younger than five years (국세기본법 §85-3). A migration
that rebuilds one of these tables must create its ``retain_<table>`` trigger again.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import NaiveDatetime
from sqlmodel import Field, SQLModel

from kspos.sync.identity import new_uuid


def now() -> datetime:
    return datetime.now()


def uuid_field() -> str:
    """A fact's UUID, made on this terminal when its row is made (migration ``0012_identity``
    gave every older row one): how the office and the other terminals name it."""
    field: str = Field(default_factory=new_uuid, index=True, unique=True, max_length=36)
    return field


# --- catalog -----------------------------------------------------------------------------------


class Category(SQLModel, table=True):
    __tablename__ = "category"
    id: int | None = Field(default=None, primary_key=True)
    uuid: str = uuid_field()
    name: str
    name_en: str = ""
    color: str = "#2563EB"
    position: int = 0
    active: bool = True


class Item(SQLModel, table=True):
    __tablename__ = "item"
    id: int | None = Field(default=None, primary_key=True)
    uuid: str = uuid_field()
    category_id: int = Field(foreign_key="category.id", index=True)
    name: str
    name_en: str = ""
    price: int
    tax_free: bool = False
    barcode: str | None = Field(default=None, index=True)
    sold_out: bool = False
    position: int = 0
    active: bool = True


class OptionGroup(SQLModel, table=True):
    __tablename__ = "option_group"
    id: int | None = Field(default=None, primary_key=True)
    uuid: str = uuid_field()
    name: str
    name_en: str = ""
    required: bool = False
    multi: bool = False
    position: int = 0


class OptionChoice(SQLModel, table=True):
    __tablename__ = "option_choice"
    id: int | None = Field(default=None, primary_key=True)
    uuid: str = uuid_field()
    group_id: int = Field(foreign_key="option_group.id", index=True)
    name: str
    name_en: str = ""
    price_delta: int = 0
    position: int = 0


class ItemOptionGroup(SQLModel, table=True):
    __tablename__ = "item_option_group"
    item_id: int = Field(foreign_key="item.id", primary_key=True)
    group_id: int = Field(foreign_key="option_group.id", primary_key=True)
    position: int = 0


# --- people and days ---------------------------------------------------------------------------


class Staff(SQLModel, table=True):
    __tablename__ = "staff"
    id: int | None = Field(default=None, primary_key=True)
    uuid: str = uuid_field()
    name: str
    role: str  # cashier | owner | technician
    pin_hash: str
    active: bool = True
    pin_demo: bool = False  # still the PIN ensure_defaults() gave: the screen warns


class PinLockout(SQLModel, table=True):
    """Wrong PINs in a row on one terminal (its VAN TID) and how long entry stays locked."""

    __tablename__ = "pin_lockout"
    terminal: str = Field(primary_key=True, max_length=32)
    failures: int = 0
    lockouts: int = 0  # locks so far without a good PIN between: each doubles the wait
    locked_until: str | None = Field(default=None, max_length=26)  # ISO time


class BusinessDay(SQLModel, table=True):
    """One 영업일: opened with a cash float, closed with counted cash (over/short)."""

    __tablename__ = "business_day"
    id: int | None = Field(default=None, primary_key=True)
    uuid: str = uuid_field()
    day: str = Field(index=True, unique=True)  # YYYY-MM-DD
    opened_at: NaiveDatetime = Field(default_factory=now)
    opened_by: int | None = Field(default=None, foreign_key="staff.id")
    opening_float: int = 0
    next_receipt_seq: int = 1
    next_pickup_no: int = 1  # the next sequential 주문번호 (kspos/store/pickup.py), 1-999
    closed_at: NaiveDatetime | None = None
    closed_by: int | None = Field(default=None, foreign_key="staff.id")
    expected_cash: int | None = None
    counted_cash: int | None = None
    over_short: int | None = None


# --- orders and money --------------------------------------------------------------------------


class SaleOrder(SQLModel, table=True):
    """An order from open to paid/refunded/voided. Totals are stored as computed at payment."""

    __tablename__ = "sale_order"
    id: int | None = Field(default=None, primary_key=True)
    uuid: str = uuid_field()
    receipt_no: str = Field(index=True, unique=True)  # YYYYMMDD-TT-NNNN (older: YYYYMMDD-NNNN)
    business_day_id: int = Field(foreign_key="business_day.id", index=True)
    state: str = Field(default="open", index=True)
    training: bool = False
    table_no: str | None = None
    note: str = ""
    staff_id: int | None = Field(default=None, foreign_key="staff.id")
    created_at: NaiveDatetime = Field(default_factory=now)
    paid_at: NaiveDatetime | None = Field(default=None, index=True)
    order_discount_kind: str | None = None  # "amount" | "percent"
    order_discount_value: int = 0
    gross: int = 0
    discount_total: int = 0
    service_total: int = 0
    total: int = 0
    supply: int = 0
    vat: int = 0
    tax_free: int = 0
    refunded: int = 0
    # Set while a refund (or the undoing of a split's tenders) gives money back on the order:
    # who holds it, see kspos/sales/refunds.py. NULL = nobody.
    refund_claim: str | None = None
    terminal: str | None = None  # the register an open order is on (kspos/sales/terminal.py)
    # Restaurant mode (kspos/sales/checks.py): a check on a table is an open order with
    # ``table_id`` set and no terminal; ``zone`` is a copy of the zone's name, like
    # ``table_no`` is of the table's.
    table_id: int | None = None  # one open check per table: ix_sale_order_open_table (0014)
    zone: str = ""
    guests: int = 0
    bill_printed_at: NaiveDatetime | None = None  # 중간 계산서 since the last round
    carry_over: bool = False  # 이월: to move onto the next business day when it opens
    check_rev: int = 0  # bumped by every change of a check: a stale copy cannot write
    # 주문번호 (kspos/store/pickup.py): a takeout/cafe order's short number, taken in the
    # transaction that marks it paid; ``pickup_ready_at``: when it was called (완료).
    pickup_no: int | None = None
    pickup_ready_at: NaiveDatetime | None = None


class OrderLine(SQLModel, table=True):
    __tablename__ = "order_line"
    id: int | None = Field(default=None, primary_key=True)
    uuid: str = uuid_field()
    order_id: int = Field(foreign_key="sale_order.id", index=True)
    position: int = 0
    # A copy of what was sold: no foreign key, so menu edits never touch sales history.
    item_id: int | None = None
    category_id: int | None = None
    category_name: str = ""
    name: str
    name_en: str = ""
    options_json: str = "[]"
    unit_price: int  # base price + option deltas
    qty: int
    discount_kind: str | None = None
    discount_value: int = 0
    discount_amount: int = 0
    complimentary: bool = False
    tax_free: bool = False
    amount: int = 0  # what the customer pays for this line, before the order discount
    refunded_qty: int = 0
    note: str = ""  # a memo to the kitchen on a table's check
    round_no: int = 0  # the round that sent it to the kitchen (0: not sent, or not a check)


class Payment(SQLModel, table=True):
    """One tender on an order. Card data: masked PAN and BIN only."""

    __tablename__ = "payment"
    id: int | None = Field(default=None, primary_key=True)
    uuid: str = uuid_field()
    order_id: int = Field(foreign_key="sale_order.id", index=True)
    method: str  # cash | card | easypay | cash_receipt
    status: str = "approved"  # approved | cancelled | partly_cancelled
    amount: int
    refunded: int = 0
    tendered: int = 0
    change: int = 0
    training: bool = False
    created_at: NaiveDatetime = Field(default_factory=now, index=True)
    wallet: str | None = None
    approval_no: str | None = None
    approval_date: str | None = None
    approved_at: str | None = None
    masked_pan: str | None = None
    card_bin: str | None = None
    brand: str | None = None
    issuer_code: str | None = None
    issuer: str | None = None
    acquirer_code: str | None = None
    acquirer: str | None = None
    merchant_no: str | None = None
    installment: int = 0
    van_class: str | None = None
    van_serial: str | None = None
    van_txn_id: str | None = None
    cash_receipt_purpose: str | None = None
    cash_receipt_id_masked: str | None = None
    cash_receipt_approval_no: str | None = None
    split_part: int | None = None  # which part of a check's split it paid (check_split)


class Refund(SQLModel, table=True):
    """Money given back on one tender of an order (whole or by line)."""

    __tablename__ = "refund"
    id: int | None = Field(default=None, primary_key=True)
    uuid: str = uuid_field()
    order_id: int = Field(foreign_key="sale_order.id", index=True)
    payment_id: int = Field(foreign_key="payment.id", index=True)
    amount: int
    lines_json: str = "[]"
    reason: str = ""
    staff_id: int | None = Field(default=None, foreign_key="staff.id")
    created_at: NaiveDatetime = Field(default_factory=now, index=True)
    training: bool = False
    approval_no: str | None = None
    approval_date: str | None = None


class AuditEntry(SQLModel, table=True):
    __tablename__ = "audit_log"
    id: int | None = Field(default=None, primary_key=True)
    uuid: str = uuid_field()
    at: NaiveDatetime = Field(default_factory=now, index=True)
    staff_id: int | None = Field(default=None, foreign_key="staff.id")
    action: str = Field(index=True)
    order_id: int | None = None
    detail: str = ""


# --- restaurant: the floor and checks on tables (kspos/sales/checks.py) --------------------------


class FloorZone(SQLModel, table=True):
    """A part of the floor shown as a tab (홀, 룸, 테라스)."""

    __tablename__ = "floor_zone"
    id: int | None = Field(default=None, primary_key=True)
    uuid: str = uuid_field()
    name: str
    name_en: str = ""
    position: int = 0
    active: bool = True


class DiningTable(SQLModel, table=True):
    """A table at its grid place; a deleted one is ``active = False`` (its orders keep its
    name in ``sale_order.table_no``)."""

    __tablename__ = "dining_table"
    id: int | None = Field(default=None, primary_key=True)
    uuid: str = uuid_field()
    zone_id: int = Field(foreign_key="floor_zone.id", index=True)
    name: str
    x: int = 0
    y: int = 0
    w: int = 3
    h: int = 2
    seats: int = 4
    position: int = 0
    active: bool = True


class CheckRound(SQLModel, table=True):
    """One round of a check sent to the kitchen: when, by whom, with the round's memo."""

    __tablename__ = "check_round"
    order_id: int = Field(foreign_key="sale_order.id", primary_key=True)
    round_no: int = Field(primary_key=True)
    sent_at: NaiveDatetime
    staff_id: int | None = Field(default=None, foreign_key="staff.id")
    memo: str = ""


class CheckSplit(SQLModel, table=True):
    """How a check's bill is split (kspos/sales/split_bill.py's SplitPlan as JSON)."""

    __tablename__ = "check_split"
    order_id: int = Field(foreign_key="sale_order.id", primary_key=True)
    kind: str = Field(max_length=8)
    parts_json: str
    made_at: NaiveDatetime
    staff_id: int | None = Field(default=None, foreign_key="staff.id")


# --- the outbox (kspos/sync) -------------------------------------------------------------------


class OutboxRow(SQLModel, table=True):
    """One fact as the office will read it (docs/outbox.md), written in the transaction that
    commits the fact. ``seq`` only grows (AUTOINCREMENT: a compacted number is never reused);
    ``uuid`` is the fact's own; ``sent_at`` is set when the office has it."""

    __tablename__ = "outbox"
    __table_args__ = {"sqlite_autoincrement": True}
    seq: int | None = Field(default=None, primary_key=True)
    uuid: str = Field(index=True, unique=True, max_length=36)
    kind: str = Field(max_length=32)
    version: int = 1
    body: str
    created_at: NaiveDatetime = Field(default_factory=now)
    sent_at: NaiveDatetime | None = Field(default=None, index=True)
    refused_reason: str | None = None  # the office's reason, while it refuses the fact
    refused_at: NaiveDatetime | None = None


class MenuVersionRow(SQLModel, table=True):
    """A menu version the office published for this store (kspos/menu/updates.py): ``state``
    is ``pending`` (waiting for ``apply``: ``now`` or ``open``), ``applied``, ``superseded``
    (a newer one came first) or ``refused`` (``reason``)."""

    __tablename__ = "menu_version"
    version: int = Field(primary_key=True)
    apply: str = Field(max_length=8)
    document: str
    published_at: str = ""
    published_by: str = ""
    received_at: NaiveDatetime = Field(default_factory=now)
    state: str = Field(max_length=12)
    applied_at: NaiveDatetime | None = None
    reported_at: NaiveDatetime | None = None
    reason: str | None = None
