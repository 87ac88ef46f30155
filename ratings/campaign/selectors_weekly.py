"""Reads of the weekly progress of key villages and of the monthly commentaries, scoped by the
caller: shared by the pages and the API."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Prefetch, Q

from cadres.scope import scope_q, visible_regions
from villages.models import Level, Region

from .services.weekly import Week, key_villages


def reports_for(*, user):
    from ratings.models import WeeklyReport, WeeklyReportStar

    entries = WeeklyReportStar.objects.prefetch_related("photos").order_by("star")
    return (WeeklyReport.objects.filter(scope_q(user, "village__code"))
            .select_related("village__parent", "submitted_by")
            .prefetch_related(Prefetch("entries", queryset=entries)))


def commentaries_for(*, user):
    """Commentaries on the townships in the user's regions; a village user sees his township's."""
    from ratings.models import Commentary

    condition = scope_q(user, "township__code")
    townships = {f"{prefix[:9]}000" for prefix in visible_regions(user) if len(prefix) == 12}
    if townships:
        condition |= Q(township__code__in=townships)
    return Commentary.objects.filter(condition).select_related("township", "written_by")


def week_status(*, township: Region, week: Week) -> list[dict]:
    """The township's key villages on the week's last day, each with its report of the week (or
    None: not reported), villages without a report first. Three queries."""
    from ratings.models import WeeklyReport, WeeklyReportStar

    villages = list(key_villages(Region.objects.filter(parent=township), on=min(week.end, _today()))
                    .order_by("code"))
    entries = WeeklyReportStar.objects.prefetch_related("photos").order_by("star")
    reports = {r.village_id: r for r in WeeklyReport.objects.filter(
        village__in=villages, iso_year=week.iso_year, week=week.week).select_related("submitted_by")
        .prefetch_related(Prefetch("entries", queryset=entries))}
    for v in villages:
        if v.pk in reports:
            reports[v.pk].village = v  # the template names stars by the village's kind
    rows = [{"village": v, "report": reports.get(v.pk)} for v in villages]
    return sorted(rows, key=lambda r: (r["report"] is not None, r["village"].code))


def week_summary(*, user, week: Week) -> list[dict]:
    """Per township in the user's regions: key villages, reported, not reported this week. Two
    queries whatever the number of townships."""
    from ratings.models import WeeklyReport

    townships = list(Region.objects.filter(scope_q(user), level=Level.TOWNSHIP).order_by("code"))
    villages = key_villages(Region.objects.filter(parent__in=townships), on=min(week.end, _today()))
    keys = list(villages.values_list("pk", "parent_id"))
    reported = set(WeeklyReport.objects.filter(village_id__in=[pk for pk, _ in keys], iso_year=week.iso_year,
                                               week=week.week).values_list("village_id", flat=True))
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for pk, township_id in keys:
        counts[township_id][0] += 1
        counts[township_id][1] += pk in reported
    return [{"township": t, "key": counts[t.pk][0], "reported": counts[t.pk][1],
             "missing": counts[t.pk][0] - counts[t.pk][1]} for t in townships]


def _today():
    from .services import weekly

    return weekly.today()
