"""Reads of the service centre (党群服务中心): rosters on a day, errands, and the monthly counts per
village that the pages show and the providers score (one query per kind, whatever the scope)."""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q

from cadres.scope import scope_q
from villages.models import Level, Region

from .models_pairing import DutyShift, Errand


def service_villages_for(*, user):
    return Region.objects.filter(scope_q(user), level=Level.VILLAGE, is_active=True)


def errands_for(*, user):
    return Errand.objects.filter(scope_q(user, "village__code")).select_related("village__parent")


def shifts_on(village_ids, day: dt.date):
    """The shifts of these villages valid on `day` (whatever the weekday)."""
    return (DutyShift.objects.filter(village_id__in=list(village_ids), valid_from__lte=day)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day)).order_by("weekday", "person", "id"))


def month_days(year: int, month: int, as_of: dt.date | None = None) -> list[dt.date]:
    last = calendar.monthrange(year, month)[1]
    days = [dt.date(year, month, d) for d in range(1, last + 1)]
    return [d for d in days if as_of is None or d <= as_of]


def _shift_rows(village_ids, first: dt.date, last: dt.date):
    rows = (DutyShift.objects.filter(valid_from__lte=last).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=first))
            .values_list("village_id", "weekday", "valid_from", "valid_to"))
    if village_ids is not None:
        rows = rows.filter(village_id__in=list(village_ids))
    by_village: dict[int, list] = defaultdict(list)
    for village_id, weekday, start, end in rows:
        by_village[village_id].append((weekday, start, end))
    return by_village


def _covered(shifts, days) -> int:
    return sum(1 for d in days if any(w == d.isoweekday() and start <= d and (end is None or d <= end)
                                      for w, start, end in shifts))


def duty_days_covered(village_ids, year: int, month: int, as_of: dt.date | None = None) -> dict[int, int]:
    """{village id: days of the month (up to `as_of`) on which the roster had a cadre on duty}.
    A village without any shift in the month is left out (one query)."""
    days = month_days(year, month, as_of)
    if not days:
        return {}
    return {vid: _covered(shifts, days) for vid, shifts in _shift_rows(village_ids, days[0], days[-1]).items()}


def duty_days_by_month(village_ids, year: int, month: int) -> dict[int, dict[int, int]]:
    """{village id: {month: days covered}} for months 1..month of the year, each as the roster
    stood on that month's days; villages with a shift in the span only (one query)."""
    first, last = dt.date(year, 1, 1), month_days(year, month)[-1]
    result: dict[int, dict[int, int]] = {}
    for vid, shifts in _shift_rows(village_ids, first, last).items():
        result[vid] = {m: _covered(shifts, month_days(year, m)) for m in range(1, month + 1)}
    return result


@dataclass
class ErrandCounts:
    requested: int = 0
    done: int = 0
    done_in_time: int = 0
    due: int = 0
    rated: int = 0
    satisfied: int = 0

    @property
    def in_time_percent(self) -> float | None:
        return round(100 * self.done_in_time / self.due, 1) if self.due else None


def _count_into(c: ErrandCounts, first: dt.date, last: dt.date, requested_on, days, done_on, mark) -> None:
    due_on = requested_on + dt.timedelta(days=days)
    done = done_on if done_on is not None and done_on <= last else None
    if requested_on > last:
        return
    if first <= requested_on:
        c.requested += 1
    if done is not None and done >= first:
        c.done += 1
        c.due += 1
        if done <= due_on:
            c.done_in_time += 1
        if mark is not None:
            c.rated += 1
            c.satisfied += mark >= 2
    elif done is None and first <= due_on <= last:
        c.due += 1


def _errand_rows(village_ids, first: dt.date, last: dt.date):
    rows = (Errand.objects.filter(requested_on__lte=last)
            .filter(Q(requested_on__gte=first - dt.timedelta(days=90)) | Q(done_on__isnull=True) | Q(done_on__gte=first))
            .values_list("village_id", "requested_on", "promised_days", "done_on", "satisfaction"))
    if village_ids is not None:
        rows = rows.filter(village_id__in=list(village_ids))
    return rows


def errand_counts(village_ids, year: int, month: int) -> dict[int, ErrandCounts]:
    """{village id: the month's errands}, as of the month's last day: requested in the month, done
    in the month, and of the errands *due* (done in the month, or promised by a day of the month and
    not done by its end) those done within the promised days (one query)."""
    first, last = dt.date(year, month, 1), month_days(year, month)[-1]
    counts: dict[int, ErrandCounts] = defaultdict(ErrandCounts)
    for village_id, *row in _errand_rows(village_ids, first, last):
        _count_into(counts[village_id], first, last, *row)
    return {vid: c for vid, c in counts.items() if c.requested or c.due}


def errand_counts_by_month(village_ids, year: int, month: int) -> dict[int, dict[int, ErrandCounts]]:
    """{village id: {month: counts}} for months 1..month, each as of its last day (one query)."""
    spans = [(m, dt.date(year, m, 1), month_days(year, m)[-1]) for m in range(1, month + 1)]
    result: dict[int, dict[int, ErrandCounts]] = defaultdict(dict)
    for village_id, *row in _errand_rows(village_ids, spans[0][1], spans[-1][2]):
        for m, first, last in spans:
            _count_into(result[village_id].setdefault(m, ErrandCounts()), first, last, *row)
    return dict(result)
