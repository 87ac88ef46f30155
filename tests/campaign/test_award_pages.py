"""The award workflow through its pages: each step by the right role, in order; refused otherwise."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from ratings.campaign.services import awards as svc
from ratings.models import (
    Application,
    ApplicationStatus,
    Notice,
    Objection,
    StarReview,
    StarWithdrawal,
    TargetLevel,
)

pytestmark = pytest.mark.django_db

YEAR = dt.date.today().year


def act(pk, action):
    return reverse("campaign:award_action", args=[pk, action])


def detail(pk):
    return reverse("campaign:application_detail", args=[pk])


@pytest.fixture
def applied(village, township_clerk, village_secretary):
    svc.target_set(village=village, year=YEAR, level=2, target_stars=["branch", "industry"], by=township_clerk)
    return svc.application_submit(village=village, year=YEAR, stars=["branch", "industry"], by=village_secretary)


def messages_of(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


# --- targets -------------------------------------------------------------------------------------

def test_township_sets_a_target_for_its_village(client_for, township_clerk, village):
    response = client_for(township_clerk).post(reverse("campaign:award_targets"), {
        "village": village.code, "year": YEAR, "level": "4"})
    assert response.status_code == 302
    target = TargetLevel.objects.get(village=village, year=YEAR)
    assert (target.level, target.set_by) == (4, township_clerk)
    page = client_for(township_clerk).get(reverse("campaign:award_list")).content.decode()
    assert village.name in page  # a candidate (备选村) now


def test_target_stars_must_match_the_level(client_for, township_clerk, village):
    response = client_for(township_clerk).post(reverse("campaign:award_targets"), {
        "village": village.code, "year": YEAR, "level": "2", "stars": ["branch"]}, follow=True)
    assert "目标星数量应与目标星级一致" in response.content.decode()
    assert not TargetLevel.objects.exists()


def test_bad_level_is_a_message_not_an_error(client_for, township_clerk, village):
    response = client_for(township_clerk).post(reverse("campaign:award_targets"), {
        "village": village.code, "year": YEAR, "level": "九"}, follow=True)
    assert response.status_code == 200
    assert "目标星级应在 0 到 5 之间" in response.content.decode()
    assert not TargetLevel.objects.exists()


def test_targets_of_another_township_are_404_and_read_only_roles_are_refused(
        client_for, other_township_clerk, industry_reviewer, village_secretary, village):
    data = {"village": village.code, "year": YEAR, "level": "3"}
    assert client_for(other_township_clerk).post(reverse("campaign:award_targets"), data).status_code == 404
    assert client_for(industry_reviewer).post(reverse("campaign:award_targets"), data).status_code == 403
    assert client_for(industry_reviewer).get(reverse("campaign:award_targets")).status_code == 200
    assert client_for(village_secretary).get(reverse("campaign:award_targets")).status_code == 403
    assert client_for(other_township_clerk).delete(reverse("campaign:award_targets")).status_code == 405
    assert not TargetLevel.objects.exists()


def test_target_page_lists_only_villages_in_scope(client_for, township_clerk, village, foreign_village):
    body = client_for(township_clerk).get(reverse("campaign:award_targets")).content.decode()
    assert village.name in body and foreign_village.name not in body


# --- application --------------------------------------------------------------------------------

def test_village_secretary_applies_from_the_award_page(client_for, village_secretary, township_clerk, village):
    svc.target_set(village=village, year=YEAR, level=2, target_stars=["branch", "ecology"], by=township_clerk)
    c = client_for(village_secretary)
    page = c.get(reverse("campaign:award_list")).content.decode()
    assert "提交申报" in page and "生态宜居星" in page
    response = c.post(reverse("campaign:award_apply"), {"village": village.code, "year": YEAR,
                                                       "stars": ["branch", "ecology"]})
    application = Application.objects.get(village=village, year=YEAR)
    assert response.url == detail(application.pk)
    assert application.stars == ["branch", "ecology"]


def test_applying_without_a_target_says_so_and_saves_nothing(client_for, village_secretary, village):
    response = client_for(village_secretary).post(
        reverse("campaign:award_apply"), {"village": village.code, "year": YEAR, "stars": ["branch"]}, follow=True)
    assert "尚未设定年度目标星级" in response.content.decode()
    assert not Application.objects.exists()


def test_only_the_village_secretary_applies_and_only_for_own_village(
        client_for, township_clerk, first_secretary, village_secretary, village, foreign_village):
    svc.target_set(village=village, year=YEAR, level=1, by=township_clerk)
    data = {"village": village.code, "year": YEAR, "stars": ["branch"]}
    assert client_for(township_clerk).post(reverse("campaign:award_apply"), data).status_code == 403
    assert client_for(first_secretary).post(reverse("campaign:award_apply"), data).status_code == 403
    assert client_for(village_secretary).post(reverse("campaign:award_apply"),
                                              {**data, "village": foreign_village.code}).status_code == 404
    assert client_for(village_secretary).get(reverse("campaign:award_apply")).status_code == 405
    assert not Application.objects.exists()


# --- the steps on an application -----------------------------------------------------------------

def test_the_whole_workflow_through_the_pages(client_for, applied, township_clerk, branch_reviewer,
                                              industry_reviewer, county_admin, settings):
    pk = applied.pk
    assert "审核通过" in client_for(township_clerk).get(detail(pk)).content.decode()
    client_for(township_clerk).post(act(pk, "check"))
    assert Application.objects.get(pk=pk).status == ApplicationStatus.TOWNSHIP_CHECKED
    # Each lead department sees only its own star's form.
    page = client_for(branch_reviewer).get(detail(pk)).content.decode()
    assert 'data-testid="review-branch"' in page and 'data-testid="review-industry"' not in page
    client_for(branch_reviewer).post(act(pk, "review"), {"star": "branch", "decision": "approve"})
    client_for(industry_reviewer).post(act(pk, "review"), {"star": "industry", "decision": "reject",
                                                           "reason": "经营性收入未达标"})
    assert Application.objects.get(pk=pk).status == ApplicationStatus.REVIEWED
    client_for(county_admin).post(act(pk, "notice"), {"days": "10"})
    app = Application.objects.get(pk=pk)
    assert app.status == ApplicationStatus.PUBLIC_NOTICE
    assert app.notice_end - app.notice_start == dt.timedelta(days=10)
    client_for(county_admin).post(act(pk, "objection"), {"content": "群众反映村内道路未硬化"})
    objection = Objection.objects.get(application=app)
    # Naming waits for the notice period to end and the objection to be handled.
    Application.objects.filter(pk=pk).update(notice_start=dt.date(YEAR, 1, 1), notice_end=dt.date(YEAR, 1, 8))
    response = client_for(county_admin).post(act(pk, "name"), follow=True)
    assert "还有公示异议未处理" in response.content.decode()
    client_for(county_admin).post(act(pk, "handle"), {"objection": objection.pk, "handling": "经核查已整改"})
    client_for(county_admin).post(act(pk, "name"))
    app.refresh_from_db()
    assert app.status == ApplicationStatus.NAMED and app.named_stars == ["branch"]
    # 降星: the organisation department withdraws the named star; the township is told.
    client_for(county_admin).post(act(pk, "withdraw"), {"star": "branch", "reason": "发生违纪违法问题"})
    app.refresh_from_db()
    assert app.named_stars == []
    assert StarWithdrawal.objects.get(village=app.village).reason == "发生违纪违法问题"
    assert Notice.objects.filter(region=app.village.parent, text__contains="发生违纪违法问题").exists()
    assert "发生违纪违法问题" in client_for(township_clerk).get(detail(pk)).content.decode()


@pytest.mark.parametrize("action,data,role", [
    ("check", {}, "village_secretary"),
    ("check", {}, "county_admin"),
    ("check", {}, "branch_reviewer"),
    ("review", {"star": "branch", "decision": "approve"}, "township_clerk"),
    ("review", {"star": "branch", "decision": "approve"}, "industry_reviewer"),
    ("notice", {}, "township_clerk"),
    ("objection", {"content": "x"}, "township_clerk"),
    ("name", {}, "branch_reviewer"),
    ("withdraw", {"star": "branch", "reason": "x"}, "township_clerk"),
])
def test_each_step_is_refused_to_the_wrong_role(request, client_for, applied, action, data, role):
    if action == "review":
        svc.application_township_check(application=applied, by=request.getfixturevalue("township_clerk"))
    before = Application.objects.get(pk=applied.pk).status
    assert client_for(request.getfixturevalue(role)).post(act(applied.pk, action), data).status_code == 403
    assert Application.objects.get(pk=applied.pk).status == before
    assert not StarReview.objects.exists() and not Objection.objects.exists()


@pytest.mark.parametrize("action,data,role,message", [
    ("review", {"star": "branch", "decision": "approve"}, "branch_reviewer", "不能执行此操作"),
    ("notice", {}, "county_admin", "不能执行此操作"),
    ("objection", {"content": "x"}, "county_admin", "不能执行此操作"),
    ("name", {}, "county_admin", "不能执行此操作"),
    ("withdraw", {"star": "branch", "reason": "x"}, "county_admin", "未获得此星"),
])
def test_each_step_out_of_order_is_refused_with_a_message(request, client_for, applied, action, data, role, message):
    response = client_for(request.getfixturevalue(role)).post(act(applied.pk, action), data, follow=True)
    assert response.status_code == 200
    assert message in response.content.decode()
    app = Application.objects.get(pk=applied.pk)
    assert app.status == ApplicationStatus.APPLIED and app.notice_start is None
    assert not StarReview.objects.exists() and not Objection.objects.exists()


def test_township_check_twice_is_refused(client_for, applied, township_clerk):
    c = client_for(township_clerk)
    c.post(act(applied.pk, "check"))
    response = c.post(act(applied.pk, "check"), follow=True)
    assert "乡镇已审核" in "".join(messages_of(response))


def test_rejection_needs_a_reason(client_for, applied, township_clerk, branch_reviewer):
    svc.application_township_check(application=applied, by=township_clerk)
    response = client_for(branch_reviewer).post(act(applied.pk, "review"), {"star": "branch", "decision": "reject"},
                                                follow=True)
    assert "请填写理由" in response.content.decode()
    assert not StarReview.objects.exists()


def test_notice_period_out_of_range_is_refused(client_for, applied, township_clerk, branch_reviewer,
                                               industry_reviewer, county_admin):
    svc.application_township_check(application=applied, by=township_clerk)
    svc.application_star_review(application=applied, star="branch", approved=True, by=branch_reviewer)
    svc.application_star_review(application=applied, star="industry", approved=True, by=industry_reviewer)
    response = client_for(county_admin).post(act(applied.pk, "notice"), {"days": "2"}, follow=True)
    assert "公示期应为 5 到 30 天" in response.content.decode()
    assert Application.objects.get(pk=applied.pk).status == ApplicationStatus.REVIEWED


def test_application_of_another_township_is_404_and_unknown_action_404(client_for, applied, other_township_clerk,
                                                                       township_clerk):
    assert client_for(other_township_clerk).post(act(applied.pk, "check")).status_code == 404
    assert client_for(other_township_clerk).get(detail(applied.pk)).status_code == 404
    assert client_for(township_clerk).post(act(applied.pk, "explode")).status_code == 404
    assert client_for(township_clerk).get(act(applied.pk, "check")).status_code == 405
    assert Application.objects.get(pk=applied.pk).status == ApplicationStatus.APPLIED


def test_award_list_filters_by_status_and_shows_star_names(client_for, applied, county_admin):
    body = client_for(county_admin).get(reverse("campaign:award_list"), {"status": "applied"}).content.decode()
    assert "支部过硬星、产业兴旺星" in body
    body = client_for(county_admin).get(reverse("campaign:award_list"), {"status": "named"}).content.decode()
    assert "暂无申报" in body
