"""The cashier's register: who is logged in, the order on the counter, training mode.

A plain state machine over the sales service, with no Qt: the cashier screen forwards taps
here and redraws from ``order``. Every refused action raises OrderError / PaymentError /
AuthError with a message for the cashier and leaves the state as it was.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from kspos.devices.scanning import classify_scan
from kspos.menu.catalog import Catalog, MenuItem
from kspos.messages import Words
from kspos.sales.orders import ChosenOption, Discount, Order, OrderError, OrderLine, OrderState
from kspos.sales.payments import Method, TenderRequest, TenderResult
from kspos.sales.staff import AuthError, StaffDirectory, StaffMember, require

if TYPE_CHECKING:
    from kspos.sales.checks import Check
    from kspos.sales.service import OrderSummary, RefundOutcome, SalesService

CASH_RECEIPT_OFFER_KRW = 100_000  # cash sales from here get a receipt offered automatically
# 주문취소 of an order, or 삭제 of a line, worth this much or more is asked again on the screen
# (a slip of the finger, or money quietly taken off a sale, is costly from here).
CONFIRM_FROM_KRW = 50_000


def needs_confirmation(amount: int) -> bool:
    """Whether taking ``amount`` off the counter (a void, a deleted line) must be confirmed."""
    return amount >= CONFIRM_FROM_KRW


def _confirm(amount: int, confirmed: bool, what: Words) -> None:
    if needs_confirmation(amount) and not confirmed:
        raise OrderError("order.confirm", amount=amount, what=what)


class Register:
    catalog: Catalog
    sales_source: SalesService | Callable[[], SalesService]
    staff_directory: StaffDirectory
    staff: StaffMember | None
    training: bool
    order: Order
    listeners: list[Callable[[], None]]
    # The table's check on screen (restaurant mode), whose order is ``order``: its drafts
    # are not checkpointed (a check is saved by sending a round) and ``pay`` takes tenders
    # on its whole bill (a split is paid through CheckService.pay_part).
    check: Check | None = None

    def __init__(self, catalog: Catalog, sales_source: SalesService | Callable[[], SalesService],
                 staff_directory: StaffDirectory, staff: StaffMember | None = None,
                 training: bool = False, order: Order | None = None,
                 listeners: list[Callable[[], None]] | None = None) -> None:
        self.catalog = catalog
        self.sales_source = sales_source
        self.staff_directory = staff_directory
        self.staff = staff
        self.training = training
        self.order = Order() if order is None else order
        self.listeners = [] if listeners is None else listeners
        # Paying, holding, voiding and recalling own the order; a checkpoint from a worker
        # thread never writes it meanwhile (re-entrant: void and pay start a new order).
        self._owner = threading.RLock()
        self._edits = self._saved = 0  # changes to the order on the counter / the last saved

    @property
    def sales(self) -> SalesService:
        """The sales service; built on first use (its ORM imports wait until a sale needs it)."""
        source = self.sales_source
        if callable(source):
            self.sales_source = source = source()
        return source

    # --- session --------------------------------------------------------------------------------

    def login(self, pin: str) -> StaffMember:
        self.staff = self.staff_directory.login(pin)
        from kspos.sales.audit import audit_now

        audit_now(self.staff_directory.db, "login", self.staff.id, name=self.staff.name)
        self._changed()
        return self.staff

    def logout(self) -> None:
        """Nobody at the counter: no sale, no 거래내역, no reprint until the next PIN."""
        if self.staff is not None:
            from kspos.sales.audit import audit_now

            audit_now(self.staff_directory.db, "logout", self.staff.id, name=self.staff.name)
        self.staff = None
        self._changed()

    def set_training(self, on: bool) -> None:
        if not self.order.is_empty:
            raise OrderError("order.training_mid_order")
        self.training = on
        self.order.training = on
        self._changed()

    def _changed(self) -> None:
        for listener in list(self.listeners):
            listener()

    def _edited(self) -> None:
        """The order on the counter changed: a checkpoint has something to save."""
        self._edits += 1
        self._changed()

    def _require_login(self) -> StaffMember:
        """Whoever is logged in, if their role may sell (a technician may not)."""
        if self.staff is None:
            raise AuthError("staff.login_required")
        return require(self.staff, "sell")

    def history(self, limit: int = 300) -> list[OrderSummary]:
        """거래내역, newest first: only for someone logged in whose role may see it."""
        require(self.staff, "history")
        return self.sales.history(limit=limit)

    # --- building the order ---------------------------------------------------------------------

    def line_for(self, item: MenuItem, choices: Sequence[int] = (), qty: int = 1) -> OrderLine:
        """The order line for ``item`` with option choice ids; checks required groups."""
        chosen: list[ChosenOption] = []
        picked = set(choices)
        for group in item.groups:
            in_group = [c for c in group.choices if c.id in picked]
            if group.required and not in_group:
                raise OrderError("order.choose_option",
                                 group=Words(group.name, group.name_en or group.name))
            if not group.multi and len(in_group) > 1:
                raise OrderError("order.pick_one",
                                 group=Words(group.name, group.name_en or group.name))
            chosen.extend(ChosenOption(group.name, c.name, c.name_en, c.price_delta)
                          for c in in_group)
        category = self.catalog.category_of(item)
        return OrderLine(item_id=item.id, name=item.name, name_en=item.name_en,
                         base_price=item.price, qty=qty, options=tuple(chosen),
                         category_id=item.category_id, category_name=category.name,
                         tax_free=item.tax_free)

    def add_item(self, item_id: int, choices: Sequence[int] = (), qty: int = 1) -> int:
        """A tap on a menu button (after the options sheet, if any). Returns the line index."""
        self._require_login()
        item = self.catalog.by_id.get(item_id)
        if item is None:
            raise OrderError("order.no_such_item")
        if item.sold_out:
            raise OrderError("order.sold_out", item=Words(item.name, item.name_en or item.name))
        index = self.order.add(self.line_for(item, choices, qty))
        self._edited()
        return index

    def scan(self, code: str) -> int | None:
        """A hardware scan: a product barcode adds its item (default options)."""
        kind = classify_scan(code)
        if kind.kind == "payment":
            raise OrderError("order.payment_code")
        item = self.catalog.by_barcode.get(kind.value)
        if item is None:
            raise OrderError("order.unknown_barcode", barcode=kind.value[:32])
        defaults = [g.choices[0].id for g in item.groups if g.required and g.choices]
        return self.add_item(item.id, defaults)

    def change_qty(self, index: int, delta: int) -> None:
        self.order.change_qty(index, delta)
        self._edited()

    def set_qty(self, index: int, qty: int) -> None:
        self.order.set_qty(index, qty)
        self._edited()

    def remove_line(self, index: int, confirmed: bool = False) -> None:
        """삭제: a line off the order, asked again from :data:`CONFIRM_FROM_KRW`; audited with
        what it was worth (a tap nobody sees on a receipt)."""
        if not 0 <= index < len(self.order.lines):
            raise OrderError("order.no_such_line")
        line = self.order.lines[index]
        _confirm(line.amount, confirmed, Words("줄 삭제", "deleting a line"))
        order_id = self.order.id
        if len(self.order.lines) == 1 and order_id is not None:
            # The last line of a saved order takes the order with it: an empty order left
            # open would hold up the Z 마감 and keep a training flag that no longer applies.
            with self._owner:
                self.sales.void(self.order, self.staff, "마지막 줄 삭제")
                self.new_order()
        else:
            self.order.remove(index)
            self._edited()
        from kspos.sales.audit import audit_now

        audit_now(self.staff_directory.db, "line_delete", self.staff.id if self.staff else None,
                  order_id, name=line.name, qty=line.qty, amount=line.amount,
                  order_total=self.order.total)

    def set_table(self, table_no: str | None) -> None:
        """The table number shown with the order (and kept with it)."""
        self.order.table_no = table_no or None
        self._edited()

    def discount_line(self, index: int, discount: Discount | None) -> None:
        self._require_login()
        self.order.set_line_discount(index, discount)
        self._audited_discount("line_discount", discount, index)  # once given, not before
        self._edited()

    def discount_order(self, discount: Discount | None) -> None:
        self._require_login()
        self.order.set_order_discount(discount)
        self._audited_discount("order_discount", discount)
        self._edited()

    def toggle_complimentary(self, index: int) -> None:
        line = self.order.lines[index] if 0 <= index < len(self.order.lines) else None
        if line is None:
            raise OrderError("order.no_such_line")
        self.order.set_complimentary(index, not line.complimentary)
        self._audited_discount("service", None, index, on=not line.complimentary)
        self._edited()

    def _audited_discount(self, action: str, discount: Discount | None, index: int = -1,
                          **extra: object) -> None:
        from kspos.sales.audit import audit_now

        staff = self._require_login()
        audit_now(self.staff_directory.db, action, staff.id, self.order.id, line=index,
                  discount=discount.label() if discount else None, **extra)

    # --- hold / void ----------------------------------------------------------------------------

    def hold(self) -> Order:
        if self.check is not None:  # a check stays on its table (the floor is its 보류)
            raise OrderError("check.no_hold")
        with self._owner:
            held = self.sales.hold(self.order, self._require_login())
            self.new_order()
            return held

    def recall(self, order_id: int) -> None:
        with self._owner:
            if not self.order.is_empty:
                raise OrderError("order.finish_current")
            self.order = self.sales.recall(order_id, self._require_login())
            self.training = self.order.training
            self._saved = self._edits
            self._changed()

    def void(self, reason: str = "", confirmed: bool = False) -> RefundOutcome | None:
        """주문취소 of the order on the counter, asked again from :data:`CONFIRM_FROM_KRW`.
        An order never saved is saved first: the void is kept with its lines and amount. One
        partly paid (an abandoned 복합결제) has its tenders given back first: the outcome says
        how much, and the cash to hand back."""
        with self._owner:
            if self.order.is_empty and self.order.id is None:
                return None
            staff = self._require_login()
            _confirm(self.order.total, confirmed, Words("주문취소", "voiding an order"))
            undone = None
            if self.order.paid > 0 and self.order.state is OrderState.OPEN:
                undone = self.sales.undo_tenders(self.order, staff, reason)
            else:
                if self.order.id is None:
                    self.sales.save(self.order, staff)
                self.sales.void(self.order, staff, reason)
            self.new_order()
            return undone

    def show_check(self, check: Check | None) -> None:
        """Put a table's check on the counter (None: back to a new counter order)."""
        if check is None:
            self.new_order()
            return
        with self._owner:
            self.check, self.order = check, check.order
            self._saved = self._edits
            self._changed()

    def new_order(self) -> None:
        with self._owner:
            self.check = None
            self.order = Order(training=self.training)
            self._saved = self._edits
            self._changed()

    def checkpoint(self) -> bool:
        """Save the order on the counter if it changed since it was last saved, so that an
        order the program stops with (a crash, the power) is found in 보류목록 at the next
        start. For a worker thread a moment after the taps: a tap itself writes nothing.
        While a payment, hold, void or recall owns the order this does nothing (they save
        it themselves). True when something was written."""
        if not self._owner.acquire(blocking=False):
            return False
        try:
            order, edits = self.order, self._edits
            if edits == self._saved or order.state is not OrderState.OPEN \
                    or self.check is not None:
                return False
            if order.is_empty and order.id is None:
                self._saved = edits
                return False
            # A copy: the screen's thread may change the order while this one writes it.
            copy = Order(lines=list(order.lines), order_discount=order.order_discount,
                         table_no=order.table_no, note=order.note, training=order.training,
                         id=order.id, receipt_no=order.receipt_no)
            self.sales.save(copy, self.staff)
            order.id, order.receipt_no = copy.id, copy.receipt_no
            self._saved = edits
            return True
        finally:
            self._owner.release()

    # --- paying ---------------------------------------------------------------------------------

    def remaining(self) -> int:
        return self.sales.remaining(self.order) if self.order.id else self.order.total

    def pay(self, request: TenderRequest) -> TenderResult:
        """Take one tender; when the order becomes paid the register moves to a new order
        (the paid one stays available as ``last_paid``)."""
        staff = self._require_login()
        with self._owner:
            if self.order.is_empty:
                raise OrderError("order.empty")
            if self.check is not None and self.check.draft_lines:
                raise OrderError("check.unsent_lines")
            if self.check is not None and self.check.split is not None:
                raise OrderError("check.split_set")  # its parts: CheckService.pay_part
            result = self.sales.take_tender(self.order, request, staff)
            if result.approved and self.order.state is OrderState.PAID:
                self.last_paid = self.order
                self.new_order()
            else:
                self._changed()
            return result

    def pay_cash(self, tendered: int, amount: int | None = None) -> TenderResult:
        due = self.remaining()
        return self.pay(TenderRequest(Method.CASH, due if amount is None else amount, "",
                                      tendered=tendered))

    def refund(self, order_id: int, line_qty: dict[int, int] | None = None,
               reason: str = "") -> object:
        staff = require(self.staff, "refund")
        return self.sales.refund(order_id, staff, line_qty, reason)

    last_paid: Order | None = None
