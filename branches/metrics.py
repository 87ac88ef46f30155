"""Metric providers from the branches app (one query each, whatever the scope).

Organisational life is counted per month of the year. A village that held any meeting of the
kind this year gets an explicit 0 for the months without one, so that `latest` aggregation
reads "none this month" rather than carrying last month's count forward; a village with no
record at all has no value (missing, which scores 0 as well).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db.models import Count
from django.db.models.functions import ExtractMonth

from ratings.metrics import metric_provider

from .models import Branch
from .models_records import LIFE_MEETING_TYPES, Meeting, MeetingType


@metric_provider("weak_lax", "软弱涣散且未整顿验收", "")
def weak_lax(*, village_ids, year, month):
    """True while the branch is listed weak-and-lax (the flag clears on acceptance)."""
    rows = Branch.objects.all()
    if village_ids is not None:
        rows = rows.filter(village_id__in=village_ids)
    return {v: [(month, flag)] for v, flag in rows.values_list("village_id", "is_weak_lax")}


def _monthly_counts(types, village_ids, year: int, month: int) -> dict[int, list]:
    rows = Meeting.objects.filter(type__in=list(types), date__gte=dt.date(year, 1, 1))
    rows = rows.filter(date__lt=dt.date(year + 1, 1, 1) if month == 12 else dt.date(year, month + 1, 1))
    if village_ids is not None:
        rows = rows.filter(village_id__in=list(village_ids))
    counted = (rows.annotate(m=ExtractMonth("date")).order_by().values("village_id", "m")
               .annotate(n=Count("id")).values_list("village_id", "m", "n"))
    by_village: dict[int, dict[int, int]] = defaultdict(dict)
    for village_id, m, n in counted:
        by_village[village_id][m] = n
    return {
        village_id: [(m, Decimal(months.get(m, 0))) for m in range(1, month + 1)]
        for village_id, months in by_village.items()
    }


@metric_provider("organisational_life_meetings", "当月三会一课开展次数", "次")
def organisational_life_meetings(*, village_ids, year, month):
    """Meetings of 三会一课 (members' meeting, committee, party group, lecture) held each month."""
    return _monthly_counts(LIFE_MEETING_TYPES, village_ids, year, month)


@metric_provider("themed_party_days", "当月主题党日开展次数", "次")
def themed_party_days(*, village_ids, year, month):
    """Themed party days held each month."""
    return _monthly_counts([MeetingType.THEMED_PARTY_DAY], village_ids, year, month)
