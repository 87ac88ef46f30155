"""Reading numbers from a query string or form without ever failing: a bad value gives the default."""

from __future__ import annotations

from django.utils import timezone

YEARS = (2000, 2100)


def int_param(value, default: int, low: int, high: int) -> int:
    """`value` as an int between low and high, else `default`."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    return number if low <= number <= high else default


def year_param(*sources) -> int:
    """The "year" of the first source (QueryDict) that has one, within YEARS; this year otherwise."""
    value = next((s.get("year") for s in sources if s.get("year")), None)
    return int_param(value, timezone.localdate().year, *YEARS)
