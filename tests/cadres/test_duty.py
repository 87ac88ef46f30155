"""The responsibility system: assignments (包联, 责任组), contact visits and their problems, the
责任清单 and the month's visits due — services, pages and API, with scope and role checks."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from cadres.models import Assignment, ContactVisit, Duty, DutyTier, Role
from cadres.selectors_duty import villages_without_visit, visits_due
from cadres.services_duty import (
    MSG_GROUP_LEADER_TIER,
    assignment_create,
    assignment_end,
    contact_visit_record,
)
from ratings.campaign.services.checklist import problem_assign
from ratings.models import ChecklistItem, ItemOrigin, ItemStatus
from tests.factories import PostFactory, UserFactory

TODAY = timezone.localdate()
YEAR = TODAY.year
JAN1 = dt.date(YEAR, 1, 1)


@pytest.fixture
def county_leader(county):
    user = UserFactory(username="county_leader", full_name="王县长")
    PostFactory(user=user, role=Role.COUNTY_LEADER, region=county)
    return user


@pytest.fixture
def township_leader(township):
    user = UserFactory(username="township_leader", full_name="赵委员")
    PostFactory(user=user, role=Role.TOWNSHIP_LEADER, region=township)
    return user


@pytest.fixture
def leader_on_township(county_admin, county_leader, township):
    return assignment_create(by=county_admin, year=YEAR, duty=Duty.CONTACT, tier=DutyTier.COUNTY_LEADER,
                             region=township, start_date=JAN1, person=county_leader, person_title="副县长")


def test_organisation_assigns_a_county_leader_to_a_township(leader_on_township, county_leader):
    assert leader_on_township.person_name == "王县长"
    assert leader_on_township.person == county_leader


def test_township_staff_may_assign_only_township_tiers_in_own_township(township_clerk, township_leader, village,
                                                                       foreign_village):
    a = assignment_create(by=township_clerk, year=YEAR, duty=Duty.GROUP_LEADER, tier=DutyTier.TOWNSHIP_LEADER,
                          region=village, start_date=JAN1, person=township_leader)
    assert a.duty == Duty.GROUP_LEADER
    with pytest.raises(PermissionDenied):
        assignment_create(by=township_clerk, year=YEAR, duty=Duty.CONTACT, tier=DutyTier.COUNTY_LEADER,
                          region=village, start_date=JAN1, person_name="王县长")
    with pytest.raises(PermissionDenied):
        assignment_create(by=township_clerk, year=YEAR, duty=Duty.GROUP_LEADER, tier=DutyTier.TOWNSHIP_LEADER,
                          region=foreign_village, start_date=JAN1, person_name="李四")


def test_group_rules_leader_tier_and_one_leader_at_a_time(township_clerk, village):
    with pytest.raises(ValidationError) as exc:
        assignment_create(by=township_clerk, year=YEAR, duty=Duty.GROUP_LEADER, tier=DutyTier.MEMBER,
                          region=village, start_date=JAN1, person_name="张三")
    assert MSG_GROUP_LEADER_TIER in str(exc.value)
    first = assignment_create(by=township_clerk, year=YEAR, duty=Duty.GROUP_LEADER, tier=DutyTier.TOWNSHIP_LEADER,
                              region=village, start_date=JAN1, person_name="张三")
    with pytest.raises(ValidationError):
        assignment_create(by=township_clerk, year=YEAR, duty=Duty.GROUP_LEADER, tier=DutyTier.TOWNSHIP_LEADER,
                          region=village, start_date=JAN1 + dt.timedelta(days=5), person_name="李四")
    # Once the first ends, a successor may follow from the next day.
    assignment_end(assignment=first, by=township_clerk, end_date=JAN1 + dt.timedelta(days=9))
    assignment_create(by=township_clerk, year=YEAR, duty=Duty.GROUP_LEADER, tier=DutyTier.TOWNSHIP_LEADER,
                      region=village, start_date=JAN1 + dt.timedelta(days=10), person_name="李四")
    assert Assignment.objects.filter(region=village, duty=Duty.GROUP_LEADER).count() == 2


def test_visit_raises_problems_reported_to_the_township_in_one_step(leader_on_township, county_leader, village,
                                                                    township_clerk):
    visit = contact_visit_record(by=county_leader, village=village, date=TODAY, findings="活动阵地使用不足",
                                 problems=[("branch", "党群服务中心长期闲置"), ("", ""), ("ecology", "坑塘垃圾")])
    items = list(visit.problems.order_by("pk"))
    assert [i.title for i in items] == ["党群服务中心长期闲置", "坑塘垃圾"]
    assert all(i.origin == ItemOrigin.INSPECTION and i.status == ItemStatus.REPORTED for i in items)
    # The township takes it from there: assigning is the next step of the problem ledger.
    problem_assign(item=items[0], by=township_clerk, owner_text="村支书", due_date=TODAY + dt.timedelta(days=10))
    assert ChecklistItem.objects.get(pk=items[0].pk).status == ItemStatus.ASSIGNED


def test_visit_refused_outside_assignment_and_keeps_nothing(leader_on_township, county_leader, foreign_village,
                                                            village):
    with pytest.raises(PermissionDenied):
        contact_visit_record(by=county_leader, village=foreign_village, date=TODAY, findings="x",
                             problems=[("branch", "问题")])
    with pytest.raises(ValidationError):
        contact_visit_record(by=county_leader, village=village, date=TODAY, findings="x",
                             problems=[("nostar", "问题")])
    assert not ContactVisit.objects.exists() and not ChecklistItem.objects.exists()


def test_visits_due_and_villages_without_visit(leader_on_township, county_leader, county_admin, village,
                                               other_village):
    rows = visits_due(user=county_admin, year=TODAY.year, month=TODAY.month)
    assert [(r["name"], r["due"], r["done"]) for r in rows] == [("王县长", 1, 0)]
    contact_visit_record(by=county_leader, village=village, date=TODAY, findings="走访")
    rows = visits_due(user=county_admin, year=TODAY.year, month=TODAY.month)
    assert [(r["due"], r["done"], r["visits"]) for r in rows] == [(1, 1, 1)]
    unvisited = set(villages_without_visit(user=county_admin, year=TODAY.year, month=TODAY.month))
    assert village not in unvisited and other_village in unvisited


# --- pages -------------------------------------------------------------------------------------


def test_duty_list_scoped_and_add_only_for_assigners(client_for, leader_on_township, township_clerk,
                                                     other_township_clerk, village_secretary, county_admin):
    body = client_for(village_secretary).get(reverse("cadres:duty_list")).content.decode()
    assert "王县长" in body  # a village sees who answers for its township
    assert reverse("cadres:duty_new") not in body
    assert "王县长" not in client_for(other_township_clerk).get(reverse("cadres:duty_list")).content.decode()
    assert client_for(village_secretary).get(reverse("cadres:duty_new")).status_code == 403
    assert client_for(township_clerk).get(reverse("cadres:duty_new")).status_code == 200
    assert client_for(county_admin).delete(reverse("cadres:duty_list")).status_code == 405


def test_duty_end_other_township_404_wrong_role_403(client_for, leader_on_township, other_township_clerk,
                                                    village_secretary, county_admin):
    url = reverse("cadres:duty_end", args=[leader_on_township.pk])
    data = {"end_date": TODAY.isoformat()}
    assert client_for(other_township_clerk).post(url, data).status_code == 404
    assert client_for(village_secretary).post(url, data).status_code == 403
    assert client_for(county_admin).post(url, data).status_code == 302
    assert Assignment.objects.get(pk=leader_on_township.pk).end_date == TODAY


def test_duty_new_page_records_and_shows_service_errors(client_for, county_admin, county_leader, township):
    c = client_for(county_admin)
    data = {"year": YEAR, "duty": "group_leader", "tier": "county_leader", "region": township.code,
            "person": county_leader.pk, "start_date": JAN1.isoformat()}
    response = c.post(reverse("cadres:duty_new"), data)
    assert response.status_code == 200 and "责任组只能设在村" in response.content.decode()
    data["duty"] = "contact"
    assert c.post(reverse("cadres:duty_new"), data).status_code == 302
    assert Assignment.objects.get().person == county_leader


def test_visit_pages_for_the_visitor_and_scope(client_for, leader_on_township, county_leader, township_leader,
                                               other_township_clerk, village, township_clerk):
    c = client_for(county_leader)
    assert "本月未走访" in c.get(reverse("cadres:visit_mine")).content.decode()
    response = c.post(reverse("cadres:visit_new"), {
        "village": village.code, "date": TODAY.isoformat(), "findings": "三会一课记录不全",
        "problem_star_1": "branch", "problem_title_1": "会议记录缺页"})
    visit = ContactVisit.objects.get()
    assert response.status_code == 302 and response.url == reverse("cadres:visit_detail", args=[visit.pk])
    assert "会议记录缺页" in c.get(response.url).content.decode()
    assert client_for(township_clerk).get(response.url).status_code == 200
    assert client_for(other_township_clerk).get(response.url).status_code == 404
    # Someone without an assignment cannot record a visit at all.
    assert client_for(township_leader).get(reverse("cadres:visit_new")).status_code == 403


def test_visit_overview_roles(client_for, leader_on_township, township_clerk, village_secretary, industry_reviewer,
                              county_leader):
    body = client_for(township_clerk).get(reverse("cadres:visit_overview")).content.decode()
    assert "王县长" in body and "本月无人走访" in body
    assert client_for(county_leader).get(reverse("cadres:visit_overview")).status_code == 200
    assert client_for(village_secretary).get(reverse("cadres:visit_overview")).status_code == 403
    assert client_for(industry_reviewer).get(reverse("cadres:visit_overview")).status_code == 403


def test_visit_overview_offers_no_month_not_begun_and_says_so_when_asked(client_for, leader_on_township,
                                                                          township_clerk):
    from cadres.views_secretaries import shift_month

    today = timezone.localdate()
    client = client_for(township_clerk)
    this_month = client.get(reverse("cadres:visit_overview")).content.decode()
    assert "下月" not in this_month and "上月" in this_month
    later = client.get(reverse("cadres:visit_overview"), {"month": shift_month(today.year, today.month, 1)})
    body = later.content.decode()
    assert 'data-testid="month-not-begun"' in body and "尚未开始" in body
    # Not a list of every village "not visited" in a month that has not begun.
    assert "本月无人走访" not in body and "王县长" not in body
    last = client.get(reverse("cadres:visit_overview"), {"month": shift_month(today.year, today.month, -1)})
    assert "下月" in last.content.decode()


# --- API ---------------------------------------------------------------------------------------


def test_api_assignments_scoped_and_written_through_the_service(api_for, leader_on_township, county_admin,
                                                                other_township_clerk, township_clerk, village):
    assert api_for(other_township_clerk).get(reverse("assignment-detail", args=[leader_on_township.pk])
                                             ).status_code == 404
    assert api_for(township_clerk).get(reverse("assignment-list")).json()["count"] == 1
    response = api_for(township_clerk).post(reverse("assignment-list"), {
        "year": YEAR, "duty": "contact", "tier": "county_leader", "region": village.code,
        "person_name": "王县长", "start_date": JAN1.isoformat()}, format="json")
    assert response.status_code == 403
    response = api_for(county_admin).post(reverse("assignment-end", args=[leader_on_township.pk]),
                                          {"end_date": (JAN1 - dt.timedelta(days=1)).isoformat()}, format="json")
    assert response.status_code == 400 and "结束日期不能早于开始日期" in response.json()["detail"]


def test_api_contact_visit_with_problems(api_for, leader_on_township, county_leader, village, other_township_clerk,
                                         foreign_village):
    api = api_for(county_leader)
    response = api.post(reverse("contact-visit-list"), {
        "village": village.code, "date": TODAY.isoformat(), "findings": "产业项目进展慢",
        "problems": [{"star": "industry", "title": "合作社分红未公开"}]}, format="json")
    assert response.status_code == 201
    assert ChecklistItem.objects.get(pk=response.json()["problems"][0]).title == "合作社分红未公开"
    refused = api.post(reverse("contact-visit-list"), {
        "village": foreign_village.code, "date": TODAY.isoformat(), "findings": "x"}, format="json")
    assert refused.status_code == 403
    visit_id = response.json()["id"]
    assert api_for(other_township_clerk).get(reverse("contact-visit-detail", args=[visit_id])).status_code == 404


def test_openapi_schema_lists_the_duty_endpoints(client_for, county_admin):
    schema = client_for(county_admin).get(reverse("api-schema")).content.decode()
    assert "/api/assignments/" in schema and "/api/contact-visits/" in schema
