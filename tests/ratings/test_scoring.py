"""The scoring service: set-based gathering, results, ranks, month close."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ratings.models import LedgerEntry, LedgerStatus, MonthClose, StarScore, View, VillageScore
from ratings.services.month_close import month_close
from ratings.services.scoring import recompute
from ratings.services.scoring_inputs import loaded_standards_clear
from tests.branches.factories import RectificationFactory
from tests.factories import BranchFactory, TownshipFactory

from .scoring_helpers import fill_ledgers, hold_meetings, make_villages


@pytest.fixture
def last_year(this_month, standard):
    """Closing needs a finished month: use last year's standard, so the test runs in any month."""
    from ratings.services.standard import standard_load_defaults

    standard_load_defaults(year=this_month[0] - 1)
    return this_month[0] - 1


@pytest.fixture
def past_month(last_year):
    return last_year, 6


def _queries_for_county(county, year, month):
    loaded_standards_clear()  # both measures build the standards' specs alike
    with CaptureQueriesContext(connection) as ctx:
        recompute(year=year, month=month, view=View.LIVE, region=county)
    return len(ctx.captured_queries)


def test_county_recompute_runs_the_same_number_of_queries_for_60_and_300_villages(county, standard, township_clerk,
                                                                                  this_month):
    """No query per village. (Sixty: more rows than upsert_rows writes in one INSERT, so both
    scopes write through COPY, as a county does.)"""
    year, month = this_month
    small = TownshipFactory(parent=county, code="419901005000")
    villages = make_villages(small, 60)
    fill_ledgers(villages, township_clerk, year, month)
    sixty = _queries_for_county(county, year, month)
    assert VillageScore.objects.count() == 60
    big = TownshipFactory(parent=county, code="419901006000")
    villages += make_villages(big, 240)
    fill_ledgers(villages[60:], township_clerk, year, month)
    three_hundred = _queries_for_county(county, year, month)
    assert VillageScore.objects.count() == 300
    assert sixty == three_hundred


def test_full_marks_give_five_stars_and_the_weak_lax_branch_loses_its_level(township, standard, township_clerk,
                                                                           this_month):
    year, month = this_month
    strong, weak = make_villages(township, 2)
    RectificationFactory(branch=BranchFactory(village=weak, is_weak_lax=True), listed_on=date(year, month, 1))
    fill_ledgers([strong, weak], township_clerk, year, month)
    hold_meetings([strong, weak], year, month)
    recompute(year=year, month=month, region=township.parent)
    strong_score = VillageScore.objects.get(village=strong, view="live")
    weak_score = VillageScore.objects.get(village=weak, view="live")
    # Full ledger marks and the month's meetings earn the branch star; no first secretary
    # served, so his days are not applicable (full points).
    assert "branch" in strong_score.stars_earned
    assert strong_score.star_level > 0
    assert "branch" not in weak_score.stars_earned
    assert weak_score.star_level == 0
    reasons = StarScore.objects.get(village=weak, star="branch", view="live").reasons
    assert "weak_lax" in reasons


def test_ranks_follow_level_total_then_industry_then_code_with_rural_and_urban_apart(township, other_township,
                                                                                    standard, township_clerk,
                                                                                    this_month):
    year, month = this_month
    a, b, c = make_villages(township, 3)
    (d,) = make_villages(other_township, 1)
    (community,) = make_villages(township, 1, start=50, kind="urban")

    def value_for(village, indicator):
        from .scoring_helpers import full_marks

        if village == b and indicator.code == "ecology.greening":
            return D(15)  # half of the ratio's 10 points
        return full_marks(indicator)

    fill_ledgers([a, b, c, d, community], township_clerk, year, month, value_for=value_for)
    recompute(year=year, month=month, region=township.parent)
    scores = {s.village_id: s for s in VillageScore.objects.filter(view="live")}
    assert scores[b.pk].total == scores[a.pk].total - D(5)
    county_order = sorted((s for s in scores.values() if s.village.kind == "rural"), key=lambda s: s.county_rank)
    assert [s.village_id for s in county_order] == [a.pk, c.pk, d.pk, b.pk]
    assert [scores[v.pk].township_rank for v in (a, c, b)] == [1, 2, 3]
    assert scores[d.pk].township_rank == 1
    assert (scores[community.pk].county_rank, scores[community.pk].township_rank) == (1, 1)


