"""Data readiness (数据就绪): for a month, every source of records that feeds an indicator of the
year's published standards, with the villages that have data and those that have none, and the
page or import that feeds it.

A new county's villages score 0 on every indicator whose records were never entered: the branch
star cannot be earned without its 三会一课, the industry star without its income. This page tells
the county which sources to feed before its first close. "Has data" is asked of the metric
providers themselves (the engine's own reads), so the page and the scores cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import reverse

from villages.models import Kind, Level, Region

from .engine.types import NotApplicable
from .metrics import get_provider
from .models import Indicator, Source, StandardStatus


@dataclass(frozen=True)
class Feed:
    """Where a source is fed: a page or an import, named as its menu names it."""

    label: str
    url_name: str
    args: tuple = ()
    # Who may open it: "organisation" (the going-live imports), "editor" (those who enter
    # incomes), or everyone who sees the readiness page.
    who: str = ""

    def open_to(self, user) -> bool:
        from cadres.models import Role
        from cadres.scope import has_role
        from projects.access import is_editor

        if self.who == "organisation":
            return has_role(user, Role.ORGANISATION)
        if self.who == "editor":
            return is_editor(user)
        return True

    @property
    def url(self) -> str:
        return reverse(self.url_name, args=self.args)


@dataclass(frozen=True)
class SourceSpec:
    key: str
    name: str
    providers: tuple[str, ...]
    feeds: tuple[Feed, ...]
    note: str = ""


SOURCES: tuple[SourceSpec, ...] = (
    SourceSpec("life_meetings", "三会一课记录", ("organisational_life_meetings",), (
        Feed("组织生活登记", "branches:meeting_list"), Feed("组织生活记录导入（补录本年度）", "cadres:import_page", ("meetings",), who="organisation"))),
    SourceSpec("themed_days", "主题党日记录", ("themed_party_days",), (
        Feed("组织生活登记", "branches:meeting_list"), Feed("组织生活记录导入（补录本年度）", "cadres:import_page", ("meetings",), who="organisation"))),
    SourceSpec("first_secretaries", "第一书记及每日签到", ("first_secretary_days_present", "first_secretary_sign_in_compliance"), (
        Feed("第一书记导入", "cadres:import_page", ("first-secretaries",), who="organisation"), Feed("第一书记名册", "cadres:first_secretary_list")),
        note="未派驻第一书记的村按“不适用”计满分，不算缺数据；已派驻的须每日签到"),
    SourceSpec("incomes", "村集体经济收入", ("collective_income", "operating_income", "operating_income_growth"), (
        Feed("集体经济收入导入", "projects:income_import", who="editor"), Feed("集体经济收入", "projects:income_list"))),
    SourceSpec("cooperatives", "支部领办合作社", ("branch_led_cooperatives",), (
        Feed("合作社和“双绑”导入", "cadres:import_page", ("cooperatives",), who="organisation"),)),
    SourceSpec("bindings", "“双绑”利益联结", ("bindings",), (
        Feed("合作社和“双绑”导入", "cadres:import_page", ("cooperatives",), who="organisation"),)),
    SourceSpec("needs", "社区需求清单办结", ("community_needs_done",), ()),
)

# Sources that need no record to score well are left out: a branch not listed as weak-and-lax
# is simply not weak-and-lax.
NOT_A_GAP = {"weak_lax"}


@dataclass
class SourceRow:
    spec: SourceSpec
    indicators: list[str]
    total: int = 0
    with_data: list[Region] = field(default_factory=list)
    missing: list[Region] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        return not self.missing


def _has_value(periods, month: int) -> bool:
    for period, value in periods:
        if period > month or value is None or isinstance(value, NotApplicable):
            continue
        if value is True or (value is not False and value > 0):
            return True
    return False


def _not_applicable_all(periods, month: int) -> bool:
    return all(isinstance(v, NotApplicable) for p, v in periods if p <= month) if periods else True


def readiness(*, region: Region, year: int, month: int) -> list[SourceRow]:
    """The sources feeding the published standards of `year`, for the villages under `region`
    (a county or a township), as of `month`: one query for the indicators, one for the villages,
    one or two per provider."""
    villages = list(Region.objects.filter(level=Level.VILLAGE, is_active=True, code__startswith=region.prefix)
                    .select_related("parent").order_by("code"))
    used: dict[str, list[str]] = {}
    kinds: dict[str, set[str]] = {}
    for provider, name, kind in (Indicator.objects.filter(star__standard__year=year, source=Source.PROVIDER,
                                                          star__standard__status=StandardStatus.PUBLISHED)
                                 .order_by("star__standard__kind", "star__order", "order")
                                 .values_list("provider", "name", "star__standard__kind")):
        if name not in used.setdefault(provider, []):
            used[provider].append(name)
        kinds.setdefault(provider, set()).add(kind)
    rows = []
    ids = [v.pk for v in villages]
    for spec in SOURCES:
        indicators = [n for p in spec.providers for n in used.get(p, [])]
        if not indicators or spec.providers[0] in NOT_A_GAP:
            continue
        # Only the villages whose standard (rural or urban) has an indicator fed by the source.
        rated = {k for p in spec.providers for k in kinds.get(p, ())}
        scope = [v for v in villages if (v.kind or Kind.RURAL) in rated]
        answer = get_provider(spec.providers[0])(village_ids=ids, year=year, month=month) if ids else {}
        row = SourceRow(spec=spec, indicators=indicators)
        for village in scope:
            periods = answer.get(village.pk, [])
            if spec.key == "first_secretaries" and _not_applicable_all(periods, month):
                continue  # no first secretary served: not applicable, nothing to feed
            row.total += 1
            (row.with_data if _has_value(periods, month) else row.missing).append(village)
        rows.append(row)
    return rows


def readiness_gaps(*, region: Region, year: int, month: int) -> list[str]:
    """The sources with villages lacking data, in a sentence each (the pre-close check)."""
    return [f"{row.spec.name}：{len(row.missing)} 个村（社区）没有数据（共 {row.total} 个）"
            for row in readiness(region=region, year=year, month=month) if row.missing]
