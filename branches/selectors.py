"""Reads of the branch records shared by pages and the API, always within the user's scope."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Count, QuerySet
from django.db.models.functions import ExtractMonth
from django.shortcuts import get_object_or_404

from cadres.scope import scope_q
from villages.models import Level, Region

from . import compliance as rules
from .models import Rectification
from .models_records import Decision, Meeting, MeetingType, Posting, RecordEvent, meeting_frequencies


def village_get_for_user(*, user, code: str) -> Region:
    """A village in the user's scope, else 404."""
    return get_object_or_404(Region.objects.filter(scope_q(user), level=Level.VILLAGE), code=code)


def region_get_for_user(*, user, code: str) -> Region:
    return get_object_or_404(Region.objects.filter(scope_q(user)), code=code)


def villages_for(*, user, within: Region | None = None) -> QuerySet[Region]:
    rows = Region.objects.filter(scope_q(user), level=Level.VILLAGE)
    if within is not None:
        rows = rows.filter(code__startswith=within.prefix)
    return rows.order_by("code")


def meeting_list(*, user) -> QuerySet[Meeting]:
    return Meeting.objects.filter(scope_q(user, "village__code")).select_related("village__parent", "created_by")


def decision_list(*, user) -> QuerySet[Decision]:
    return Decision.objects.filter(scope_q(user, "village__code")).select_related("village__parent", "created_by")


def posting_list(*, user) -> QuerySet[Posting]:
    return Posting.objects.filter(scope_q(user, "village__code")).select_related("village__parent", "created_by")


def rectification_list(*, user) -> QuerySet[Rectification]:
    return (Rectification.objects.filter(scope_q(user, "branch__village__code"))
            .select_related("branch__village__parent", "accepted_by_user").annotate(update_count=Count("updates")))


def record_history(*, record) -> QuerySet[RecordEvent]:
    return RecordEvent.objects.filter(record_type=record._meta.model_name, record_id=record.pk).select_related("actor")


def meeting_counts(*, villages: QuerySet[Region] | list[int], year: int, months: list[int]) -> dict:
    """counts[village_id][type][month], one query for any number of villages."""
    start = dt.date(year, min(months), 1)
    end = dt.date(year + 1, 1, 1) if max(months) == 12 else dt.date(year, max(months) + 1, 1)
    rows = (Meeting.objects.filter(village__in=villages, date__gte=start, date__lt=end)
            .annotate(m=ExtractMonth("date")).order_by().values("village_id", "type", "m").annotate(n=Count("id"))
            .values_list("village_id", "type", "m", "n"))
    counts: dict = defaultdict(lambda: defaultdict(dict))
    for village_id, kind, month, n in rows:
        counts[village_id][kind][month] = n
    return counts


def period_months(*, month: int | None, quarter: int | None) -> list[int]:
    """The months whose meetings a view needs: a quarterly type seen in a month looks at its quarter."""
    if quarter is not None:
        return rules.quarter_months(quarter)
    return [m for m in rules.quarter_months(rules.quarter_of(month)) if m <= month]


def compliance_table(*, villages: list[Region], year: int, month: int | None, quarter: int | None,
                     as_of: dt.date) -> list[dict]:
    """For each village, its compliance per meeting type in the month or quarter (one query)."""
    frequencies = meeting_frequencies()
    counts = meeting_counts(villages=[v.pk for v in villages], year=year,
                            months=period_months(month=month, quarter=quarter))
    table = []
    for village in villages:
        rows = rules.compliance(counts.get(village.pk, {}), frequencies=frequencies, year=year, as_of=as_of,
                                month=month, quarter=quarter)
        table.append({"village": village, "rows": rows, "status": rules.overall_status(rows)})
    return table


def compliance_summary(table: list[dict]) -> list[dict]:
    """Per meeting type: how many villages met it, are pending, missed it."""
    summary = []
    for index, kind in enumerate(MeetingType.values):
        statuses = [entry["rows"][index].status for entry in table]
        summary.append({
            "type": kind, "label": MeetingType(kind).label, "frequency": meeting_frequencies()[kind],
            "met": statuses.count(rules.MET), "pending": statuses.count(rules.PENDING),
            "missed": statuses.count(rules.MISSED),
        })
    return summary


def secretary_holders(village_ids) -> dict[int, str]:
    """{village id: the name of the person holding its secretary post today}, for the villages
    whose secretary has a login. The branch's recorded secretary is shown only where none does,
    so a village never shows two secretaries. One query."""
    from django.utils import timezone

    from cadres.models import Post, Role

    rows = (Post.objects.held_on(timezone.localdate())
            .filter(role=Role.VILLAGE_SECRETARY, region_id__in=list(village_ids))
            .order_by("region_id", "-start_date", "-id").values_list("region_id", "user__full_name", "user__username"))
    holders: dict[int, str] = {}
    for region_id, full_name, _username in rows:
        if full_name:
            holders.setdefault(region_id, full_name)
    return holders


def branch_secretary_name(branch) -> str:
    """The secretary a page shows for a branch: the post's holder, else the recorded name."""
    if branch is None:
        return ""
    return secretary_holders([branch.village_id]).get(branch.village_id) or branch.secretary_name
