from __future__ import annotations

import pytest
from django.urls import reverse

from reports import selectors

URL = "/reports/county/"
pytestmark = pytest.mark.django_db


def test_county_dashboard_url_name_resolves():
    assert reverse("reports:county_dashboard") == URL


def test_organisation_sees_published_latest_month_by_default(client_for, county_admin, big_county):
    response = client_for(county_admin).get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert "2026年5月 · 已发布数据" in body
    assert response.context["period"] == selectors.Period(2026, 5, "published")


def test_county_dashboard_has_at_most_15_queries_for_300_villages(
        client_for, county_admin, big_county, django_assert_max_num_queries):
    c = client_for(county_admin)
    # 15 + the early warnings panel (one query, live: acknowledging changes it without a recompute).
    with django_assert_max_num_queries(16):
        response = c.get(URL)
    assert response.status_code == 200
    assert len(response.context["data"]["townships"]) == 10


def test_level_counts_and_change_against_last_month(client_for, county_admin, big_county):
    data = client_for(county_admin).get(URL).context["data"]
    # 300 villages cycle through levels 0..5: 50 each, in May and in April alike.
    assert [lv["count"] for lv in data["levels"]] == [50] * 6
    assert all(lv["change"] == 0 for lv in data["levels"])
    assert sum(s["count"] for s in data["stars"]) == 50 * (0 + 1 + 2 + 3 + 4 + 5)


def test_live_switch_shows_live_rows_and_says_so(client_for, county_admin, big_county):
    response = client_for(county_admin).get(URL, {"year": 2026, "month": 5, "view": "live"})
    assert "2026年5月 · 实时数据" in response.content.decode()
    assert response.context["period"].view == "live"


def test_league_table_links_to_township(client_for, county_admin, big_county, township):
    body = client_for(county_admin).get(URL).content.decode()
    assert reverse("reports:township_dashboard", args=[township.code]) in body


def test_lead_department_sees_county_dashboard(client_for, industry_reviewer, big_county):
    assert client_for(industry_reviewer).get(URL).status_code == 200


def test_township_user_gets_404(client_for, township_clerk, big_county):
    assert client_for(township_clerk).get(URL).status_code == 404


def test_village_user_gets_404(client_for, village_secretary, big_county):
    assert client_for(village_secretary).get(URL).status_code == 404


def test_post_is_405(client_for, county_admin, county):
    assert client_for(county_admin).post(URL).status_code == 405


def test_bad_query_parameters_do_not_fail(client_for, county_admin, big_county):
    response = client_for(county_admin).get(URL, {"year": "x", "month": "13", "view": "bogus"})
    assert response.status_code == 200


def test_empty_county_says_no_data(client_for, county_admin, county):
    assert "暂无数据" in client_for(county_admin).get(URL).content.decode()


def test_anonymous_is_sent_to_login(client, county):
    assert client.get(URL).status_code == 302


def test_ledger_completeness_counts_quarterly_indicators_only_in_quarter_months(standard):
    """The dashboards count what is due as the ledger grid does: quarterly ledgers at a quarter's
    end, vetoes never."""
    from ratings.models import Frequency, Indicator, Rule, Source
    from reports.selectors import _ledger_indicator_counts

    ledger = Indicator.objects.filter(star__standard__year=standard.year, star__standard__kind="rural",
                                      source=Source.LEDGER).exclude(rule=Rule.VETO)
    quarterly = ledger.filter(frequency=Frequency.QUARTERLY).count()
    assert quarterly > 0
    may = _ledger_indicator_counts(standard.year, 5)["rural"]
    june = _ledger_indicator_counts(standard.year, 6)["rural"]
    assert june == ledger.count()
    assert may == june - quarterly
