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


def month_calendar(*, first_secretary_id: int, year: int, month: int, today: dt.date) -> list[dict]:
    """Each day of the month as present / leave / absent / future (three queries)."""
    import calendar

    from .models_work import LeaveRequest, LeaveStatus

    first = dt.date(year, month, 1)
    last = dt.date(year, month, calendar.monthrange(year, month)[1])
    present = set(SignIn.objects.filter(first_secretary_id=first_secretary_id, date__range=(first, last)).values_list("date", flat=True))
    present |= set(SpotCheck.objects.filter(first_secretary_id=first_secretary_id, date__range=(first, last), present=True).values_list("date", flat=True))
    leave_days: set[dt.date] = set()
    for start, end in LeaveRequest.objects.filter(
        first_secretary_id=first_secretary_id, status=LeaveStatus.APPROVED, start__lte=last, end__gte=first
    ).values_list("start", "end"):
        day = max(start, first)
        while day <= min(end, last):
            leave_days.add(day)
            day += dt.timedelta(days=1)
    days = []
    for n in range(1, last.day + 1):
        day = dt.date(year, month, n)
        state = "present" if day in present else "leave" if day in leave_days else "future" if day > today else "absent"
        days.append({"date": day, "state": state})
    return days


def township_attendance(*, user, today: dt.date) -> dict:
    """Serving first secretaries in the user's scope who have not signed in today, and those
    below the minimum this month (so far). Three queries whatever the number of villages."""
    from .models import FirstSecretary
    from .scope import scope_q

    serving = list(
        FirstSecretary.objects.serving().filter(scope_q(user, "village__code"))
        .select_related("village__parent").order_by("village__code")
    )
    ids = [fs.pk for fs in serving]
    signed_today = set(SignIn.objects.filter(first_secretary_id__in=ids, date=today).values_list("first_secretary_id", flat=True))
    month_days = days_present_by_month(first_secretary_ids=ids, year=today.year, month_to=today.month) if ids else {}
    minimum = settings.PORTAL["FIRST_SECRETARY_MIN_DAYS"]
    rows = [(fs, month_days.get(fs.pk, {}).get(today.month, 0)) for fs in serving]
    return {
        "not_signed_in": [(fs, d) for fs, d in rows if fs.pk not in signed_today],
        "below_minimum": [(fs, d) for fs, d in rows if d < minimum],
        "minimum": minimum,
    }
