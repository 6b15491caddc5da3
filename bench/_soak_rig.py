"""The soak's rig (bench/soak.py; private, so `make bench` does not run it as a module): its
report, the error catcher, the per-order ledger and the VAN link that can lose an answer."""

from __future__ import annotations

import logging
import statistics
from dataclasses import dataclass, field
from typing import Any


@dataclass
class DayReport:
    orders: int = 0
    wall_s: float = 0.0
    taps: list[float] = field(default_factory=list)
    faults: dict[str, int] = field(default_factory=dict)
    outcomes: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    expected_cash: int | None = None
    over_short: int | None = None

    @property
    def p99_tap_ms(self) -> float:
        if len(self.taps) < 2:
            return 0.0
        return statistics.quantiles(self.taps, n=100)[98] * 1000

    def count(self, bucket: dict[str, int], key: str) -> None:
        bucket[key] = bucket.get(key, 0) + 1


class ErrorLog(logging.Handler):
    """Every ERROR (or worse) logged while the day runs."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@dataclass
class Tracked:
    """What the cashier did to one order, to hold the database against."""

    order: Any
    total: int = 0
    state: str = "open"
    methods: list[str] = field(default_factory=list)
    refunded: int = 0


class LosingLink:
    """The VAN link, able to lose one answer on purpose (the host did process the request):
    the soak's guaranteed VAN fault, beside the simulator's random 2 % timeouts."""

    def __init__(self, port: int) -> None:
        from kspos.van.link import TcpVanLink

        self.inner = TcpVanLink("127.0.0.1", port)
        self.lose_next = False

    def exchange(self, frame: bytes, *, connect_timeout_s: float,
                 response_timeout_s: float) -> bytes:
        from kspos.ports import VanNoAnswer

        answer = self.inner.exchange(frame, connect_timeout_s=connect_timeout_s,
                                     response_timeout_s=response_timeout_s)
        if self.lose_next:
            self.lose_next = False
            raise VanNoAnswer("no answer from the VAN host in time (soak: the answer was lost)")
        return answer

    def close(self) -> None:
        self.inner.close()
