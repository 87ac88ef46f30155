"""Bring the ledger's year-to-date rows of marked villages up to date (models/year_to_date.py).

A refresh reads the marked villages' entries of the year once (set-based, in chunks of
villages), folds them month by month into each indicator's year-to-date value for both views,
and rewrites only the months from the mark on. It runs inside the recompute's transaction, so a
failed recompute leaves the marks, and the old rows, as they were.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from ..models import Indicator, LedgerEntry, LedgerStatus, LedgerYearToDate, LedgerYearToDateMark, View
from .bulk import upsert_rows

YTD_FIELDS = ["village_id", "year", "month", "view", "values"]
CHUNK_VILLAGES = 2000
ZERO = Decimal(0)


def _marks(village_ids: list[int] | None, prefix: str | None):
    marks = LedgerYearToDateMark.objects.order_by()
    if village_ids is not None:
        marks = marks.filter(village_id__among=village_ids)
    elif prefix:
        marks = marks.filter(village__code__startswith=prefix)
    return list(marks.values_list("id", "village_id", "year", "from_month", "version"))


def fold(entries: list[tuple[int, Decimal, bool]], how: str, months: range) -> tuple[dict, dict]:
    """The year-to-date value at each month of `months`, live and published, of one village's
    indicator: entries are (month, value, approved), in any order. A month before the first
    value is absent (missing)."""
    by_month: dict[int, tuple[Decimal, bool]] = {m: (v, approved) for m, v, approved in entries}
    live, published = {}, {}
    state = {View.LIVE: None, View.PUBLISHED: None}
    for m in range(1, months.stop):
        if m in by_month:
            value, approved = by_month[m]
            for view in (View.LIVE, View.PUBLISHED) if approved else (View.LIVE,):
                state[view] = _step(state[view], value, how)
        if m >= months.start:
            if state[View.LIVE] is not None:
                live[m] = state[View.LIVE]
            if state[View.PUBLISHED] is not None:
                published[m] = state[View.PUBLISHED]
    return live, published


def _step(current: Decimal | None, value: Decimal, how: str) -> Decimal:
    if how == "latest":
        return value
    if how == "count":
        return (current or ZERO) + (1 if value > 0 else 0)
    if current is None:
        return value
    return current + value if how == "sum" else max(current, value)


def year_to_date_refresh(*, village_ids: list[int] | None = None, prefix: str | None = None) -> int:
    """Refresh the marked villages of a scope (some villages, a region's code prefix, or every
    village with "" or None); the number of village-years refreshed."""
    marks = _marks(village_ids, prefix)
    if not marks:
        return 0
    aggregation = dict(Indicator.objects.values_list("pk", "aggregation"))
    by_year: dict[int, dict[int, int]] = defaultdict(dict)
    for _, village_id, year, from_month, _ in marks:
        by_year[year][village_id] = min(from_month, by_year[year].get(village_id, 12))
    for year, villages in by_year.items():
        ids = sorted(villages)
        for start in range(0, len(ids), CHUNK_VILLAGES):
            _refresh_chunk(year, {v: villages[v] for v in ids[start:start + CHUNK_VILLAGES]}, aggregation)
    by_version: dict[int, list[int]] = defaultdict(list)
    for pk, _, _, _, version in marks:
        by_version[version].append(pk)
    # A mark changed since it was read (a newer edit) stays for the next refresh.
    for version, pks in by_version.items():
        LedgerYearToDateMark.objects.filter(pk__in=pks, version=version).delete()
    return len(marks)


def _refresh_chunk(year: int, from_months: dict[int, int], aggregation: dict[int, str]) -> None:
    entries: dict[int, dict[int, list]] = defaultdict(lambda: defaultdict(list))
    for village_id, indicator_id, month, value, status in LedgerEntry.objects.filter(
            village_id__among=list(from_months), year=year, value__isnull=False,
            status__in=[LedgerStatus.SUBMITTED, LedgerStatus.APPROVED],
    ).order_by().values_list("village_id", "indicator_id", "month", "value", "status").iterator(chunk_size=20000):
        entries[village_id][indicator_id].append((month, value, status == LedgerStatus.APPROVED))
    rows = []
    for village_id, from_month in from_months.items():
        months = range(from_month, 13)
        live: dict[int, dict[str, str]] = {m: {} for m in months}
        published: dict[int, dict[str, str]] = {m: {} for m in months}
        for indicator_id, indicator_entries in entries.get(village_id, {}).items():
            key = str(indicator_id)
            by_live, by_published = fold(indicator_entries, aggregation[indicator_id], months)
            for m, value in by_live.items():
                live[m][key] = str(value)
            for m, value in by_published.items():
                published[m][key] = str(value)
        for m in months:
            rows.append((village_id, year, m, View.LIVE, live[m]))
            rows.append((village_id, year, m, View.PUBLISHED, published[m]))
    upsert_rows(LedgerYearToDate, YTD_FIELDS, rows, unique=["village_id", "year", "month", "view"])
