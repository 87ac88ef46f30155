"""Members' points (党员积分) and the pioneer index (先锋指数), computed from the records.

The county's points scheme is data (`PointsItem`: points per counted record and a monthly cap
per item; deductions carry negative points and their cap bounds what they take). A county
without its own rows uses `DEFAULT_SCHEME`. Nobody types a total: a member's points of a month
are the scheme applied to that month's records:

    item points = min(cap, count × points)   (deduction: max(−cap, count × points))
    month points = the sum of the items' points, rounded to two decimals

`month_counts` counts each source for every member of a scope in one grouped query per source
(six queries whatever the scope); `scheme_apply` is the pure rule, tested against an
independent reimplementation. Members counted in a month: those in the branch on any day of it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q

from villages.models import Region

from .models_members import (
    DutyLog,
    HouseholdVisit,
    MeetingAttendance,
    Member,
    Pledge,
    PledgeOutcome,
    PointsItem,
    PointsSource,
    Recognition,
)

TWO = Decimal("0.01")

# The default scheme (points per record, monthly cap): editable county data.
DEFAULT_SCHEME: dict[str, tuple[Decimal, Decimal]] = {
    PointsSource.ATTENDANCE: (Decimal(2), Decimal(8)),
    PointsSource.DUTY_LOG: (Decimal(1), Decimal(6)),
    PointsSource.PLEDGE_KEPT: (Decimal(5), Decimal(10)),
    PointsSource.HOUSEHOLD_VISIT: (Decimal(1), Decimal(4)),
    PointsSource.RECOGNITION: (Decimal(5), Decimal(5)),
    PointsSource.MISSED_MEETING: (Decimal(-3), Decimal(9)),
}


def month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    start = dt.date(year, month, 1)
    end = (dt.date(year, month, 28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    return start, end


def scheme_for(county: Region | None) -> dict[str, tuple[Decimal, Decimal]]:
    scheme = dict(DEFAULT_SCHEME)
    if county is not None:
        for item in PointsItem.objects.filter(county=county):
            scheme[item.source] = (item.points, item.monthly_cap)
    return scheme


@dataclass
class MonthPoints:
    total: Decimal = Decimal(0)
    lines: list[tuple[str, int, Decimal]] = field(default_factory=list)  # (source, count, points)


def scheme_apply(counts: dict[str, int], scheme: dict[str, tuple[Decimal, Decimal]]) -> MonthPoints:
    """The scheme applied to one member's counts of one month (pure)."""
    result = MonthPoints()
    for source in PointsSource.values:
        count = counts.get(source, 0)
        if not count or source not in scheme:
            continue
        points, cap = scheme[source]
        raw = points * count
        earned = max(-cap, raw) if points < 0 else min(cap, raw)
        earned = earned.quantize(TWO, rounding=ROUND_HALF_UP)
        result.lines.append((source, count, earned))
        result.total += earned
    return result


def _where(prefix: str, village_ids, member_ids) -> dict:
    """The members a computation covers: given ids, else the villages given, else a subtree."""
    if member_ids is not None:
        return {"pk__among": list(member_ids)}
    if village_ids is not None:
        return {"branch__village_id__among": list(village_ids)}
    return {"branch__village__code__startswith": prefix}


def members_in_month(*, prefix: str = "", year: int, month: int, village_ids=None):
    """Members of the branches under `prefix` (or of the villages given) who were in their
    branch on some day of the month."""
    start, end = month_bounds(year, month)
    return Member.objects.filter(joined_on__lte=end, **_where(prefix, village_ids, None)).filter(
        Q(left_on__isnull=True) | Q(left_on__gte=start))


def month_counts(*, prefix: str = "", year: int, month: int, member_ids=None,
                 village_ids=None) -> dict[int, dict[str, int]]:
    """{member id: {source: count}} for the month, one grouped query per source."""
    start, end = month_bounds(year, month)
    inside = _where(prefix, village_ids, member_ids)
    queries = {
        PointsSource.ATTENDANCE: MeetingAttendance.objects.filter(present=True, meeting__date__range=(start, end)),
        PointsSource.MISSED_MEETING: MeetingAttendance.objects.filter(present=False, excused=False,
                                                                      meeting__date__range=(start, end)),
        PointsSource.DUTY_LOG: DutyLog.objects.filter(date__range=(start, end)),
        PointsSource.PLEDGE_KEPT: Pledge.objects.filter(outcome=PledgeOutcome.KEPT, confirmed_on__range=(start, end)),
        PointsSource.HOUSEHOLD_VISIT: HouseholdVisit.objects.filter(date__range=(start, end)),
        PointsSource.RECOGNITION: Recognition.objects.filter(date__range=(start, end)),
    }
    member_path = {PointsSource.DUTY_LOG: "post__member", PointsSource.HOUSEHOLD_VISIT: "household__member"}
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for source, rows in queries.items():
        path = member_path.get(source, "member")
        rows = rows.filter(**{f"{path}__{key}": value for key, value in inside.items()})
        for member_id, n in rows.order_by().values_list(f"{path}_id").annotate(n=Count("pk")):
            counts[member_id][source] = n
    return counts


def month_points(*, prefix: str = "", year: int, month: int, county: Region | None = None,
                 member_ids=None, village_ids=None) -> dict[int, MonthPoints]:
    """{member id: points of the month} for every member in a branch during the month (members
    without any record score 0)."""
    scheme = scheme_for(county)
    counts = month_counts(prefix=prefix, year=year, month=month, member_ids=member_ids, village_ids=village_ids)
    members = members_in_month(prefix=prefix, year=year, month=month, village_ids=village_ids)
    if member_ids is not None:
        members = members.filter(pk__in=list(member_ids))
    return {member_id: scheme_apply(counts.get(member_id, {}), scheme)
            for member_id in members.values_list("pk", flat=True)}


def branch_averages(*, prefix: str = "", year: int, month: int, county: Region | None = None,
                    village_ids=None) -> dict[int, Decimal]:
    """{village id: average points of the branch's members on the month's last day} for every
    branch with a roster under `prefix` (or of the villages given); two decimals.

    A member without a record that month scores 0, and members with the same counts score the
    same: the scheme is applied once per distinct set of counts (a county's month is a few
    hundred distinct sets among twenty thousand members; the recompute reads this monthly)."""
    _, end = month_bounds(year, month)
    scheme = scheme_for(county)
    counts = month_counts(prefix=prefix, year=year, month=month, village_ids=village_ids)
    current = (Member.objects.current_on(end).filter(**_where(prefix, village_ids, None)).order_by()
               .values_list("pk", "branch__village_id"))
    applied: dict[tuple, Decimal] = {}
    sums: dict[int, list] = defaultdict(lambda: [Decimal(0), 0])
    for member_id, village_id in current:
        entry = sums[village_id]
        entry[1] += 1
        drawn = counts.get(member_id)
        if drawn:
            key = tuple(sorted(drawn.items()))
            if key not in applied:
                applied[key] = scheme_apply(drawn, scheme).total
            entry[0] += applied[key]
    return {village_id: (total / n).quantize(TWO, rounding=ROUND_HALF_UP) for village_id, (total, n) in sums.items()}


def county_of(region: Region) -> Region | None:
    return Region.objects.filter(code=region.county_code).first()
