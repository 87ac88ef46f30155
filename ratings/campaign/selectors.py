"""Reads of the campaign's plans: the four lists of a village (四个清单) and a township's plan
(一乡一方案) as computed now, which a saved version freezes."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.db.models import Q
from django.utils import timezone

from cadres.models import Assignment, Duty, StarCode, star_label
from ratings.models import (
    ChecklistItem,
    Indicator,
    ItemOrigin,
    StarScore,
    TargetLevel,
    TargetLevelChange,
    TownshipPlan,
    VillageScore,
)
from villages.models import Level, Region

from .models.checklist import OPEN_STATUSES
from .services.checklist import stars_aimed_at

# A target of level 0 is a target (the village aims at no star this year), not a missing one.
LEVEL_LABELS = {5: "五星", 4: "四星", 3: "三星", 2: "二星", 1: "一星", 0: "暂不创星"}


def _aimed(village: Region, year: int, target: TargetLevel | None) -> list[str]:
    if target is None:
        return []
    latest = VillageScore.objects.filter(village=village, year=year, view="live").order_by("-month").first()
    scores = {}
    if latest:
        scores = {s.star: s for s in StarScore.objects.filter(village=village, year=year, month=latest.month,
                                                              view="live")}
    return stars_aimed_at(target, scores)


def _owner(item: ChecklistItem) -> str:
    if item.owner_id:
        return item.owner.display_name
    return item.owner_text


def four_lists(*, village: Region, year: int, on: dt.date) -> dict:
    """标准清单 (the standard by star, this year's target marked), 任务清单 (open gap and
    measure items), 责任清单 (the village's responsibility group and contacts, and who answers
    for each task), 重点问题清单 (open problem-ledger items). A fixed number of queries."""
    target = TargetLevel.objects.filter(village=village, year=year).first()
    aimed = _aimed(village, year, target)
    kind = "urban" if village.kind == "urban" else "rural"
    indicators = list(Indicator.objects.filter(star__standard__year=year, star__standard__kind=kind,
                                               star__standard__status="published")
                      .select_related("star").order_by("star__order", "order", "code"))
    standard = []
    for ind in indicators:
        if not standard or standard[-1]["code"] != ind.star.code:
            standard.append({"code": ind.star.code, "name": ind.star.name, "pass_mark": ind.star.pass_mark,
                             "aimed": ind.star.code in aimed, "indicators": []})
        standard[-1]["indicators"].append(ind)
    items = list(ChecklistItem.objects.filter(village=village, year=year, status__in=OPEN_STATUSES)
                 .select_related("owner").order_by("star", "due_date", "pk"))
    tasks = [i for i in items if i.origin in (ItemOrigin.GAP, ItemOrigin.MEASURE)]
    problems = [i for i in items if i.origin == ItemOrigin.INSPECTION]
    people = list(Assignment.objects.filter(region_id__in=[village.pk, village.parent_id], year=year)
                  .active_on(on).order_by("duty", "person_name"))
    group_leader = next((a for a in people if a.duty == Duty.GROUP_LEADER), None)
    answers = [{"item": i, "owner": _owner(i) or (group_leader.person_name if group_leader else "")} for i in items]
    return {"village": village, "year": year, "on": on, "target": target, "aimed": aimed,
            "aimed_labels": [star_label(c, village) for c in aimed if c in StarCode.values], "standard": standard,
            "tasks": tasks, "problems": problems, "people": people, "answers": answers}


def _day_end(on: dt.date) -> dt.datetime:
    """The first moment after `on` (local time): what was recorded before it was true that day."""
    return timezone.make_aware(dt.datetime.combine(on + dt.timedelta(days=1), dt.time.min))


def targets_on(*, village_ids, year: int, on: dt.date) -> list[TargetLevel]:
    """The targets in force on a day, one per village (unsaved TargetLevel rows for past days).

    Today: the TargetLevel rows themselves. A past day: the latest TargetLevelChange at or before
    it; a village whose target has no history at all (written around the services) counts from
    its set_at. Two queries whatever the number of villages."""
    current = list(TargetLevel.objects.filter(village_id__in=village_ids, year=year))
    if on >= timezone.localdate():
        return current
    end = _day_end(on)
    history: dict[int, list[TargetLevelChange]] = {}
    for change in TargetLevelChange.objects.filter(village_id__in=village_ids, year=year).order_by("at", "id"):
        history.setdefault(change.village_id, []).append(change)
    targets = []
    for target in current:
        if target.village_id not in history and target.set_at < end:
            targets.append(target)
    for village_id, changes in history.items():
        in_force = [c for c in changes if c.at < end]
        if in_force:
            c = in_force[-1]
            targets.append(TargetLevel(village_id=village_id, year=year, level=c.level,
                                       target_stars=list(c.target_stars or []), proposed=c.proposed, set_at=c.at))
    return targets


def open_items_on(*, village_ids, year: int, on: dt.date):
    """Task and problem items open on a day: today by their status; a past day, those created by
    then and not closed by then (an item closed without a date counts as closed all along)."""
    items = ChecklistItem.objects.filter(village_id__in=village_ids, year=year)
    if on >= timezone.localdate():
        return items.filter(status__in=OPEN_STATUSES)
    end = _day_end(on)
    return items.filter(created_at__lt=end).filter(
        Q(closed_at__isnull=True, status__in=OPEN_STATUSES) | Q(closed_at__gte=end))


def _score_month_cap(year: int, on: dt.date) -> int:
    """The last month whose live scores a plan as of `on` may use (0: none yet)."""
    return 0 if on.year < year else 12 if on.year > year else on.month


def township_plan_data(*, township: Region, year: int, on: dt.date) -> dict:
    """The township's plan as it stood on a day: targets by level, candidates (四星、五星备选村),
    one list per star of the villages aiming at it with their open tasks, and the leaders'
    assignments; each read dated (targets from their history, tasks by created/closed dates,
    scores up to that month, assignments active that day). Plain values only (it is stored as a
    version's JSON); a fixed number of queries."""
    villages = {v.pk: v for v in Region.objects.filter(parent=township, level=Level.VILLAGE, is_active=True)}
    targets = sorted(targets_on(village_ids=list(villages), year=year, on=on),
                     key=lambda t: (-t.level, villages[t.village_id].code))
    levels = Counter(t.level for t in targets)
    open_counts = Counter((i["village_id"], i["star"]) for i in open_items_on(
        village_ids=list(villages), year=year, on=on).values("village_id", "star"))
    latest = VillageScore.objects.filter(village_id__in=villages, year=year, view="live",
                                         month__lte=_score_month_cap(year, on)).order_by("-month").first()
    scores: dict[int, dict] = {}
    if latest:
        for s in StarScore.objects.filter(village_id__in=villages, year=year, month=latest.month, view="live"):
            scores.setdefault(s.village_id, {})[s.star] = s
    # 一星一清单 by the star's name in each village's variant: a community is listed under
    # 宜业兴业星, never under 产业兴旺星 (stars named alike in both variants share one list).
    per_star: dict[str, dict] = {}
    for kind in ("rural", "urban"):
        for code in StarCode.values:
            per_star.setdefault(star_label(code, kind), {"code": code, "name": star_label(code, kind),
                                                         "villages": []})
    for t in targets:
        village = villages[t.village_id]
        for code in stars_aimed_at(t, scores.get(t.village_id, {})):
            if code in StarCode.values:
                per_star[star_label(code, village)]["villages"].append(
                    {"village": village.name, "open_tasks": open_counts[(t.village_id, code)]})
    has_urban = any(v.kind == "urban" for v in villages.values())
    rural_names = {star_label(c) for c in StarCode.values}
    stars = [s for s in per_star.values() if s["name"] in rural_names or has_urban]
    assignments = Assignment.objects.filter(year=year).active_on(on).filter(
        region_id__in=[township.pk, *villages]).select_related("region").order_by("region__code", "duty")
    leaders = [{"region": a.region.name, "duty": a.get_duty_display(), "person": a.person_name,
                "title": a.person_title} for a in assignments if a.duty in (Duty.CONTACT, Duty.GROUP_LEADER)]
    return {
        "township": township.name, "year": year, "as_of": on.isoformat(),
        "villages": len(villages), "targeted": len(targets), "untargeted": len(villages) - len(targets),
        "levels": [{"level": lv, "label": LEVEL_LABELS[lv], "count": levels.get(lv, 0)} for lv in range(5, -1, -1)],
        "candidates": [{"village": villages[t.village_id].name, "level": t.level, "label": LEVEL_LABELS[t.level]}
                       for t in targets if t.level >= 4],
        "stars": stars,
        "leaders": leaders,
    }


def township_plan_as_of(*, township: Region, year: int, on: dt.date) -> TownshipPlan | None:
    """The version in force on a day: the latest saved on or before it."""
    return (TownshipPlan.objects.filter(township=township, year=year, as_of__lte=on)
            .order_by("-as_of", "-id").first())


def star_lead_department(*, year: int, kind: str, code: str) -> str:
    """The lead department the year's published standard of that kind names for the star (a new
    task force starts from it: cadres.services_taskforce.LEAD_DEPARTMENT_SOURCES)."""
    from ratings.models import Star

    star = Star.objects.filter(standard__year=year, standard__kind=kind, standard__status="published",
                               code=code).first()
    return star.lead_department if star else ""
