"""Reads for first secretaries' attendance, always set-based.

A day counts as present when the first secretary signed in, or a spot check found him present.
Approved leave days are excused but NOT present: compliance is simply days present >= the
minimum (PORTAL["FIRST_SECRETARY_MIN_DAYS"]), as the campaign asks for days spent in the village.
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
        # Today is not absent until the day is over (as presence_calendar below).
        state = "present" if day in present else "leave" if day in leave_days else "future" if day >= today else "absent"
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


# --- first secretaries: list, detail, leave, spot checks, reports, allowance --------------------


def month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    import calendar

    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def first_secretaries_for(user):
    """Every first secretary (any status) whose village is in the user's scope."""
    from .models import FirstSecretary
    from .scope import scope_q

    return FirstSecretary.objects.filter(scope_q(user, "village__code")).select_related("village__parent")


def first_secretary_get_for_user(*, user, pk: int):
    """The one access helper for a first secretary: outside the scope is a 404."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(first_secretaries_for(user), pk=pk)


def present_days(*, first_secretary_ids: Iterable[int], start: dt.date, end: dt.date) -> dict[int, set[dt.date]]:
    """{first_secretary_id: days present between start and end inclusive}: one query (a UNION of
    sign-in days and spot-check days found present), whatever the number of first secretaries."""
    ids = list(first_secretary_ids)
    if not ids:
        return {}
    fields = ("first_secretary_id", "date")
    signed = SignIn.objects.filter(first_secretary_id__in=ids, date__range=(start, end)).order_by().values_list(*fields)
    checked = (SpotCheck.objects.filter(first_secretary_id__in=ids, date__range=(start, end), present=True)
               .order_by().values_list(*fields))
    days: dict[int, set[dt.date]] = defaultdict(set)
    for fs_id, date in signed.union(checked):
        days[fs_id].add(date)
    return days


LIST_SORTS = {
    "village": lambda row: row["fs"].village.code,
    "name": lambda row: row["fs"].name,
    "days": lambda row: (row["days"], row["fs"].village.code),
    "-days": lambda row: (-row["days"], row["fs"].village.code),
    "term": lambda row: (row["fs"].term_start, row["fs"].village.code),
}


def first_secretary_rows(*, user, today: dt.date, township: str = "", status: str = "serving",
                         below_minimum: bool = False, sort: str = "village") -> list[dict]:
    """The first secretary list: each row with days present this month, signed in today and the
    state of the latest monthly report. Four queries whatever the number of first secretaries."""
    from django.db.models import OuterRef, Subquery

    from .models import FirstSecretaryStatus
    from .models_work import MonthlyReport

    latest = MonthlyReport.objects.filter(first_secretary=OuterRef("pk")).order_by("-year", "-month")
    secretaries = first_secretaries_for(user).annotate(
        last_report_status=Subquery(latest.values("status")[:1]),
        last_report_year=Subquery(latest.values("year")[:1]),
        last_report_month=Subquery(latest.values("month")[:1]),
    )
    if township:
        secretaries = secretaries.filter(village__parent__code=township)
    if status in FirstSecretaryStatus.values:
        secretaries = secretaries.filter(status=status)
    secretaries = list(secretaries)
    ids = [fs.pk for fs in secretaries]
    first, last = month_bounds(today.year, today.month)
    days = present_days(first_secretary_ids=ids, start=first, end=last)
    signed_today = set(SignIn.objects.filter(first_secretary_id__in=ids, date=today)
                       .values_list("first_secretary_id", flat=True)) if ids else set()
    minimum = settings.PORTAL["FIRST_SECRETARY_MIN_DAYS"]
    rows = []
    for fs in secretaries:
        count = len(days.get(fs.pk, ()))
        rows.append({"fs": fs, "days": count, "below": count < minimum, "signed_today": fs.pk in signed_today,
                     "last_report": _report_state_label(fs.last_report_status)})
    if below_minimum:
        rows = [row for row in rows if row["below"]]
    return sorted(rows, key=LIST_SORTS.get(sort, LIST_SORTS["village"]))


def _report_state_label(status: str | None) -> str:
    from .models_work import ReportStatus

    return ReportStatus(status).label if status else "未提交"


def presence_calendar(*, first_secretary, year: int, month: int, today: dt.date) -> list[dict]:
    """Each day of the month: signed (sign-in), checked (found present by a spot check only),
    leave (approved), absent, future, or outside the term. Three queries."""
    from .models_work import LeaveRequest, LeaveStatus

    first, last = month_bounds(year, month)
    signed = set(SignIn.objects.filter(first_secretary=first_secretary, date__range=(first, last))
                 .values_list("date", flat=True))
    checked = set(SpotCheck.objects.filter(first_secretary=first_secretary, date__range=(first, last), present=True)
                  .values_list("date", flat=True))
    leave_days: set[dt.date] = set()
    for start, end in LeaveRequest.objects.filter(
        first_secretary=first_secretary, status=LeaveStatus.APPROVED, start__lte=last, end__gte=first
    ).values_list("start", "end"):
        day = max(start, first)
        while day <= min(end, last):
            leave_days.add(day)
            day += dt.timedelta(days=1)
    term_end = first_secretary.term_end or dt.date.max
    days = []
    for n in range(1, last.day + 1):
        day = dt.date(year, month, n)
        if day in signed:
            state = "signed"
        elif day in checked:
            state = "checked"
        elif day in leave_days:
            state = "leave"
        elif day >= today:  # today is not absent until the day is over
            state = "future"
        elif not first_secretary.term_start <= day <= term_end:
            state = "out"
        else:
            state = "absent"
        days.append({"date": day, "state": state})
    return days


def pending_leaves(*, user):
    from .models_work import LeaveRequest, LeaveStatus
    from .scope import scope_q

    return (LeaveRequest.objects.filter(scope_q(user, "first_secretary__village__code"), status=LeaveStatus.REQUESTED)
            .select_related("first_secretary__village__parent").order_by("start", "pk"))


def leaves_for(user):
    from .models_work import LeaveRequest
    from .scope import scope_q

    return (LeaveRequest.objects.filter(scope_q(user, "first_secretary__village__code"))
            .select_related("first_secretary__village__parent", "decided_by"))


def week_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    monday = day - dt.timedelta(days=day.weekday())
    return monday, monday + dt.timedelta(days=6)


def spot_check_week(*, user, today: dt.date) -> dict:
    """Serving first secretaries in scope split into spot-checked this week (Monday to Sunday)
    and not yet checked. Two queries."""
    from .models import FirstSecretary
    from .scope import scope_q

    monday, sunday = week_bounds(today)
    serving = list(FirstSecretary.objects.serving().filter(scope_q(user, "village__code"))
                   .select_related("village__parent").order_by("village__code"))
    checks: dict[int, list] = defaultdict(list)
    for check in (SpotCheck.objects.filter(first_secretary__in=[fs.pk for fs in serving], date__range=(monday, sunday))
                  .select_related("checked_by").order_by("date", "pk")):
        checks[check.first_secretary_id].append(check)
    return {
        "monday": monday, "sunday": sunday,
        "checked": [(fs, checks[fs.pk]) for fs in serving if checks.get(fs.pk)],
        "not_checked": [fs for fs in serving if not checks.get(fs.pk)],
    }


def monthly_report_overview(*, user, year: int, month: int, township: str = "") -> dict:
    """This month's report of each first secretary serving in scope, grouped by township, with
    the state not submitted / draft / submitted / read. Two queries."""
    from .models import FirstSecretary
    from .models_work import MonthlyReport, ReportStatus
    from .scope import scope_q

    serving = FirstSecretary.objects.serving().filter(scope_q(user, "village__code"))
    if township:
        serving = serving.filter(village__parent__code=township)
    serving = list(serving.select_related("village__parent").order_by("village__code"))
    reports = {r.first_secretary_id: r for r in MonthlyReport.objects.filter(
        first_secretary__in=[fs.pk for fs in serving], year=year, month=month)}
    groups: dict = {}
    counts = {"missing": 0, **{s.value: 0 for s in ReportStatus}}
    for fs in serving:
        report = reports.get(fs.pk)
        state = report.status if report else "missing"
        counts[state] += 1
        groups.setdefault(fs.village.parent, []).append({"fs": fs, "report": report, "state": state})
    return {"groups": list(groups.items()), "counts": counts}


def allowance_table(*, user, year: int, month: int) -> dict:
    """The month's allowance: days present × PORTAL["ALLOWANCE_PER_DAY"] for every first secretary
    in scope whose term overlaps the month (a recalled one is paid for the days he was there).
    Only days within the term count. Two queries whatever the number of first secretaries."""
    first, last = month_bounds(year, month)
    from django.db.models import Q

    secretaries = list(
        first_secretaries_for(user).filter(Q(term_end__isnull=True) | Q(term_end__gte=first), term_start__lte=last)
        .order_by("village__code", "term_start")
    )
    days = present_days(first_secretary_ids=[fs.pk for fs in secretaries], start=first, end=last)
    rate = settings.PORTAL["ALLOWANCE_PER_DAY"]
    rows = []
    for fs in secretaries:
        end = fs.term_end or dt.date.max
        count = sum(1 for day in days.get(fs.pk, ()) if fs.term_start <= day <= end)
        rows.append({"fs": fs, "days": count, "rate": rate, "amount": count * rate})
    return {"rows": rows, "rate": rate, "total_days": sum(r["days"] for r in rows),
            "total_amount": sum(r["amount"] for r in rows), "first": first, "last": last}


def evaluation_rows(*, user, year: int) -> dict:
    """Every first secretary in scope whose term overlaps `year`, with the year's days present,
    reports submitted and the grade if given. Four queries whatever the number of them."""
    from django.db.models import Count, Q

    from .models_work import Evaluation, EvaluationGrade, MonthlyReport, ReportStatus

    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    secretaries = list(
        first_secretaries_for(user).filter(Q(term_end__isnull=True) | Q(term_end__gte=first), term_start__lte=last)
        .order_by("village__code", "term_start")
    )
    ids = [fs.pk for fs in secretaries]
    days = present_days(first_secretary_ids=ids, start=first, end=last)
    reports = dict(MonthlyReport.objects.filter(first_secretary_id__in=ids, year=year)
                   .exclude(status=ReportStatus.DRAFT).values("first_secretary_id")
                   .annotate(n=Count("pk")).values_list("first_secretary_id", "n")) if ids else {}
    evaluations = {e.first_secretary_id: e for e in Evaluation.objects.filter(first_secretary_id__in=ids, year=year)}
    rows = [{"fs": fs, "days": len(days.get(fs.pk, ())), "reports": reports.get(fs.pk, 0),
             "evaluation": evaluations.get(fs.pk)} for fs in secretaries]
    distribution = {grade.label: 0 for grade in EvaluationGrade}
    for evaluation in evaluations.values():
        distribution[evaluation.get_grade_display()] += 1
    return {"rows": rows, "distribution": distribution, "pending": sum(1 for r in rows if r["evaluation"] is None)}
