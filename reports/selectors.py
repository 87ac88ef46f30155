"""Set-based reads behind the dashboards and the village page.

Pages never compute scores: everything here reads VillageScore/StarScore rows the engine wrote,
plus aggregate counts over ledger entries. Each function issues a fixed number of queries,
independent of the number of villages (the county dashboard is asserted at ≤ 15 for 300).

Over 400 lines as one module on purpose: the county, township and village dashboards share the
period, scope and counting helpers at its top, and their query budgets (asserted per page) are
read together here. The bulletins' history is in selectors_bulletins.py, the trends in
selectors_trends.py.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q
from django.utils import timezone

from cadres.models import StarCode, region_kind, star_label
from cadres.scope import visible_regions
from ratings.campaign.models.checklist import OPEN_STATUSES
from ratings.detail import detail_rows
from ratings.models import (
    ChecklistItem,
    Indicator,
    ItemOrigin,
    LedgerEntry,
    Notice,
    StarScore,
    VillageScore,
)
from ratings.models.ledger import LedgerStatus
from ratings.models.standard import Frequency, Rule, Source, StandardStatus
from ratings.selectors import reason_words as rs_words
from ratings.selectors import star_names
from ratings.selectors_running import RunningSummary, month_state, running_states, running_summary
from villages.models import Level, Region

from .cache import cached_results, lazy

VIEW_LIVE = "live"
VIEW_PUBLISHED = "published"
VIEW_LABELS = {VIEW_LIVE: "实时", VIEW_PUBLISHED: "已发布"}
STAR_CODES = [code for code, _ in StarCode.choices]
STAR_NAMES = dict(StarCode.choices)
# The stars as a county counts them: each name once, for the kinds that earn it (支部过硬星 and
# 平安法治星 are earned by villages and communities alike; a community's 宜业兴业星 is never
# counted as 产业兴旺星).
STAR_NAME_KINDS: dict[str, tuple[str, ...]] = {}
for _kind in ("rural", "urban"):
    for _code in STAR_CODES:
        STAR_NAME_KINDS[star_label(_code, _kind)] = (*STAR_NAME_KINDS.get(star_label(_code, _kind), ()), _kind)


def star_name_counts() -> dict[str, int]:
    return dict.fromkeys(STAR_NAME_KINDS, 0)


def star_names_shown(has_urban: bool) -> list[str]:
    """The star names a county's table shows: the community names only where it has communities."""
    return [name for name, kinds in STAR_NAME_KINDS.items() if "rural" in kinds or has_urban]
# A star counts as "close" when its score is within this many points of the pass mark.
CLOSE_MARGIN = Decimal(10)
# Submitted entries older than this are overdue for review.
REVIEW_OVERDUE_DAYS = 5
MOVERS = 10


@dataclass(frozen=True)
class Period:
    year: int
    month: int
    view: str

    @property
    def view_label(self) -> str:
        return VIEW_LABELS[self.view]

    @property
    def previous(self) -> tuple[int, int]:
        return (self.year, self.month - 1) if self.month > 1 else (self.year - 1, 12)


def in_scope(user, region: Region) -> bool:
    return any(region.code.startswith(p) for p in visible_regions(user))


def resolve_period(region: Region, *, year: int | None, month: int | None, view: str | None) -> Period:
    """The month and view to show: as asked, else the latest month with results, published if any."""
    scores = VillageScore.objects.filter(village__code__startswith=region.prefix)
    if view not in VIEW_LABELS:
        view = None
    if year and month and 1 <= month <= 12:
        if view is None:
            view = VIEW_PUBLISHED if scores.filter(year=year, month=month, view=VIEW_PUBLISHED).exists() else VIEW_LIVE
        return Period(year, month, view)
    for candidate in ([view] if view else [VIEW_PUBLISHED, VIEW_LIVE]):
        latest = scores.filter(view=candidate).order_by("-year", "-month").values_list("year", "month").first()
        if latest:
            return Period(latest[0], latest[1], candidate)
    today = timezone.localdate()
    return Period(today.year, today.month, view or VIEW_LIVE)


