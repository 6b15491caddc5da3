"""What a kitchen slip (주방 주문서) says, before it is routed, rendered or queued.

The check service (kspos/sales/checks.py) makes one :class:`KitchenSlip` per round sent,
per sent line cancelled and per reprint, and hands it to its ``on_kitchen`` hook in the
transaction that commits the round (kspos/receipts/kitchen.py routes it to the ``[[kitchen]]``
printers by category and queues one job per printer there, so a slip is never lost).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class SlipLine:
    """One line for the kitchen: what to make, how many, with which options and memo."""

    name: str
    qty: int
    category: str = ""  # the menu category's name: routes the line to its kitchen printer
    options: str = ""  # chosen options, ", "-joined
    memo: str = ""  # the line's memo to the kitchen ("덜 맵게")


@dataclass(frozen=True, slots=True)
class KitchenSlip:
    """One round (or one cancel) for the kitchen.

    ``lines`` are only the round's new lines (the delta); a ``cancel`` slip lists the lines
    taken off with ``reason``; ``reprint`` marks a slip printed again (재출력)."""

    table: str  # the table's name, printed large ("T12", "룸 3")
    round_no: int
    at: datetime
    server: str  # who sent it
    lines: tuple[SlipLine, ...]
    memo: str = ""  # the round's memo
    guests: int = 0
    zone: str = ""
    cancel: bool = False
    reason: str = ""  # why lines were cancelled
    reprint: bool = False
    order_ref: str = ""  # the check's receipt number (for reprints and the queue's ref)
