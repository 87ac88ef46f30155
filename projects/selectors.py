"""Read queries for the collective-economy pages, the API and the metric providers.

Every function that takes a user filters by its scope (cadres.scope); `economy_overview` runs a
constant number of queries whatever the number of villages.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.db.models import QuerySet

from cadres.scope import scope_q
from villages.models import Region

from .figures import OPERATING, TOTAL, YearFigure, comparable, growth_rate, rounded
from .models import (
    Binding,
    CollectiveIncome,
    CollectiveIncomeMonth,
    Cooperative,
    IncomeBand,
    IncomeSource,
    Project,
    income_band,
)

TOP_PROJECTS = 10


def load_figures(*, village_ids: Iterable[int] | None, years: Iterable[int]) -> dict[int, dict[int, YearFigure]]:
    """{village_id: {year: YearFigure}} in two queries (`village_ids=None`: every village)."""
    years = list(years)
    # No ordering: the models' default one joins the regions to sort by code, for nothing here.
    rows = CollectiveIncome.objects.filter(year__in=years).order_by()
    months = CollectiveIncomeMonth.objects.filter(year__in=years).order_by()
    if village_ids is not None:
        village_ids = list(village_ids)
        rows = rows.filter(village_id__among=village_ids)
        months = months.filter(village_id__among=village_ids)
    figures: dict[int, dict[int, YearFigure]] = defaultdict(dict)
    for village_id, year, total, operating, source in rows.values_list("village_id", "year", "total", "operating", "source"):
        figures[village_id][year] = YearFigure(total=total, operating=operating, monthly=source == IncomeSource.MONTHLY)
    for village_id, year, month, total, operating in months.values_list("village_id", "year", "month", "total", "operating"):
        figure = figures[village_id].get(year)
        if figure is not None and figure.monthly:
            figure.months[month] = (total, operating)
    return figures


def projects_for(user) -> QuerySet[Project]:
    return Project.objects.filter(scope_q(user, "village__code")).select_related("village__parent")


def cooperatives_for(user) -> QuerySet[Cooperative]:
    return Cooperative.objects.filter(scope_q(user, "village__code")).select_related("village__parent")


def bindings_for(user) -> QuerySet[Binding]:
    return Binding.objects.filter(scope_q(user, "cooperative__village__code")).select_related(
        "cooperative__village__parent")


def incomes_for(user) -> QuerySet[CollectiveIncome]:
    return CollectiveIncome.objects.filter(scope_q(user, "village__code")).select_related(
        "village__parent", "created_by", "updated_by")


def income_months_for(user) -> QuerySet[CollectiveIncomeMonth]:
    return CollectiveIncomeMonth.objects.filter(scope_q(user, "village__code")).select_related(
        "village", "created_by", "updated_by")


def _stats(rates: list[Decimal]) -> dict:
    return {
        "comparable": len(rates),
        "median": rounded(statistics.median(rates)) if rates else None,
        "average": rounded(sum(rates) / len(rates)) if rates else None,
        "growing": sum(1 for r in rates if r > 0),
        "shrinking": sum(1 for r in rates if r < 0),
        "flat": sum(1 for r in rates if r == 0),
    }


def economy_overview(*, user, year: int) -> dict:
    """The collective economy of the user's villages in `year` against `year - 1`.

    1. villages in scope (one query) and their figures for both years (two);
    2. villages per income band, both years (a village without a figure is counted apart as
       "未填报", not as an empty shell);
    3. growth of the total per village where the years compare (projects.figures), with its
       median, average and the numbers growing and shrinking;
    4. per township: villages, entered, sums, the township's growth over comparable villages;
    5. the top projects by yearly income (one query).
    """
    villages = list(Region.objects.villages().filter(scope_q(user)).select_related("parent").order_by("code"))
    figures = load_figures(village_ids=[v.pk for v in villages], years=[year - 1, year])
    bands = {b: {"band": b.value, "label": b.label, "this": 0, "last": 0} for b in IncomeBand}
    missing = {"this": 0, "last": 0}
    rates: list[Decimal] = []
    operating_rates: list[Decimal] = []
    townships: dict[int, dict] = {}
    latest_month = None
    for village in villages:
        this, last = figures.get(village.pk, {}).get(year), figures.get(village.pk, {}).get(year - 1)
        for key, figure in (("this", this), ("last", last)):
            if figure is None:
                missing[key] += 1
            else:
                bands[income_band(figure.total)][key] += 1
        if this is not None and this.latest_month:
            latest_month = max(latest_month or 0, this.latest_month)
        rate = growth_rate(this, last, TOTAL)
        if rate is not None:
            rates.append(rate)
        operating_rate = growth_rate(this, last, OPERATING)
        if operating_rate is not None:
            operating_rates.append(operating_rate)
        row = townships.setdefault(village.parent_id, {
            "township": village.parent, "villages": 0, "entered": 0, "total_this": Decimal(0),
            "total_last": Decimal(0), "ten_plus": 0, "shells": 0, "_this": Decimal(0), "_last": Decimal(0),
            "growing": 0, "shrinking": 0,
        })
        row["villages"] += 1
        if this is not None:
            row["entered"] += 1
            row["total_this"] += this.total
            row["ten_plus"] += this.total >= 100_000
            row["shells"] += this.total <= 0
        if last is not None:
            row["total_last"] += last.total
        if rate is not None:
            # The township's growth sums the villages whose years compare, like with like.
            pair = comparable(this, last, TOTAL)
            row["_this"] += pair[0]
            row["_last"] += pair[1]
            row["growing"] += rate > 0
            row["shrinking"] += rate < 0
    for row in townships.values():
        row["growth"] = rounded((row["_this"] - row["_last"]) / row["_last"] * 100) if row["_last"] > 0 else None
        # Shown side by side: the same span of both years (同期), never a part-year next to a full year.
        row["same_this"], row["same_last"] = row.pop("_this"), row.pop("_last")
    top = list(Project.objects.filter(scope_q(user, "village__code")).select_related("village__parent")
               .order_by("-annual_income", "village__code", "pk")[:TOP_PROJECTS])
    partial = latest_month is not None and latest_month < 12
    return {
        "year": year, "last_year": year - 1, "village_count": len(villages), "latest_month": latest_month,
        "span": f"1–{latest_month}月" if partial else "全年",
        "bands": list(bands.values()), "missing": missing,
        "growth": _stats(rates), "operating_growth": _stats(operating_rates),
        "townships": sorted(townships.values(), key=lambda r: r["township"].code),
        "top_projects": top,
    }


def village_economy(*, village: Region, year: int) -> dict:
    """One village's economy: both years month by month, band, growth, projects, cooperatives."""
    figures = load_figures(village_ids=[village.pk], years=[year - 1, year]).get(village.pk, {})
    this, last = figures.get(year), figures.get(year - 1)
    months = [{"month": m,
               "this": this.months.get(m) if this else None,
               "last": last.months.get(m) if last else None} for m in range(1, 13)]
    return {
        "year": year, "last_year": year - 1, "this": this, "last": last, "months": months,
        "band_this": IncomeBand(income_band(this.total)).label if this else None,
        "band_last": IncomeBand(income_band(last.total)).label if last else None,
        "growth": rounded(growth_rate(this, last, TOTAL)),
        "operating_growth": rounded(growth_rate(this, last, OPERATING)),
        "projects": list(Project.objects.filter(village=village).order_by("-annual_income", "pk")),
        "cooperatives": list(Cooperative.objects.filter(village=village).prefetch_related("bindings").order_by("name")),
    }
