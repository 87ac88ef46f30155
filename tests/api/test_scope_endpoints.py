"""Every read endpoint is scoped: a township clerk sees only its township's rows, in lists,
filters and detail; another township's row is a 404."""

import pytest
from django.urls import reverse

from projects.models import Binding, Cooperative
from tests.factories import (
    BranchFactory,
    CollectiveIncomeFactory,
    FirstSecretaryFactory,
    ProjectFactory,
    VillageFactory,
)

LIST_ENDPOINTS = ["region-list", "branch-list", "first-secretary-list", "project-list", "cooperative-list", "income-list"]


@pytest.fixture
def world(village, other_village, foreign_village):
    rows = {}
    for v in (village, other_village, foreign_village):
        BranchFactory(village=v)
        FirstSecretaryFactory(village=v)
        ProjectFactory(village=v)
        CollectiveIncomeFactory(village=v)
        coop = Cooperative.objects.create(village=v, name=f"{v.name}合作社")
        Binding.objects.create(cooperative=coop, enterprise="龙头企业", farmers_bound=10)
        rows[v.code] = v
    return rows


def _village_codes(payload):
    codes = set()
    for row in payload["results"]:
        codes.add(row.get("village_code") or row.get("code"))
    return codes


@pytest.mark.parametrize("name", LIST_ENDPOINTS)
def test_clerk_lists_only_own_township(api_for, township_clerk, world, name):
    response = api_for(township_clerk).get(reverse(name))
    assert response.status_code == 200
    codes = _village_codes(response.json())
    assert "419901002001" not in codes
    assert {"419901001001", "419901001002"} <= codes


@pytest.mark.parametrize("name", [n for n in LIST_ENDPOINTS if n != "region-list"])
def test_clerk_filter_for_other_township_returns_nothing(api_for, township_clerk, world, name):
    response = api_for(township_clerk).get(reverse(name), {"township": "419901002000"})
    assert response.status_code == 200
    assert response.json()["results"] == []


def test_region_filter_by_parent_stays_in_scope(api_for, township_clerk, world):
    response = api_for(township_clerk).get(reverse("region-list"), {"parent": "419901002000"})
    assert response.json()["results"] == []


@pytest.mark.parametrize("name", LIST_ENDPOINTS)
def test_county_admin_lists_every_township(api_for, county_admin, world, name):
    codes = _village_codes(api_for(county_admin).get(reverse(name)).json())
    assert {"419901001001", "419901001002", "419901002001"} <= codes


@pytest.mark.parametrize("name", LIST_ENDPOINTS)
def test_village_secretary_lists_only_own_village(api_for, village_secretary, world, name):
    codes = _village_codes(api_for(village_secretary).get(reverse(name)).json())
    assert codes == {"419901001001"}


def _detail_url(name, world, code):
    from branches.models import Branch
    from cadres.models import FirstSecretary
    from projects.models import CollectiveIncome, Project

    village = world[code]
    key = {
        "region-detail": village.code,
        "branch-detail": lambda: Branch.objects.get(village=village).pk,
        "first-secretary-detail": lambda: FirstSecretary.objects.get(village=village).pk,
        "project-detail": lambda: Project.objects.get(village=village).pk,
        "cooperative-detail": lambda: Cooperative.objects.get(village=village).pk,
        "income-detail": lambda: CollectiveIncome.objects.get(village=village).pk,
    }[name]
    return reverse(name, args=[key() if callable(key) else key])


DETAIL_ENDPOINTS = [n.replace("-list", "-detail") for n in LIST_ENDPOINTS]


@pytest.mark.parametrize("name", DETAIL_ENDPOINTS)
def test_clerk_gets_404_for_other_townships_row(api_for, township_clerk, world, name):
    assert api_for(township_clerk).get(_detail_url(name, world, "419901002001")).status_code == 404


@pytest.mark.parametrize("name", DETAIL_ENDPOINTS)
def test_clerk_reads_own_townships_row(api_for, township_clerk, world, name):
    assert api_for(township_clerk).get(_detail_url(name, world, "419901001002")).status_code == 200


@pytest.mark.parametrize("name", LIST_ENDPOINTS)
def test_read_endpoints_refuse_writes(api_for, county_admin, world, name):
    assert api_for(county_admin).post(reverse(name), {}).status_code == 405


@pytest.mark.parametrize("name", LIST_ENDPOINTS)
def test_anonymous_is_refused(client, world, name):
    assert client.get(reverse(name)).status_code in (401, 403)


def test_user_without_post_sees_nothing(api_for, world, db):
    from tests.factories import UserFactory

    response = api_for(UserFactory(username="nopost")).get(reverse("region-list"))
    assert response.json()["results"] == []


def test_village_list_api_runs_constant_queries(api_for, county_admin, township, django_assert_max_num_queries):
    VillageFactory.create_batch(300, parent=township)
    api = api_for(county_admin)
    with django_assert_max_num_queries(6):
        response = api.get(reverse("region-list"), {"level": "village", "page_size": 300})
    assert response.status_code == 200
    assert response.json()["count"] == 300
    assert len(response.json()["results"]) == 300


def test_branch_list_with_nested_rows_runs_constant_queries(api_for, county_admin, township, django_assert_max_num_queries):
    for v in VillageFactory.create_batch(50, parent=township):
        BranchFactory(village=v)
    with django_assert_max_num_queries(8):
        response = api_for(county_admin).get(reverse("branch-list"))
    assert len(response.json()["results"]) == 50


def test_token_authentication_reads_scoped_rows(client, township_clerk, world):
    from rest_framework.test import APIClient

    response = client.post(reverse("api-token"), {"username": "township_clerk", "password": "Test-pass-2026"})
    assert response.status_code == 200
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION="Token " + response.json()["token"])
    codes = _village_codes(api.get(reverse("region-list"), {"level": "village"}).json())
    assert codes == {"419901001001", "419901001002"}


def test_token_request_with_wrong_password_is_refused(client, township_clerk):
    response = client.post(reverse("api-token"), {"username": "township_clerk", "password": "wrong"})
    assert response.status_code == 400


def test_schema_generates_and_docs_page_loads(client_for, county_admin):
    client = client_for(county_admin)
    schema = client.get(reverse("api-schema"))
    assert schema.status_code == 200
    assert b"/api/regions/" in schema.content and b"/api/incomes/" in schema.content
    docs = client.get(reverse("api-docs"))
    assert docs.status_code == 200
    assert b"swagger-ui" in docs.content
