from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import StarScoreFactory, VillageScoreFactory

pytestmark = pytest.mark.django_db


def url(code):
    return reverse("reports:village", args=[code])


@pytest.fixture
def results(village):
    VillageScoreFactory(village=village, month=4, stars_earned=["branch"], total=310, township_rank=2,
                        county_rank=5)
    VillageScoreFactory(village=village, month=5, stars_earned=["branch", "industry"], total=342,
                        township_rank=1, county_rank=3, township_movement=1, county_movement=2)
    StarScoreFactory(village=village, star="branch", score=90)
    StarScoreFactory(village=village, star="industry", score=82)
    StarScoreFactory(village=village, star="ecology", score=71, points_short=9, unmet=["ecology.toilets"],
                     indicators=[{"code": "ecology.toilets", "name": "卫生厕所普及率", "value": 60, "points": 0,
                                  "max_points": 10, "met": False, "gap": "需达到 85%"}])


def test_village_secretary_sees_stars_ranks_and_gaps(client_for, village_secretary, village, results):
    response = client_for(village_secretary).get(url(village.code))
    assert response.status_code == 200
    body = response.content.decode()
    assert "2026年5月 · 已发布数据" in body
    assert "乡镇内第 <b>1</b> 名" in body and "▲2" in body
    assert "卫生厕所普及率" in body and "需达到 85%" in body
    assert body.count("star-earned") == 2
    assert [t["month"] for t in response.context["data"]["trend"]] == [4, 5]


def test_explain_link_when_engine_page_exists(client_for, village_secretary, village, results):
    body = client_for(village_secretary).get(url(village.code)).content.decode()
    assert reverse("ratings:explain", args=[village.code, 2026, 5, "ecology"]) in body


def test_village_page_query_count_is_bounded(client_for, village_secretary, village, results,
                                             django_assert_max_num_queries):
    from django.utils import timezone

    from ratings.services.scoring_inputs import load_standards

    c = client_for(village_secretary)
    # The published standards as a process that has served a page keeps them: each page then
    # only checks they are unchanged (one query on PostgreSQL, three on SQLite).
    load_standards(timezone.localdate().year)
    # 15 + the early warnings panel (one query) + the running month beside the month shown (its
    # standards here; with results, its live rows and entries: a fixed number for one village).
    with django_assert_max_num_queries(17):
        assert c.get(url(village.code)).status_code == 200


def test_first_secretary_sees_own_village(client_for, first_secretary, village, results):
    assert client_for(first_secretary).get(url(village.code)).status_code == 200


def test_village_user_cannot_open_another_village(client_for, village_secretary, other_village):
    assert client_for(village_secretary).get(url(other_village.code)).status_code == 404


def test_township_user_sees_own_villages_only(client_for, township_clerk, village, foreign_village, results):
    c = client_for(township_clerk)
    assert c.get(url(village.code)).status_code == 200
    assert c.get(url(foreign_village.code)).status_code == 404


def test_county_user_sees_any_village(client_for, county_admin, foreign_village):
    response = client_for(county_admin).get(url(foreign_village.code))
    assert response.status_code == 200 and "暂无数据" in response.content.decode()


def test_post_is_405(client_for, village_secretary, village):
    assert client_for(village_secretary).post(url(village.code)).status_code == 405


def test_my_village_redirects(client_for, village_secretary, village):
    response = client_for(village_secretary).get(reverse("reports:my_village"))
    assert response.status_code == 302 and response.url == url(village.code)


def test_my_village_is_404_for_county_user(client_for, county_admin):
    assert client_for(county_admin).get(reverse("reports:my_village")).status_code == 404


def test_live_view_is_labelled(client_for, village_secretary, village, results):
    VillageScoreFactory(village=village, month=5, view="live", stars_earned=["branch"], total=320)
    body = client_for(village_secretary).get(url(village.code), {"year": 2026, "month": 5, "view": "live"}).content.decode()
    assert "2026年5月 · 实时数据" in body and "320" in body


def test_what_is_missing_leaves_out_vetoes_that_have_not_fired(client_for, village_secretary, village, standard,
                                                               this_month):
    from ratings.models import Indicator, Rule

    year, month = this_month
    veto = Indicator.objects.filter(star__standard=standard, star__code="ecology", rule=Rule.VETO).first()
    fired = Indicator.objects.filter(star__standard=standard, star__code="civility", rule=Rule.VETO).first()
    VillageScoreFactory(village=village, year=year, month=month, view="live", standard=standard)
    row = {"points": "0", "max_points": "0", "met": False, "gap": None}
    # As the engine stores them: a veto without a value is no event, met (the rule contract, docs/architecture.md).
    StarScoreFactory(village=village, year=year, month=month, view="live", star="ecology", score=60, earned=False,
                     unmet=["ecology.toilet_rate"],
                     indicators={"rows": [{**row, "code": "ecology.toilet_rate", "value": "50", "max_points": "15"},
                                          {**row, "code": veto.code, "value": None, "veto": False, "met": True}]})
    StarScoreFactory(village=village, year=year, month=month, view="live", star="civility", score=90, earned=False,
                     unmet=[fired.code], indicators={"rows": [{**row, "code": fired.code, "value": "1", "veto": True}]})
    response = client_for(village_secretary).get(url(village.code), {"year": year, "month": month, "view": "live"})
    missing = {i["code"] for g in response.context["data"]["gaps"] for i in g["items"]}
    assert missing == {"ecology.toilet_rate", fired.code}
    assert fired.name in response.content.decode() and veto.name not in response.content.decode()
