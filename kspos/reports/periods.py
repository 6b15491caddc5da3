"""Report periods: parsing YYYY-MM-DD, and the screen's presets (오늘, 어제, 이번 주, 이번 달)."""

from __future__ import annotations

from datetime import date, timedelta

from kspos.messages import DomainError

MAX_RANGE_DAYS = 366 * 10
WEEKDAYS = "월화수목금토일"


class PeriodError(DomainError, ValueError):
    """A bad date or range: a message code (kspos.messages); ``str()`` is the one English
    line ``kspos report`` prints."""

    plain = True


def parse_date(text: str, what: str = "date") -> date:
    try:
        if len(text) != 10:
            raise ValueError
        return date.fromisoformat(text)
    except (TypeError, ValueError):
        raise PeriodError("period.date", what=what, text=text) from None


def parse_range(date_from: str, date_to: str) -> tuple[date, date]:
    start, end = parse_date(date_from, "--from"), parse_date(date_to, "--to")
    if end < start:
        raise PeriodError("period.reversed", end=end, start=start)
    if (end - start).days > MAX_RANGE_DAYS:
        raise PeriodError("period.too_long", most=MAX_RANGE_DAYS)
    return start, end


def preset(name: str, today: date) -> tuple[date, date]:
    """today | yesterday | week (Monday to today) | month (the 1st to today)."""
    if name == "today":
        return today, today
    if name == "yesterday":
        day = today - timedelta(days=1)
        return day, day
    if name == "week":
        return today - timedelta(days=today.weekday()), today
    if name == "month":
        return today.replace(day=1), today
    raise PeriodError("period.unknown", name=name)


def day_label(day: str) -> str:
    """``2026-11-25`` → ``2026-11-25 (수)``."""
    return f"{day} ({WEEKDAYS[date.fromisoformat(day).weekday()]})"


def dates(start: date, end: date) -> list[str]:
    return [(start + timedelta(days=n)).isoformat() for n in range((end - start).days + 1)]
