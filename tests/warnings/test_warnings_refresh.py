"""Early warnings: each kind is raised from real records and cleared when they change."""

import datetime as dt
from decimal import Decimal as D

import pytest

from branches.models import RectificationStatus
from cadres.models_work import SignIn
from ratings.campaign.services.warnings import warnings_refresh
from ratings.models import (
    ChecklistItem,
    EarlyWarning,
    Indicator,
    ItemOrigin,
    ItemStatus,
    LedgerEntry,
    LedgerStatus,
    MonthClose,
    WarningKind,
    WarningState,
)
from tests.branches.factories import RectificationFactory
from tests.factories import BranchFactory, FirstSecretaryFactory, StarScoreFactory, VillageScoreFactory
from tests.ratings.scoring_helpers import fill_ledgers

YEAR = 2026


def _active(kind):
    return list(EarlyWarning.objects.filter(kind=kind, state__in=["open", "acknowledged"]))


def _results(village, *, live_score, published_earned=True, star="civility"):
    """June published (star earned or not) and July live with `live_score` for the star."""
    VillageScoreFactory(village=village, year=YEAR, month=6, view="published")
    StarScoreFactory(village=village, year=YEAR, month=6, view="published", star=star, score=D(90),
                     earned=published_earned)
    VillageScoreFactory(village=village, year=YEAR, month=7, view="live")
    return StarScoreFactory(village=village, year=YEAR, month=7, view="live", star=star, score=live_score)


def test_a_star_earned_last_month_that_the_live_score_misses_is_raised_then_cleared(county, village):
    live = _results(village, live_score=D(72))
    warnings_refresh(county=county, today=dt.date(YEAR, 7, 20))
    [warning] = _active(WarningKind.STAR_MISSED)
    assert warning.region == village and "72" in warning.text and warning.link.endswith("?view=live")
    assert warning.link.startswith(f"/ratings/explain/{village.code}/{YEAR}/7/civility/")
    live.score, live.earned = D(95), True
    live.save()
    warnings_refresh(county=county, today=dt.date(YEAR, 7, 21))
    warning.refresh_from_db()
    assert warning.state == WarningState.CLEARED and warning.cleared_at
    assert not _active(WarningKind.STAR_MARGIN)


def test_a_star_not_earned_last_month_raises_nothing(county, village):
    _results(village, live_score=D(72), published_earned=False)
    warnings_refresh(county=county, today=dt.date(YEAR, 7, 20))
    assert not EarlyWarning.objects.exists()


def test_a_star_within_the_margin_of_its_pass_mark_is_raised_then_cleared(county, village, settings):
    live = _results(village, live_score=D("83.5"))
    warnings_refresh(county=county, today=dt.date(YEAR, 7, 20))
    [warning] = _active(WarningKind.STAR_MARGIN)
    assert "83.5" in warning.text and "3.5" in warning.text
    live.score = D(86)
    live.save()
    warnings_refresh(county=county, today=dt.date(YEAR, 7, 20))
    assert not _active(WarningKind.STAR_MARGIN)
    settings.PORTAL = {**settings.PORTAL, "WARNING_STAR_MARGIN": 10}
    warnings_refresh(county=county, today=dt.date(YEAR, 7, 20))
    assert len(_active(WarningKind.STAR_MARGIN)) == 1


def test_a_communitys_star_warnings_use_its_own_star_names(county, township):
    from tests.factories import VillageFactory
    from villages.models import Kind

    community = VillageFactory(parent=township, code="419901001101", name="福民社区", kind=Kind.URBAN)
    _results(community, live_score=D(72))
    StarScoreFactory(village=community, year=YEAR, month=6, view="published", star="ecology", score=D(90),
                     earned=True)
    StarScoreFactory(village=community, year=YEAR, month=7, view="live", star="ecology", score=D(80), pass_mark=D(80))
    warnings_refresh(county=county, today=dt.date(YEAR, 7, 20))
    [missed] = _active(WarningKind.STAR_MISSED)
    [margin] = _active(WarningKind.STAR_MARGIN)
    assert "幸福和谐星" in missed.text and "文明幸福星" not in missed.text
    assert "共建共享星" in margin.text and "生态宜居星" not in margin.text
    assert "恰在达标分80分上" in margin.text and "仅高0" not in margin.text