def running_progress(region: Region, *, version: str | None = None,
                     today: dt.date | None = None) -> RunningSummary | None:
    """The running month of the region as of today: its villages by secured and attainable
    level (None when the running month has no live results yet). Cached per results version
    and day: the state moves with the date alone."""
    today = today or timezone.localdate()

    def build():
        states = running_states(year=today.year, month=today.month, prefix=region.prefix, today=today)
        return running_summary(states, year=today.year, month=today.month) if states else None

    if version is None:
        return build()
    return cached_results("running", region, version, (today.isoformat(),), build) or None


def is_running(period: Period, today: dt.date | None = None) -> bool:
    """The period is the running month's live view (its figures are today's, not the month's)."""
    return period.view == VIEW_LIVE and month_state(period.year, period.month, today) == "running"


def latest_periods(region: Region) -> list[Period]:
    """The last published month and the running (latest live) month, for the one-tap switch
    "10月已发布 · 11月实时" (one query)."""
    from django.db.models import F, Max

    latest = dict(VillageScore.objects.filter(village__code__startswith=region.prefix).values("view").order_by()
                  .annotate(key=Max(F("year") * 100 + F("month"))).values_list("view", "key"))
    return [Period(latest[view] // 100, latest[view] % 100, view)
            for view in (VIEW_PUBLISHED, VIEW_LIVE) if latest.get(view)]


def available_months(region: Region) -> list[tuple[int, int]]:
    return list(
        VillageScore.objects.filter(village__code__startswith=region.prefix)
        .values_list("year", "month").distinct().order_by("-year", "-month")[:36]
    )


@dataclass
class TownshipRow:
    township: Region
    villages: int = 0
    scored: int = 0
    total_sum: Decimal = Decimal(0)
    three_plus: int = 0
    star_counts: dict = field(default_factory=star_name_counts)
    scored_kinds: dict = field(default_factory=lambda: {"rural": 0, "urban": 0})
    star_columns: list = field(default_factory=lambda: star_names_shown(False))
    expected: int = 0
    entered: int = 0
    submitted: int = 0
    approved: int = 0
    backlog: int = 0

    @property
    def average(self) -> Decimal | None:
        # Half up, as every figure (the meeting-room screen reads the same average).
        return (self.total_sum / self.scored).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) \
            if self.scored else None

    @property
    def three_plus_share(self) -> float | None:
        return round(100 * self.three_plus / self.scored, 1) if self.scored else None

    def star_share(self, star: str) -> float | None:
        """The share of the villages of the kinds that can earn this star (a community star's
        share is of the communities scored, a rural one's of the rural villages)."""
        base = sum(self.scored_kinds[k] for k in STAR_NAME_KINDS[star])
        return round(100 * self.star_counts[star] / base, 1) if base else None

    @property
    def star_shares(self) -> list[tuple[str, float | None, str]]:
        # The alpha of the heat colour, kept light enough for the figure to stay readable.
        out = []
        for s in self.star_columns:
            share = self.star_share(s)
            out.append((s, share, f"{0.08 + 0.6 * (share or 0) / 100:.2f}"))
        return out

    def _pct(self, n: int) -> float | None:
        return round(100 * n / self.expected, 1) if self.expected else None

    @property
    def entered_pct(self):
        return self._pct(self.entered)

    @property
    def submitted_pct(self):
        return self._pct(self.submitted)

    @property
    def approved_pct(self):
        return self._pct(self.approved)


def _ledger_indicator_counts(year: int, month: int) -> dict[str, int]:
    """Ledger indicators due in the month per standard kind (rural/urban): one query.
    Counted as the ledger grid counts them: quarterly ones only in a quarter's last month, vetoes never."""
    rows = (
        Indicator.objects.filter(star__standard__year=year, star__standard__status=StandardStatus.PUBLISHED,
                                 source=Source.LEDGER,
                                 frequency__in=Frequency.due_in(month)).exclude(rule=Rule.VETO)
        .values("star__standard__kind").annotate(n=Count("id"))
    )
    return {r["star__standard__kind"]: r["n"] for r in rows}


