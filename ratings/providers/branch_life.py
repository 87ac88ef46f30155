"""Metric providers from the branches app (one query each, whatever the scope).

Organisational life is counted per month of the year, by the meetings' dates: as of the
month's last day, only meetings dated in or before the month count. A village that held any
meeting of the kind this year gets an explicit 0 for the months without one, so that `latest`
aggregation reads "none this month" rather than carrying last month's count forward; a village
with no record at all has no value (missing, which scores 0 as well).

Weak-and-lax is read from the history of listings (`Rectification`), not from today's flag:
a branch is weak-and-lax on a day when a listing of it was made on or before that day and not
accepted on or before it. A branch may be listed, accepted and listed again.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import ExtractMonth

from branches.models import Branch, Rectification
from branches.models_records import LIFE_MEETING_TYPES, Meeting, MeetingType
from ratings.metrics import metric_provider, month_end, shared_read


def listed_on_day(day: dt.date) -> Q:
    """Rectifications that hold the branch weak-and-lax on `day`: listed on or before it and
    not accepted on or before it."""
    return Q(listed_on__lte=day) & (Q(accepted_on__isnull=True) | Q(accepted_on__gt=day))


def weak_lax_flags(*, village_ids, year: int, month: int) -> dict[int, bool]:
    """{village_id: weak-and-lax on the month's last day} for every branch in scope (one query,
    once per scoring gather: the gather and the `weak_lax` provider share it)."""
    ids = None if village_ids is None else tuple(village_ids)
    return shared_read(("weak_lax", ids, year, month), lambda: _weak_lax_flags(ids, year, month))


def _weak_lax_flags(village_ids, year: int, month: int) -> dict[int, bool]:
    open_listing = Rectification.objects.filter(listed_on_day(month_end(year, month)), branch=OuterRef("pk"))
    rows = Branch.objects.all()
    if village_ids is not None:
        rows = rows.filter(village_id__among=village_ids)
    return dict(rows.annotate(weak=Exists(open_listing)).values_list("village_id", "weak").order_by())


@metric_provider("weak_lax", "软弱涣散且未整顿验收", "")
def weak_lax(*, village_ids, year, month):
    """True when the branch is weak-and-lax on the month's last day: listed on or before it
    and not yet accepted then (see `listed_on_day`); False for every other branch."""
    return {v: [(month, flag)] for v, flag in weak_lax_flags(village_ids=village_ids, year=year, month=month).items()}


def _monthly_counts(types, village_ids, year: int, month: int) -> dict[int, list]:
    rows = Meeting.objects.filter(type__in=list(types), date__gte=dt.date(year, 1, 1))
    rows = rows.filter(date__lt=dt.date(year + 1, 1, 1) if month == 12 else dt.date(year, month + 1, 1))
    if village_ids is not None:
        rows = rows.filter(village_id__among=village_ids)
    counted = (rows.annotate(m=ExtractMonth("date")).order_by().values("village_id", "m")
               .annotate(n=Count("id")).values_list("village_id", "m", "n"))
    by_village: dict[int, dict[int, int]] = defaultdict(dict)
    for village_id, m, n in counted:
        by_village[village_id][m] = n
    return {
        village_id: [(m, Decimal(months.get(m, 0))) for m in range(1, month + 1)]
        for village_id, months in by_village.items()
    }


@metric_provider("organisational_life_meetings", "当月三会一课开展次数", "次", opening="events")
def organisational_life_meetings(*, village_ids, year, month):
    """Meetings of 三会一课 (members' meeting, committee, party group, lecture) held each month."""
    return _monthly_counts(LIFE_MEETING_TYPES, village_ids, year, month)


@metric_provider("themed_party_days", "当月主题党日开展次数", "次", opening="events")
def themed_party_days(*, village_ids, year, month):
    """Themed party days held each month."""
    return _monthly_counts([MeetingType.THEMED_PARTY_DAY], village_ids, year, month)


@metric_provider("community_needs_done", "当月需求清单对接办结件数", "件", absent=Decimal(0), opening="events")
def community_needs_done(*, village_ids, year, month):
    """Residents' needs matched to a resource and done (办结) in each month of the year, by the
    match's done date: as of the month's last day only matches done on or before it count, so a
    need done later never changes an earlier month. Every community of the scope without one
    reads 0 (`absent`)."""
    from branches.models_community import NeedMatch

    rows = NeedMatch.objects.filter(done_on__gte=dt.date(year, 1, 1), done_on__lte=month_end(year, month),
                                    cancelled_on__isnull=True)
    if village_ids is not None:
        rows = rows.filter(need__community_id__among=village_ids)
    counted = (rows.annotate(m=ExtractMonth("done_on")).order_by().values("need__community_id", "m")
               .annotate(n=Count("id")).values_list("need__community_id", "m", "n"))
    by_community: dict[int, dict[int, int]] = defaultdict(dict)
    for community_id, m, n in counted:
        by_community[community_id][m] = n
    return {
        community_id: [(m, Decimal(months.get(m, 0))) for m in range(1, month + 1)]
        for community_id, months in by_community.items()
    }
