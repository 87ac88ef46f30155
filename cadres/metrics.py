"""Metric providers from first secretaries (one query each).

Until daily sign-ins are recorded, days present in a month are the days of the month inside a
serving first secretary's term (up to today for the running month).
"""

from __future__ import annotations

import calendar
import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from ratings.metrics import metric_provider

from .models import FirstSecretary, FirstSecretaryStatus


def _days_in_term(year: int, month: int, village_ids) -> dict[int, list]:
    today = timezone.localdate()
    rows = FirstSecretary.objects.filter(status=FirstSecretaryStatus.SERVING)
    if village_ids is not None:
        rows = rows.filter(village_id__in=village_ids)
    result: dict[int, list] = {}
    for village_id, start, end in rows.values_list("village_id", "term_start", "term_end"):
        periods = []
        for m in range(1, month + 1):
            first = dt.date(year, m, 1)
            last = min(dt.date(year, m, calendar.monthrange(year, m)[1]), today)
            low, high = max(first, start), min(last, end or last)
            if high >= low:
                periods.append((m, Decimal((high - low).days + 1)))
        if periods:
            result[village_id] = periods
    return result


@metric_provider("first_secretary_days_present", "第一书记当月驻村天数", "天")
def first_secretary_days_present(*, village_ids, year, month):
    return _days_in_term(year, month, village_ids)


@metric_provider("first_secretary_sign_in_compliance", "第一书记驻村天数达标", "")
def first_secretary_sign_in_compliance(*, village_ids, year, month):
    minimum = settings.PORTAL["FIRST_SECRETARY_MIN_DAYS"]
    return {v: [(m, days >= minimum) for m, days in periods] for v, periods in _days_in_term(year, month, village_ids).items()}