@pytest.fixture
def june_standard(db):
    from ratings.services.standard import standard_load_defaults

    standard_load_defaults(year=YEAR)


def test_a_township_ledger_not_submitted_two_days_before_the_deadline_is_raised_then_cleared(
        county, township, village, other_village, township_clerk, june_standard):
    # June's ledger closes on 5 July: nothing before the 3rd, a warning from the 3rd.
    warnings_refresh(county=county, today=dt.date(YEAR, 7, 2))
    assert not _active(WarningKind.LEDGER_LATE)
    fill_ledgers([village], township_clerk, YEAR, 6, status=LedgerStatus.SUBMITTED)
    warnings_refresh(county=county, today=dt.date(YEAR, 7, 3))
    [warning] = _active(WarningKind.LEDGER_LATE)
    assert warning.region == township and "7月5日" in warning.text
    assert warning.link == f"/ratings/ledger/?township={township.code}&year={YEAR}&month=6"
    fill_ledgers([other_village], township_clerk, YEAR, 6, status=LedgerStatus.SUBMITTED)
    warnings_refresh(county=county, today=dt.date(YEAR, 7, 4))
    assert not _active(WarningKind.LEDGER_LATE)


def test_a_closed_month_clears_the_ledger_warning(county, township, village, june_standard):
    warnings_refresh(county=county, today=dt.date(YEAR, 7, 4))
    assert len(_active(WarningKind.LEDGER_LATE)) == 1
    MonthClose.objects.create(county=county, year=YEAR, month=6, closed_at=dt.datetime(2026, 7, 6, tzinfo=dt.UTC))
    warnings_refresh(county=county, today=dt.date(YEAR, 7, 6))
    assert not _active(WarningKind.LEDGER_LATE)


def _sign_in(fs, days):
    SignIn.objects.bulk_create(SignIn(first_secretary=fs, village=fs.village, date=dt.date(YEAR, 6, d),
                                      time=dt.time(8, 30)) for d in days)


def test_a_first_secretary_behind_the_pace_is_raised_then_cleared(county, village):
    # 8 days present by 15 June against 20 a month (pace: 10 by the 15th).
    fs = FirstSecretaryFactory(village=village, term_start=dt.date(2025, 3, 1))
    _sign_in(fs, range(1, 9))
    warnings_refresh(county=county, today=dt.date(YEAR, 6, 15))
    [warning] = _active(WarningKind.ATTENDANCE)
    assert "8天" in warning.text and "10天" in warning.text
    assert warning.link == f"/people/first-secretaries/{fs.pk}/"
    _sign_in(fs, [9, 10])
    warnings_refresh(county=county, today=dt.date(YEAR, 6, 15))
    assert not _active(WarningKind.ATTENDANCE)


def test_a_village_without_a_first_secretary_raises_no_attendance_warning(county, village):
    warnings_refresh(county=county, today=dt.date(YEAR, 6, 15))
    assert not _active(WarningKind.ATTENDANCE)


def test_a_veto_event_entered_is_raised_then_cleared_when_returned(county, village, township_clerk, june_standard):
    veto = Indicator.objects.get(star__standard__year=YEAR, star__standard__kind="rural", code="branch.discipline_veto")
    entry = LedgerEntry.objects.create(village=village, indicator=veto, year=YEAR, month=6, value=D(1),
                                       status=LedgerStatus.SUBMITTED, entered_by=township_clerk)
    warnings_refresh(county=county, today=dt.date(YEAR, 6, 20))
    [warning] = _active(WarningKind.VETO)
    assert veto.name in warning.text and warning.link == f"/ratings/entries/{entry.pk}/"
    entry.status = LedgerStatus.RETURNED
    entry.save()
    warnings_refresh(county=county, today=dt.date(YEAR, 6, 21))
    assert not _active(WarningKind.VETO)


