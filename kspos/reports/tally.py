"""Additive report buckets and the integer arithmetic that keeps every grouping's sum exact."""

from __future__ import annotations

from kspos.money import share, vat_split
from kspos.records import Record

FIELDS = ("orders", "qty", "service_qty", "gross", "discounts", "service", "refunds",
          "refund_count", "net_sales", "supply", "vat", "tax_free", "discount_orders",
          "service_orders", "guests")


class Tally(Record):
    """Money and counts of one report row; ``+=`` merges two periods or two days."""

    __slots__ = _fields = FIELDS
    orders: int
    qty: int
    service_qty: int
    gross: int
    discounts: int
    service: int
    refunds: int
    refund_count: int
    net_sales: int
    supply: int
    vat: int
    tax_free: int
    discount_orders: int  # orders with any discount (할인 건수)
    service_orders: int  # orders with any 서비스 line (서비스 건수)
    guests: int  # 객수: the guests seated at the restaurant checks counted (a refund keeps them)

    def __init__(self, orders: int = 0, qty: int = 0, service_qty: int = 0, gross: int = 0,
                 discounts: int = 0, service: int = 0, refunds: int = 0, refund_count: int = 0,
                 net_sales: int = 0, supply: int = 0, vat: int = 0, tax_free: int = 0,
                 discount_orders: int = 0, service_orders: int = 0, guests: int = 0) -> None:
        self.orders = orders
        self.qty = qty
        self.service_qty = service_qty
        self.gross = gross
        self.discounts = discounts
        self.service = service
        self.refunds = refunds
        self.refund_count = refund_count
        self.net_sales = net_sales
        self.supply = supply
        self.vat = vat
        self.tax_free = tax_free
        self.discount_orders = discount_orders
        self.service_orders = service_orders
        self.guests = guests

    def __iadd__(self, other: Tally) -> Tally:
        # Spelled out: a year's report merges tens of thousands of rows (a getattr loop is
        # several times slower).
        self.orders += other.orders
        self.qty += other.qty
        self.service_qty += other.service_qty
        self.gross += other.gross
        self.discounts += other.discounts
        self.service += other.service
        self.refunds += other.refunds
        self.refund_count += other.refund_count
        self.net_sales += other.net_sales
        self.supply += other.supply
        self.vat += other.vat
        self.tax_free += other.tax_free
        self.discount_orders += other.discount_orders
        self.service_orders += other.service_orders
        self.guests += other.guests
        return self

    def values(self) -> tuple[int, ...]:
        """The fields in :data:`FIELDS` order (spelled out: the office's ingest calls this for
        every rollup row it writes)."""
        return (self.orders, self.qty, self.service_qty, self.gross, self.discounts,
                self.service, self.refunds, self.refund_count, self.net_sales, self.supply,
                self.vat, self.tax_free, self.discount_orders, self.service_orders, self.guests)

    @classmethod
    def of(cls, values: tuple[int, ...] | list[int]) -> Tally:
        return cls(*values)

    def as_dict(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in FIELDS}

    @property
    def per_guest(self) -> int:
        """객단가: 순매출 per guest, to the won (half up); 0 when no guest was counted."""
        from kspos.money import div_half_up

        return div_half_up(self.net_sales, self.guests) if self.guests > 0 else 0


def allocate(total: int, weights: list[int]) -> list[int]:
    """Split ``total`` in proportion to ``weights`` so that the parts sum to ``total`` exactly.

    Largest remainder: everyone gets the floor of their share, the won left over go to the
    largest fractional parts (the earlier index on a tie). Zero weights get nothing unless all
    weights are zero, when the first part takes everything (nothing to be proportional to).
    """
    if not weights:
        if total:
            raise ValueError(f"cannot allocate {total} over nothing")
        return []
    whole = sum(weights)
    if whole <= 0:
        return [total] + [0] * (len(weights) - 1)
    parts = [total * w // whole for w in weights]
    left = total - sum(parts)
    if left:
        ranked = sorted(range(len(weights)), key=lambda i: (-(total * weights[i] % whole), i))
        for i in ranked[:left]:
            parts[i] += 1
    return parts


def refund_split(amount: int, order_tax_free: int, order_total: int) -> tuple[int, int, int]:
    """(supply, vat, tax_free) given back by a refund of ``amount`` on an order."""
    tax_free = share(order_tax_free, amount, order_total)
    split = vat_split(amount, tax_free=tax_free)
    return split.supply, split.vat, split.tax_free