def _ledger_counts(prefix: str, period: Period, group_len: int) -> dict[str, dict[str, int]]:
    """Entered/submitted/approved/backlog counts per region-code prefix: one aggregate query."""
    from django.db.models.functions import Substr

    from ratings.services.ledger import ledger_deadline

    overdue_before = timezone.now() - dt.timedelta(days=REVIEW_OVERDUE_DAYS)
    # Waiting for review longer than REVIEW_OVERDUE_DAYS; every entry still waiting once the month's
    # ledger deadline is that long past (a closed month's backlog is all overdue).
    month_overdue = ledger_deadline(period.year, period.month) < overdue_before
    overdue = Q(status=LedgerStatus.SUBMITTED) if month_overdue else Q(
        status=LedgerStatus.SUBMITTED, submitted_at__lt=overdue_before)
    live = ~Q(status=LedgerStatus.SUPERSEDED)
    done = [LedgerStatus.SUBMITTED, LedgerStatus.APPROVED]
    rows = (
        LedgerEntry.objects.filter(village__code__startswith=prefix, year=period.year, month=period.month)
        .annotate(group=Substr("village__code", 1, group_len)).values("group")
        .annotate(
            entered=Count("id", filter=live & (Q(value__isnull=False) | ~Q(text_value=""))),
            submitted=Count("id", filter=Q(status__in=done)),
            approved=Count("id", filter=Q(status=LedgerStatus.APPROVED)),
            backlog=Count("id", filter=Q(status=LedgerStatus.SUBMITTED)),
            overdue=Count("id", filter=overdue),
        )
    )
    return {r["group"]: r for r in rows}


def overdue_task_count(prefix: str) -> int:
    """Open task and problem items past their due date under a region-code prefix."""
    return ChecklistItem.objects.filter(village__code__startswith=prefix, due_date__lt=timezone.localdate()) \
        .filter(status__in=OPEN_STATUSES).count()


def overdue_items(prefix: str, *, limit: int = 10) -> dict:
    """The township's overdue items: counts per origin (one query) and the oldest few (one query)."""
    overdue = ChecklistItem.objects.filter(
        village__code__startswith=prefix, due_date__lt=timezone.localdate(), status__in=OPEN_STATUSES)
    counts = {r["origin"]: r["n"] for r in overdue.values("origin").annotate(n=Count("id"))}
    return {
        "gap": counts.get(ItemOrigin.GAP, 0),
        "inspection": counts.get(ItemOrigin.INSPECTION, 0),
        "total": sum(counts.values()),
        "oldest": list(overdue.select_related("village").order_by("due_date", "pk")[:limit]),
    }


def unread_notices(region: Region, *, limit: int = 10) -> list[Notice]:
    return list(Notice.objects.filter(region=region, read=False).order_by("-created_at", "-pk")[:limit])