def test_month_close_twice_gives_identical_rows(township, standard, township_clerk, past_month, county):
    year, month = past_month
    villages = make_villages(township, 4)
    fill_ledgers(villages, township_clerk, year, month)
    month_close(county=county, year=year, month=month)
    first = list(VillageScore.objects.filter(view="published").order_by("id").values())
    stars = list(StarScore.objects.filter(view="published").order_by("id").values())
    month_close(county=county, year=year, month=month)
    assert list(VillageScore.objects.filter(view="published").order_by("id").values()) == first
    assert list(StarScore.objects.filter(view="published").order_by("id").values()) == stars
    assert MonthClose.objects.count() == 1


def test_closed_month_is_not_changed_by_later_approvals(township, standard, township_clerk, industry_reviewer,
                                                        past_month, county):
    year, month = past_month
    villages = make_villages(township, 2)
    fill_ledgers(villages, township_clerk, year, month, status=LedgerStatus.SUBMITTED)
    month_close(county=county, year=year, month=month)
    published = VillageScore.objects.get(village=villages[0], view="published", year=year, month=month)
    assert published.total == D(0) or published.star_level == 0  # nothing approved at close
    LedgerEntry.objects.filter(village=villages[0]).update(status=LedgerStatus.APPROVED)
    recompute(year=year, month=month, view=View.LIVE, village_ids=[villages[0].pk])
    month_close(county=county, year=year, month=month)
    again = VillageScore.objects.get(pk=published.pk)
    assert (again.total, again.star_level, again.computed_at) == (published.total, published.star_level,
                                                                  published.computed_at)
    live = VillageScore.objects.get(village=villages[0], view="live", year=year, month=month)
    assert live.total > published.total


def test_movement_is_against_the_previous_published_month(township, township_clerk, county, last_year):
    year, month, prev = last_year, 7, 6
    a, b = make_villages(township, 2)

    def weaker(target):
        def value_for(village, indicator):
            from .scoring_helpers import full_marks

            if village == target and indicator.code == "ecology.greening":
                return D(15)
            return full_marks(indicator)
        return value_for

    fill_ledgers([a, b], township_clerk, year, prev, value_for=weaker(b))
    month_close(county=county, year=year, month=prev)
    LedgerEntry.objects.filter(month=prev).delete()
    fill_ledgers([a, b], township_clerk, year, month, value_for=weaker(a))
    recompute(year=year, month=month, region=county)
    now = {s.village_id: s for s in VillageScore.objects.filter(view="live", month=month)}
    assert (now[a.pk].county_rank, now[a.pk].county_movement) == (2, -1)
    assert (now[b.pk].county_rank, now[b.pk].county_movement) == (1, 1)


def test_recompute_is_idempotent(township, standard, township_clerk, this_month, county):
    year, month = this_month
    fill_ledgers(make_villages(township, 3), township_clerk, year, month)
    recompute(year=year, month=month, region=county)
    first = list(VillageScore.objects.order_by("id").values_list("id", "village_id", "total", "county_rank"))
    recompute(year=year, month=month, region=county)
    assert list(VillageScore.objects.order_by("id").values_list("id", "village_id", "total", "county_rank")) == first
    assert StarScore.objects.count() == 15


def test_recompute_and_close_month_commands(township, township_clerk, county, last_year):
    from io import StringIO

    from django.core.management import call_command

    fill_ledgers(make_villages(township, 2), township_clerk, last_year, 4)
    out = StringIO()
    call_command("recompute", year=last_year, month=4, region=county.code, stdout=out)
    assert "已重算 2 个村" in out.getvalue()
    call_command("close_month", year=last_year, month=4, county=county.code, stdout=out)
    assert MonthClose.objects.filter(county=county, year=last_year, month=4).exists()
    assert VillageScore.objects.filter(view="published", month=4).count() == 2


def test_month_close_generates_the_bulletins_after_commit(township, township_clerk, county, last_year,
                                                          django_capture_on_commit_callbacks):
    from reports.models import Bulletin

    fill_ledgers(make_villages(township, 2), township_clerk, last_year, 8)
    with django_capture_on_commit_callbacks(execute=True):
        month_close(county=county, year=last_year, month=8)
    regions = set(Bulletin.objects.filter(year=last_year, month=8).values_list("region__code", flat=True))
    assert regions == {county.code, township.code}
