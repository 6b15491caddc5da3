"""``[store]``: who the store is (printed on receipts), its business type, its Korean receipt
rules, its receipts on paper or not, and its order numbers."""

from __future__ import annotations

from kspos.records import DataclassFields, FrozenRecord

_set = object.__setattr__

__all__ = ["StoreSettings"]


class StoreSettings(FrozenRecord):
    """``[store]``: the receipt header, and two Korean receipt rules.

    ``cash_receipt_required``: a 현금영수증 의무발행업종 — cash of 100,000원 and more always
    gets a 현금영수증 (자진발급 010-000-1234 when the customer gives no number).
    ``print_card_receipt``: false prints an all-card sale's slip only when the customer asks
    (allowed since 2020-02-11); a 할부 sale always prints it.
    ``receipt``: the sale slip, "print" (as ``print_card_receipt`` says), "none" (kept, never
    printed: the customer display shows its QR) or "ask" (the cashier asks the customer);
    a 할부 sale prints in every mode (docs/paperless.md).
    ``code`` and ``terminal``: who this terminal is in its chain (the store's code, this
    counter's two-digit number): in every receipt number and outbox fact, so the facts of many
    terminals never collide at the office.
    ``kind``: the business type, "cafe", "restaurant" (the floor plan, open checks, kitchen
    slips) or "retail".
    ``order_numbers``: the 주문번호 a takeout/cafe order gets when paid (docs/pickup.md):
    "sequential" (1, 2, 3... per business day, wrapping after 999), "random" (3 digits, not
    reused in the day while free ones remain) or "off". ``pickup_slip``: print a separate
    pickup slip with each numbered order. ``pickup_clear_s``: how long a called (완료) number
    stays on the pickup board.
    """

    __slots__ = _fields = ("name", "business_number", "owner", "address", "phone",
                           "cash_receipt_required", "print_card_receipt", "code", "terminal",
                           "kind", "receipt", "order_numbers", "pickup_slip",
                           "pickup_clear_s")
    __dataclass_fields__ = DataclassFields()
    name: str
    business_number: str
    owner: str
    address: str
    phone: str
    cash_receipt_required: bool
    print_card_receipt: bool
    code: str
    terminal: str
    kind: str
    receipt: str
    order_numbers: str
    pickup_slip: bool
    pickup_clear_s: float

    def __init__(self, name: str = "카페 예시", business_number: str = "220-81-62517",
                 owner: str = "홍길동", address: str = "서울특별시 중구 세종대로 110",
                 phone: str = "02-000-0000", cash_receipt_required: bool = False,
                 print_card_receipt: bool = True, code: str = "S0001",
                 terminal: str = "01", kind: str = "cafe", receipt: str = "print",
                 order_numbers: str = "sequential", pickup_slip: bool = True,
                 pickup_clear_s: float = 180.0) -> None:
        _set(self, "name", name)
        _set(self, "business_number", business_number)
        _set(self, "owner", owner)
        _set(self, "address", address)
        _set(self, "phone", phone)
        _set(self, "cash_receipt_required", cash_receipt_required)
        _set(self, "print_card_receipt", print_card_receipt)
        _set(self, "code", code)
        _set(self, "terminal", terminal)
        _set(self, "kind", kind)
        _set(self, "receipt", receipt)
        _set(self, "order_numbers", order_numbers)
        _set(self, "pickup_slip", pickup_slip)
        _set(self, "pickup_clear_s", pickup_clear_s)

    @property
    def pos_label(self) -> str:
        """How receipts and slips name this terminal: ``S0001 POS 01``."""
        return f"{self.code} POS {self.terminal}"
