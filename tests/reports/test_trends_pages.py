"""Trend pages (county, township, village): figures from stored results, published rows for closed
months and live rows otherwise, scope and roles, empty states, and query counts that do not grow
with the number of villages."""

from __future__ import annotations

from collections import Counter
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.core.cache import cache
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cadres.models import Role
from ratings.models import MonthClose, StarScore, VillageScore
from tests.factories import PostFactory, UserFactory
from tests.reports.trend_world import add_results, add_townships, add_villages, year_of_results
from villages.models import Level, Region

pytestmark = pytest.mark.django_db

COUNTY_URL = "/reports/trends/county/"


def township_url(code: str) -> str:
    return reverse("reports:trends_township", args=[code])


def village_url(code: str) -> str:
    return reverse("reports:trends_village", args=[code])


@pytest.fixture
def world(county, township, other_township, village, other_village, foreign_village):
    """Two townships of ten villages each (the last two of each urban), March–May closed, June live."""
    villages = add_villages(township, 10, urban_from=9) + add_villages(other_township, 10, urban_from=9)
    year_of_results(county, villages)
    return villages


@pytest.fixture
def county_leader(county):
    user = UserFactory(username="county_leader", full_name="县领导")
    PostFactory(user=user, role=Role.COUNTY_LEADER, region=county)
    return user


def levels_of(month: int, view: str, prefix: str = "4199") -> list[int]:
    counts = Counter(VillageScore.objects.filter(year=2026, month=month, view=view, village__code__startswith=prefix)
                     .values_list("star_level", flat=True))
    return [counts.get(level, 0) for level in range(6)]


def test_trend_url_names_resolve():
    assert reverse("reports:trends_county") == COUNTY_URL
    assert reverse("reports:trends_mine") == "/reports/trends/"
    assert township_url("419901001000") == "/reports/trends/township/419901001000/"
    assert village_url("419901001001") == "/reports/trends/village/419901001001/"


def test_county_trends_show_published_rows_for_closed_months_and_live_rows_for_the_running_one(
        client_for, county_admin, world):
    response = client_for(county_admin).get(COUNTY_URL)
    assert response.status_code == 200
    data = response.context["data"]
    assert [(m.month, m.view) for m in data["months"]] == [(3, "published"), (4, "published"), (5, "published"),
                                                           (6, "live")]
    by_month = {lv["month"].month: lv["counts"] for lv in data["levels"]}
    # The published and live rows of a closed month differ (the world shifts the live ones): the page shows the published.
    assert levels_of(4, "published") != levels_of(4, "live")
    assert by_month[4] == levels_of(4, "published")
    assert by_month[6] == levels_of(6, "live")
    body = response.content.decode()
    assert "3月、4月、5月（已关账" in body and "6月（未关账" in body
    assert "6月（实时）" in body


def test_a_reopened_month_shows_its_live_rows_and_says_so(client_for, county_admin, world, county):
    MonthClose.objects.filter(county=county, year=2026, month=5).delete()
    data = client_for(county_admin).get(COUNTY_URL).context["data"]
    assert [m.month for m in data["live_months"]] == [5, 6]
    assert {lv["month"].month: lv["counts"] for lv in data["levels"]}[5] == levels_of(5, "live")


def test_each_stars_earn_rate_is_earned_over_scored_in_the_month(client_for, county_admin, world):
    data = client_for(county_admin).get(COUNTY_URL).context["data"]
    months = [m.month for m in data["months"]]
    for star in data["stars"]:
        rows = StarScore.objects.filter(year=2026, month=3, view="published", star=star["code"])
        expected = round(100 * rows.filter(earned=True).count() / rows.count(), 1)
        assert star["rates"][months.index(3)] == expected
    # Village i earns the first (i + shift) % 6 stars: more villages earn the branch star than the fifth.
    assert data["stars"][0]["rates"][0] > data["stars"][4]["rates"][0]


def _expected_league(month: int, view: str) -> list[str]:
    sums: dict[str, list] = {}
    for code, total in VillageScore.objects.filter(year=2026, month=month, view=view).values_list(
            "township__code", "total"):
        sums.setdefault(code, []).append(total)
    averages = {code: (sum(t) / len(t)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) for code, t in sums.items()}
    return sorted(averages, key=lambda c: (-averages[c], c))


