"""Reads of results and ledgers shared by pages, the API and exports; always scoped."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from cadres.models import StarCode, star_label
from cadres.scope import scope_q, visible_regions
from config.models import JobRun
from villages.models import Level, Region

from .models import Inspection, MonthClose, Notice, StarScore, View, VillageScore

STAR_NAMES = {code: star_label(code, "rural") for code in StarCode.values}
URBAN_STAR_NAMES = {code: star_label(code, "urban") for code in StarCode.values}
REASONS = {"below_pass_mark": "得分未达到达标分", "weak_lax": "党组织被列为软弱涣散，尚未整顿验收"}


def star_names(kind: str) -> dict[str, str]:
    return URBAN_STAR_NAMES if kind == "urban" else STAR_NAMES


def latest_month_with_results(*, user, view: str) -> tuple[int, int] | None:
    row = (VillageScore.objects.filter(scope_q(user, "village__code"), view=view)
           .order_by("-year", "-month").values_list("year", "month").first())
    return tuple(row) if row else None


def resolve_month(request, *, user) -> tuple[int, int, str]:
    """Year, month and view from the query string, defaulting to the latest month with results."""
    view = request.GET.get("view") if request.GET.get("view") in (View.LIVE, View.PUBLISHED) else View.LIVE
    try:
        year, month = int(request.GET["year"]), int(request.GET["month"])
        if not 1 <= month <= 12 or not 2000 <= year <= 2100:
            raise ValueError
    except (KeyError, ValueError):
        latest = latest_month_with_results(user=user, view=view)
        today = timezone.localdate()
        year, month = latest or (today.year, today.month)
    return year, month, view


def ranking(*, user, year: int, month: int, view: str, kind: str, township: Region | None = None) -> QuerySet:
    # A result is in scope by the village's code or by the township it was ranked in, so a
    # village moved since then still shows in its old township's past months.
    rows = (VillageScore.objects.filter(scope_q(user, "village__code") | scope_q(user, "township__code"),
                                        year=year, month=month, view=view, village__kind=kind)
            .select_related("village", "village__parent"))
    if township is not None:
        return rows.filter(Q(township=township) | Q(township__isnull=True, village__parent=township)).order_by(
            "township_rank", "village__code")
    return rows.order_by("county_rank", "village__code")


def star_score_for_user(*, user, code: str, year: int, month: int, star: str, view: str) -> StarScore:
    village = Region.objects.filter(code=code).first()
    if village is None or not any(code.startswith(p) for p in visible_regions(user)):
        raise Http404("村（社区）不存在或不在您的权限范围内")
    score = StarScore.objects.filter(village=village, year=year, month=month, star=star, view=view).first()
    if score is None:
        raise Http404("该月暂无评分结果")
    return score


def is_published(county_code: str, year: int, month: int) -> bool:
    return MonthClose.objects.filter(county__code=county_code, year=year, month=month).exists()


def inspections_for(user):
    """Inspections a user may open: those of regions in scope, and their county's (where a
    township or village sees only its own villages' scores)."""
    condition = scope_q(user, "region__code")
    for prefix in {p[:6] for p in visible_regions(user) if len(p) >= 6}:
        condition |= Q(region__level=Level.COUNTY, region__code__startswith=prefix)
    return Inspection.objects.filter(condition)


def reason_words(reasons, names: dict[str, str]) -> list[str]:
    """Why a star was missed, as a person reads it: below the pass mark, a required indicator
    unmet, a veto fired, weak-and-lax (names: indicator code → name)."""
    words = []
    for reason in reasons or []:
        kind, _, code = reason.partition(":")
        if kind == "required_unmet":
            words.append(f"必达指标未达标：{names.get(code, '（已删除的指标）')}")
        elif kind == "veto":
            words.append(f"触发一票否决：{names.get(code, '（已删除的指标）')}")
        else:
            words.append(REASONS.get(reason, "其他原因"))
    return words


def job_run_list(*, user, filters: dict | None = None) -> QuerySet[JobRun]:
    """The background jobs a county's organisation department sees: its counties' runs and the
    runs over every county (their rows name no county), newest first."""
    filters = filters or {}
    runs = JobRun.objects.filter(scope_q(user, "county__code") | Q(county__isnull=True)).select_related("county")
    if filters.get("kind"):
        runs = runs.filter(kind=filters["kind"])
    if filters.get("state"):
        runs = runs.filter(state=filters["state"])
    return runs.order_by("-created_at", "-pk")


def job_notices(*, user, limit: int = 10) -> list[Notice]:
    """Unread notices of the counties in scope (background jobs that failed for good among them)."""
    return list(Notice.objects.filter(scope_q(user, "region__code"), region__level=Level.COUNTY, read=False)
                .select_related("region").order_by("-created_at", "-pk")[:limit])
