"""Pages of stored results are cached per (region, year, month, view) under a version that a
recompute moves: a repeated visit reads far fewer rows, a recompute shows at once."""

import re
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ratings.models import LedgerEntry, View, VillageScore
from ratings.services.scoring import recompute
from reports.cache import results_version
from tests.ratings.scoring_helpers import fill_ledgers, make_villages

pytestmark = pytest.mark.django_db


@pytest.fixture
def scored(township, township_clerk, standard, this_month):
    year, month = this_month
    villages = make_villages(township, 12, start=101)
    fill_ledgers(villages, township_clerk, year, month)
    recompute(year=year, month=month, view=View.LIVE, region=township.parent)
    return villages


def _without_csrf(response) -> str:
    """The page as a reader sees it: the masked CSRF token and the CSP nonce differ on every response."""
    body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())
    body = re.sub(r'"X-CSRFToken": "[^"]+"', "", body)
    return re.sub(r'nonce="[^"]+"', "", body)  # the CSP nonce, new on every response


def _get(client, path):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200
    return response, len(ctx.captured_queries)


def test_village_page_second_visit_reads_no_results_and_renders_the_same(client_for, scored, village_secretary,
                                                                          django_assert_max_num_queries):
    # The fixture's secretary sits in another village of the township: give him one of the scored ones.
    from cadres.models import Post, Role

    Post.objects.create(user=village_secretary, role=Role.VILLAGE_SECRETARY, region=scored[0])
    client = client_for(village_secretary)
    path = reverse("reports:village", args=[scored[0].code])
    first, cold = _get(client, path)
    # 6 + the early warnings panel, which is live (one query).
    with django_assert_max_num_queries(7):
        second = client.get(path)
    assert _without_csrf(second) == _without_csrf(first)
    assert cold > 6


def test_township_dashboard_hit_runs_a_constant_number_of_queries(client_for, township_clerk, township, scored,
                                                                  django_assert_max_num_queries):
    client = client_for(township_clerk)
    path = reverse("reports:township_dashboard", args=[township.code])
    _get(client, path)
    _, warm_12 = _get(client, path)
    # Twice as many villages: a cold visit after the recompute, then the same warm count.
    more = make_villages(township, 12, start=201)
    fill_ledgers(more, township_clerk, *_year_month(scored))
    recompute(year=_year_month(scored)[0], month=_year_month(scored)[1], view=View.LIVE, region=township.parent)
    _get(client, path)
    _, warm_24 = _get(client, path)
    assert warm_24 == warm_12
    with django_assert_max_num_queries(warm_12):
        client.get(path)


def _year_month(villages):
    score = VillageScore.objects.filter(village=villages[0]).first()
    return score.year, score.month


def test_recompute_moves_the_version_and_the_page_shows_the_new_figures(client_for, township_clerk, township,
                                                                         scored):
    year, month = _year_month(scored)
    client = client_for(township_clerk)
    path = reverse("reports:township_dashboard", args=[township.code])
    before_version = results_version(township)
    before = client.get(path).content.decode()
    old_total = VillageScore.objects.get(village=scored[0], year=year, month=month, view=View.LIVE).total

    # The first village loses every ledger value: its total falls after the recompute.
    LedgerEntry.objects.filter(village=scored[0], year=year, month=month).update(value=D(0))
    recompute(year=year, month=month, view=View.LIVE, village_ids=[scored[0].pk])

    new_total = VillageScore.objects.get(village=scored[0], year=year, month=month, view=View.LIVE).total
    assert new_total < old_total
    assert results_version(township) != before_version
    after = client.get(path).content.decode()
    assert after != before
    assert f"{new_total}" in after


def test_version_is_per_county(county, township, scored, this_month):
    from tests.factories import CountyFactory, TownshipFactory

    other_county = CountyFactory(code="419902000000", name="邻县")
    other_township = TownshipFactory(parent=other_county, code="419902001000")
    assert results_version(other_township) == "none"
    assert results_version(township) != "none"
