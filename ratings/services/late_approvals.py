"""Late approvals: entries of a closed month approved after its close, and what they would change.

A closed month's published figures rest on the entries approved by its close
(services/approved_by.py). An entry approved later changes the live view only; the county
organisation department sees it listed with the effect it would have had on the published
month (the village's stars and level), and applies it by reopening the month and closing it
again. Before a month is closed, the entries still waiting for review are counted per star, so
the department knows what the close will leave out and which lead department has not finished.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, OuterRef, QuerySet, Subquery

from cadres.models import Post, Role
from villages.models import Region

from ..engine import evaluate_many, round2
from ..models import LedgerEntry, LedgerStatus, MonthClose, Star, View
from .approved_by import approved_by, in_force_q
from .scoring_inputs import gather, load_standards


def _unreviewed(county: Region, year: int, month: int) -> dict[tuple[str, str], int]:
    """{(star code, standard kind): entries of the month submitted and not yet reviewed} (one query)."""
    rows = (LedgerEntry.objects.filter(village__code__startswith=county.prefix, year=year, month=month,
                                       status=LedgerStatus.SUBMITTED)
            .values_list("indicator__star__code", "indicator__star__standard__kind").annotate(n=Count("id"))
            .order_by())
    return {(code, kind): n for code, kind, n in rows}


def unreviewed_by_star(*, county: Region, year: int, month: int) -> dict[str, int]:
    """{star code: entries of the month still waiting for review} in the county (one query)."""
    counts: dict[str, int] = defaultdict(int)
    for (code, _), n in _unreviewed(county, year, month).items():
        counts[code] += n
    return dict(counts)


@dataclass(frozen=True)
class Unreviewed:
    star: str
    star_names: str  # the star's names where entries wait: 产业兴旺星, or 产业兴旺星 / 宜业兴业星
    departments: str  # the lead departments' names, or "" when no post names one
    count: int


def unreviewed_summary(*, county: Region, year: int, month: int) -> list[Unreviewed]:
    """The entries of the month still waiting for review, per star and its lead department (one
    star code, one lead department, for villages and communities alike), in the standard's star
    order (three queries)."""
    waiting = _unreviewed(county, year, month)
    if not waiting:
        return []
    counts: dict[str, int] = defaultdict(int)
    for (code, _), n in waiting.items():
        counts[code] += n
    names: dict[str, list[str]] = defaultdict(list)
    order: dict[str, int] = {}
    for code, kind, name, position in (Star.objects.filter(standard__year=year, code__in=counts)
                                       .order_by("standard__kind", "order")
                                       .values_list("code", "standard__kind", "name", "order")):
        if (code, kind) in waiting and name not in names[code]:
            names[code].append(name)
        order.setdefault(code, position)
    departments: dict[str, list[str]] = defaultdict(list)
    for star, department, full_name in (Post.objects.active().filter(role=Role.LEAD_DEPARTMENT, region=county,
                                                                     star__in=counts)
                                        .order_by("star", "pk").values_list("star", "department", "user__full_name")):
        label = department or full_name
        if label and label not in departments[star]:
            departments[star].append(label)
    return [Unreviewed(code, " / ".join(names.get(code) or [code]), "、".join(departments.get(code, [])), n)
            for code, n in sorted(counts.items(), key=lambda item: (order.get(item[0], 99), item[0]))]


def late_approvals(*, county: Region) -> QuerySet[LedgerEntry]:
    """The county's entries of a closed month approved after its close (and still in force),
    oldest month first, each annotated with its month's `closed_at`."""
    close = MonthClose.objects.filter(county=county, year=OuterRef("year"), month=OuterRef("month"))
    return (LedgerEntry.objects.filter(village__code__startswith=county.prefix, status=LedgerStatus.APPROVED,
                                       reviewed_at__isnull=False)
            .annotate(closed_at=Subquery(close.values("closed_at")[:1]))
            .filter(closed_at__isnull=False, reviewed_at__gt=F("closed_at"))
            .select_related("village", "village__parent", "indicator", "indicator__star", "reviewed_by",
                            "supersedes")
            .order_by("year", "month", "village__code", "indicator__order", "pk"))