def county_dashboard(county: Region, period: Period, *, version: str | None = None) -> dict:
    """Everything the county dashboard shows, in a fixed number of queries.

    With the results `version` (reports.cache), this and last month's stored results come
    from the cache; ledger counts and overdue items are live and always read."""
    townships = {t.code[:9]: TownshipRow(t) for t in Region.objects.filter(parent=county, level=Level.TOWNSHIP).order_by("code")}
    villages = list(Region.objects.filter(code__startswith=county.prefix, level=Level.VILLAGE, is_active=True)
                    .values_list("code", "kind"))
    indicator_counts = _ledger_indicator_counts(period.year, period.month)
    for code, kind in villages:
        row = townships.get(code[:9])
        if row:
            row.villages += 1
            row.expected += indicator_counts.get(kind, 0)
    fields = ("village_id", "village__code", "village__name", "village__kind", "star_level", "stars_earned",
              "total", "county_rank", "county_movement")
    py, pm = period.previous

    def stored() -> tuple[list, list]:
        current = list(VillageScore.objects.filter(
            village__code__startswith=county.prefix, year=period.year, month=period.month, view=period.view,
        ).values(*fields))
        previous = list(VillageScore.objects.filter(
            village__code__startswith=county.prefix, year=py, month=pm, view=period.view,
        ).values_list("star_level", "stars_earned", "village__kind"))
        return current, previous

    current, previous = stored() if version is None else cached_results(
        "county-scores-by-kind", county, version, (period.year, period.month, period.view), stored)

    levels = [0] * 6
    stars = star_name_counts()
    columns = star_names_shown(any(kind == "urban" for _, kind in villages))
    for row in townships.values():
        row.star_columns = columns
    for s in current:
        levels[s["star_level"]] += 1
        kind = region_kind(s["village__kind"])
        names = [star_label(code, kind) for code in s["stars_earned"] if code in STAR_NAMES]
        for name in names:
            stars[name] += 1
        row = townships.get(s["village__code"][:9])
        if row:
            row.scored += 1
            row.scored_kinds[kind] += 1
            row.total_sum += s["total"]
            row.three_plus += s["star_level"] >= 3
            for name in names:
                row.star_counts[name] += 1
    prev_levels = [0] * 6
    prev_stars = star_name_counts()
    for level, earned, kind in previous:
        prev_levels[level] += 1
        for code in earned:
            if code in STAR_NAMES:
                prev_stars[star_label(code, kind)] += 1

    overdue_reviews = 0
    for group, counts in _ledger_counts(county.prefix, period, 9).items():
        row = townships.get(group)
        if row:
            row.entered, row.submitted = counts["entered"], counts["submitted"]
            row.approved, row.backlog = counts["approved"], counts["backlog"]
        overdue_reviews += counts["overdue"]

    moved = [s for s in current if s["county_movement"]]
    return {
        "levels": [{"level": i, "count": levels[i], "previous": prev_levels[i], "change": levels[i] - prev_levels[i]}
                   for i in range(6)],
        "stars": [{"name": name, "count": stars[name], "previous": prev_stars[name],
                   "change": stars[name] - prev_stars[name]} for name in columns],
        "has_previous": bool(previous),
        "scored": len(current),
        "townships": sorted(townships.values(), key=lambda r: (r.average is None, -(r.average or 0), r.township.code)),
        "movers_up": sorted((s for s in moved if s["county_movement"] > 0), key=lambda s: -s["county_movement"])[:MOVERS],
        "movers_down": sorted((s for s in moved if s["county_movement"] < 0), key=lambda s: s["county_movement"])[:MOVERS],
        "overdue_reviews": overdue_reviews,
        "overdue_tasks": overdue_task_count(county.prefix),
    }


def township_ranking(township: Region, period: Period) -> dict:
    """The township's stored results: rural and urban rows with each star's state."""
    # The villages ranked in this township that month (stored with each result), so a village
    # moved or a township merged since then leaves the past month as it was.
    scores = list(VillageScore.objects.filter(
        Q(township=township) | Q(township__isnull=True, village__code__startswith=township.prefix),
        year=period.year, month=period.month, view=period.view,
    ).select_related("village").order_by("township_rank", "village__code"))
    star_rows = StarScore.objects.filter(
        village_id__in=[s.village_id for s in scores], year=period.year, month=period.month, view=period.view,
    ).values_list("village_id", "star", "score", "pass_mark", "earned")
    matrix: dict[int, dict[str, str]] = defaultdict(dict)
    for village_id, star, score, pass_mark, earned in star_rows:
        matrix[village_id][star] = "earned" if earned else ("close" if score >= pass_mark - CLOSE_MARGIN else "far")
    rows = [{"score": s, "cells": [(c, matrix[s.village_id].get(c, "")) for c in STAR_CODES]} for s in scores]
    return {"rural": [r for r in rows if r["score"].village.kind != "urban"],
            "urban": [r for r in rows if r["score"].village.kind == "urban"]}


def township_dashboard(township: Region, period: Period, *, version: str | None = None) -> dict:
    """The township dashboard. With the results `version`, the ranking is read only when the
    page's cached fragment of it has expired (lazily, from the cache when it has it); ledger
    counts, overdue items and notices are live."""
    if version is None:
        ranking = township_ranking(township, period)
    else:
        ranking = lazy(lambda: cached_results("township-ranking", township, version,
                                              (period.year, period.month, period.view),
                                              lambda: township_ranking(township, period)))
    indicator_counts = _ledger_indicator_counts(period.year, period.month)
    village_kinds = Region.objects.filter(code__startswith=township.prefix, level=Level.VILLAGE, is_active=True) \
        .values_list("kind", flat=True)
    expected = sum(indicator_counts.get(k, 0) for k in village_kinds)
    counts = _ledger_counts(township.prefix, period, 9).get(township.code[:9], {})
    ledger = TownshipRow(township, expected=expected, entered=counts.get("entered", 0),
                         submitted=counts.get("submitted", 0), approved=counts.get("approved", 0),
                         backlog=counts.get("backlog", 0))
    return {
        "rural": lazy(lambda: ranking["rural"]),
        "urban": lazy(lambda: ranking["urban"]),
        "ledger": ledger,
        "overdue_reviews": counts.get("overdue", 0),
        "overdue": overdue_items(township.prefix),
        "notices": unread_notices(township),
    }


