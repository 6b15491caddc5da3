"""DLE EOT real-time status: asking a printer whether it has paper, a closed cover, power.

``DLE EOT n`` makes an ESC/POS printer answer one status byte at once, even while offline:
n=1 printer status (bit 3: offline), n=2 offline cause (bit 2: cover open, bit 5: stopped
at paper end, bit 6: error), n=4 paper roll sensor (bits 2-3: near end, bits 5-6: paper
end). Every answer has bit 1 and 4 set and bits 0 and 7 clear; anything else is not an
answer (noise, an echo) and is ignored.
"""

from __future__ import annotations

from collections.abc import Callable

from kspos.devices import traffic
from kspos.ports import PrinterStatus
from kspos.receipts import escpos

QUERIES = ((1, escpos.STATUS_PRINTER), (2, escpos.STATUS_OFFLINE), (4, escpos.STATUS_PAPER))


def is_status_byte(value: int) -> bool:
    return value & 0x93 == 0x12


def parse_status(answers: dict[int, int]) -> PrinterStatus:
    """The status from the answers to DLE EOT 1, 2 and 4 (keyed by n); missing = unknown."""
    if 1 not in answers:
        return PrinterStatus(known=False, detail="상태 응답 없음 (printer does not answer DLE EOT)")
    offline = bool(answers[1] & 0x08)
    cause = answers.get(2, 0)
    paper = answers.get(4, 0)
    paper_out = bool(paper & 0x60) or bool(cause & 0x20)
    cover_open = bool(cause & 0x04)
    near_end = bool(paper & 0x0C)
    problems = []
    if paper_out:
        problems.append("용지 없음 (paper out)")
    if cover_open:
        problems.append("덮개 열림 (cover open)")
    if cause & 0x40:
        problems.append("프린터 오류 (printer error)")
    if offline and not problems:
        problems.append("오프라인 (offline)")
    if near_end and not paper_out:
        problems.append("용지 부족 (paper near end)")
    return PrinterStatus(online=not offline, paper_out=paper_out, paper_near_end=near_end,
                         cover_open=cover_open, known=True, detail=", ".join(problems))


def query_status(send: Callable[[bytes], None], read_byte: Callable[[float], int | None],
                 timeout_s: float) -> PrinterStatus:
    """Ask DLE EOT 1, 2, 4 over a byte channel; bytes that are not status answers are skipped.

    ``read_byte(timeout)`` returns one byte or None when nothing came in time. The caller
    drains stale input first.
    """
    answers: dict[int, int] = {}
    for n, query in QUERIES:
        send(query)
        traffic.record("printer", traffic.TX, query)  # traffic monitor hook (장치 점검)
        value = _read_answer(read_byte, timeout_s)
        if value is not None:
            traffic.record("printer", traffic.RX, bytes([value]))
        else:
            traffic.record("printer", traffic.NOTE, note="no status answer (DLE EOT)")
        if value is None:
            if n == 1:
                break  # no answer at all: status unknown; do not wait three times
            continue
        answers[n] = value
    return parse_status(answers)


def _read_answer(read_byte: Callable[[float], int | None], timeout_s: float) -> int | None:
    for _ in range(16):  # skip a few unrelated bytes, never loop forever on noise
        value = read_byte(timeout_s)
        if value is None:
            return None
        if is_status_byte(value):
            return value
    return None


def status_error(status: PrinterStatus) -> str:
    """The message for a status that stops printing."""
    return f"프린터 사용 불가 (printer not ready): {status.detail or 'offline'}"
