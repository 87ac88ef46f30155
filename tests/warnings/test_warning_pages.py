"""The warnings list, acknowledging, and the panels on the dashboards and the village page."""

import pytest
from django.urls import reverse

from ratings.models import EarlyWarning, WarningKind, WarningState

LIST = "campaign:warning_list"


def _warning(region, township, key="k", kind=WarningKind.TASK_OVERDUE, state=WarningState.OPEN, text=None):
    return EarlyWarning.objects.create(kind=kind, region=region, township=township, key=key, year=2026, month=6,
                                       text=text or f"{region.name}预警{key}", state=state,
                                       link_name="campaign:task_list")


@pytest.fixture
def warnings(township, other_township, village, foreign_village):
    return {
        "open": _warning(village, township, "a", text="东风村任务逾期"),
        "acked": _warning(village, township, "b", kind=WarningKind.VETO, state=WarningState.ACKNOWLEDGED,
                          text="东风村一票否决"),
        "cleared": _warning(village, township, "c", state=WarningState.CLEARED, text="东风村已解除"),
        "foreign": _warning(foreign_village, other_township, "d", text="柳林村任务逾期"),
    }


def test_county_sees_every_active_warning_open_first(client_for, county_admin, warnings):
    body = client_for(county_admin).get(reverse(LIST)).content.decode()
    assert "柳林村任务逾期" in body and "东风村任务逾期" in body and "东风村已解除" not in body
    assert body.index("东风村任务逾期") < body.index("东风村一票否决")


def test_filters_by_kind_township_and_state(client_for, county_admin, township, warnings):
    client = client_for(county_admin)
    body = client.get(reverse(LIST), {"kind": WarningKind.VETO}).content.decode()
    assert "东风村一票否决" in body and "任务逾期</a>" not in body
    body = client.get(reverse(LIST), {"township": township.code}).content.decode()
    assert "柳林村" not in body and "东风村任务逾期" in body
    body = client.get(reverse(LIST), {"state": "cleared"}).content.decode()
    assert "东风村已解除" in body and "东风村任务逾期" not in body
    body = client.get(reverse(LIST), {"state": "all"}).content.decode()
    assert "东风村已解除" in body and "东风村任务逾期" in body


def test_the_list_pages_by_fifty(client_for, county_admin, township, village):
    for n in range(55):
        _warning(village, township, key=f"k{n}")
    client = client_for(county_admin)
    first = client.get(reverse(LIST)).content.decode()
    second = client.get(reverse(LIST), {"page": 2}).content.decode()
    assert "共 55 条" in first and first.count('data-testid="warning-list"') == 1
    assert first.count("list-group-item") == 50 and second.count("list-group-item") == 5


def test_township_clerk_sees_only_the_own_township_and_another_township_filter_is_404(
        client_for, township_clerk, other_township, warnings):
    client = client_for(township_clerk)
    body = client.get(reverse(LIST)).content.decode()
    assert "东风村任务逾期" in body and "柳林村" not in body
    assert client.get(reverse(LIST), {"township": other_township.code}).status_code == 404


def test_a_user_without_a_post_gets_403(client_for, warnings):
    from tests.factories import UserFactory

    assert client_for(UserFactory(username="nobody")).get(reverse(LIST)).status_code == 403


def test_acknowledging_records_who_and_when(client_for, township_clerk, warnings):
    warning = warnings["open"]
    response = client_for(township_clerk).post(reverse("campaign:warning_ack", args=[warning.pk]),
                                               {"next": reverse(LIST)})
    assert response.status_code == 302 and response["Location"] == reverse(LIST)
    warning.refresh_from_db()
    assert warning.state == WarningState.ACKNOWLEDGED and warning.acknowledged_by == township_clerk
    assert warning.acknowledged_at is not None


def test_acknowledging_another_townships_warning_is_404(client_for, other_township_clerk, warnings):
    url = reverse("campaign:warning_ack", args=[warnings["open"].pk])
    assert client_for(other_township_clerk).post(url).status_code == 404
    warnings["open"].refresh_from_db()
    assert warnings["open"].state == WarningState.OPEN


def test_a_lead_department_may_read_but_not_acknowledge(client_for, industry_reviewer, warnings):
    client = client_for(industry_reviewer)
    assert client.get(reverse(LIST)).status_code == 200
    assert client.post(reverse("campaign:warning_ack", args=[warnings["open"].pk])).status_code == 403
    assert client.get(reverse("campaign:warning_ack", args=[warnings["open"].pk])).status_code == 405


def test_a_cleared_warning_cannot_be_acknowledged(client_for, township_clerk, warnings):
    response = client_for(township_clerk).post(reverse("campaign:warning_ack", args=[warnings["cleared"].pk]),
                                               follow=True)
    assert "该预警已解除" in response.content.decode()


def test_the_village_page_shows_its_own_warnings_open_first(client_for, village_secretary, village, warnings):
    body = client_for(village_secretary).get(reverse("reports:village", args=[village.code])).content.decode()
    assert 'data-testid="warnings-panel"' in body and "本村预警" in body
    assert "东风村任务逾期" in body and "柳林村" not in body and "东风村已解除" not in body
    assert body.index("东风村任务逾期") < body.index("东风村一票否决")


