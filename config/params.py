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


MAX_ID = 2**63 - 1  # a database id (BigAutoField) never exceeds this; larger numbers overflow the driver


def id_list(values) -> list[int]:
    """The ids among `values` (strings from a form or query string); anything else is dropped."""
    ids = []
    for value in values:
        value = str(value).strip()
        if value.isascii() and value.isdigit() and 0 < int(value) <= MAX_ID:
            ids.append(int(value))
    return ids
