"""The meeting-room screen: the latest published month of the county, for county users only, its
refresh answered with the body alone, and as many queries for 300 villages as for 30."""

from __future__ import annotations

from collections import Counter
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cadres.models import Role, star_label
from ratings.models import MonthClose, StarScore, VillageScore
from reports.selectors_screen import FIVE_STAR_SHOWN, IMPROVED_SHOWN
from tests.factories import PostFactory, UserFactory
from tests.reports.trend_world import add_results, add_townships, add_villages, year_of_results
from villages.models import Level, Region

pytestmark = pytest.mark.django_db

URL = "/reports/screen/"


@pytest.fixture
def world(county, township, other_township, village, other_village, foreign_village):
    villages = add_villages(township, 10, urban_from=9) + add_villages(other_township, 10, urban_from=9)
    year_of_results(county, villages)
    return villages


def published(month: int):
    return VillageScore.objects.filter(year=2026, month=month, view="published")


def test_screen_url_name_resolves():
    assert reverse("reports:screen") == URL


def test_screen_shows_the_latest_closed_month_from_its_published_rows(client_for, county_admin, world):
    response = client_for(county_admin).get(URL)
    assert response.status_code == 200
    data = response.context["data"]
    # June has live rows only (the running month): the meeting discusses May, as published.
    assert (data["year"], data["month"]) == (2026, 5)
    assert "2026年5月" in response.content.decode()
    counts = Counter(published(5).values_list("star_level", flat=True))
    assert [lv["count"] for lv in data["levels"]] == [counts.get(i, 0) for i in range(6)]
    april = Counter(published(4).values_list("star_level", flat=True))
    assert data["five_star_change"] == counts.get(5, 0) - april.get(5, 0)
    assert data["scored"] == 20
    totals = list(published(5).values_list("total", flat=True))
    assert data["average"] == (sum(totals) / len(totals)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    earned = StarScore.objects.filter(year=2026, month=5, view="published", earned=True)
    assert data["stars_total"] == earned.count()
    # Counted under each village's own name of the star (a community's 宜业兴业星 is not 产业兴旺星).
    assert {s["name"]: s["count"] for s in data["stars"] if s["count"]} == Counter(
        star_label(code, kind) for code, kind in earned.values_list("star", "village__kind"))


def test_screen_league_ranks_townships_with_movement_against_the_month_before(client_for, county_admin, world):
    data = client_for(county_admin).get(URL).context["data"]

    def ranks(month):
        sums = {}
        for code, total in published(month).values_list("township__code", "total"):
            sums.setdefault(code, []).append(total)
        avg = {c: (sum(t) / len(t)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) for c, t in sums.items()}
        return {c: i + 1 for i, c in enumerate(sorted(avg, key=lambda c: (-avg[c], c)))}

    may, april = ranks(5), ranks(4)
    assert [row.code for row in data["league"]] == sorted(may, key=may.get)
    for row in data["league"]:
        assert row.rank == may[row.code] and row.movement == april[row.code] - may[row.code]
        assert row.five_star == published(5).filter(township__code=row.code, star_level=5).count()


def test_screen_lists_five_star_villages_and_the_most_improved(client_for, county_admin, world):
    data = client_for(county_admin).get(URL).context["data"]
    five = list(published(5).filter(star_level=5).order_by("-total", "village__code")
                .values_list("village__name", flat=True))
    assert five and [v["name"] for v in data["five_star"]] == five[:FIVE_STAR_SHOWN]
    improved = list(published(5).filter(county_movement__gt=0).order_by("-county_movement", "county_rank",
                                                                        "village__code")[:IMPROVED_SHOWN])
    assert [(v["name"], v["movement"]) for v in data["improved"]] == [
        (s.village.name, s.county_movement) for s in improved]


def test_more_five_star_villages_than_fit_are_counted(client_for, county_admin, county, township):
    villages = add_villages(township, 200)
    add_results(villages, month=5, view="published")
    MonthClose.objects.create(county=county, year=2026, month=5, closed_at=VillageScore.objects.first().computed_at)
    response = client_for(county_admin).get(URL)
    data = response.context["data"]
    assert data["five_star_count"] == published(5).filter(star_level=5).count() > FIVE_STAR_SHOWN
    assert len(data["five_star"]) == FIVE_STAR_SHOWN
    assert f"等共 {data['five_star_count']} 个" in response.content.decode()


def test_screen_without_a_closed_month_says_so(client_for, county_admin, county, township, village):
    add_results([village], month=5, view="live")
    response = client_for(county_admin).get(URL)
    assert response.status_code == 200
    assert "尚无已发布的月度结果" in response.content.decode()


def test_screen_refreshes_itself_every_minute_through_htmx(client_for, county_admin, world):
    body = client_for(county_admin).get(URL).content.decode()
    assert f'hx-get="{URL}"' in body and 'hx-trigger="every 60s"' in body


def test_htmx_refresh_answers_with_the_body_only(client_for, county_admin, world):
    response = client_for(county_admin).get(URL, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body and "hx-trigger" not in body
    assert 'data-testid="screen-league"' in body


def test_the_warnings_count_is_the_countys_open_warnings(client_for, county_admin, world, village, township,
                                                         foreign_village, other_township):
    from ratings.models import EarlyWarning, WarningKind, WarningState

    for region, town, state, key in ((village, township, WarningState.OPEN, "a"),
                                     (foreign_village, other_township, WarningState.OPEN, "b"),
                                     (village, township, WarningState.ACKNOWLEDGED, "c"),
                                     (village, township, WarningState.CLEARED, "d")):
        EarlyWarning.objects.create(kind=WarningKind.WEAK_LAX, region=region, township=town, key=key, year=2026,
                                    month=5, text="测试", state=state)
    response = client_for(county_admin).get(URL)
    assert response.context["data"]["warnings"] == 2
    assert '<div class="kpi-value">2</div>' in response.content.decode().split('data-testid="screen-warnings"')[1]


def test_lead_department_and_county_leader_see_the_screen(client_for, industry_reviewer, county, world):
    leader = UserFactory(username="county_leader")
    PostFactory(user=leader, role=Role.COUNTY_LEADER, region=county)
    assert client_for(industry_reviewer).get(URL).status_code == 200
    assert client_for(leader).get(URL).status_code == 200


def test_township_and_village_users_get_403(client_for, township_clerk, village_secretary, first_secretary, world):
    for user in (township_clerk, village_secretary, first_secretary):
        assert client_for(user).get(URL).status_code == 403
        assert client_for(user).get(URL, HTTP_HX_REQUEST="true").status_code == 403


def test_anonymous_is_sent_to_login(client, world):
    response = client.get(URL)
    assert response.status_code == 302 and "login" in response["Location"]


def test_post_is_405(client_for, county_admin, world):
    assert client_for(county_admin).post(URL).status_code == 405


def test_screen_issues_as_many_queries_for_300_villages_as_for_30(client_for, county_admin, county, township):
    def count(hx: bool) -> int:
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            response = c.get(URL, **({"HTTP_HX_REQUEST": "true"} if hx else {}))
        assert response.status_code == 200
        return len(queries)

    c = client_for(county_admin)
    year_of_results(county, add_villages(township, 30))
    for_30 = (count(False), count(True))
    for t in add_townships(county, range(2, 11)):
        add_villages(t, 30)
    MonthClose.objects.filter(county=county).delete()
    VillageScore.objects.all().delete()
    StarScore.objects.all().delete()
    everyone = list(Region.objects.filter(level=Level.VILLAGE).order_by("code"))
    assert len(everyone) == 300
    year_of_results(county, everyone)
    assert (count(False), count(True)) == for_30
    assert max(for_30) <= 10