def test_township_league_ranks_by_average_total_with_movement_against_the_month_before(
        client_for, county_admin, world):
    data = client_for(county_admin).get(COUNTY_URL).context["data"]
    months = [m.month for m in data["months"]]
    for month in (3, 4):
        ranked = sorted(data["league"], key=lambda t: t["cells"][months.index(month)].rank)
        assert [t["code"] for t in ranked] == _expected_league(month, "published")
    for t in data["league"]:
        march, april = t["cells"][months.index(3)], t["cells"][months.index(4)]
        assert march.movement is None  # no February in the year's results
        assert april.movement == march.rank - april.rank


def test_a_village_ranked_in_another_township_that_month_counts_there(client_for, county_admin, world,
                                                                     other_village, other_township, township):
    VillageScore.objects.filter(village=other_village, year=2026, month=3, view="published").update(
        township=other_township)
    mine = client_for(county_admin).get(township_url(township.code)).context["data"]
    theirs = client_for(county_admin).get(township_url(other_township.code)).context["data"]
    assert sum(mine["levels"][0]["counts"]) == 9 and sum(mine["levels"][1]["counts"]) == 10
    assert sum(theirs["levels"][0]["counts"]) == 11
    star_rows = {s["code"]: s for s in theirs["stars"]}
    expected = StarScore.objects.filter(year=2026, month=3, view="published", star="branch", village__in=[
        *Region.objects.filter(parent=other_township), other_village])
    assert star_rows["branch"]["rates"][0] == round(100 * expected.filter(earned=True).count() / 11, 1)


def test_township_trends_show_its_own_place_in_the_league_and_its_villages_ranks(
        client_for, township_clerk, world, township, other_township, village):
    response = client_for(township_clerk).get(township_url(township.code))
    assert response.status_code == 200
    data = response.context["data"]
    expected = _expected_league(3, "published").index(township.code) + 1
    assert data["own_league"][0]["row"].rank == expected and data["own_league"][0]["of"] == 2
    tables = {testid: rows for _title, rows, testid in data["village_tables"]}
    assert len(tables["village-ranks-rural"]) == 8 and len(tables["village-ranks-urban"]) == 2
    row = next(r for r in tables["village-ranks-rural"] if r.code == village.code)
    stored = VillageScore.objects.get(village=village, year=2026, month=6, view="live")
    assert row.cells[-1]["township_rank"] == stored.township_rank
    body = response.content.decode()
    # Another township's name is not the clerk's business (the league shows only its own place).
    assert other_township.name not in body
    assert village_url(village.code) in body


