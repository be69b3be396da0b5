"""Dutch working days: response dates skip weekends and public holidays."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import holidays

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def add_working_days(start: datetime, days: int) -> datetime:
    """The moment `days` Dutch working days after `start` (at the same local time of day)."""
    if days < 0:
        raise ValueError("days must not be negative")
    local = start.astimezone(AMSTERDAM)
    dutch_holidays = holidays.country_holidays("NL", years=range(local.year, local.year + 2))
    while days:
        local += timedelta(days=1)
        if local.weekday() < 5 and local.date() not in dutch_holidays:
            days -= 1
    return local.astimezone(start.tzinfo)
