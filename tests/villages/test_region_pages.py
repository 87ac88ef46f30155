import pytest
from django.urls import reverse

from tests.factories import (
    BranchFactory,
    CollectiveIncomeFactory,
    FirstSecretaryFactory,
    ProjectFactory,
    VillageFactory,
)


@pytest.fixture
def world(village, other_village, foreign_village):
    for v in (village, other_village, foreign_village):
        BranchFactory(village=v)
        CollectiveIncomeFactory(village=v, year=2025)
    FirstSecretaryFactory(village=village, name="王驻村")
    ProjectFactory(village=village, name="东风光伏电站")
    return village


def detail(code):
    return reverse("villages:region_detail", args=[code])


def test_clerk_browser_starts_at_own_township(client_for, township_clerk, world):
    response = client_for(township_clerk).get(reverse("villages:region_browser"))
    assert response.status_code == 302
    assert response.url == detail("419901001000")


def test_county_admin_browser_starts_at_county(client_for, county_admin, world):
    response = client_for(county_admin).get(reverse("villages:region_browser"))
    assert response.url == detail("419901000000")


def test_clerk_township_list_shows_only_own_villages(client_for, township_clerk, world):
    response = client_for(township_clerk).get(detail("419901001000"))
    assert response.status_code == 200
    codes = [v.code for v in response.context["villages"]]
    assert codes == ["419901001001", "419901001002"]


def test_clerk_cannot_open_other_township(client_for, township_clerk, world):
    assert client_for(township_clerk).get(detail("419901002000")).status_code == 404


def test_clerk_cannot_open_village_of_other_township(client_for, township_clerk, world):
    assert client_for(township_clerk).get(detail("419901002001")).status_code == 404


def test_clerk_cannot_open_the_county_page(client_for, township_clerk, world):
    assert client_for(township_clerk).get(detail("419901000000")).status_code == 404


def test_village_secretary_sees_only_own_village(client_for, village_secretary, world):
    client = client_for(village_secretary)
    assert client.get(detail("419901001001")).status_code == 200
    assert client.get(detail("419901001002")).status_code == 404
    assert client.get(detail("419901001000")).status_code == 404


def test_village_profile_shows_branch_first_secretary_projects_and_income(client_for, first_secretary, world):
    response = client_for(first_secretary).get(detail("419901001001"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "王驻村" in html and "东风光伏电站" in html and "东风村党支部" in html
    assert "150000" in html


def test_county_page_lists_townships_with_counts(client_for, county_admin, world):
    response = client_for(county_admin).get(detail("419901000000"))
    rows = {t.code: (t.village_count, t.community_count) for t in response.context["townships"]}
    assert rows == {"419901001000": (2, 0), "419901002000": (1, 0)}


def test_lead_department_sees_every_township(client_for, industry_reviewer, world):
    client = client_for(industry_reviewer)
    assert client.get(detail("419901002001")).status_code == 200


def test_search_filters_and_sort(client_for, township_clerk, world):
    client = client_for(township_clerk)
    found = client.get(detail("419901001000"), {"q": "红旗"}).context["villages"]
    assert [v.name for v in found] == ["红旗村"]
    by_code = client.get(detail("419901001000"), {"q": "419901001001"}).context["villages"]
    assert [v.name for v in by_code] == ["东风村"]
    with_fs = client.get(detail("419901001000"), {"first_secretary": "yes"}).context["villages"]
    assert [v.name for v in with_fs] == ["东风村"]
    urban = client.get(detail("419901001000"), {"kind": "urban"}).context["villages"]
    assert list(urban) == []


def test_invalid_filter_value_is_not_a_server_error(client_for, township_clerk, world):
    response = client_for(township_clerk).get(detail("419901001000"), {"sort": "drop table", "band": "x"})
    assert response.status_code == 200
    assert "筛选条件有误" in response.content.decode()


def test_township_list_paginates_with_constant_queries(client_for, township_clerk, township, django_assert_max_num_queries):
    VillageFactory.create_batch(60, parent=township)
    client = client_for(township_clerk)
    with django_assert_max_num_queries(12):
        response = client.get(detail(township.code), {"page": 2})
    assert response.status_code == 200
    assert len(response.context["villages"]) == 25
    assert response.context["page_obj"].paginator.count == 60


def test_anonymous_user_is_sent_to_login(client, world):
    response = client.get(detail("419901001001"))
    assert response.status_code == 302 and reverse("login") in response.url


def test_region_pages_refuse_post(client_for, county_admin, world):
    assert client_for(county_admin).post(detail("419901001001")).status_code == 405
