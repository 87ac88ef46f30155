"""Closed months show what was true then: the township a village was ranked in, the clerk in post."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from cadres.accounts import post_end, post_holders, user_create
from cadres.models import Role
from ratings.models import View, VillageScore
from ratings.services.month_close import month_close
from ratings.services.standard import standard_load_defaults
from villages.models import Region
from villages.services import township_merge, village_move


@pytest.fixture
def closed_march(county, village, other_village, foreign_village, county_admin):
    standard_load_defaults(year=2026)
    month_close(county=county, year=2026, month=3, by=county_admin, bulletins=False)


def test_a_moved_village_stays_in_its_old_township_in_closed_months(client_for, closed_march, county_admin, township,
                                                                     other_township, village):
    moved = village_move(village=village, township=other_township, code="419901002009")
    assert moved.pk == village.pk and moved.parent == other_township
    score = VillageScore.objects.get(village=village, year=2026, month=3, view=View.PUBLISHED)
    assert score.township == township
    client = client_for(county_admin)
    old = client.get(reverse("reports:township_dashboard", args=[township.code]),
                     {"year": 2026, "month": 3, "view": "published"}).content.decode()
    new = client.get(reverse("reports:township_dashboard", args=[other_township.code]),
                     {"year": 2026, "month": 3, "view": "published"}).content.decode()
    assert "东风村" in old and "东风村" not in new
    ranking = client.get(reverse("ratings:rankings"), {"year": 2026, "month": 3, "view": "published",
                                                        "township": township.code}).content.decode()
    assert "东风村" in ranking


def test_a_merged_township_is_kept_inactive_and_its_past_months_unchanged(closed_march, township, other_township,
                                                                          foreign_village):
    moved = township_merge(township=other_township, into=township)
    assert [v.code for v in moved] == ["419901001003"]
    other_township.refresh_from_db()
    assert not other_township.is_active and Region.objects.filter(pk=other_township.pk).exists()
    score = VillageScore.objects.get(village=foreign_village, year=2026, month=3, view=View.PUBLISHED)
    assert score.township == other_township


def test_a_merged_townships_staff_posts_end_and_the_merged_into_keeps_its_own(township, other_township, county_admin,
                                                                            township_clerk):
    from cadres.models import AccountEvent, Post
    from tests.factories import PostFactory, UserFactory

    staff = PostFactory(user=UserFactory(username="merged_clerk"), role=Role.TOWNSHIP_STAFF, region=other_township)
    township_merge(township=other_township, into=township, by=county_admin)
    staff.refresh_from_db()
    assert not staff.is_active and staff.end_date is not None
    assert Post.objects.get(user=township_clerk).is_active
    assert AccountEvent.objects.filter(user=staff.user, action=AccountEvent.Action.POST_END, actor=county_admin).exists()


def test_past_month_page_shows_the_clerk_in_post_then(client_for, closed_march, county_admin, township,
                                                      township_clerk):
    post = township_clerk.posts.get()
    post.start_date = dt.date(2026, 1, 1)
    post.save()
    post_end(post=post, by=county_admin, end_date=dt.date(2026, 3, 31))
    successor, _ = user_create(by=county_admin, full_name="接任专干", role=Role.TOWNSHIP_STAFF, region=township,
                               start_date=dt.date(2026, 4, 1))
    assert post_holders(region=township, role=Role.TOWNSHIP_STAFF, on=dt.date(2026, 3, 15)) == [township_clerk]
    client = client_for(county_admin)
    march = client.get(reverse("reports:township_dashboard", args=[township.code]),
                       {"year": 2026, "month": 3, "view": "published"}).content.decode()
    assert "2026年3月在岗乡镇专干：township_clerk" in march and "接任专干" not in march
    township_clerk.is_active = False  # a clerk who left and was disabled still shows for their months
    township_clerk.save()
    march = client.get(reverse("reports:township_dashboard", args=[township.code]),
                       {"year": 2026, "month": 3, "view": "published"}).content.decode()
    assert "在岗乡镇专干：township_clerk" in march
    today = dt.date.today()
    now = client.get(reverse("reports:township_dashboard", args=[township.code]),
                     {"year": today.year, "month": today.month}).content.decode()
    assert "在岗乡镇专干：接任专干" in now


def test_a_deactivated_village_keeps_its_past_results_and_is_no_longer_rated(closed_march, county, county_admin,
                                                                             village):
    Region.objects.filter(pk=village.pk).update(is_active=False)
    month_close(county=county, year=2026, month=4, by=county_admin, bulletins=False)
    assert VillageScore.objects.filter(village=village, year=2026, month=3, view=View.PUBLISHED).exists()
    assert not VillageScore.objects.filter(village=village, year=2026, month=4).exists()
    assert VillageScore.objects.filter(year=2026, month=4, view=View.PUBLISHED).count() == 2
