"""Metric providers from first secretaries' sign-ins and spot checks (one query each).

A day is present when the serving first secretary signed in or a spot check found him present;
approved leave is excused but not present (see cadres/selectors.py).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.conf import settings
from django.db.models import Q

from ratings.metrics import metric_provider

from .models import FirstSecretaryStatus
from .models_work import SignIn, SpotCheck


def _days_present(village_ids, year: int, month: int) -> dict[int, list]:
    start, end = dt.date(year, 1, 1), (dt.date(year, month, 28) + dt.timedelta(days=4)).replace(day=1)
    serving = Q(first_secretary__status=FirstSecretaryStatus.SERVING)
    signed = SignIn.objects.filter(serving, date__gte=start, date__lt=end)
    checked = SpotCheck.objects.filter(serving, date__gte=start, date__lt=end, present=True)
    if village_ids is not None:
        ids = list(village_ids)
        signed = signed.filter(first_secretary__village_id__in=ids)
        checked = checked.filter(first_secretary__village_id__in=ids)
    # One query: the union of both day lists, deduplicated in Python per (village, fs, day).
    fields = ("first_secretary__village_id", "first_secretary_id", "date")
    rows = signed.order_by().values_list(*fields).union(checked.order_by().values_list(*fields))
    days: dict[int, dict[int, set]] = defaultdict(lambda: defaultdict(set))
    for village_id, fs_id, date in rows:
        days[village_id][date.month].add((fs_id, date))
    result: dict[int, list] = {}
    for village_id, months in days.items():
        # A village has one serving first secretary; if two overlap, the best attendance counts.
        result[village_id] = [
            (m, Decimal(max(sum(1 for f, _ in months[m] if f == fs) for fs in {f for f, _ in months[m]})))
            for m in sorted(months)
        ]
    return result


@metric_provider("first_secretary_days_present", "第一书记当月驻村天数", "天")
def first_secretary_days_present(*, village_ids, year, month):
    return _days_present(village_ids, year, month)


@metric_provider("first_secretary_sign_in_compliance", "第一书记驻村天数达标", "")
def first_secretary_sign_in_compliance(*, village_ids, year, month):
    minimum = settings.PORTAL["FIRST_SECRETARY_MIN_DAYS"]
    return {v: [(m, days >= minimum) for m, days in periods] for v, periods in _days_present(village_ids, year, month).items()}
