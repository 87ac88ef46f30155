"""Metric providers from the member roster (branches app), each as of the month's last day `d`.

Members counted are those in their branch on `d` (joined on or before it, not left by then).
Only branches with a roster answer; a branch without one has no value (missing, scoring 0),
since "members managed" is then unknown. A share whose base is empty on `d` (no 无职 member,
no 流动 member) is "not applicable" (full points, shown 不适用). Each answers the month asked for
only: the default standard reads them with `latest`.

- `no_office_posted_share`: % of 无职 members holding a post on `d` (started on or before, not
  ended by then);
- `pledges_on_track_share`: % of the year's pledges made by `d` that are on track on `d`: its
  year-end outcome confirmed by `d` is 已践诺, or (none confirmed by `d`) its latest quarterly
  progress reported by `d` says on track, or it was made in `d`'s quarter and has no report yet;
- `away_contacted_share`: % of 流动 members with a contact record dated in `d`'s quarter, on or
  before `d`;
- `members_linked_share`: % of members linked with a household on `d` (since on or before,
  not ended by then);
- `member_average_points`: the branch's average points of the month (branches/points.py) over
  the members in it on `d`;
- `member_attendance_rate`: % present of the roll entries of the month's meetings (dated in the
  month); no roll that month, no value.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, OuterRef, Q, Subquery

from branches import points as member_points
from branches.models_members import (
    ContactRecord,
    LinkedHousehold,
    MeetingAttendance,
    Member,
    MemberCategory,
    MemberPost,
    Pledge,
    PledgeOutcome,
    PledgeProgress,
)
from ratings.engine.types import NOT_APPLICABLE
from ratings.metrics import metric_provider, month_end
from villages.models import Region

TWO = Decimal("0.01")


def _share(part: int, whole: int) -> Decimal:
    return (Decimal(part) * 100 / Decimal(whole)).quantize(TWO, rounding=ROUND_HALF_UP)


def _current(village_ids, day: dt.date):
    rows = Member.objects.current_on(day)
    if village_ids is not None:
        rows = rows.filter(branch__village_id__among=village_ids)
    return rows


def _rostered(village_ids, day: dt.date) -> set[int]:
    """Villages whose branch has a member on `day`."""
    return set(_current(village_ids, day).order_by().values_list("branch__village_id", flat=True).distinct())


def _shares(rows, flag: str, village_ids, day: dt.date, month: int, *, empty=NOT_APPLICABLE) -> dict:
    """{village: [(month, % of `rows` with `flag`)]} for the rostered villages; `empty` where
    the base has no row."""
    counted = {v: (n, k) for v, n, k in rows.order_by().values("branch__village_id")
               .annotate(n=Count("pk"), k=Count("pk", filter=Q(**{flag: True})))
               .values_list("branch__village_id", "n", "k")}
    answer = {}
    for village_id in _rostered(village_ids, day):
        n, k = counted.get(village_id, (0, 0))
        answer[village_id] = [(month, _share(k, n) if n else empty)]
    return answer


@metric_provider("no_office_posted_share", "无职党员设岗定责比例", "%")
def no_office_posted_share(*, village_ids, year, month):
    """Share of the 无职 members in the branch on the month's last day who hold a post that day."""
    day = month_end(year, month)
    held = MemberPost.objects.filter(member=OuterRef("pk"), started_on__lte=day).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=day))
    rows = _current(village_ids, day).filter(category=MemberCategory.NO_OFFICE).annotate(flag=Exists(held))
    return _shares(rows, "flag", village_ids, day, month)


def _quarter_start(day: dt.date) -> dt.date:
    return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


@metric_provider("pledges_on_track_share", "党员承诺按进度推进比例", "%")
def pledges_on_track_share(*, village_ids, year, month):
    """Share of the year's pledges (made by the month's last day, by members in the branch that
    day) on track that day; a branch with a roster and no pledge reads 0."""
    day = month_end(year, month)
    pledges = Pledge.objects.filter(year=year, made_on__lte=day, member__in=_current(village_ids, day))
    latest = PledgeProgress.objects.filter(pledge=OuterRef("pk"), reported_on__lte=day).order_by("-quarter")
    pledges = pledges.annotate(latest_on_track=Subquery(latest.values("on_track")[:1])).values_list(
        "member__branch__village_id", "outcome", "confirmed_on", "latest_on_track", "made_on")
    counted: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    quarter = _quarter_start(day)
    for village_id, outcome, confirmed_on, on_track, made_on in pledges:
        if confirmed_on is not None and confirmed_on <= day:
            good = outcome == PledgeOutcome.KEPT
        elif on_track is not None:
            good = bool(on_track)
        else:
            good = made_on >= quarter
        counted[village_id][0] += 1
        counted[village_id][1] += 1 if good else 0
    return {v: [(month, _share(counted[v][1], counted[v][0]) if v in counted else Decimal(0))]
            for v in _rostered(village_ids, day)}


@metric_provider("away_contacted_share", "流动党员本季度联系比例", "%")
def away_contacted_share(*, village_ids, year, month):
    """Share of the 流动 members in the branch on the month's last day with a contact record
    dated in that day's quarter, on or before it."""
    day = month_end(year, month)
    contacted = ContactRecord.objects.filter(member=OuterRef("pk"), date__gte=_quarter_start(day), date__lte=day)
    rows = _current(village_ids, day).filter(category=MemberCategory.AWAY).annotate(flag=Exists(contacted))
    return _shares(rows, "flag", village_ids, day, month)


@metric_provider("members_linked_share", "党员联户覆盖率", "%")
def members_linked_share(*, village_ids, year, month):
    """Share of the members in the branch on the month's last day linked with a household then."""
    day = month_end(year, month)
    linked = LinkedHousehold.objects.filter(member=OuterRef("pk"), since__lte=day).filter(
        Q(until__isnull=True) | Q(until__gt=day))
    rows = _current(village_ids, day).annotate(flag=Exists(linked))
    return _shares(rows, "flag", village_ids, day, month)


@metric_provider("member_average_points", "党员当月人均积分", "分", opening="events")
def member_average_points(*, village_ids, year, month):
    """The branch's average points of the month, each county's scheme applied to the records
    dated in the month, over the members in the branch on its last day."""
    ids = None if village_ids is None else list(village_ids)
    villages = Region.objects.filter(pk__in=_rostered(ids, month_end(year, month))).values_list("pk", "code")
    by_county: dict[str, list[int]] = defaultdict(list)
    for pk, code in villages:
        by_county[code[:6] + "000000"].append(pk)
    counties = {c.code: c for c in Region.objects.filter(code__in=list(by_county))}
    answer = {}
    for code, county_villages in by_county.items():
        averages = member_points.branch_averages(year=year, month=month, county=counties.get(code),
                                                 village_ids=county_villages)
        answer.update({v: [(month, value)] for v, value in averages.items()})
    return answer


@metric_provider("member_attendance_rate", "党员参加组织生活出席率", "%", opening="events")
def member_attendance_rate(*, village_ids, year, month):
    """Present entries over all roll entries of the meetings dated in the month."""
    start, end = member_points.month_bounds(year, month)
    rows = MeetingAttendance.objects.filter(meeting__date__range=(start, end))
    if village_ids is not None:
        rows = rows.filter(meeting__village_id__among=village_ids)
    counted = (rows.order_by().values("meeting__village_id")
               .annotate(n=Count("pk"), k=Count("pk", filter=Q(present=True)))
               .values_list("meeting__village_id", "n", "k"))
    return {v: [(month, _share(k, n))] for v, n, k in counted if n}
