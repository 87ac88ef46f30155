"""Reads for first secretaries' attendance, always set-based.

A day counts as present when the first secretary signed in, or a spot check found him present.
Approved leave days are excused but NOT present: compliance is simply days present >= the
minimum (PORTAL["FIRST_SECRETARY_MIN_DAYS"]), as DOMAIN.md asks for days spent in the village.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings

from .models_work import SignIn, SpotCheck


def days_present_by_month(*, first_secretary_ids: Iterable[int] | None, year: int, month_to: int) -> dict[int, dict[int, int]]:
    """{first_secretary_id: {month: days present}} for months 1..month_to of `year`; two queries."""
    start, end = dt.date(year, 1, 1), dt.date(year, month_to, 28) + dt.timedelta(days=4)
    end = end.replace(day=1)
    days: dict[int, dict[int, set]] = defaultdict(lambda: defaultdict(set))
    sign_ins = SignIn.objects.filter(date__gte=start, date__lt=end)
    checks = SpotCheck.objects.filter(date__gte=start, date__lt=end, present=True)
    if first_secretary_ids is not None:
        ids = list(first_secretary_ids)
        sign_ins, checks = sign_ins.filter(first_secretary_id__in=ids), checks.filter(first_secretary_id__in=ids)
    for qs in (sign_ins, checks):
        for fs_id, date in qs.values_list("first_secretary_id", "date"):
            days[fs_id][date.month].add(date)
    return {fs: {m: len(d) for m, d in months.items()} for fs, months in days.items()}


def is_compliant(days_present: int) -> bool:
    return days_present >= settings.PORTAL["FIRST_SECRETARY_MIN_DAYS"]
