"""Communities' needs and resources (需求清单 / 资源清单): recording, matching a need to a resource
and following it to done, the 共建共享 figure through the real engine (only from the month the
need was done in), and scope and role checks on every page and endpoint."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from branches.models_community import CommunityNeed, CommunityResource, NeedMatch, NeedStatus
from branches.services_community import (
    MSG_NOT_COMMUNITY,
    MSG_OTHER_COMMUNITY,
    MSG_WITHDRAW_RUNNING,
    match_cancel,
    need_cancel,
    need_done,
    need_match,
    need_record,
    resource_record,
    resource_withdraw,
)
from cadres.models import Role
from ratings.detail import detail_rows
from ratings.models import StarScore
from ratings.providers.branch_life import community_needs_done
from ratings.services.scoring import recompute
from ratings.services.standard import standard_load_defaults
from tests.factories import PostFactory, UserFactory, VillageFactory

TODAY = timezone.localdate()
D = dt.date
OFFERED, RAISED = D(2025, 1, 10), D(2025, 2, 1)


@pytest.fixture
def community(township):
    return VillageFactory(parent=township, code="419901001101", name="长安社区", kind="urban")


@pytest.fixture
def foreign_community(other_township):
    return VillageFactory(parent=other_township, code="419901002101", name="河畔社区", kind="urban")


@pytest.fixture
def community_secretary(community):
    user = UserFactory(username="community_secretary", full_name="郑书记")
    PostFactory(user=user, role=Role.VILLAGE_SECRETARY, region=community)
    return user


def _resource(by, community, offered_on=OFFERED, **extra):
    values = {"provider_name": "县人民医院", "provider_kind": "unit", "category": "health",
              "description": "每月一次进社区义诊", "offered_on": offered_on, **extra}
    return resource_record(by=by, community=community, **values)


def _need(by, community, raised_on=RAISED, **extra):
    values = {"title": "高血压老人定期测量血压", "category": "health", "raised_on": raised_on, **extra}
    return need_record(by=by, community=community, **values)


# --- the workflow ------------------------------------------------------------------------------

def test_a_need_is_matched_then_done_with_dates(community_secretary, community):
    resource = _resource(community_secretary, community)
    need = _need(community_secretary, community)
    match = need_match(by=community_secretary, need=need, resource=resource, matched_on=D(2025, 3, 5), note="每周二上门")
    assert CommunityNeed.objects.get(pk=need.pk).status == NeedStatus.MATCHED
    done = need_done(by=community_secretary, need=need, done_on=D(2025, 4, 10), note="居民满意")
    assert done.pk == match.pk and (done.matched_on, done.done_on) == (D(2025, 3, 5), D(2025, 4, 10))
    assert CommunityNeed.objects.get(pk=need.pk).status == NeedStatus.DONE


def test_a_done_need_marks_the_community_for_a_live_recompute_of_that_month(community_secretary, community):
    from ratings.models import PendingRecompute

    need = _need(community_secretary, community, raised_on=TODAY)
    need_match(by=community_secretary, need=need, resource=_resource(community_secretary, community, offered_on=TODAY),
               matched_on=TODAY)
    assert not PendingRecompute.objects.filter(village=community).exists()
    need_done(by=community_secretary, need=need, done_on=TODAY)
    assert PendingRecompute.objects.filter(village=community, year=TODAY.year, month=TODAY.month).exists()


def test_match_rules(community_secretary, community, foreign_community, township_clerk, other_township_clerk):
    resource = _resource(community_secretary, community, offered_on=D(2025, 3, 1))
    foreign = _resource(other_township_clerk, foreign_community)
    need = _need(community_secretary, community)
    with pytest.raises(ValidationError) as exc:
        need_match(by=community_secretary, need=need, resource=foreign, matched_on=D(2025, 3, 5))
    assert MSG_OTHER_COMMUNITY in str(exc.value)
    with pytest.raises(ValidationError):  # the resource was not offered yet that day
        need_match(by=community_secretary, need=need, resource=resource, matched_on=D(2025, 2, 20))
    with pytest.raises(ValidationError):  # before the need was raised
        need_match(by=community_secretary, need=need, resource=resource, matched_on=D(2025, 1, 20))
    with pytest.raises(ValidationError):  # in the future
        need_match(by=community_secretary, need=need, resource=resource, matched_on=TODAY + dt.timedelta(days=1))
    with pytest.raises(ValidationError):  # done before it was matched
        need_done(by=community_secretary, need=need, done_on=D(2025, 3, 5))
    need_match(by=township_clerk, need=need, resource=resource, matched_on=D(2025, 3, 5))
    with pytest.raises(ValidationError):
        need_match(by=township_clerk, need=need, resource=resource, matched_on=D(2025, 3, 6))
    with pytest.raises(ValidationError):
        need_done(by=community_secretary, need=need, done_on=D(2025, 3, 1))
    assert NeedMatch.objects.count() == 1


def test_undoing_a_match_reopens_the_need_and_keeps_the_record(community_secretary, community):
    resource = _resource(community_secretary, community)
    need = _need(community_secretary, community)
    need_match(by=community_secretary, need=need, resource=resource, matched_on=D(2025, 3, 5))
    with pytest.raises(ValidationError) as exc:
        resource_withdraw(by=community_secretary, resource=resource, on=TODAY)
    assert MSG_WITHDRAW_RUNNING.format(title=need.title) in exc.value.messages
    match_cancel(by=community_secretary, need=need, on=TODAY)
    assert CommunityNeed.objects.get(pk=need.pk).status == NeedStatus.OPEN
    again = need_match(by=community_secretary, need=need, resource=resource, matched_on=TODAY)
    assert NeedMatch.objects.filter(need=need).count() == 2 and again.cancelled_on is None
    with pytest.raises(ValidationError):
        need_cancel(by=community_secretary, need=need, on=TODAY)


def test_open_need_can_be_withdrawn_and_resource_stopped(community_secretary, community):
    resource = _resource(community_secretary, community)
    need = need_cancel(by=community_secretary, need=_need(community_secretary, community), on=TODAY)
    assert need.status == NeedStatus.CANCELLED and need.cancelled_on == TODAY
    assert resource_withdraw(by=community_secretary, resource=resource, on=TODAY).withdrawn_on == TODAY
    with pytest.raises(ValidationError):  # no longer available for a new match
        need_match(by=community_secretary, need=_need(community_secretary, community, raised_on=TODAY),
                   resource=resource, matched_on=TODAY)


def test_only_urban_communities_and_their_keepers(village, village_secretary, community, county_admin,
                                                  industry_reviewer, first_secretary, other_township_clerk):
    with pytest.raises(ValidationError) as exc:
        _need(village_secretary, village)
    assert MSG_NOT_COMMUNITY in exc.value.messages
    for user in (county_admin, industry_reviewer, other_township_clerk):
        with pytest.raises(PermissionDenied):
            _need(user, community)
    assert not CommunityNeed.objects.exists()


# --- the 共建共享 star through the real engine ----------------------------------------------------

def _ecology(community, month):
    return StarScore.objects.get(village=community, year=2025, month=month, view="live", star="ecology")


def test_a_done_match_moves_the_joint_building_score_only_from_the_month_it_was_done(community_secretary, community,
                                                                                      village):
    standard_load_defaults(year=2025)
    resource = _resource(community_secretary, community)
    need = _need(community_secretary, community)
    need_match(by=community_secretary, need=need, resource=resource, matched_on=D(2025, 3, 5))
    for month in (3, 4, 5):
        recompute(year=2025, month=month, village_ids=[community.pk, village.pk])
    before = {m: _ecology(community, m).score for m in (3, 4, 5)}
    rural_before = StarScore.objects.get(village=village, year=2025, month=4, view="live", star="ecology").score

    need_done(by=community_secretary, need=need, done_on=D(2025, 4, 10))
    for month in (3, 4, 5):
        recompute(year=2025, month=month, village_ids=[community.pk, village.pk])

    after = {m: _ecology(community, m).score for m in (3, 4, 5)}
    assert after[3] == before[3]  # a past month's figure does not change
    # One done of a target of twelve a year: 10 points × 1/12 = 0.83, from April on (year to date).
    assert after[4] - before[4] == Decimal("0.83")
    assert after[5] - before[5] == Decimal("0.83")
    detail = {r["code"]: r for r in detail_rows(_ecology(community, 4).indicators)}["ecology.needs_done"]
    assert Decimal(detail["value"]) == 1
    assert StarScore.objects.get(village=village, year=2025, month=4, view="live", star="ecology").score == rural_before


def test_provider_counts_done_matches_by_month_in_one_query(community_secretary, community, foreign_community,
                                                            other_township_clerk, django_assert_num_queries):
    for who, where in ((community_secretary, community), (other_township_clerk, foreign_community)):
        resource = _resource(who, where)
        for done_on in (D(2025, 2, 20), D(2025, 4, 2)):
            need = _need(who, where)
            need_match(by=who, need=need, resource=resource, matched_on=D(2025, 2, 10))
            need_done(by=who, need=need, done_on=done_on)
    cancelled = _need(community_secretary, community)
    need_match(by=community_secretary, need=cancelled, resource=CommunityResource.objects.filter(
        community=community).first(), matched_on=D(2025, 2, 10))
    match_cancel(by=community_secretary, need=cancelled, on=D(2025, 3, 1) if D(2025, 3, 1) < TODAY else TODAY)
    with django_assert_num_queries(1):
        answer = community_needs_done(village_ids=None, year=2025, month=3)
    assert answer[community.pk] == [(1, Decimal(0)), (2, Decimal(1)), (3, Decimal(0))]
    assert set(answer) == {community.pk, foreign_community.pk}
    assert community_needs_done(village_ids=[community.pk], year=2025, month=4)[community.pk][-1] == (4, Decimal(1))


# --- pages: scope and roles ----------------------------------------------------------------------

def test_community_secretary_records_and_follows_a_need_on_the_pages(client_for, community_secretary, community):
    client = client_for(community_secretary)
    assert client.get(reverse("branches:community_index")).url == reverse("branches:community_page",
                                                                          args=[community.code])
    response = client.post(reverse("branches:resource_new", args=[community.code]), {
        "provider_name": "县人民医院", "provider_kind": "unit", "category": "health", "description": "义诊",
        "offered_on": TODAY.isoformat()})
    assert response.status_code == 302
    response = client.post(reverse("branches:need_new", args=[community.code]), {
        "title": "老人测血压", "category": "health", "raised_on": TODAY.isoformat()})
    need = CommunityNeed.objects.get()
    assert response.url == reverse("branches:need_detail", args=[need.pk])
    page = client.get(response.url).content.decode()
    assert "县人民医院：义诊" in page and "对接资源" in page
    resource = CommunityResource.objects.get()
    client.post(reverse("branches:need_action", args=[need.pk, "match"]), {
        "resource": resource.pk, "matched_on": TODAY.isoformat()})
    client.post(reverse("branches:need_action", args=[need.pk, "done"]), {"done_on": TODAY.isoformat(), "note": "已测"})
    assert CommunityNeed.objects.get().status == NeedStatus.DONE
    listing = client.get(reverse("branches:community_page", args=[community.code])).content.decode()
    assert "老人测血压" in listing and "已办结" in listing


def test_bad_dates_on_the_pages_say_why_and_change_nothing(client_for, community_secretary, community):
    client = client_for(community_secretary)
    response = client.post(reverse("branches:need_new", args=[community.code]), {
        "title": "老人测血压", "category": "health", "raised_on": (TODAY + dt.timedelta(days=3)).isoformat()})
    assert response.status_code == 200 and "日期不能晚于今天" in response.content.decode()
    response = client.post(reverse("branches:need_new", args=[community.code]), {"title": "", "category": "x"})
    assert response.status_code == 200 and "此项为必填项" in response.content.decode()
    assert not CommunityNeed.objects.exists()


def test_pages_scope_and_roles(client_for, community, foreign_community, community_secretary, township_clerk,
                               county_admin, other_township_clerk, village_secretary):
    need = _need(community_secretary, community, raised_on=TODAY)
    resource = _resource(community_secretary, community, offered_on=TODAY)
    pages = [reverse("branches:community_page", args=[community.code]),
             reverse("branches:need_detail", args=[need.pk])]
    for url in pages:
        assert client_for(other_township_clerk).get(url).status_code == 404
        assert client_for(county_admin).get(url).status_code == 200
        assert client_for(township_clerk).get(url).status_code == 200
    writes = [reverse("branches:need_new", args=[community.code]), reverse("branches:resource_new", args=[community.code])]
    for url in writes:
        assert client_for(county_admin).get(url).status_code == 403
        assert client_for(other_township_clerk).get(url).status_code == 404
        assert client_for(township_clerk).get(url).status_code == 200
    assert client_for(county_admin).post(reverse("branches:need_action", args=[need.pk, "cancel"])).status_code == 403
    assert client_for(county_admin).post(reverse("branches:resource_withdraw", args=[resource.pk])).status_code == 403
    assert client_for(other_township_clerk).post(
        reverse("branches:resource_withdraw", args=[resource.pk])).status_code == 404
    assert client_for(township_clerk).get(reverse("branches:resource_withdraw", args=[resource.pk])).status_code == 405
    assert client_for(township_clerk).get(reverse("branches:need_action", args=[need.pk, "cancel"])).status_code == 405
    # A rural village's secretary is told the lists are for communities.
    assert "不适用" in client_for(village_secretary).get(reverse("branches:community_index")).content.decode()
    assert client_for(village_secretary).get(pages[0]).status_code == 404
    assert foreign_community.name in client_for(county_admin).get(reverse("branches:community_index")).content.decode()


def test_overview_query_count_does_not_grow_with_communities(client_for, county_admin, township,
                                                             django_assert_max_num_queries):
    for n in range(15):
        VillageFactory(parent=township, code=f"419901001{120 + n:03d}", kind="urban")
    client = client_for(county_admin)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("branches:community_index")).status_code == 200


# --- API -------------------------------------------------------------------------------------------

def test_api_workflow_scope_and_roles(api_for, community, community_secretary, township_clerk, other_township_clerk,
                                      county_admin):
    api = api_for(community_secretary)
    resource = api.post(reverse("community-resource-list"), {
        "community": community.code, "provider_name": "县人民医院", "provider_kind": "unit", "category": "health",
        "description": "义诊", "offered_on": TODAY.isoformat()}, format="json")
    assert resource.status_code == 201, resource.content
    need = api.post(reverse("community-need-list"), {
        "community": community.code, "title": "老人测血压", "category": "health", "raised_on": TODAY.isoformat()},
        format="json")
    assert need.status_code == 201
    pk = need.json()["id"]
    matched = api.post(reverse("community-need-match", args=[pk]), {
        "resource": resource.json()["id"], "matched_on": TODAY.isoformat()}, format="json")
    assert matched.status_code == 200 and matched.json()["status"] == "matched"
    done = api.post(reverse("community-need-done", args=[pk]), {"done_on": TODAY.isoformat()}, format="json")
    assert done.json()["status"] == "done" and done.json()["matches"][0]["done_on"] == TODAY.isoformat()
    again = api.post(reverse("community-need-done", args=[pk]), {"done_on": TODAY.isoformat()}, format="json")
    assert again.status_code == 400 and "已办结" in str(again.json())
    assert api_for(other_township_clerk).get(reverse("community-need-detail", args=[pk])).status_code == 404
    assert api_for(other_township_clerk).get(reverse("community-need-list")).json()["count"] == 0
    assert api_for(township_clerk).get(reverse("community-need-list"), {"status": "done"}).json()["count"] == 1
    refused = api_for(county_admin).post(reverse("community-need-list"), {
        "community": community.code, "title": "代报", "category": "health", "raised_on": TODAY.isoformat()},
        format="json")
    assert refused.status_code == 403
    assert api_for(county_admin).post(reverse("community-resource-withdraw",
                                              args=[resource.json()["id"]])).status_code == 403
    assert api_for(township_clerk).delete(reverse("community-need-detail", args=[pk])).status_code == 405
