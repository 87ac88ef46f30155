"""Metric providers from the collective economy (one query each, whatever the scope).

A yearly figure is reported as period 1 of the year, so `latest` aggregation sees it from
January on: the figure of the year when the township has entered it, otherwise last year's
(the latest complete year is what is known at the start of a year).
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Q

from ratings.metrics import metric_provider

from .models import Binding, CollectiveIncome, Cooperative


def _incomes(village_ids, year):
    rows = CollectiveIncome.objects.filter(year__in=[year - 2, year - 1, year])
    if village_ids is not None:
        rows = rows.filter(village_id__in=village_ids)
    by_village: dict[int, dict[int, tuple[Decimal, Decimal]]] = defaultdict(dict)
    for village_id, y, total, operating in rows.values_list("village_id", "year", "total", "operating"):
        by_village[village_id][y] = (total, operating)
    return by_village


def _figure(years: dict, year: int) -> tuple[int, tuple[Decimal, Decimal]] | None:
    for y in (year, year - 1):
        if y in years:
            return y, years[y]
    return None


@metric_provider("collective_income", "村集体经济年收入", "元")
def collective_income(*, village_ids, year, month):
    return {v: [(1, f[1][0])] for v, years in _incomes(village_ids, year).items() if (f := _figure(years, year))}


@metric_provider("operating_income", "村集体经营性收入", "元")
def operating_income(*, village_ids, year, month):
    return {v: [(1, f[1][1])] for v, years in _incomes(village_ids, year).items() if (f := _figure(years, year))}


@metric_provider("operating_income_growth", "集体经营性收入增长率", "%")
def operating_income_growth(*, village_ids, year, month):
    result = {}
    for village_id, years in _incomes(village_ids, year).items():
        found = _figure(years, year)
        if not found or found[0] - 1 not in years:
            continue
        previous = years[found[0] - 1][1]
        if previous > 0:
            result[village_id] = [(1, (found[1][1] - previous) / previous * 100)]
    return result


@metric_provider("branch_led_cooperatives", "党支部领办合作社数", "个")
def branch_led_cooperatives(*, village_ids, year, month):
    rows = Cooperative.objects.filter(led_by_branch=True)
    if village_ids is not None:
        rows = rows.filter(village_id__in=village_ids)
    return {v: [(1, Decimal(n))] for v, n in rows.values("village_id").annotate(n=Count("id")).values_list("village_id", "n")}


@metric_provider("bindings", "“双绑”联结数", "个")
def bindings(*, village_ids, year, month):
    rows = Binding.objects.all()
    if village_ids is not None:
        rows = rows.filter(cooperative__village_id__in=village_ids)
    counted = rows.values("cooperative__village_id").annotate(n=Count("id", filter=Q(farmers_bound__gt=0)))
    return {v: [(1, Decimal(n))] for v, n in counted.values_list("cooperative__village_id", "n")}
