"""Calendar days where the business is: its time zone, not the server's."""

from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def zone_of(time_zone: str | None) -> tzinfo:
    """The named zone, or UTC when it is missing or unknown."""
    try:
        return ZoneInfo(time_zone) if time_zone else UTC
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def local_date(moment: datetime, time_zone: str | None) -> date:
    """The calendar day of ``moment`` in ``time_zone`` (UTC if unknown)."""
    return moment.astimezone(zone_of(time_zone)).date()


def day_bounds(day: date, time_zone: str | None) -> tuple[datetime, datetime]:
    """The first moment of ``day`` and of the day after, where the business is."""
    zone = zone_of(time_zone)
    start = datetime.combine(day, time(), zone)
    end = datetime.combine(day + timedelta(days=1), time(), zone)
    return start.astimezone(UTC), end.astimezone(UTC)
