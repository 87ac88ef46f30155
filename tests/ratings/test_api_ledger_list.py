"""The ledger list: filters, bounded queries, methods and the OpenAPI schema."""

import pytest
from django.urls import reverse

from ratings.services.ledger import ledger_entry_save
from tests.factories import VillageFactory


@pytest.fixture
def many_entries(township, standard, indicator_of, township_clerk, this_month):
    villages = VillageFactory.create_batch(12, parent=township)
    for village in villages:
        for code in ("industry.jobs", "branch.member_points"):
            ledger_entry_save(village=village, indicator=indicator_of(code), year=this_month[0],
                              month=this_month[1], value="1", by=township_clerk)
    return villages


def test_list_queries_do_not_grow_with_rows(api_for, township_clerk, many_entries, django_assert_max_num_queries):
    api = api_for(township_clerk)
    with django_assert_max_num_queries(8):
        response = api.get(reverse("ledger-entry-list"), {"page_size": 100})
    assert response.status_code == 200
    assert response.json()["count"] == 24


def test_list_filters_by_star_village_and_indicator(api_for, township_clerk, many_entries, this_month):
    api = api_for(township_clerk)
    url = reverse("ledger-entry-list")
    assert api.get(url, {"star": "industry"}).json()["count"] == 12
    assert api.get(url, {"indicator": "branch.member_points"}).json()["count"] == 12
    assert api.get(url, {"village": many_entries[0].code}).json()["count"] == 2
    assert api.get(url, {"status": "approved"}).json()["count"] == 0
    assert api.get(url, {"year": this_month[0], "month": this_month[1]}).json()["count"] == 24


def test_other_township_filter_finds_nothing(api_for, other_township_clerk, township, many_entries):
    response = api_for(other_township_clerk).get(reverse("ledger-entry-list"), {"township": township.code})
    assert response.json()["count"] == 0


def test_get_on_a_workflow_action_is_405(api_for, township_clerk, many_entries):
    from ratings.models import LedgerEntry

    entry = LedgerEntry.objects.first()
    assert api_for(township_clerk).get(reverse("ledger-entry-submit", args=[entry.pk])).status_code == 405


def test_standards_filter_by_kind(api_for, township_clerk, standard):
    response = api_for(township_clerk).get(reverse("standard-list"), {"kind": "urban", "year": standard.year})
    assert response.status_code == 200
    results = response.json()["results"]
    assert [s["kind"] for s in results] == ["urban"]


def test_schema_generates_and_documents_the_ledger_routes(api_for, county_admin):
    response = api_for(county_admin).get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert any("ledger-entries" in p and p.endswith("approve/") for p in paths)
    assert any(p.rstrip("/").endswith("standards") for p in paths)
