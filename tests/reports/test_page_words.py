"""Pages say what they mean: links keep their month and view, reasons in words, units, yes/no,
the same months compared, bars for stars, a real overdue count, both published and live months."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from ratings.models import TargetLevel
from tests.factories import StarScoreFactory, VillageScoreFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def results(village):
    VillageScoreFactory(village=village, month=5, view="published", stars_earned=["branch"], total=342)
    VillageScoreFactory(village=village, month=6, view="live", stars_earned=["branch"], total=352)
    StarScoreFactory(village=village, star="branch", score=90)
    # Scored enough, missed for a required indicator.
    StarScoreFactory(village=village, star="industry", score=85, points_short=0, earned=False,
                     reasons=["required_unmet:industry.jobs"], unmet=["industry.jobs"],
                     indicators=[{"code": "industry.jobs", "value": 3, "points": 0, "max_points": 10,
                                  "met": False, "gap": 7}])


def village_url(village, **query):
    from urllib.parse import urlencode

    return reverse("reports:village", args=[village.code]) + ("?" + urlencode(query) if query else "")


def test_explain_link_keeps_the_page_view(client_for, village_secretary, village, results):
    body = client_for(village_secretary).get(village_url(village, year=2026, month=5, view="published")).content.decode()
    assert reverse("ratings:explain", args=[village.code, 2026, 5, "branch"]) + "?view=published" in body


def test_a_star_missed_for_a_required_indicator_says_so_not_zero_points(client_for, village_secretary, village,
                                                                         results, standard):
    body = client_for(village_secretary).get(village_url(village, year=2026, month=5, view="published")).content.decode()
    assert "差 0" not in body
    assert "得分已达标，必达指标未达标" in body
    assert "还差 7" in body


def test_nothing_is_still_missing_once_the_target_is_reached(client_for, village_secretary, village, results):
    TargetLevel.objects.create(village=village, year=2026, level=1)
    response = client_for(village_secretary).get(village_url(village, year=2026, month=5, view="published"))
    assert response.context["data"]["gaps"] == []
    assert "已达到1星目标" in response.content.decode()


def test_published_and_live_months_are_both_offered(client_for, village_secretary, village, results):
    body = client_for(village_secretary).get(village_url(village)).content.decode()
    assert 'data-testid="latest-periods"' in body
    assert "5月已发布" in body and "6月实时" in body
    assert 'href="?year=2026&month=6&view=live"' in body


def test_reason_words_never_show_codes():
    from ratings.selectors import reason_words

    words = reason_words(["below_pass_mark", "required_unmet:industry.jobs", "veto:safety.crime", "weak_lax",
                          "something_new"], {"industry.jobs": "产业带动就业人数"})
    assert words[1] == "必达指标未达标：产业带动就业人数"
    assert all("." not in w and "_" not in w for w in words)


def test_county_dashboard_draws_stars_as_bars_and_counts_a_closed_months_backlog(
        client_for, county_admin, county, village, township_clerk, indicator_of, this_month):
    """Every entry still waiting for review once the month's deadline is long past is overdue."""
    from ratings.models import LedgerEntry, LedgerStatus

    jobs = indicator_of("industry.jobs")
    LedgerEntry.objects.create(village=village, indicator=jobs, year=2026, month=1, value=Decimal(3),
                               entered_by=township_clerk, status=LedgerStatus.SUBMITTED)
    VillageScoreFactory(village=village, year=2026, month=1, view="published", stars_earned=["branch"])
    body = client_for(county_admin).get(
        reverse("reports:county_dashboard") + "?year=2026&month=1&view=published").content.decode()
    assert "type: 'pie'" not in body and "type: 'bar'" in body
    assert "逾期未审核台账：1 条" in body


def test_month_close_names_its_day(client_for, county_admin, settings):
    body = client_for(county_admin).get(reverse("ratings:month_close")).content.decode()
    assert f"每月{settings.PORTAL['MONTH_CLOSE_DAY']}日自动关上月账" in body


def test_entry_history_reads_states_in_chinese(client_for, township_clerk, village, indicator_of, this_month):
    from ratings.services.ledger import ledger_entries_submit, ledger_entry_save

    entry = ledger_entry_save(village=village, indicator=indicator_of("industry.jobs"), year=this_month[0],
                              month=this_month[1], value="30", by=township_clerk)
    ledger_entries_submit(entries=[entry], by=township_clerk)
    body = client_for(township_clerk).get(reverse("ratings:entry_detail", args=[entry.pk])).content.decode()
    history = body.split("操作记录", 1)[1]
    assert "已提交" in history and "submitted" not in history and "draft" not in history


def test_standard_page_names_providers_and_hides_codes(client_for, county_admin, standard):
    body = client_for(county_admin).get(reverse("ratings:standard_detail", args=[standard.pk])).content.decode()
    assert "organisational_life_meetings" not in body
    assert "系统自动：当月三会一课开展次数" in body
    assert "<td class=\"small text-muted\">branch.life_meetings</td>" not in body


def test_township_dashboard_names_community_stars_their_way(client_for, township_clerk, township, village):
    from tests.factories import VillageFactory
    from villages.models import Kind

    community = VillageFactory(parent=township, code="419901001101", name="福民社区", kind=Kind.URBAN)
    VillageScoreFactory(village=village, month=5, stars_earned=["industry"])
    VillageScoreFactory(village=community, month=5, stars_earned=["industry"])
    body = client_for(township_clerk).get(reverse("reports:township_dashboard", args=[township.code])
                                          + "?year=2026&month=5&view=published").content.decode()
    rural, urban = body.split('data-testid="rank-rural"', 1)[1].split('data-testid="rank-urban"', 1)
    assert "产业兴旺星" in rural and "宜业兴业星" not in rural
    assert "宜业兴业星" in urban and "共建共享星" in urban and "产业兴旺星" not in urban


def _row(body, name):
    """The explain table's row of an indicator, by its name."""
    start = body.index(name)
    return body[body.rindex("<tr", 0, start):body.index("</tr>", start)]


def test_explain_shows_yes_no_and_an_unfired_veto_in_words(client_for, village_secretary, township_clerk, township,
                                                           standard, this_month):
    """Through the real engine: a yes/no indicator reads 是, not 1; a veto that did not fire reads
    未触发, not a red cross."""
    from ratings.services.scoring import recompute
    from tests.ratings.scoring_helpers import fill_ledgers, make_villages

    year, month = this_month
    (village,) = make_villages(township, 1, start=701)
    fill_ledgers([village], township_clerk, year, month)
    recompute(year=year, month=month, village_ids=[village.pk])
    village_secretary.posts.update(region=village)
    url = reverse("ratings:explain", args=[village.code, year, month, "ecology"]) + "?view=live"
    body = client_for(village_secretary).get(url).content.decode()
    waste = _row(body, "生活垃圾收运处置体系正常运行")
    assert '<td class="num">是</td>' in waste
    veto = _row(body, "发生重大环境污染事件")
    assert "未触发" in veto and "bi-x-circle" not in veto and "table-warning" not in veto
