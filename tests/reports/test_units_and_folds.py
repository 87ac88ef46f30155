"""Figures say what they count and long lists fold: a township's average says it counts only the
villages with a score (and how many), counts carry their units (议定措施 2 项, 星级 3星, 备选村
N 个), and the long lists of the awards page and the township dashboard fold so a phone reads
their titles and counts first."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from cadres.services_taskforce import Measure, consultation_record
from ratings.models import TargetLevel, VillageScore
from tests.factories import VillageScoreFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def test_a_townships_average_says_it_counts_only_the_villages_with_a_score(client_for, county_admin, big_county,
                                                                           township, village):
    VillageScore.objects.filter(village=village, year=2026, month=5, view="published").delete()
    body = client_for(county_admin).get(reverse("reports:county_dashboard")).content.decode()
    assert "平均总分<span class=\"fw-normal small\">（已评分村、社区）</span>" in body
    row = next(r for r in body.split("<tr") if f">{township.name}<" in r)
    assert "（29 个已评分）" in row and "30 个" in row


def test_a_consultations_measures_are_counted_in_items(client_for, county_admin, county, village):
    consultation_record(by=county_admin, region=county, date=TODAY, title="月度会商", attendees="各专班", progress={},
                        measures=[Measure("industry", village, f"措施{n}", "书记", TODAY + dt.timedelta(days=9))
                                  for n in (1, 2)])
    body = client_for(county_admin).get(reverse("cadres:consultation_list")).content.decode()
    assert re.search(r"<td>2 项</td><td class=\"text-danger\">2 项</td>", body), body


def test_a_villages_trend_gives_its_star_level_in_stars(client_for, village_secretary, village):
    VillageScoreFactory(village=village, year=TODAY.year, month=1, view="published", star_level=3, total=330)
    body = client_for(village_secretary).get(reverse("reports:my_village"), follow=True).content.decode()
    trend = body.split('data-testid="trend"', 1)[1].split("</table>", 1)[0]
    assert "<td>3星</td>" in trend


def test_the_awards_pages_long_lists_are_folded_with_their_counts(client_for, county_admin, village, other_village):
    for v in (village, other_village):
        TargetLevel.objects.create(village=v, year=TODAY.year, level=4, set_by=county_admin)
    body = client_for(county_admin).get(reverse("campaign:award_list")).content.decode()
    candidates = re.search(r"<details[^>]*data-testid=\"candidates\"[^>]*>.*?</summary>", body, re.S).group()
    assert " open" not in candidates and "2 个" in candidates
    assert re.search(r"<details[^>]*data-testid=\"withdrawals\"[^>]*>.*?0 条.*?</summary>", body, re.S)
    assert "<td>4 星</td>" in body


def test_the_township_dashboards_rankings_fold_on_a_phone_with_their_counts(client_for, township_clerk, township,
                                                                            village, other_village):
    body = client_for(township_clerk).get(reverse("reports:township_dashboard_mine"), follow=True).content.decode()
    folds = re.findall(r"<details[^>]*data-fold-on-phone[^>]*>.*?</summary>", body, re.S)
    assert len(folds) == 2 and "个村" in folds[0] and "个社区" in folds[1]
