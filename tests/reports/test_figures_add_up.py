"""Figures that add up, named right: the county counts a community's stars under its own names,
each township's average is rounded half up on the dashboard as on the screen, the township plan's
targets by level add up to the targets set, a community's needs add up to their statuses (the
withdrawn ones included), and a village shows one secretary: the holder of its post."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from branches.models import Branch
from branches.models_community import CommunityNeed, NeedCategory, NeedStatus
from cadres.models import Role
from ratings.models import TargetLevel
from reports.selectors import TownshipRow
from tests.factories import PostFactory, UserFactory, VillageFactory
from tests.sums import marked_sums, wrong_sums
from villages.models import Kind

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year


@pytest.fixture
def community(township):
    return VillageFactory(parent=township, code="419901001101", name="建设路社区", kind=Kind.URBAN)


def test_the_county_counts_a_communitys_stars_under_the_communitys_names(client_for, county_admin, big_county):
    data = client_for(county_admin).get(reverse("reports:county_dashboard")).context["data"]
    names = [s["name"] for s in data["stars"]]
    # big_county has communities: their three own stars are counted apart from the rural ones.
    assert {"宜业兴业星", "共建共享星", "幸福和谐星", "产业兴旺星"} <= set(names)
    from ratings.models import VillageScore

    earned = VillageScore.objects.filter(year=2026, month=5, view="published").values_list("stars_earned",
                                                                                          "village__kind")
    urban_industry = sum(1 for stars, kind in earned if kind == Kind.URBAN and "industry" in stars)
    rural_industry = sum(1 for stars, kind in earned if kind == Kind.RURAL and "industry" in stars)
    counts = {s["name"]: s["count"] for s in data["stars"]}
    assert counts["宜业兴业星"] == urban_industry and counts["产业兴旺星"] == rural_industry
    heat_header = data["townships"][0].star_columns
    assert heat_header == names


def test_a_townships_average_is_rounded_half_up_as_on_the_screen(township):
    row = TownshipRow(township=township, scored=2, total_sum=Decimal("851.93"))
    assert row.average == Decimal("425.97")


def test_the_plans_targets_by_level_add_up_to_the_targets_set(client_for, township, village, other_village,
                                                              community, township_clerk, county_admin):
    TargetLevel.objects.create(village=village, year=YEAR, level=3, set_by=county_admin)
    TargetLevel.objects.create(village=other_village, year=YEAR, level=0, set_by=county_admin)
    page = client_for(township_clerk).get(reverse("campaign:township_plan", args=[township.code])).content.decode()
    assert not wrong_sums(page) and ("plan-targeted", Decimal(2), Decimal(2)) in marked_sums(page)
    assert "未定星" not in page and "暂不创星" in page and "尚未确定目标 1 个" in page


def test_a_communitys_needs_add_up_to_their_statuses(client_for, community, township_clerk):
    for status in (NeedStatus.OPEN, NeedStatus.DONE, NeedStatus.CANCELLED, NeedStatus.CANCELLED):
        CommunityNeed.objects.create(community=community, title="加装电梯", category=NeedCategory.OTHER,
                                     raised_on=timezone.localdate(), status=status)
    index = client_for(township_clerk).get(reverse("branches:community_index")).content.decode()
    assert ("needs-1", Decimal(4), Decimal(4)) in marked_sums(index)
    page = client_for(township_clerk).get(reverse("branches:community_page", args=[community.code])).content.decode()
    assert ("needs", Decimal(4), Decimal(4)) in marked_sums(page) and "已撤销" in page


def test_a_village_shows_one_secretary_the_holder_of_its_post(client_for, village, township_clerk, township):
    Branch.objects.create(village=village, name="东风村党支部", secretary_name="侯建燕")
    user = UserFactory(username="dongfeng_secretary", full_name="李书记")
    PostFactory(user=user, role=Role.VILLAGE_SECRETARY, region=village, start_date=timezone.localdate())
    profile = client_for(township_clerk).get(reverse("villages:region_detail", args=[village.code])).content.decode()
    assert "书记：李书记" in profile and "侯建燕" not in profile
    listing = client_for(township_clerk).get(reverse("villages:region_detail", args=[township.code])).content.decode()
    assert "李书记" in listing and "侯建燕" not in listing
