"""Metric providers from first secretaries' sign-ins and spot checks (one query each).

A day is present when a first secretary serving in the village that day signed in or a spot
check found him present; approved leave is excused but not present (see cadres/selectors.py).

"As of" the month: a first secretary serves a village from his term's start to its end (a
recall ends the term on the recall date; the recall time caps it too), whatever his status
today, so a secretary recalled in November still counts in June. Only days within his term
and dated in the month count. A month in which no first secretary served the village is
not applicable (不适用: full points, as the rule contract says); so is every month of a village
that had no first secretary this year (the registry's `absent` answer).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.conf import settings
from django.db.models import FilteredRelation, Q
from django.utils import timezone

from cadres.models import FirstSecretary
from ratings.engine.types import NOT_APPLICABLE
from ratings.metrics import metric_provider, month_end, month_start, shared_read


def _term_end(term_end: dt.date | None, recalled_at: dt.datetime | None) -> dt.date | None:
    recalled = timezone.localdate(recalled_at) if recalled_at is not None else None
    ends = [d for d in (term_end, recalled) if d is not None]
    return min(ends) if ends else None


def _days_present(village_ids, year: int, month: int) -> dict[int, list]:
    """Read once per scoring gather for both first-secretary providers."""
    ids = None if village_ids is None else tuple(village_ids)
    return shared_read(("first_secretary_days", ids, year, month), lambda: _read_days_present(ids, year, month))


def _read_days_present(village_ids, year: int, month: int) -> dict[int, list]:
    start, end = dt.date(year, 1, 1), month_end(year, month)
    terms = FirstSecretary.objects.filter(Q(term_end__isnull=True) | Q(term_end__gte=start), term_start__lte=end)
    if village_ids is not None:
        terms = terms.filter(village_id__among=village_ids)
    in_year = {"date__gte": start, "date__lte": end}
    fields = ("village_id", "id", "term_start", "term_end", "recalled_at", "day__date")
    # One query: each first secretary serving this year with the days he signed in, UNION the
    # days a spot check found him present (LEFT JOINs: a secretary without either still comes,
    # with a NULL day, so his months read 0 rather than not applicable). UNION deduplicates days.
    signed = terms.annotate(day=FilteredRelation("sign_ins", condition=Q(
        **{f"sign_ins__{k}": v for k, v in in_year.items()}))).order_by().values_list(*fields)
    checked = terms.annotate(day=FilteredRelation("spot_checks", condition=Q(
        spot_checks__present=True, **{f"spot_checks__{k}": v for k, v in in_year.items()}))).order_by().values_list(*fields)
    serving: dict[int, dict[int, tuple]] = defaultdict(dict)
    days: dict[int, set] = defaultdict(set)
    for village_id, fs_id, term_start, term_end, recalled_at, day in signed.union(checked):
        last = _term_end(term_end, recalled_at)
        serving[village_id][fs_id] = (term_start, last)
        if day is not None and term_start <= day and (last is None or day <= last):
            days[fs_id].add(day)
    result: dict[int, list] = {}
    for village_id, secretaries in serving.items():
        periods = []
        for m in range(1, month + 1):
            first, last = month_start(year, m), month_end(year, m)
            in_post = [fs for fs, (t0, t1) in secretaries.items() if t0 <= last and (t1 is None or t1 >= first)]
            if not in_post:
                periods.append((m, NOT_APPLICABLE))
                continue
            # One first secretary serves a village at a time; if two overlap, the best attendance counts.
            periods.append((m, Decimal(max(sum(1 for d in days[fs] if d.month == m) for fs in in_post))))
        result[village_id] = periods
    return result


@metric_provider("first_secretary_days_present", "第一书记当月驻村天数", "天", absent=NOT_APPLICABLE,
                 opening="days")
def first_secretary_days_present(*, village_ids, year, month):
    """Days present in each month of the year up to `month`, of the first secretaries serving
    the village in that month (within their terms); not applicable in a month nobody served."""
    return _days_present(village_ids, year, month)


@metric_provider("first_secretary_sign_in_compliance", "第一书记驻村天数达标", "", absent=NOT_APPLICABLE,
                 opening="events")
def first_secretary_sign_in_compliance(*, village_ids, year, month):
    """Whether each month's days present reach FIRST_SECRETARY_MIN_DAYS (as of the month as
    `first_secretary_days_present`); not applicable where that is."""
    minimum = settings.PORTAL["FIRST_SECRETARY_MIN_DAYS"]
    return {v: [(m, days if days is NOT_APPLICABLE else days >= minimum) for m, days in periods]
            for v, periods in _days_present(village_ids, year, month).items()}
