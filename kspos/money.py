"""Integer KRW arithmetic: formatting, half-up rounding and the once-per-sale VAT split
(specs/korean-rules.md)."""

from __future__ import annotations

from kspos.records import FrozenRecord

MAX_PRICE_KRW = 100_000_000
"""The largest price or amount the POS accepts for one item or tender (1억원)."""

# The card rules every side applies alike (the payment flow, the VAN client, the host
# simulator): defined here once, so that a screen and the host can never disagree.
SIGNATURE_ABOVE_KRW = 50_000
"""무서명 at or under this amount; above it a card payment carries the customer's signature."""

INSTALLMENT_FROM_KRW = 50_000
"""할부 (installments) only from this amount; under it a card payment is 일시불."""


class VatSplit(FrozenRecord):
    """How a sale's total divides for the receipt and the VAN telegram.

    Invariant: ``total == supply + vat + service + tax_free``. (A frozen record, not a
    dataclass: the reports import this module and start faster without dataclasses.)
    """

    __slots__ = _fields = ("total", "supply", "vat", "tax_free", "service")
    total: int
    supply: int
    vat: int
    tax_free: int
    service: int

    def __init__(self, total: int, supply: int, vat: int, tax_free: int, service: int = 0) -> None:
        _set = object.__setattr__
        _set(self, "total", total)
        _set(self, "supply", supply)
        _set(self, "vat", vat)
        _set(self, "tax_free", tax_free)
        _set(self, "service", service)


def div_half_up(numerator: int, denominator: int) -> int:
    """``numerator / denominator`` rounded to the nearest won, halves away from zero.

    The one rounding rule for money in KSPOS#: VAT splits, percent discounts and every
    proportional share round through here, in integers only (a float of a 1억원 total times
    a percentage is not exact). ``div_half_up(5, 2) == 3``, ``div_half_up(-5, 2) == -3``.
    ZeroDivisionError when ``denominator`` is 0.
    """
    if denominator == 0:
        raise ZeroDivisionError("div_half_up by zero")
    sign = -1 if (numerator < 0) != (denominator < 0) else 1
    n, d = abs(numerator), abs(denominator)
    return sign * ((2 * n + d) // (2 * d))


def share(part: int, amount: int, total: int) -> int:
    """``part`` of ``total`` in proportion to ``amount``: ``part * amount / total``, half up.

    E.g. the tax-free share of a tender or refund of ``amount`` on an order whose ``total``
    holds ``part`` won of 면세: the cancel telegram, the 현금영수증 and the reports all use this
    one figure. 0 when there is nothing to share (``part`` or ``total`` not positive); never
    more than ``amount``.
    """
    if total <= 0 or part <= 0:
        return 0
    return min(amount, div_half_up(part * amount, total))


def vat_split(total: int, tax_free: int = 0, service: int = 0) -> VatSplit:
    """Split a VAT-inclusive ``total`` into supply, VAT, tax-free and service charge.

    taxable = total - tax_free - service; supply = round(taxable / 1.1) half up;
    VAT = taxable - supply. Round once per sale, never per line.
    """
    for name, value in (("total", total), ("tax_free", tax_free), ("service", service)):
        if not isinstance(value, int) or isinstance(value, bool):
            raise TypeError(f"{name} must be an int number of won, got {value!r}")
    taxable = total - tax_free - service
    if total >= 0 and (taxable < 0 or tax_free < 0 or service < 0):
        raise ValueError(
            f"tax-free {tax_free} and service {service} cannot exceed the total {total}"
        )
    supply = div_half_up(taxable * 10, 11)
    return VatSplit(total=total, supply=supply, vat=taxable - supply,
                    tax_free=tax_free, service=service)


def won(amount: int, suffix: str = "원") -> str:
    """Format an amount the way Korean counters write it: ``4,500원``."""
    return f"{amount:,}{suffix}"


def won_in(amount: int, lang: str) -> str:
    """An amount as each language reads it: ``4,500원`` in Korean, ``4,500 won`` in English."""
    return won(amount, " won" if lang == "en" else "원")


def parse_won(text: str) -> int:
    """Parse ``"4,500원"``, ``"4500"`` or ``" 4,500 "`` into an int; ValueError otherwise."""
    cleaned = text.strip().removesuffix("원").replace(",", "").strip()
    if not cleaned or not (cleaned.isdigit() or (cleaned[0] == "-" and cleaned[1:].isdigit())):
        raise ValueError(f"not an amount in won: {text!r}")
    return int(cleaned)
