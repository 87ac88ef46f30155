"""Rectification of weak-and-lax branches: plan, progress history, acceptance by the county
organisation department only and only in order; the branch-star veto lifts with it."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from branches.models import Branch, RecordEvent, Rectification, RectificationStatus, RectificationUpdate
from branches.services import (
    MSG_ACCEPT_BEFORE_LISTING,
    MSG_ACCEPT_WITHOUT_PLAN,
    MSG_ACCEPT_WITHOUT_PROGRESS,
    MSG_ALREADY_ACCEPTED,
    MSG_PROGRESS_BEFORE_PLAN,
    rectification_accept,
    rectification_plan_save,
    rectification_progress_add,
)
from tests.factories import BranchFactory

from .factories import RectificationFactory

pytestmark = pytest.mark.django_db

LIST = reverse("branches:rectification_list")


def url(name, r):
    return reverse(f"branches:rectification_{name}", args=[r.pk])


@pytest.fixture
def listed(village):
    return RectificationFactory(branch=BranchFactory(village=village, is_weak_lax=True))


@pytest.fixture
def foreign(foreign_village):
    return RectificationFactory(branch=BranchFactory(village=foreign_village, is_weak_lax=True), reason="外乡原因")


@pytest.fixture
def under_way(listed, township_clerk):
    rectification_plan_save(rectification=listed, plan="选优配强班子", by=township_clerk)
    rectification_progress_add(rectification=listed, note="调整了两名支委", date=dt.date(2026, 4, 1), by=township_clerk)
    listed.refresh_from_db()
    return listed


@pytest.mark.parametrize("role", ["township_clerk", "county_admin", "branch_reviewer"])
def test_township_and_county_roles_see_the_list(role, request, client_for, listed, foreign):
    response = client_for(request.getfixturevalue(role)).get(LIST)
    assert response.status_code == 200
    shown = {r.pk for r in response.context["rectifications"]}
    assert shown == ({listed.pk} if role == "township_clerk" else {listed.pk, foreign.pk})


@pytest.mark.parametrize("role", ["village_secretary", "first_secretary"])
def test_village_roles_are_refused_the_rectification_pages(role, request, client_for, listed):
    client = client_for(request.getfixturevalue(role))
    assert client.get(LIST).status_code == 403
    assert client.get(url("detail", listed)).status_code == 403


def test_another_townships_rectification_is_404(client_for, other_township_clerk, listed):
    client = client_for(other_township_clerk)
    assert client.get(url("detail", listed)).status_code == 404
    assert client.post(url("plan", listed), {"plan": "x"}).status_code == 404
    assert client.post(url("accept", listed), {"accepted_on": "2026-05-01"}).status_code == 404


def test_wrong_method_is_405(client_for, county_admin, listed):
    client = client_for(county_admin)
    assert client.get(url("accept", listed)).status_code == 405
    assert client.get(url("progress", listed)).status_code == 405
    assert client.post(LIST).status_code == 405


def test_plan_then_progress_keeps_the_whole_history(client_for, township_clerk, listed):
    client = client_for(township_clerk)
    assert client.post(url("plan", listed), {"plan": "选优配强班子，规范组织生活"}).status_code == 302
    assert client.post(url("progress", listed), {"date": "2026-04-01", "note": "调整了两名支委"}).status_code == 302
    assert client.post(url("progress", listed), {"date": "2026-05-01", "note": "组织生活恢复正常"}).status_code == 302
    listed.refresh_from_db()
    assert listed.status == RectificationStatus.RECTIFYING
    assert listed.progress == "组织生活恢复正常"
    assert list(listed.updates.values_list("note", flat=True)) == ["组织生活恢复正常", "调整了两名支委"]
    assert set(RecordEvent.objects.filter(record_id=listed.pk).values_list("action", flat=True)) == {"plan", "progress"}
    page = client.get(url("detail", listed)).content.decode()
    assert "调整了两名支委" in page and "组织生活恢复正常" in page


def test_empty_plan_and_progress_give_messages(client_for, township_clerk, listed):
    client = client_for(township_clerk)
    response = client.post(url("plan", listed), {"plan": ""})
    assert response.status_code == 400 and "请填写整顿方案" in response.content.decode()
    response = client.post(url("progress", listed), {"date": "2026-04-01", "note": "进展"})
    assert response.status_code == 400 and MSG_PROGRESS_BEFORE_PLAN in response.content.decode()
    assert not RectificationUpdate.objects.exists()


def test_a_lead_department_reads_but_may_not_rectify(client_for, branch_reviewer, listed):
    assert client_for(branch_reviewer).post(url("plan", listed), {"plan": "方案"}).status_code == 403
    listed.refresh_from_db()
    assert listed.plan == "" and listed.status == RectificationStatus.LISTED


def test_the_organisation_department_accepts_and_the_flag_clears(client_for, county_admin, under_way):
    response = client_for(county_admin).post(url("accept", under_way), {"accepted_on": "2026-05-10", "note": "整改到位"})
    assert response.status_code == 302
    under_way.refresh_from_db()
    assert (under_way.status, under_way.accepted_on, under_way.accepted_by_user) == (
        RectificationStatus.ACCEPTED, dt.date(2026, 5, 10), county_admin)
    assert Branch.objects.get(pk=under_way.branch_id).is_weak_lax is False
    assert RecordEvent.objects.get(record_id=under_way.pk, action="accept").actor == county_admin


@pytest.mark.parametrize("role", ["township_clerk", "branch_reviewer"])
def test_other_roles_are_refused_the_acceptance(role, request, client_for, under_way):
    response = client_for(request.getfixturevalue(role)).post(url("accept", under_way), {"accepted_on": "2026-05-10"})
    assert response.status_code == 403
    under_way.refresh_from_db()
    assert under_way.status == RectificationStatus.RECTIFYING
    assert Branch.objects.get(pk=under_way.branch_id).is_weak_lax is True


def test_acceptance_out_of_order_is_refused(client_for, county_admin, township_clerk, listed):
    client = client_for(county_admin)
    response = client.post(url("accept", listed), {"accepted_on": "2026-05-10"})  # no plan yet
    assert response.status_code == 400 and MSG_ACCEPT_WITHOUT_PLAN in response.content.decode()
    rectification_plan_save(rectification=listed, plan="方案", by=township_clerk)
    response = client.post(url("accept", listed), {"accepted_on": "2026-05-10"})  # no progress yet
    assert response.status_code == 400 and MSG_ACCEPT_WITHOUT_PROGRESS in response.content.decode()
    assert Branch.objects.get(pk=listed.branch_id).is_weak_lax is True


def test_acceptance_before_the_listing_or_twice_is_refused(county_admin, township_clerk, under_way):
    with pytest.raises(ValidationError) as error:
        rectification_accept(rectification=under_way, by=county_admin, accepted_on=dt.date(2026, 1, 5))
    assert MSG_ACCEPT_BEFORE_LISTING in error.value.messages
    rectification_accept(rectification=under_way, by=county_admin, accepted_on=dt.date(2026, 5, 10))
    with pytest.raises(ValidationError) as error:
        rectification_accept(rectification=under_way, by=county_admin, accepted_on=dt.date(2026, 5, 11))
    assert MSG_ALREADY_ACCEPTED in error.value.messages
    with pytest.raises(ValidationError):
        rectification_progress_add(rectification=under_way, note="再报", by=township_clerk)


def test_a_missing_accept_date_is_a_message(client_for, county_admin, under_way):
    response = client_for(county_admin).post(url("accept", under_way), {"accepted_on": ""})
    assert response.status_code == 400 and "请填写验收日期" in response.content.decode()


def test_another_open_listing_keeps_the_branch_weak_and_lax(county_admin, township_clerk, under_way):
    second = RectificationFactory(branch=under_way.branch, year=2026, reason="另一原因")
    rectification_accept(rectification=under_way, by=county_admin, accepted_on=dt.date(2026, 5, 10))
    assert Branch.objects.get(pk=under_way.branch_id).is_weak_lax is True
    assert Rectification.objects.get(pk=second.pk).status == RectificationStatus.LISTED


def test_the_other_townships_clerk_cannot_plan_through_the_service(other_township_clerk, listed):
    with pytest.raises(PermissionDenied):
        rectification_plan_save(rectification=listed, plan="方案", by=other_township_clerk)


def test_acceptance_lifts_the_branch_star_veto_through_the_engine(county_admin, under_way, standard, this_month,
                                                                  django_capture_on_commit_callbacks):
    from ratings.models import StarScore
    from ratings.services.scoring import recompute

    year, month = this_month
    village = under_way.branch.village
    recompute(year=year, month=month, village_ids=[village.pk])
    assert "weak_lax" in StarScore.objects.get(village=village, star="branch", view="live", year=year,
                                               month=month).reasons
    with django_capture_on_commit_callbacks(execute=True):
        rectification_accept(rectification=under_way, by=county_admin, accepted_on=dt.date(2026, 5, 10))
    # The acceptance queued the village's recompute; it ran (eagerly) once committed.
    assert "weak_lax" not in StarScore.objects.get(village=village, star="branch", view="live", year=year,
                                                   month=month).reasons


NEW = reverse("branches:rectification_create")


def test_the_organisation_department_lists_a_branch_and_the_flag_is_set(client_for, county_admin, village):
    branch = BranchFactory(village=village, is_weak_lax=False)
    response = client_for(county_admin).post(NEW, {
        "village": village.code, "reason": "班子不团结、软弱无力", "listed_on": dt.date.today().isoformat()})
    rectification = Rectification.objects.get(branch=branch)
    assert response.url == url("detail", rectification)
    assert rectification.status == RectificationStatus.LISTED
    branch.refresh_from_db()
    assert branch.is_weak_lax
    assert RecordEvent.objects.filter(record_id=rectification.pk, action="create").exists()


def test_a_branch_under_rectification_cannot_be_listed_twice(client_for, county_admin, listed):
    response = client_for(county_admin).post(NEW, {
        "village": listed.branch.village.code, "reason": "x", "listed_on": dt.date.today().isoformat()})
    assert "尚未列入的村" in response.content.decode()
    assert Rectification.objects.count() == 1


def test_listing_needs_a_reason_and_no_future_date(client_for, county_admin, village):
    BranchFactory(village=village)
    body = client_for(county_admin).post(NEW, {
        "village": village.code, "reason": "", "listed_on": "2099-01-01"}).content.decode()
    assert "请填写软弱涣散原因" in body
    body = client_for(county_admin).post(NEW, {
        "village": village.code, "reason": "x", "listed_on": "2099-01-01"}).content.decode()
    assert "日期不能晚于今天" in body
    assert not Rectification.objects.exists()


@pytest.mark.parametrize("role", ["township_clerk", "branch_reviewer", "village_secretary"])
def test_only_the_organisation_department_lists(role, request, client_for, village):
    BranchFactory(village=village)
    c = client_for(request.getfixturevalue(role))
    assert c.get(NEW).status_code == 403
    assert c.post(NEW, {"village": village.code, "reason": "x"}).status_code == 403
    assert not Rectification.objects.exists()


def test_listing_page_offers_only_unlisted_villages_and_refuses_put(client_for, county_admin, listed, other_village):
    BranchFactory(village=other_village)
    c = client_for(county_admin)
    body = c.get(NEW).content.decode()
    assert other_village.code in body and f'value="{listed.branch.village.code}"' not in body
    assert c.put(NEW).status_code == 405
