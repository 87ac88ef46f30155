"""The economy overview: its numbers are the selector's, and its queries do not grow with the
number of villages."""

from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from projects.models import CollectiveIncome, CollectiveIncomeMonth, IncomeSource
from projects.selectors import economy_overview
from tests.factories import ProjectFactory, TownshipFactory, VillageFactory


def _villages_with_incomes(township, count: int, start: int = 0):
    """Each village: last year 12 months of 10,000 + i; this year months 1-3 of 11,000 + i."""
    villages = [VillageFactory(parent=township, code=f"{township.code[:9]}{start + i + 1:03d}") for i in range(count)]
    years, months = [], []
    for i, v in enumerate(villages):
        for year, base, upto in ((2025, 10_000, 12), (2026, 11_000, 3)):
            amounts = [D(base + i)] * upto
            years.append(CollectiveIncome(village=v, year=year, total=sum(amounts), operating=sum(amounts) / 2,
                                          source=IncomeSource.MONTHLY))
            months += [CollectiveIncomeMonth(village=v, year=year, month=m, total=D(base + i), operating=D(base + i) / 2)
                       for m in range(1, upto + 1)]
        ProjectFactory(village=v, annual_income=D(i))
    CollectiveIncome.objects.bulk_create(years)
    CollectiveIncomeMonth.objects.bulk_create(months)
    return villages


def test_bands_and_growth(county_admin, township, other_township):
    a = VillageFactory(parent=township, code="419901001101")
    b = VillageFactory(parent=township, code="419901001102")
    c = VillageFactory(parent=other_township, code="419901002101")
    VillageFactory(parent=other_township, code="419901002102")  # nothing entered
    for village, year, total in ((a, 2025, 40000), (a, 2026, 60000), (b, 2025, 200000), (b, 2026, 150000),
                                 (c, 2026, 0)):
        CollectiveIncome.objects.create(village=village, year=year, total=D(total), operating=D(0))
    data = economy_overview(user=county_admin, year=2026)
    bands = {b["band"]: (b["last"], b["this"]) for b in data["bands"]}
    assert bands == {"none": (0, 1), "weak": (1, 0), "basic": (0, 1), "ten": (1, 1), "fifty": (0, 0), "hundred": (0, 0)}
    assert data["missing"] == {"this": 1, "last": 2}
    growth = data["growth"]
    assert (growth["comparable"], growth["growing"], growth["shrinking"]) == (2, 1, 1)
    assert growth["median"] == D("12.50") and growth["average"] == D("12.50")  # +50% and -25%
    first = data["townships"][0]
    assert (first["villages"], first["entered"], first["total_this"], first["growth"]) == (2, 2, D(210000), D("-12.50"))
    assert data["townships"][1]["shells"] == 1


def test_township_clerk_sees_only_its_township(township_clerk, township, other_township):
    _villages_with_incomes(township, 3)
    _villages_with_incomes(other_township, 2)
    data = economy_overview(user=township_clerk, year=2026)
    assert data["village_count"] == 3
    assert [t["township"].code for t in data["townships"]] == [township.code]
    assert all(p.village.parent_id == township.pk for p in data["top_projects"])


def test_same_month_growth_and_latest_month(county_admin, township):
    _villages_with_incomes(township, 2)
    data = economy_overview(user=county_admin, year=2026)
    assert data["latest_month"] == 3
    # 3 × 11,000 against the same 3 months of 10,000: +10% (the first village exactly).
    assert data["growth"]["comparable"] == 2 and data["growth"]["growing"] == 2


def test_page_shows_the_selectors_numbers(client_for, county_admin, township):
    _villages_with_incomes(township, 4)
    data = economy_overview(user=county_admin, year=2026)
    text = client_for(county_admin).get(reverse("projects:economy_overview"), {"year": 2026}).content.decode()
    assert f"{data['growth']['median']}%" in text
    assert f"{data['townships'][0]['growth']}%" in text
    assert data["top_projects"][0].name in text


@pytest.mark.parametrize("url_name", ["projects:economy_overview", "projects:income_list", "projects:project_list",
                                      "projects:cooperative_list"])
def test_pages_run_the_same_queries_for_10_and_100_villages(client_for, county_admin, county, url_name,
                                                             django_assert_max_num_queries):
    client = client_for(county_admin)
    small = TownshipFactory(parent=county, code="419901011000")
    _villages_with_incomes(small, 10)
    with CaptureQueriesContext(connection) as ten:
        assert client.get(reverse(url_name), {"year": 2026}).status_code == 200
    big = TownshipFactory(parent=county, code="419901012000")
    _villages_with_incomes(big, 90)
    with django_assert_max_num_queries(len(ten.captured_queries)):
        assert client.get(reverse(url_name), {"year": 2026}).status_code == 200
    assert len(ten.captured_queries) <= 15
