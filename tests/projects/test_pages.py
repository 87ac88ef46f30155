"""The collective-economy pages: who may see and change what, with Chinese validation."""

from decimal import Decimal as D

import pytest
from django.urls import reverse

from projects.models import (
    MSG_OPERATING_ABOVE_TOTAL,
    Binding,
    CollectiveIncome,
    CollectiveIncomeMonth,
    Cooperative,
    Project,
)
from projects.services import income_month_save, income_year_save
from tests.factories import ProjectFactory

from .factories import BindingFactory, CooperativeFactory

KINDS = ["project", "cooperative", "binding"]


@pytest.fixture
def rows(village, foreign_village):
    """One project, cooperative and binding in the clerk's township and one in the other."""
    made = {}
    for place, v in (("own", village), ("foreign", foreign_village)):
        coop = CooperativeFactory(village=v, name=f"{v.name}香菇合作社")
        made[place] = {"project": ProjectFactory(village=v, name=f"{v.name}光伏电站"), "cooperative": coop,
                       "binding": BindingFactory(cooperative=coop, enterprise=f"{v.name}龙头企业")}
    return made


# --- overview ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["county_admin", "township_clerk", "branch_reviewer"])
def test_overview_loads_for_office_roles(request, client_for, village, role):
    response = client_for(request.getfixturevalue(role)).get(reverse("projects:economy_overview"))
    assert response.status_code == 200
    assert "按收入档次分布" in response.content.decode()


def test_village_secretary_sees_own_village_economy(client_for, village, foreign_village, village_secretary,
                                                    township_clerk):
    income_month_save(village=village, year=2026, month=1, total=D(12345), operating=D(0), by=township_clerk)
    income_year_save(village=foreign_village, year=2026, total=D(999999), operating=D(0), by=_county(village))
    response = client_for(village_secretary).get(reverse("projects:economy_overview"), {"year": 2026})
    text = response.content.decode()
    assert response.status_code == 200
    assert "东风村 · 村集体经济" in text and "12,345" in text and "999,999" not in text


def _county(village):
    from cadres.models import Role
    from tests.factories import PostFactory, UserFactory

    user = UserFactory(username="county_writer")
    PostFactory(user=user, role=Role.ORGANISATION, region=village.parent.parent)
    return user


def test_overview_refuses_post(client_for, county_admin):
    assert client_for(county_admin).post(reverse("projects:economy_overview")).status_code == 405


def test_anonymous_is_sent_to_login(client, db):
    assert client.get(reverse("projects:economy_overview")).status_code == 302


# --- registers ----------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_lists_show_only_rows_in_scope(client_for, township_clerk, rows, kind):
    response = client_for(township_clerk).get(reverse(f"projects:{kind}_list"))
    text = response.content.decode()
    assert response.status_code == 200
    assert "东风村" in text and "柳林村" not in text


@pytest.mark.parametrize("kind", KINDS)
def test_village_secretary_reads_but_cannot_write(client_for, village_secretary, rows, kind):
    client = client_for(village_secretary)
    response = client.get(reverse(f"projects:{kind}_list"))
    assert response.status_code == 200 and "编辑" not in response.content.decode()
    own = rows["own"][kind]
    assert client.get(reverse(f"projects:{kind}_create")).status_code == 403
    assert client.post(reverse(f"projects:{kind}_update", args=[own.pk]), {}).status_code == 403
    assert client.post(reverse(f"projects:{kind}_delete", args=[own.pk])).status_code == 403
    assert type(own).objects.filter(pk=own.pk).exists()


@pytest.mark.parametrize("kind", KINDS)
def test_lead_department_cannot_write(client_for, branch_reviewer, rows, kind):
    own = rows["own"][kind]
    assert client_for(branch_reviewer).post(reverse(f"projects:{kind}_delete", args=[own.pk])).status_code == 403
    assert type(own).objects.filter(pk=own.pk).exists()


@pytest.mark.parametrize("kind", KINDS)
def test_other_townships_row_is_404(client_for, other_township_clerk, rows, kind):
    client = client_for(other_township_clerk)
    own = rows["own"][kind]
    assert client.get(reverse(f"projects:{kind}_update", args=[own.pk])).status_code == 404
    assert client.post(reverse(f"projects:{kind}_delete", args=[own.pk])).status_code == 404
    assert type(own).objects.filter(pk=own.pk).exists()


@pytest.mark.parametrize("kind", KINDS)
def test_wrong_method_is_405(client_for, township_clerk, rows, kind):
    client = client_for(township_clerk)
    assert client.put(reverse(f"projects:{kind}_list")).status_code == 405
    assert client.delete(reverse(f"projects:{kind}_delete", args=[rows["own"][kind].pk])).status_code == 405


def test_clerk_creates_edits_and_deletes_a_project(client_for, township_clerk, village):
    client = client_for(township_clerk)
    data = {"village": village.pk, "name": "东风村光伏电站二期", "project_type": "photovoltaic", "status": "operating",
            "investment": "180.5", "annual_income": "12.3", "households_benefiting": 40, "jobs_created": 5}
    assert client.get(reverse("projects:project_create")).status_code == 200
    response = client.post(reverse("projects:project_create"), data)
    assert response.status_code == 302
    project = Project.objects.get(name="东风村光伏电站二期")
    assert project.investment == D("180.5")
    response = client.post(reverse("projects:project_update", args=[project.pk]), {**data, "annual_income": "20"})
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.annual_income == D(20)
    confirm = client.get(reverse("projects:project_delete", args=[project.pk]))
    assert confirm.status_code == 200 and "确认删除" in confirm.content.decode()
    assert client.post(reverse("projects:project_delete", args=[project.pk])).status_code == 302
    assert not Project.objects.filter(pk=project.pk).exists()


