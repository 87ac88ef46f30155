"""A county's start month: the first month it keeps its records on the portal.

Months before it have no records, so they are never warned about, ranked, published or
charted: a county that went live in December has no November to be late for."""

from __future__ import annotations

import datetime as dt

from .models import Level, Region


def county_start(region: Region | str) -> dt.date | None:
    """The start month (its first day) of the county of `region` (a region or a code); one query."""
    code = region if isinstance(region, str) else region.code
    if not isinstance(region, str) and region.level == Level.COUNTY:
        return region.start_month
    return (Region.objects.filter(code=code[:6] + "000000", level=Level.COUNTY)
            .values_list("start_month", flat=True).first())


def before_start(region: Region | str, year: int, month: int, *, start: dt.date | None = None) -> bool:
    """Whether year/month lies before the county's start month (never, for a county without one)."""
    start = start if start is not None else county_start(region)
    return start is not None and (year, month) < (start.year, start.month)


def parse_start(text: str) -> dt.date:
    """"2026-12" (or "2026-12-01", "202612") → the first day of that month; ValueError otherwise."""
    text = (text or "").strip()
    for pattern in ("%Y-%m", "%Y-%m-%d", "%Y%m", "%Y/%m"):
        try:
            return dt.datetime.strptime(text, pattern).date().replace(day=1)
        except ValueError:
            continue
    raise ValueError(text)
