"""The economy demo step: deterministic, idempotent, consistent with the yearly-sum rule."""

import random

from django.db.models import Sum
from django.utils import timezone

from projects import demo, demo_economy
from projects.models import CollectiveIncome, CollectiveIncomeMonth, IncomeSource
from tests.factories import VillageFactory


def _snapshot():
    return (list(CollectiveIncomeMonth.objects.order_by("village__code", "year", "month")
                 .values_list("village__code", "year", "month", "total", "operating")),
            list(CollectiveIncome.objects.order_by("village__code", "year").values_list("village__code", "year", "total")))


def _run(county):
    demo.seed(rng=random.Random("projects.demo"), county=county)
    demo_economy.seed(rng=random.Random("projects.demo_economy"), county=county)


def test_demo_economy_is_idempotent_and_deterministic(county, township):
    for _ in range(5):
        VillageFactory(parent=township)
    _run(county)
    first = _snapshot()
    _run(county)
    assert _snapshot() == first
    CollectiveIncomeMonth.objects.all().delete()
    CollectiveIncome.objects.all().delete()
    _run(county)
    assert _snapshot() == first


def test_demo_years_are_the_sum_of_their_months(county, township):
    for _ in range(5):
        VillageFactory(parent=township)
    _run(county)
    year = timezone.localdate().year
    assert CollectiveIncomeMonth.objects.filter(year=year - 1).count() == 5 * 12
    assert CollectiveIncomeMonth.objects.filter(year=year).count() == 5 * (timezone.localdate().month - 1)
    for income in CollectiveIncome.objects.filter(source=IncomeSource.MONTHLY):
        sums = CollectiveIncomeMonth.objects.filter(village=income.village, year=income.year).aggregate(
            t=Sum("total"), o=Sum("operating"))
        assert (income.total, income.operating) == (sums["t"], sums["o"])
        assert income.operating <= income.total
    assert CollectiveIncome.objects.filter(year=year - 2, source=IncomeSource.YEARLY).count() == 5
