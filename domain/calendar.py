"""Calendar days where the business is: its time zone, not the server's."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def local_date(moment: datetime, time_zone: str | None) -> date:
    """The calendar day of ``moment`` in ``time_zone`` (UTC if unknown)."""
    try:
        zone = ZoneInfo(time_zone) if time_zone else UTC
    except (ZoneInfoNotFoundError, ValueError):
        zone = UTC
    return moment.astimezone(zone).date()
