"""The collective-economy metric providers: yearly figures as before, monthly entries counted
where they make sense, constant queries."""

from decimal import Decimal as D

from django.db import connection
from django.test.utils import CaptureQueriesContext

from projects.models import Binding, Cooperative
from projects.services import income_month_save, income_year_save
from ratings.engine.aggregate import aggregate
from ratings.metrics import get_provider
from ratings.providers.collective_economy import collective_income, operating_income, operating_income_growth
from tests.factories import VillageFactory


def _months(village, year, amounts, by, operating_share=D("0.5")):
    for month, amount in amounts.items():
        income_month_save(village=village, year=year, month=month, total=D(amount),
                          operating=D(amount) * operating_share, by=by)


def test_providers_are_registered():
    for name in ("collective_income", "operating_income", "operating_income_growth", "branch_led_cooperatives",
                 "bindings"):
        assert get_provider(name).name == name


def test_a_whole_year_counts_from_january_and_last_year_until_then(village, other_village, township_clerk):
    income_year_save(village=village, year=2025, total=D(100000), operating=D(40000), by=township_clerk)
    income_year_save(village=village, year=2026, total=D(150000), operating=D(60000), by=township_clerk)
    income_year_save(village=other_village, year=2025, total=D(80000), operating=D(20000), by=township_clerk)
    ids = [village.pk, other_village.pk]
    assert collective_income(village_ids=ids, year=2026, month=3) == {village.pk: [(1, D(150000))],
                                                                      other_village.pk: [(1, D(80000))]}
    assert operating_income(village_ids=ids, year=2026, month=3)[village.pk] == [(1, D(60000))]
    assert operating_income_growth(village_ids=ids, year=2026, month=3) == {village.pk: [(1, D(50))]}


def test_a_running_monthly_year_keeps_last_years_amount_until_complete(village, township_clerk):
    income_year_save(village=village, year=2025, total=D(120000), operating=D(60000), by=township_clerk)
    _months(village, 2026, {m: 11000 for m in range(1, 4)}, township_clerk)
    periods = collective_income(village_ids=[village.pk], year=2026, month=3)[village.pk]
    assert periods == [(1, D(120000))]
    assert aggregate(periods, "latest", 3) == D(120000)
    _months(village, 2026, {m: 11000 for m in range(4, 13)}, township_clerk)
    periods = collective_income(village_ids=[village.pk], year=2026, month=12)[village.pk]
    assert aggregate(periods, "latest", 11) == D(120000)
    assert aggregate(periods, "latest", 12) == D(132000)


def test_growth_counts_monthly_entries_against_the_same_months(village, township_clerk):
    income_year_save(village=village, year=2024, total=D(100000), operating=D(50000), by=township_clerk)
    _months(village, 2025, {m: 10000 for m in range(1, 13)}, township_clerk)  # 120,000: +20% on operating too
    # Before this year's first month, last year's growth over the year before counts.
    assert operating_income_growth(village_ids=[village.pk], year=2026, month=12) == {village.pk: [(1, D(20))]}
    _months(village, 2026, {1: 11000, 2: 12000}, township_clerk)
    periods = operating_income_growth(village_ids=[village.pk], year=2026, month=12)[village.pk]
    assert aggregate(periods, "latest", 1) == D(10)  # January: 11,000 against 10,000
    assert aggregate(periods, "latest", 2) == D(15)  # January-February: 23,000 against 20,000
    # Scoring February does not see a later month.
    _months(village, 2026, {3: 1000}, township_clerk)
    periods = operating_income_growth(village_ids=[village.pk], year=2026, month=2)[village.pk]
    assert aggregate(periods, "latest", 2) == D(15)


def test_no_growth_from_a_running_year_against_a_whole_year(village, township_clerk):
    income_year_save(village=village, year=2025, total=D(120000), operating=D(60000), by=township_clerk)
    _months(village, 2026, {1: 11000}, township_clerk)
    assert operating_income_growth(village_ids=[village.pk], year=2026, month=1) == {}


def test_cooperative_and_binding_providers(village, other_village):
    coop = Cooperative.objects.create(village=village, name="合作社", led_by_branch=True)
    Cooperative.objects.create(village=other_village, name="非领办", led_by_branch=False)
    Binding.objects.create(cooperative=coop, enterprise="甲", farmers_bound=10)
    Binding.objects.create(cooperative=coop, enterprise="乙", farmers_bound=0)
    assert get_provider("branch_led_cooperatives")(village_ids=None, year=2026, month=1) == {village.pk: [(1, D(1))]}
    assert get_provider("bindings")(village_ids=[village.pk], year=2026, month=1) == {village.pk: [(1, D(1))]}


def test_providers_run_constant_queries(township, township_clerk):
    def count(ids):
        with CaptureQueriesContext(connection) as ctx:
            for provider in (collective_income, operating_income, operating_income_growth):
                provider(village_ids=ids, year=2026, month=6)
        return len(ctx.captured_queries)

    villages = [VillageFactory(parent=township) for _ in range(30)]
    for v in villages[:3]:
        _months(v, 2026, {1: 100, 2: 200}, township_clerk)
    small = count([v.pk for v in villages[:3]])
    for v in villages[3:]:
        _months(v, 2026, {1: 100, 2: 200}, township_clerk)
    assert count([v.pk for v in villages]) == small == 6
