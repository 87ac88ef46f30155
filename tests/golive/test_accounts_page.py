"""The accounts page: county sees all, township staff only their township's village accounts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from cadres.models import AccountEvent, Post, Role
from tests.factories import PostFactory, UserFactory


@pytest.fixture
def foreign_secretary(foreign_village):
    user = UserFactory(username="foreign_secretary", full_name="柳书记", phone="13800000009")
    PostFactory(user=user, role=Role.VILLAGE_SECRETARY, region=foreign_village)
    return user


def test_county_lists_searches_and_filters_accounts(client_for, county_admin, township_clerk, village_secretary,
                                                    foreign_secretary, township):
    client = client_for(county_admin)
    page = client.get(reverse("cadres:account_list")).content.decode()
    assert "township_clerk" in page and "foreign_secretary" in page
    found = client.get(reverse("cadres:account_list"), {"q": "13800000009"}).content.decode()
    assert "foreign_secretary" in found and "township_clerk" not in found
    in_township = client.get(reverse("cadres:account_list"), {"township": township.code}).content.decode()
    assert "township_clerk" in in_township and "foreign_secretary" not in in_township
    by_role = client.get(reverse("cadres:account_list"), {"role": Role.VILLAGE_SECRETARY}).content.decode()
    assert "village_secretary" in by_role and "township_clerk" not in by_role


def test_township_staff_see_only_their_villages_accounts(client_for, township_clerk, village_secretary,
                                                         foreign_secretary, county_admin, other_township_clerk):
    client = client_for(township_clerk)
    page = client.get(reverse("cadres:account_list")).content.decode()
    assert "village_secretary" in page
    assert "foreign_secretary" not in page and "county_admin" not in page and "other_township_clerk" not in page
    for other in (foreign_secretary, county_admin, other_township_clerk):
        assert client.get(reverse("cadres:account_detail", args=[other.pk])).status_code == 404
        assert client.post(reverse("cadres:account_disable", args=[other.pk])).status_code == 404
        assert client.post(reverse("cadres:account_password_reset", args=[other.pk])).status_code == 404
    foreign_secretary.refresh_from_db()
    assert foreign_secretary.is_active


def test_township_staff_may_not_give_a_township_or_county_post(client_for, township_clerk, village_secretary,
                                                               township, county):
    client = client_for(township_clerk)
    for role, region in ((Role.TOWNSHIP_STAFF, township), (Role.ORGANISATION, county)):
        response = client.post(reverse("cadres:account_post_add", args=[village_secretary.pk]),
                               {"role": role, "region": region.pk})
        assert response.status_code == 403
    assert village_secretary.posts.count() == 1


def test_roles_without_accounts_are_refused(client_for, village_secretary, industry_reviewer):
    for user in (village_secretary, industry_reviewer):
        assert client_for(user).get(reverse("cadres:account_list")).status_code == 403


def test_township_staff_create_a_village_account_and_reset_its_password(client_for, township_clerk, village):
    client = client_for(township_clerk)
    response = client.post(reverse("cadres:account_create"), {
        "full_name": "新书记", "phone": "13911112222", "role": Role.VILLAGE_SECRETARY, "region": village.pk})
    assert response.status_code == 200
    assert "一次性密码" in response.content.decode() and response["Cache-Control"] == "no-store"
    post = Post.objects.get(user__full_name="新书记")
    assert post.user.username == f"sj{village.code}" and post.start_date == dt.date.today()
    reset = client.post(reverse("cadres:account_password_reset", args=[post.user.pk]))
    assert reset.status_code == 200
    actions = list(AccountEvent.objects.filter(user=post.user).values_list("action", "actor__username"))
    assert ("create", "township_clerk") in actions and ("password_reset", "township_clerk") in actions


def test_post_changes_hands_with_dates_and_every_change_is_audited(client_for, county_admin, township_clerk,
                                                                   township):
    client = client_for(county_admin)
    post = township_clerk.posts.get()
    client.post(reverse("cadres:account_post_end", args=[post.pk]), {"end_date": "2026-03-31"})
    post.refresh_from_db()
    assert not post.is_active and post.end_date == dt.date(2026, 3, 31)
    response = client.post(reverse("cadres:account_create"), {
        "full_name": "接任专干", "role": Role.TOWNSHIP_STAFF, "region": township.pk, "start_date": "2026-04-01"})
    assert response.status_code == 200
    client.post(reverse("cadres:account_edit", args=[township_clerk.pk]),
                {"full_name": "township_clerk", "phone": "13700001111"})
    client.post(reverse("cadres:account_disable", args=[township_clerk.pk]))
    client.post(reverse("cadres:account_enable", args=[township_clerk.pk]))
    actions = [a for a, in AccountEvent.objects.filter(user=township_clerk).order_by("at", "id").values_list("action")]
    assert actions == ["post_end", "update", "disable", "enable"]
    detail = client.get(reverse("cadres:account_detail", args=[township_clerk.pk])).content.decode()
    assert "结束岗位" in detail and "手机号：（空） → 13700001111" in detail and "停用账号" in detail
    assert "2026-03-31" in detail


def test_bad_phone_is_refused_in_chinese(client_for, county_admin, township):
    response = client_for(county_admin).post(reverse("cadres:account_create"), {
        "full_name": "甲", "phone": "123", "role": Role.TOWNSHIP_STAFF, "region": township.pk})
    assert response.status_code == 400 and "手机号应为11位数字" in response.content.decode()


def test_wrong_method_is_405(client_for, county_admin, township_clerk):
    client = client_for(county_admin)
    assert client.get(reverse("cadres:account_disable", args=[township_clerk.pk])).status_code == 405


def test_account_list_query_count_does_not_grow_with_rows(client_for, county_admin, village,
                                                          django_assert_max_num_queries):
    for n in range(25):
        PostFactory(user=UserFactory(username=f"s{n}"), role=Role.VILLAGE_SECRETARY, region=village)
    client = client_for(county_admin)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("cadres:account_list")).status_code == 200
