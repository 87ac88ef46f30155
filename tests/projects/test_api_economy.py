"""The economy write API: scoped reads, writes by township staff and the county only, the same
rules and Chinese messages as the pages."""

from decimal import Decimal as D

import pytest
from django.urls import reverse

from projects.models import Binding, CollectiveIncome, CollectiveIncomeMonth, Cooperative, Project
from projects.services import income_month_save, income_year_save
from tests.factories import ProjectFactory

from .factories import BindingFactory, CooperativeFactory

BASENAMES = ["economy-project", "economy-cooperative", "economy-binding", "economy-income", "economy-income-month"]


@pytest.fixture
def world(village, foreign_village, county_admin):
    rows = {}
    for place, v in (("own", village), ("foreign", foreign_village)):
        coop = CooperativeFactory(village=v)
        income_year_save(village=v, year=2025, total=D(100000), operating=D(40000), by=county_admin)
        income_month_save(village=v, year=2026, month=1, total=D(9000), operating=D(1000), by=county_admin)
        rows[place] = {
            "economy-project": ProjectFactory(village=v), "economy-cooperative": coop,
            "economy-binding": BindingFactory(cooperative=coop),
            "economy-income": CollectiveIncome.objects.get(village=v, year=2025),
            "economy-income-month": CollectiveIncomeMonth.objects.get(village=v),
        }
    return rows


@pytest.mark.parametrize("basename", BASENAMES)
def test_clerk_lists_own_rows_and_gets_404_for_foreign(api_for, township_clerk, world, basename):
    api = api_for(township_clerk)
    listed = {row["id"] for row in api.get(reverse(f"{basename}-list")).json()["results"]}
    assert world["own"][basename].pk in listed and world["foreign"][basename].pk not in listed
    assert api.get(reverse(f"{basename}-detail", args=[world["foreign"][basename].pk])).status_code == 404
    assert api.delete(reverse(f"{basename}-detail", args=[world["foreign"][basename].pk])).status_code == 404


@pytest.mark.parametrize("basename", BASENAMES)
def test_read_only_roles_are_refused_writes(api_for, village_secretary, branch_reviewer, world, basename):
    for user in (village_secretary, branch_reviewer):
        api = api_for(user)
        assert api.get(reverse(f"{basename}-list")).status_code == 200
        assert api.post(reverse(f"{basename}-list"), {}, format="json").status_code == 403
        assert api.delete(reverse(f"{basename}-detail", args=[world["own"][basename].pk])).status_code == 403


def test_clerk_creates_updates_and_deletes_a_project(api_for, township_clerk, village):
    api = api_for(township_clerk)
    response = api.post(reverse("economy-project-list"), {
        "village": village.code, "name": "东风村帮扶车间", "project_type": "workshop", "investment": "88.00"},
        format="json")
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    response = api.patch(reverse("economy-project-detail", args=[pk]), {"annual_income": "6.5"}, format="json")
    assert response.status_code == 200 and Project.objects.get(pk=pk).annual_income == D("6.5")
    assert api.delete(reverse("economy-project-detail", args=[pk])).status_code == 204
    assert not Project.objects.filter(pk=pk).exists()


def test_clerk_cannot_create_in_another_township(api_for, township_clerk, foreign_village):
    response = api_for(township_clerk).post(reverse("economy-cooperative-list"), {
        "village": foreign_village.code, "name": "越权合作社"}, format="json")
    # Out of scope reads as unknown: 400, and the village's name is never told.
    assert response.status_code == 400
    assert "不在您的权限范围内" in response.json()["village"][0]
    assert foreign_village.name not in response.content.decode()
    assert not Cooperative.objects.exists()


def test_clerk_cannot_move_a_row_to_another_township(api_for, township_clerk, world, foreign_village):
    project = world["own"]["economy-project"]
    response = api_for(township_clerk).patch(reverse("economy-project-detail", args=[project.pk]),
                                             {"village": foreign_village.code}, format="json")
    assert response.status_code == 400 and foreign_village.name not in response.content.decode()
    project.refresh_from_db()
    assert project.village.code == "419901001001"


def test_binding_to_a_foreign_cooperative_is_unknown(api_for, township_clerk, world):
    response = api_for(township_clerk).post(reverse("economy-binding-list"), {
        "cooperative": world["foreign"]["economy-cooperative"].pk, "enterprise": "越权企业"}, format="json")
    assert response.status_code == 400
    assert Binding.objects.count() == 2


def test_income_upsert_and_rules(api_for, township_clerk, village):
    api = api_for(township_clerk)
    url = reverse("economy-income-list")
    first = api.post(url, {"village": village.code, "year": 2024, "total": "60000", "operating": "10000"}, format="json")
    assert first.status_code == 201 and first.json()["band"] == "basic"
    again = api.post(url, {"village": village.code, "year": 2024, "total": "70000", "operating": "10000"}, format="json")
    assert again.status_code == 200 and again.json()["updated_by"] == "township_clerk"
    bad = api.post(url, {"village": village.code, "year": 2024, "total": "1", "operating": "2"}, format="json")
    assert bad.status_code == 400 and "经营性收入不能大于集体经济总收入" in str(bad.json())
    unknown = api.post(url, {"village": "419901009999", "year": 2024, "total": "1", "operating": "0"}, format="json")
    assert unknown.status_code == 400 and "419901009999" in str(unknown.json())
    month = api.post(reverse("economy-income-month-list"), {
        "village": village.code, "year": 2024, "month": 1, "total": "1", "operating": "0"}, format="json")
    assert month.status_code == 400 and "已按年度填报" in str(month.json())
    assert CollectiveIncome.objects.get(village=village, year=2024).total == D(70000)


def test_month_api_sums_the_year(api_for, township_clerk, village):
    api = api_for(township_clerk)
    for m, amount in ((1, "100"), (2, "250.5")):
        response = api.post(reverse("economy-income-month-list"), {
            "village": village.code, "year": 2026, "month": m, "total": amount, "operating": "0"}, format="json")
        assert response.status_code == 201
    income = CollectiveIncome.objects.get(village=village, year=2026)
    assert income.total == D("350.5") and income.source == "monthly"
    refused = api.delete(reverse("economy-income-detail", args=[income.pk]))
    assert refused.status_code == 400 and "请删除相应的月度收入" in str(refused.json())
    bad_month = api.post(reverse("economy-income-month-list"), {
        "village": village.code, "year": 2026, "month": 13, "total": "1", "operating": "0"}, format="json")
    assert bad_month.status_code == 400 and "月份应为1至12之间的整数" in str(bad_month.json())


def test_read_endpoints_stay_read_only(api_for, county_admin, world):
    assert api_for(county_admin).post(reverse("project-list"), {}).status_code == 405


def test_schema_documents_the_economy_endpoints(client_for, county_admin):
    schema = client_for(county_admin).get(reverse("api-schema")).content.decode()
    for path in ("/api/economy/projects/", "/api/economy/bindings/", "/api/economy/income-months/"):
        assert path in schema
