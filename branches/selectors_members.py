"""Reads of the member roster for pages, always within the user's scope.

A phone is shown in full only to a post inside the branch's township (township staff, the
village's secretary and first secretary); everyone else reads it masked.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from cadres.scope import scope_q, user_posts
from villages.models import Region

from . import points as member_points
from .models_members import ContactRecord, Member, MemberCategory


def quarter_start(day: dt.date) -> dt.date:
    return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def member_list(*, user) -> QuerySet[Member]:
    return Member.objects.filter(scope_q(user, "branch__village__code")).select_related("branch__village__parent")


def member_get_for_user(*, user, pk: int) -> Member:
    return get_object_or_404(member_list(user=user), pk=pk)


def phone_visible(user, village: Region) -> bool:
    township = village.township_code[:9]
    return any(post.region.code.startswith(township) for post in user_posts(user))


def mask_phone(phone: str) -> str:
    return f"{phone[:3]}****{phone[-4:]}" if len(phone) >= 8 else ("****" if phone else "")


def away_uncontacted(*, prefix: str, day: dt.date) -> set[int]:
    """流动 members in their branch on `day` with no contact record dated in `day`'s quarter up
    to `day`: the early warning (one query)."""
    contacted = ContactRecord.objects.filter(date__gte=quarter_start(day), date__lte=day).values("member_id")
    return set(Member.objects.current_on(day).filter(branch__village__code__startswith=prefix,
                                                     category=MemberCategory.AWAY)
               .exclude(pk__in=contacted).values_list("pk", flat=True))


def roster(*, village: Region, day: dt.date, include_left: bool = False) -> list[Member]:
    rows = Member.objects.filter(branch__village=village)
    if not include_left:
        rows = rows.current_on(day)
    return list(rows.order_by("category", "name", "id"))


def village_summaries(*, villages: list[Region], day: dt.date) -> list[dict]:
    """Per village: current members by category, its average points of the month and its 流动
    members not contacted this quarter (a constant number of queries)."""
    ids = [v.pk for v in villages]
    by_category: dict[int, Counter] = defaultdict(Counter)
    for village_id, category in (Member.objects.current_on(day).filter(branch__village_id__in=ids)
                                 .values_list("branch__village_id", "category")):
        by_category[village_id][category] += 1
    warnings: Counter = Counter()
    if ids:
        prefix = _common_prefix([v.code for v in villages])
        uncontacted = away_uncontacted(prefix=prefix, day=day)
        for village_id in Member.objects.filter(pk__in=uncontacted).values_list("branch__village_id", flat=True):
            warnings[village_id] += 1
        averages = member_points.branch_averages(year=day.year, month=day.month, village_ids=ids,
                                                 county=member_points.county_of(villages[0]))
    else:
        averages = {}
    rows = []
    for village in villages:
        counts = by_category.get(village.pk, Counter())
        rows.append({"village": village, "total": sum(counts.values()),
                     "categories": [counts.get(c, 0) for c in MemberCategory.values],
                     "average": averages.get(village.pk), "uncontacted": warnings.get(village.pk, 0)})
    return rows


def _common_prefix(codes: list[str]) -> str:
    first, last = min(codes), max(codes)
    n = 0
    while n < len(first) and first[n] == last[n]:
        n += 1
    return first[:n]


def member_month_history(*, member: Member, year: int, upto: int) -> list[tuple[int, member_points.MonthPoints]]:
    """The member's points for each month of the year up to `upto` (newest first)."""
    county = member_points.county_of(member.branch.village)
    return [(m, member_points.month_points(prefix=member.branch.village.code, year=year, month=m, county=county,
                                           member_ids=[member.pk]).get(member.pk, member_points.MonthPoints()))
            for m in range(upto, 0, -1)]


def branch_ranking(*, village: Region, year: int, month: int) -> list[tuple[Member, Decimal]]:
    """The branch's members on the month's last day ranked by the month's points (then name)."""
    _, end = member_points.month_bounds(year, month)
    points = member_points.month_points(prefix=village.code, year=year, month=month,
                                        county=member_points.county_of(village))
    members = Member.objects.current_on(end).filter(branch__village=village)
    ranked = [(m, points[m.pk].total if m.pk in points else Decimal(0)) for m in members]
    ranked.sort(key=lambda pair: (-pair[1], pair[0].name, pair[0].pk))
    return ranked


def in_scope_q(user) -> Q:
    return scope_q(user, "branch__village__code")