def late_approval_months(*, county: Region) -> list[dict]:
    """[{year, month, closed_at, entries, villages}] of the months holding late approvals (one query)."""
    return list(late_approvals(county=county).order_by().values("year", "month", "closed_at")
                .annotate(entries=Count("id"), villages=Count("village", distinct=True))
                .order_by("year", "month"))


@dataclass(frozen=True)
class StarChange:
    code: str
    score_before: Decimal
    score_after: Decimal
    earned_before: bool
    earned_after: bool

    @property
    def changed(self) -> bool:
        return self.score_before != self.score_after or self.earned_before != self.earned_after


@dataclass(frozen=True)
class Effect:
    """What one late approval would have changed in its village's published month."""

    level_before: int
    level_after: int
    stars: tuple[StarChange, ...]  # the entry's own star first, then any other that changes

    @property
    def changed(self) -> bool:
        return self.level_before != self.level_after or any(s.changed for s in self.stars)


def late_approval_effects(*, county: Region, entries: list[LedgerEntry]) -> dict[int, Effect]:
    """{entry id: effect} of these late approvals, each on its own: the month computed in memory
    on the entries its close took in, once as it is and once with the entry in force (the value
    of its month replaced, as a correction replaces the one it supersedes).

    Per month of the entries: the inputs of their villages gathered once (as `recompute --check`
    does), one query for the raw entries of the indicators concerned, then the pure engine. A
    constant number of queries however many entries a page lists."""
    by_month: dict[tuple[int, int], list[LedgerEntry]] = defaultdict(list)
    for entry in entries:
        by_month[entry.year, entry.month].append(entry)
    effects: dict[int, Effect] = {}
    for (year, month), group in sorted(by_month.items()):
        standards = load_standards(year)
        if standards:
            effects.update(_month_effects(county, year, month, group, standards))
    return effects


def _month_effects(county: Region, year: int, month: int, entries: list[LedgerEntry], standards) -> dict[int, Effect]:
    cutoffs = approved_by(county, year, month)
    village_ids = sorted({e.village_id for e in entries})
    villages = list(Region.objects.filter(pk__in=village_ids).only("id", "code", "kind", "parent_id"))
    inputs = {v.village_id: (kind, v) for kind, rows in gather(
        villages=villages, village_ids=village_ids, prefix=None, year=year, month=month, view=View.PUBLISHED,
        standards=standards, year_to_date=False, approved_by=cutoffs).items() for v in rows}
    periods: dict[tuple[int, int], dict[int, Decimal]] = defaultdict(dict)
    for village_id, indicator_id, entry_month, value in LedgerEntry.objects.filter(
            in_force_q(cutoffs), village_id__in=village_ids, indicator_id__in={e.indicator_id for e in entries},
            year=year, month__lte=month, value__isnull=False).values_list(
            "village_id", "indicator_id", "month", "value").order_by():
        periods[village_id, indicator_id][entry_month] = value
    effects = {}
    for entry in entries:
        kind, base = inputs.get(entry.village_id, (None, None))
        loaded = standards.get(kind)
        if base is None or loaded is None or entry.indicator.code not in loaded.indicators:
            continue
        kept = dict(periods.get((entry.village_id, entry.indicator_id), {}))
        if entry.value is None:
            kept.pop(entry.month, None)
        else:
            kept[entry.month] = entry.value
        values = {code: p for code, p in base.values.items() if code != entry.indicator.code}
        if kept:
            values[entry.indicator.code] = sorted(kept.items())
        # A village id of its own for the changed input: the engine returns results by id.
        changed = dataclasses.replace(base, village_id=-entry.pk, values=values)
        results = {r.village_id: r for r in evaluate_many(loaded.spec, [base, changed], month)}
        effects[entry.pk] = _effect(results[base.village_id], results[changed.village_id], entry.indicator.star.code)
    return effects


def _effect(before, after, own_star: str) -> Effect:
    stars = []
    for star_before, star_after in zip(before.stars, after.stars, strict=True):
        change = StarChange(star_before.code, round2(star_before.score), round2(star_after.score),
                            star_before.earned, star_after.earned)
        if star_before.code == own_star:
            stars.insert(0, change)
        elif change.changed:
            stars.append(change)
    return Effect(before.star_level, after.star_level, tuple(stars))