def village_page(village: Region, period: Period) -> dict:
    score = VillageScore.objects.filter(village=village, year=period.year, month=period.month, view=period.view).first()
    star_scores = list(StarScore.objects.filter(
        village=village, year=period.year, month=period.month, view=period.view).order_by("star"))
    order = {c: i for i, c in enumerate(STAR_CODES)}
    star_scores.sort(key=lambda s: order.get(s.star, 99))
    trend = list(VillageScore.objects.filter(village=village, view=period.view).order_by("year", "month")
                 .values("year", "month", "total", "star_level", "township_rank", "county_rank")[:36])
    target = village.targets.filter(year=period.year).first()
    # The engine stores codes only (kept small); names and rules come from the standard in one query.
    indicators = {code: (name, rule, unit or ("%" if value_type == "percent" else ""), value_type)
                  for code, name, rule, unit, value_type in Indicator.objects.filter(
        star__standard=score.standard_id).values_list("code", "name", "rule", "unit", "value_type")} if score else {}
    names = {code: row[0] for code, row in indicators.items()}
    gaps = []
    # A target reached leaves nothing "still missing" for it.
    target_reached = bool(target and score and score.star_level >= target.level)
    for s in star_scores:
        s.reason_text = "；".join(rs_words(s.reasons, names))
        if s.earned or target_reached:
            continue
        if target and target.target_stars and s.star not in target.target_stars:
            continue
        rows = detail_rows(s.indicators)
        missing = [i for i in rows if not i.get("met", True) or i.get("code") in (s.unmet or [])]
        for i in missing:
            name, _rule, unit, value_type = indicators.get(i.get("code"), ("（已删除的指标）", "", "", ""))
            i.setdefault("name", name)
            i["unit"], i["value_type"] = unit, value_type
        gaps.append({"star": s, "items": missing})
    for s in star_scores:
        s.percent = min(100, int(s.score * 100 / s.pass_mark)) if s.pass_mark else 0
        s.star_name = star_names(village.kind).get(s.star, s.star)
    running = _village_running(village, period, star_scores, indicators, gaps) if score else None
    return {"score": score, "star_scores": star_scores, "trend": trend, "target": target, "gaps": gaps,
            "target_reached": target_reached, "running": running,
            "county_size": VillageScore.objects.filter(
                village__code__startswith=village.code[:6], year=period.year, month=period.month,
                view=period.view).count() if score else 0}


def _village_running(village: Region, period: Period, star_scores: list, indicators: dict, gaps: list) -> dict | None:
    """The village's running month (only when the page shows it): the level secured today and
    the level within reach, each star's state, and the pending indicators by name."""
    if not is_running(period):
        return None
    state = running_states(year=period.year, month=period.month, village_ids=[village.pk]).get(village.pk)
    if state is None:
        return None
    pending = []
    for s in star_scores:
        s.running = state.stars.get(s.star)
        if s.running is None:
            continue
        values = {row.get("code"): row.get("value") for row in detail_rows(s.indicators)}
        for i in s.running.indicators:
            if i.state != "pending":
                continue
            name, _rule, unit, value_type = indicators.get(i.code, (i.code, "", "", ""))
            pending.append({"star_name": s.star_name, "name": name, "unit": unit, "value_type": value_type,
                            "value": values.get(i.code), "needed": i.needed, "behind": i.behind,
                            "points": i.attainable})
    states = {(s.star, i.code): i for s in star_scores if getattr(s, "running", None) for i in s.running.indicators}
    for g in gaps:
        for item in g["items"]:
            found = states.get((g["star"].star, item.get("code")))
            item["pending"] = bool(found and found.state == "pending")
            item["behind"] = bool(found and found.behind)
    return {"secured": state.secured_level, "attainable": state.attainable_level, "pending": pending}
