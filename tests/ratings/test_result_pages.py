import pytest
from django.urls import reverse

from ratings.models import MonthClose, StarScore, VillageScore
from ratings.services.scoring import recompute

from .scoring_helpers import fill_ledgers


@pytest.fixture
def scored(village, other_village, foreign_village, township_clerk, standard, this_month):
    year, month = this_month
    fill_ledgers([village, other_village, foreign_village], township_clerk, year, month)
    recompute(year=year, month=month, region=village.parent.parent)
    return year, month


def test_rankings_for_clerk_show_own_township_only(client_for, township_clerk, scored):
    response = client_for(township_clerk).get(reverse("ratings:rankings"))
    assert response.status_code == 200
    assert {r.village.code for r in response.context["rows"]} == {"419901001001", "419901001002"}
    assert "排名规则" in response.content.decode()


def test_rankings_for_county_show_every_village(client_for, county_admin, scored):
    rows = client_for(county_admin).get(reverse("ratings:rankings")).context["rows"]
    assert [r.county_rank for r in rows] == [1, 2, 3]


def test_rankings_township_filter_outside_scope_is_404(client_for, township_clerk, scored):
    assert client_for(township_clerk).get(reverse("ratings:rankings"), {"township": "419901002000"}).status_code == 404


def test_explain_totals_add_up_to_the_stored_score(client_for, township_clerk, scored, village):
    year, month = scored
    for star in ("branch", "industry", "ecology", "safety", "civility"):
        response = client_for(township_clerk).get(reverse("ratings:explain", args=[village.code, year, month, star]))
        assert response.status_code == 200
        stored = StarScore.objects.get(village=village, star=star, view="live")
        assert response.context["points_total"] == stored.score


def test_explain_links_ledger_entries(client_for, township_clerk, scored, village):
    year, month = scored
    response = client_for(township_clerk).get(reverse("ratings:explain", args=[village.code, year, month, "industry"]))
    jobs = next(r for r in response.context["rows"] if r["code"] == "industry.jobs")
    assert len(jobs["sources"]) == 1
    assert reverse("ratings:entry_detail", args=[jobs["sources"][0].pk]) in response.content.decode()


def test_explain_for_other_township_is_404(client_for, township_clerk, scored, foreign_village):
    year, month = scored
    url = reverse("ratings:explain", args=[foreign_village.code, year, month, "branch"])
    assert client_for(township_clerk).get(url).status_code == 404


def test_village_secretary_can_explain_own_village(client_for, village_secretary, scored, village):
    year, month = scored
    assert client_for(village_secretary).get(reverse("ratings:explain", args=[village.code, year, month, "branch"])).status_code == 200


def test_month_close_page_is_for_the_organisation_department(client_for, township_clerk, county_admin, scored):
    assert client_for(township_clerk).get(reverse("ratings:month_close")).status_code == 403
    assert client_for(county_admin).get(reverse("ratings:month_close")).status_code == 200


def test_month_close_button_publishes_a_past_month(client_for, county_admin, county, village, township_clerk, this_month):
    from ratings.services.standard import standard_load_defaults

    year = this_month[0] - 1
    standard_load_defaults(year=year)
    fill_ledgers([village], township_clerk, year, 5)
    client_for(county_admin).post(reverse("ratings:month_close"), {"year": year, "month": 5})
    assert MonthClose.objects.filter(county=county, year=year, month=5).exists()
    assert VillageScore.objects.filter(view="published", year=year, month=5).count() == 1


def test_month_close_of_the_running_month_is_refused(client_for, county_admin, scored):
    year, month = scored
    response = client_for(county_admin).post(reverse("ratings:month_close"), {"year": year, "month": month}, follow=True)
    assert "只能关账已结束的月份" in response.content.decode()
    assert not MonthClose.objects.exists()


def test_explain_shows_not_applicable_with_full_points_when_no_first_secretary_served(client_for, township_clerk,
                                                                                       scored, village):
    year, month = scored
    response = client_for(township_clerk).get(reverse("ratings:explain", args=[village.code, year, month, "branch"]))
    row = next(r for r in response.context["rows"] if r["code"] == "branch.first_secretary_days")
    assert (row["na"], row["met"], row["points"], row["max_points"]) == (True, True, "5.00", "5.00")
    assert "不适用" in response.content.decode()
    assert response.context["points_total"] == StarScore.objects.get(village=village, star="branch", view="live").score