def test_village_trends_compare_each_star_with_its_townships_average_of_the_same_kind(
        client_for, village_secretary, world, village, township):
    response = client_for(village_secretary).get(village_url(village.code))
    assert response.status_code == 200
    data = response.context["data"]
    branch = next(r for r in data["star_rows"] if r["code"] == "branch")
    march = branch["cells"][0]
    own = StarScore.objects.get(village=village, year=2026, month=3, view="published", star="branch")
    peers = StarScore.objects.filter(year=2026, month=3, view="published", star="branch", village__parent=township,
                                     village__kind="rural").values_list("score", flat=True)
    assert march["score"] == own.score and march["earned"] == own.earned
    assert march["average"] == (sum(peers) / len(peers)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    stored = VillageScore.objects.get(village=village, year=2026, month=4, view="published")
    april = data["history"][1]
    assert (april["township_rank"], april["county_rank"], april["county_movement"]) == (
        stored.township_rank, stored.county_rank, stored.county_movement)
    assert april["township_size"] == 8 and april["county_size"] == 16
    assert data["chart"]["township_rank"][1] == stored.township_rank


def test_village_trends_average_follows_the_township_it_was_ranked_in(client_for, county_admin, world,
                                                                      other_village, other_township):
    VillageScore.objects.filter(village=other_village, year=2026, month=3, view="published").update(
        township=other_township)
    data = client_for(county_admin).get(village_url(other_village.code)).context["data"]
    peers = [other_village.pk, *Region.objects.filter(parent=other_township, kind="rural").values_list("pk", flat=True)]
    scores = StarScore.objects.filter(year=2026, month=3, view="published", star="industry",
                                      village__in=peers).values_list("score", flat=True)
    industry = next(r for r in data["star_rows"] if r["code"] == "industry")
    assert industry["cells"][0]["average"] == (sum(scores) / len(scores)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    assert data["history"][0]["township_size"] == 9


# --- who sees what ---------------------------------------------------------------------------


def test_lead_department_and_county_leader_read_the_county_trends(client_for, industry_reviewer, county_leader, world):
    assert client_for(industry_reviewer).get(COUNTY_URL).status_code == 200
    assert client_for(county_leader).get(COUNTY_URL).status_code == 200


def test_township_and_village_users_get_403_on_the_county_trends(client_for, township_clerk, village_secretary, world):
    assert client_for(township_clerk).get(COUNTY_URL).status_code == 403
    assert client_for(village_secretary).get(COUNTY_URL).status_code == 403


def test_clerk_of_another_township_gets_404_on_a_township_and_its_villages(
        client_for, other_township_clerk, world, township, village):
    c = client_for(other_township_clerk)
    assert c.get(township_url(township.code)).status_code == 404
    assert c.get(village_url(village.code)).status_code == 404


def test_village_users_get_403_on_their_townships_trends(client_for, village_secretary, first_secretary, world,
                                                         township):
    assert client_for(village_secretary).get(township_url(township.code)).status_code == 403
    assert client_for(first_secretary).get(township_url(township.code)).status_code == 403


def test_village_user_sees_only_their_own_village(client_for, village_secretary, first_secretary, world,
                                                  village, other_village):
    assert client_for(village_secretary).get(village_url(village.code)).status_code == 200
    assert client_for(village_secretary).get(village_url(other_village.code)).status_code == 404
    assert client_for(first_secretary).get(village_url(village.code)).status_code == 200


def test_county_and_township_users_read_a_village_of_their_scope(client_for, county_admin, township_clerk, world,
                                                                 village):
    assert client_for(county_admin).get(village_url(village.code)).status_code == 200
    assert client_for(township_clerk).get(village_url(village.code)).status_code == 200


def test_county_reads_any_township(client_for, county_admin, world, other_township):
    assert client_for(county_admin).get(township_url(other_township.code)).status_code == 200


def test_unknown_codes_and_a_village_code_as_township_are_404(client_for, county_admin, world, village):
    c = client_for(county_admin)
    assert c.get(township_url("419901099000")).status_code == 404
    assert c.get(township_url(village.code)).status_code == 404
    assert c.get(village_url("419901001999")).status_code == 404


def test_post_is_405_on_every_trend_page(client_for, county_admin, world, township, village):
    c = client_for(county_admin)
    for url in (COUNTY_URL, township_url(township.code), village_url(village.code), "/reports/trends/"):
        assert c.post(url).status_code == 405


def test_anonymous_is_sent_to_login(client, world, township):
    assert client.get(COUNTY_URL).status_code == 302
    assert client.get(township_url(township.code)).status_code == 302


def test_trends_mine_opens_each_roles_own_level(client_for, county_admin, township_clerk, village_secretary,
                                                world, township, village):
    assert client_for(county_admin).get("/reports/trends/")["Location"] == COUNTY_URL
    assert client_for(township_clerk).get("/reports/trends/")["Location"] == township_url(township.code)
    assert client_for(village_secretary).get("/reports/trends/")["Location"] == village_url(village.code)


# --- empty states and odd input ----------------------------------------------------------------


def test_a_county_without_results_says_so(client_for, county_admin, county):
    response = client_for(county_admin).get(COUNTY_URL)
    assert response.status_code == 200
    assert "暂无数据" in response.content.decode()


def test_a_county_with_no_closed_month_yet_says_every_figure_is_live(client_for, county_admin, county, township,
                                                                     village, other_village):
    add_results([village, other_village], month=1, view="live")
    body = client_for(county_admin).get(COUNTY_URL).content.decode()
    assert "尚无已关账（已发布）的月份" in body
    assert "1月（实时）" in body


def test_a_year_without_results_or_nonsense_falls_back_to_the_latest_year(client_for, county_admin, world):
    c = client_for(county_admin)
    for year in ("1999", "abc", ""):
        response = c.get(COUNTY_URL, {"year": year})
        assert response.status_code == 200
        assert response.context["year"] == 2026


# --- where the pages are linked from -------------------------------------------------------------


def test_dashboards_and_the_village_page_link_to_their_trends(client_for, county_admin, township_clerk,
                                                              village_secretary, world, township, village):
    assert COUNTY_URL in client_for(county_admin).get("/reports/county/").content.decode()
    assert reverse("reports:screen") in client_for(county_admin).get("/reports/county/").content.decode()
    assert township_url(township.code) in client_for(township_clerk).get(
        reverse("reports:township_dashboard", args=[township.code])).content.decode()
    assert village_url(village.code) in client_for(village_secretary).get(
        reverse("reports:village", args=[village.code])).content.decode()


def test_menu_offers_trends_to_every_role_and_the_screen_to_the_county_only(
        client_for, county_admin, township_clerk, village_secretary, world):
    for user, screen in ((county_admin, True), (township_clerk, False), (village_secretary, False)):
        links = {link["url"] for link in client_for(user).get("/reports/trends/", follow=True).context["nav_links"]}
        assert "/reports/trends/" in links
        assert (reverse("reports:screen") in links) is screen


# --- a fixed number of queries -----------------------------------------------------------------


def _count_queries(client, url: str) -> int:
    from django.db import connection

    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_trend_pages_issue_as_many_queries_for_300_villages_as_for_30(client_for, county_admin, county, township,
                                                                      village):
    c = client_for(county_admin)
    small = add_villages(township, 30, urban_from=26)
    year_of_results(county, small)
    urls = [COUNTY_URL, township_url(township.code), village_url(village.code)]
    for_30 = [_count_queries(c, url) for url in urls]

    others = add_townships(county, range(2, 11))
    more = [v for t in others for v in add_villages(t, 30, urban_from=26)]
    MonthClose.objects.filter(county=county).delete()
    VillageScore.objects.all().delete()
    StarScore.objects.all().delete()
    everyone = list(Region.objects.filter(level=Level.VILLAGE).order_by("code"))
    assert len(everyone) == 300 and len(more) == 270
    year_of_results(county, everyone)
    for_300 = [_count_queries(c, url) for url in urls]
    assert for_300 == for_30
    assert max(for_300) <= 14


def test_a_township_without_results_in_the_latest_month_keeps_its_row_with_dashes(client_for, county_admin, world,
                                                                                   other_township):
    VillageScore.objects.filter(village__parent=other_township, month=6).delete()
    response = client_for(county_admin).get(COUNTY_URL)
    row = next(t for t in response.context["data"]["league"] if t["code"] == other_township.code)
    assert row["cells"][-1] is None and row["cells"][0].rank in (1, 2)
    assert response.status_code == 200 and "None" not in response.content.decode()


def test_star_rows_of_a_region_with_communities_name_the_community_stars_too(client_for, county_admin, township,
                                                                             world):
    """The county and a township with communities count villages and communities together in each
    star's row: the row says so (产业兴旺星（社区：宜业兴业星）), never the village name alone."""
    for response in (client_for(county_admin).get(COUNTY_URL), client_for(county_admin).get(township_url(township.code))):
        names = {s["code"]: s["name"] for s in response.context["data"]["stars"]}
        assert names["industry"] == "产业兴旺星（社区：宜业兴业星）"
        assert names["ecology"] == "生态宜居星（社区：共建共享星）"
        assert names["branch"] == "支部过硬星"
        assert "宜业兴业星" in response.content.decode()


def test_star_rows_of_a_region_without_communities_keep_the_village_names(client_for, county_admin, county,
                                                                          township):
    villages = add_villages(township, 4)
    year_of_results(county, villages)
    names = {s["code"]: s["name"] for s in client_for(county_admin).get(COUNTY_URL).context["data"]["stars"]}
    assert names["industry"] == "产业兴旺星" and names["civility"] == "文明幸福星"