def test_a_weak_lax_listing_is_raised_then_cleared_by_its_acceptance(county, village):
    listing = RectificationFactory(branch=BranchFactory(village=village, is_weak_lax=True),
                                   listed_on=dt.date(YEAR, 2, 20))
    warnings_refresh(county=county, today=dt.date(YEAR, 3, 1))
    [warning] = _active(WarningKind.WEAK_LAX)
    assert warning.link == f"/branches/rectifications/{listing.pk}/"
    listing.status, listing.accepted_on = RectificationStatus.ACCEPTED, dt.date(YEAR, 3, 10)
    listing.save()
    warnings_refresh(county=county, today=dt.date(YEAR, 3, 11))
    assert not _active(WarningKind.WEAK_LAX)


@pytest.mark.parametrize("origin, kind", [(ItemOrigin.GAP, WarningKind.TASK_OVERDUE),
                                          (ItemOrigin.INSPECTION, WarningKind.PROBLEM_OVERDUE)])
def test_an_overdue_task_or_problem_is_raised_then_cleared_when_closed(county, village, origin, kind):
    item = ChecklistItem.objects.create(
        village=village, year=YEAR, star="ecology", origin=origin, title="垃圾清运不及时",
        status=ItemStatus.OPEN if origin == ItemOrigin.GAP else ItemStatus.ASSIGNED, due_date=dt.date(YEAR, 6, 10))
    warnings_refresh(county=county, today=dt.date(YEAR, 6, 10))
    assert not _active(kind)  # due today is not overdue yet
    warnings_refresh(county=county, today=dt.date(YEAR, 6, 11))
    [warning] = _active(kind)
    assert "垃圾清运不及时" in warning.text and warning.link == f"/campaign/tasks/{item.pk}/"
    item.status = ItemStatus.CLOSED
    item.save()
    warnings_refresh(county=county, today=dt.date(YEAR, 6, 12))
    assert not _active(kind)


def test_a_refresh_keeps_one_warning_per_condition_and_keeps_its_acknowledgement(county, village, county_admin):
    from ratings.campaign.services.warnings import warning_acknowledge

    _results(village, live_score=D(72))
    warnings_refresh(county=county, today=dt.date(YEAR, 7, 20))
    warning = EarlyWarning.objects.get()
    warning_acknowledge(warning=warning, by=county_admin)
    counts = warnings_refresh(county=county, today=dt.date(YEAR, 7, 21))
    assert counts == {"raised": 0, "kept": 1, "cleared": 0}
    warning.refresh_from_db()
    assert warning.state == WarningState.ACKNOWLEDGED and warning.acknowledged_by == county_admin
    assert EarlyWarning.objects.count() == 1


def test_another_county_is_left_alone(county, village, foreign_village):
    from tests.factories import CountyFactory, TownshipFactory, VillageFactory

    elsewhere = VillageFactory(parent=TownshipFactory(parent=CountyFactory(code="419902000000", name="邻县"),
                                                      code="419902001000"), code="419902001001")
    _results(elsewhere, live_score=D(72))
    warnings_refresh(county=county, today=dt.date(YEAR, 7, 20))
    assert not EarlyWarning.objects.exists()


def test_a_refresh_runs_the_same_number_of_queries_for_5_and_25_villages(county, township):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.ratings.scoring_helpers import make_villages

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            warnings_refresh(county=county, today=dt.date(YEAR, 7, 20))
        return len(ctx.captured_queries)

    for village in make_villages(township, 5):
        _results(village, live_score=D(72))
    queries()
    five = queries()
    for village in make_villages(township, 20, start=6):
        _results(village, live_score=D(82))
    assert queries() <= five + 1  # raising 20 more is one INSERT
    assert queries() == five
    assert EarlyWarning.objects.filter(state="open").count() == 25
