"""The calendar of a recurring invoice: when each period starts, and its label.

Periods are counted from the start date, never from the previous period, so
a schedule that starts on the 31st bills on the last day of shorter months
and returns to the 31st after them. Each period's label is unique within its
schedule ("2026-02", "2026-Q1", "2026-W05", "2026"): the database keeps one
invoice per schedule and label, which makes generation idempotent.
"""

import calendar
from datetime import date, timedelta

from persistence.enums import RecurrenceInterval

MONTHS_PER_UNIT = {
    RecurrenceInterval.MONTHLY: 1,
    RecurrenceInterval.QUARTERLY: 3,
    RecurrenceInterval.YEARLY: 12,
}


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, or the month's last day if it is shorter."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last_day = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last_day))


def period_start(
    starts_on: date, interval: RecurrenceInterval, interval_count: int, number: int
) -> date:
    """The first day of period ``number`` (0 is the first period)."""
    if interval is RecurrenceInterval.WEEKLY:
        return starts_on + timedelta(weeks=interval_count * number)
    return add_months(starts_on, MONTHS_PER_UNIT[interval] * interval_count * number)


def first_period_on_or_after(
    starts_on: date, interval: RecurrenceInterval, interval_count: int, day: date
) -> date:
    """The start of the first period that begins on ``day`` or later."""
    number = 0
    while (start := period_start(starts_on, interval, interval_count, number)) < day:
        number += 1
    return start


def period_after(
    starts_on: date, interval: RecurrenceInterval, interval_count: int, day: date
) -> date:
    """The start of the first period that begins after ``day``."""
    return first_period_on_or_after(
        starts_on, interval, interval_count, day + timedelta(days=1)
    )


def period_label(start: date, interval: RecurrenceInterval) -> str:
    if interval is RecurrenceInterval.WEEKLY:
        year, week, _ = start.isocalendar()
        return f"{year}-W{week:02d}"
    if interval is RecurrenceInterval.QUARTERLY:
        return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    if interval is RecurrenceInterval.YEARLY:
        return f"{start.year}"
    return f"{start.year}-{start.month:02d}"