def test_project_form_shows_chinese_errors_and_saves_nothing(client_for, township_clerk, village, foreign_village):
    client = client_for(township_clerk)
    response = client.post(reverse("projects:project_create"), {
        "village": foreign_village.pk, "name": "", "project_type": "photovoltaic", "status": "operating",
        "investment": "-1", "annual_income": "abc", "households_benefiting": 0, "jobs_created": 0})
    text = response.content.decode()
    assert response.status_code == 400
    assert "该字段是必填项" in text and "选择一个有效的选项" in text and "输入一个数字" in text and "大于或等于0" in text
    assert not Project.objects.exists()


def test_deleting_a_cooperative_warns_about_its_bindings(client_for, township_clerk, rows):
    coop = rows["own"]["cooperative"]
    client = client_for(township_clerk)
    assert "双绑" in client.get(reverse("projects:cooperative_delete", args=[coop.pk])).content.decode()
    client.post(reverse("projects:cooperative_delete", args=[coop.pk]))
    assert not Cooperative.objects.filter(pk=coop.pk).exists()
    assert not Binding.objects.filter(cooperative_id=coop.pk).exists()


def test_binding_form_offers_only_editable_cooperatives(client_for, township_clerk, rows):
    client = client_for(township_clerk)
    response = client.post(reverse("projects:binding_create"), {
        "cooperative": rows["foreign"]["cooperative"].pk, "enterprise": "越权企业", "farmers_bound": 3})
    assert response.status_code == 400 and "选择一个有效的选项" in response.content.decode()
    response = client.post(reverse("projects:binding_create"), {
        "cooperative": rows["own"]["cooperative"].pk, "enterprise": "豫丰农业", "farmers_bound": 3})
    assert response.status_code == 302
    assert Binding.objects.filter(enterprise="豫丰农业").exists()


# --- income pages -------------------------------------------------------------------------------


def test_income_list_shows_scope_with_missing_villages(client_for, township_clerk, village, other_village,
                                                       foreign_village):
    income_year_save(village=village, year=2025, total=D(150000), operating=D(0), by=township_clerk)
    response = client_for(township_clerk).get(reverse("projects:income_list"), {"year": 2025})
    text = response.content.decode()
    assert response.status_code == 200
    assert "150,000.00" in text and "10万元以上" in text and "红旗村" in text and "未填报" in text
    assert "柳林村" not in text


def test_yearly_entry_form(client_for, township_clerk, village):
    client = client_for(township_clerk)
    url = reverse("projects:income_year_entry")
    bad = client.post(url, {"village": village.pk, "year": 2025, "total": "100", "operating": "200"})
    assert bad.status_code == 400 and MSG_OPERATING_ABOVE_TOTAL in bad.content.decode()
    assert client.post(url, {"village": village.pk, "year": 2025, "total": "100", "operating": "20"}).status_code == 302
    income = CollectiveIncome.objects.get(village=village, year=2025)
    assert income.total == D(100) and income.updated_by == township_clerk


def test_yearly_entry_refused_for_a_monthly_year_with_message(client_for, township_clerk, village):
    income_month_save(village=village, year=2025, month=1, total=D(10), operating=D(0), by=township_clerk)
    response = client_for(township_clerk).post(reverse("projects:income_year_entry"), {
        "village": village.pk, "year": 2025, "total": "100", "operating": "20"})
    assert response.status_code == 400 and "已按月填报" in response.content.decode()
    assert CollectiveIncome.objects.get(village=village).total == D(10)


def test_month_page_saves_a_month_and_sums_the_year(client_for, township_clerk, village):
    client = client_for(township_clerk)
    url = reverse("projects:income_months", args=[village.code]) + "?year=2026"
    assert client.get(url).status_code == 200
    assert client.post(url, {"month": 3, "total": "5000", "operating": "1000"}).status_code == 302
    assert CollectiveIncome.objects.get(village=village, year=2026).total == D(5000)
    row = CollectiveIncomeMonth.objects.get(village=village)
    assert client.post(reverse("projects:income_month_delete", args=[row.pk])).status_code == 302
    assert not CollectiveIncome.objects.filter(village=village).exists()


def test_month_page_scope_and_roles(client_for, other_township_clerk, village_secretary, township_clerk, village):
    url = reverse("projects:income_months", args=[village.code])
    assert client_for(other_township_clerk).get(url).status_code == 404
    client = client_for(village_secretary)
    assert client.get(url).status_code == 200
    assert client.post(url, {"month": 1, "total": "1", "operating": "0"}).status_code == 403
    assert client.put(url).status_code == 405
    assert not CollectiveIncomeMonth.objects.exists()


def test_yearly_delete_scope(client_for, township_clerk, other_township_clerk, village_secretary, village):
    income, _ = income_year_save(village=village, year=2025, total=D(100), operating=D(0), by=township_clerk)
    url = reverse("projects:income_year_delete", args=[income.pk])
    assert client_for(other_township_clerk).post(url).status_code == 404
    assert client_for(village_secretary).post(url).status_code == 403
    assert client_for(township_clerk).post(url).status_code == 302
    assert not CollectiveIncome.objects.exists()