def test_the_township_dashboard_shows_its_warnings(client_for, township_clerk, township, warnings):
    client = client_for(township_clerk)
    body = client.get(reverse("reports:township_dashboard", args=[township.code])).content.decode()
    assert 'data-testid="warnings-open">未处理 1<' in body and "东风村任务逾期" in body and "柳林村" not in body


def test_the_county_dashboard_counts_all_open_warnings(client_for, county_admin, warnings):
    body = client_for(county_admin).get(reverse("reports:county_dashboard")).content.decode()
    assert 'data-testid="warnings-open">未处理 2<' in body


def test_an_attendance_warning_links_where_each_user_may_act(client_for, township_clerk, village_secretary,
                                                             first_secretary, township, village):
    EarlyWarning.objects.create(kind=WarningKind.ATTENDANCE, region=village, township=township, key="2026-6",
                                year=2026, month=6, text="东风村第一书记在村天数不足",
                                link_name="cadres:first_secretary_detail", link_args=[12345])
    record = reverse("cadres:first_secretary_detail", args=[12345])
    assert record in client_for(township_clerk).get(reverse(LIST)).content.decode()
    body = client_for(village_secretary).get(reverse(LIST)).content.decode()
    assert "东风村第一书记在村天数不足" in body and record not in body
    body = client_for(first_secretary).get(reverse("reports:village", args=[village.code])).content.decode()
    assert f'href="{reverse("cadres:sign_in")}">东风村第一书记在村天数不足' in body and record not in body


def test_a_weak_lax_warning_links_to_the_rectification_only_for_roles_that_may_open_it(
        client_for, county_admin, county):
    from cadres.models import Role
    from tests.factories import PostFactory, UserFactory, VillageFactory

    village = VillageFactory()
    EarlyWarning.objects.create(kind=WarningKind.WEAK_LAX, region=village, township=village.parent, key="r",
                                year=2026, month=6, text="东风村软弱涣散未验收", state=WarningState.OPEN,
                                link_name="branches:rectification_detail", link_args=[1])
    leader = UserFactory(username="county_leader_user")
    PostFactory(user=leader, role=Role.COUNTY_LEADER, region=village.parent.parent)
    link = '<a href="/branches/rectifications/1/">东风村软弱涣散未验收</a>'
    assert link in client_for(county_admin).get(reverse(LIST)).content.decode()
    body = client_for(leader).get(reverse(LIST)).content.decode()
    assert "东风村软弱涣散未验收" in body and link not in body


def test_the_not_cleared_choice_submitted_from_the_form_still_hides_cleared_warnings(client_for, county_admin,
                                                                                     warnings):
    """The state select's first option (未解除, value `active`) is what the filter form sends back:
    it must read like no state at all, not like 全部."""
    body = client_for(county_admin).get(reverse(LIST), {"state": "active", "kind": ""}).content.decode()
    assert "东风村任务逾期" in body and "东风村一票否决" in body and "东风村已解除" not in body
    assert '<option value="active" selected>' in body


def test_a_late_ledger_warning_links_to_the_grid_only_for_roles_that_may_open_it(client_for, county_admin, county,
                                                                                 township):
    from cadres.models import Role
    from tests.factories import PostFactory, UserFactory

    EarlyWarning.objects.create(kind=WarningKind.LEDGER_LATE, region=township, township=township, key="2026-6",
                                year=2026, month=6, text="城关镇6月台账尚未全部提交", state=WarningState.OPEN,
                                link_name="ratings:ledger_grid", link_query=f"township={township.code}")
    leader = UserFactory(username="township_leader_user")
    PostFactory(user=leader, role=Role.TOWNSHIP_LEADER, region=township)
    grid = reverse("ratings:ledger_grid")
    assert f'href="{grid}?township={township.code}"' in client_for(county_admin).get(reverse(LIST)).content.decode()
    assert client_for(leader).get(grid).status_code == 403
    for url in (reverse(LIST), reverse("reports:township_dashboard", args=[township.code])):
        body = client_for(leader).get(url).content.decode()
        assert "城关镇6月台账尚未全部提交" in body and f'href="{grid}?' not in body


def test_an_attendance_warning_without_a_serving_secretary_links_to_the_roster_only_for_its_readers(
        client_for, county_admin, county, village, township):
    from cadres.models import Role
    from tests.factories import PostFactory, UserFactory

    EarlyWarning.objects.create(kind=WarningKind.ATTENDANCE, region=village, township=township, key="2026-6",
                                year=2026, month=6, text="东风村第一书记在村天数不足", state=WarningState.OPEN,
                                link_name="cadres:township_attendance")
    lead = UserFactory(username="lead_department_user")
    PostFactory(user=lead, role=Role.LEAD_DEPARTMENT, region=county, star="industry")
    roster = reverse("cadres:township_attendance")
    assert f'href="{roster}"' in client_for(county_admin).get(reverse(LIST)).content.decode()
    assert client_for(lead).get(roster).status_code == 403
    body = client_for(lead).get(reverse(LIST)).content.decode()
    assert "东风村第一书记在村天数不足" in body and f'href="{roster}"' not in body
