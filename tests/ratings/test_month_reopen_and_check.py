"""Closed months never move; the organisation department may reopen one (recorded); the figures
check (`recompute --check`, the month-close page's button) compares them with the raw records."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from ratings.models import (
    LedgerEntry,
    LedgerStatus,
    MonthCheckRun,
    MonthClose,
    MonthReopening,
    StarScore,
    View,
    VillageScore,
)
from ratings.services.month_close import MSG_REOPEN_REASON, month_close, month_reopen
from ratings.services.scoring import recompute
from reports.models import Bulletin

from .scoring_helpers import fill_ledgers, make_villages

FIGURES = ("village_id", "star_level", "total", "county_rank", "township_rank", "county_movement",
           "township_movement", "stars_earned")


@pytest.fixture
def closed_year(county, township, standard, township_clerk, this_month):
    """Last year's standard, eight villages with ledgers in June and July, both months closed."""
    from ratings.services.standard import standard_load_defaults

    year = this_month[0] - 1
    standard_load_defaults(year=year)
    villages = make_villages(township, 8)
    for month in (6, 7):
        fill_ledgers(villages, township_clerk, year, month,
                     value_for=lambda v, i, m=month: None if (v.pk + m) % 3 == 0 and i.rule != "veto" else _full(i))
        month_close(county=county, year=year, month=month, bulletins=False)
    return year, villages


def _full(indicator):
    from .scoring_helpers import full_marks

    return full_marks(indicator)


def _published(year, month):
    return sorted(VillageScore.objects.filter(year=year, month=month, view=View.PUBLISHED).values_list(*FIGURES))


def _check(**options):
    from io import StringIO

    out = StringIO()
    try:
        call_command("recompute", "--check", stdout=out, **options)
    except CommandError as error:
        return out.getvalue(), error
    return out.getvalue(), None


def test_check_reports_no_difference_on_freshly_closed_months(closed_year, county):
    out, error = _check()
    assert error is None
    months, figures, differences = out.splitlines()[0].split(", ")
    assert months == "2 months" and differences == "0 differences"
    assert int(figures.split()[0]) > 8 * 2 * 8  # every village figure, every star, every indicator


def test_check_reports_exactly_a_changed_stored_figure_and_exits_non_zero(closed_year, county):
    year, villages = closed_year
    VillageScore.objects.filter(village=villages[2], year=year, month=7, view=View.PUBLISHED).update(total=D("1.23"))
    out, error = _check(county=county.code, year=year)
    assert error is not None and error.returncode == 1
    lines = out.splitlines()
    assert lines[0].endswith(", 1 differences")
    assert len(lines) == 2 and villages[2].code in lines[1] and " total: stored Decimal('1.23')" in lines[1]
    out, error = _check(county=county.code, year=year, month=6)  # June untouched
    assert error is None and out.startswith("1 months")


def test_check_of_an_unknown_county_is_a_clear_error(closed_year):
    with pytest.raises(CommandError, match="不存在"):
        call_command("recompute", "--check", county="999999000000")


def test_later_records_and_recomputes_never_rewrite_a_closed_months_published_rows(closed_year, county,
                                                                                    township_clerk):
    year, villages = closed_year
    before = _published(year, 6)
    stars_before = list(StarScore.objects.filter(year=year, month=6, view=View.PUBLISHED).order_by("pk")
                        .values_list("score", "earned", "indicators"))
    # A correction dated in June approved after the close: the live view follows, published does not.
    entry = LedgerEntry.objects.filter(year=year, month=6, status=LedgerStatus.APPROVED,
                                       indicator__rule="pass_fail").order_by("pk").first()
    LedgerEntry.objects.filter(pk=entry.pk).update(value=D(0))
    recompute(year=year, month=6, view=View.PUBLISHED, region=county)
    recompute(year=year, month=6, view=View.LIVE, region=county)
    recompute(year=year, month=6, view=View.PUBLISHED, village_ids=[entry.village_id])
    assert _published(year, 6) == before
    assert list(StarScore.objects.filter(year=year, month=6, view=View.PUBLISHED).order_by("pk")
                .values_list("score", "earned", "indicators")) == stars_before
    # The check sees that the raw records no longer give the published figures.
    out, error = _check(year=year, month=6)
    assert error is not None and "differences" in out.splitlines()[0]


def test_reopen_is_only_for_the_county_organisation_department(closed_year, county, township_clerk,
                                                              industry_reviewer):
    year, _ = closed_year
    for user in (township_clerk, industry_reviewer, None):
        with pytest.raises(PermissionDenied):
            month_reopen(county=county, year=year, month=6, by=user, reason="更正台账")
    assert MonthClose.objects.filter(year=year, month=6).exists()


def test_reopen_requires_a_reason_and_a_closed_month(closed_year, county, county_admin):
    year, _ = closed_year
    with pytest.raises(ValidationError) as error:
        month_reopen(county=county, year=year, month=6, by=county_admin, reason="  ")
    assert MSG_REOPEN_REASON in error.value.messages
    with pytest.raises(ValidationError):
        month_reopen(county=county, year=year, month=3, by=county_admin, reason="更正")
    assert not MonthReopening.objects.exists()


def test_reopen_is_recorded_and_marks_the_bulletins_superseded(closed_year, county, township, county_admin):
    year, _ = closed_year
    bulletin = Bulletin.objects.create(region=county, year=year, month=6, status=Bulletin.Status.DONE)
    other_month = Bulletin.objects.create(region=county, year=year, month=7, status=Bulletin.Status.DONE)
    closed = MonthClose.objects.get(county=county, year=year, month=6)
    reopening = month_reopen(county=county, year=year, month=6, by=county_admin, reason="乡镇更正了6月台账")
    assert (reopening.reason, reopening.reopened_by, reopening.previously_closed_at) == (
        "乡镇更正了6月台账", county_admin, closed.closed_at)
    assert not MonthClose.objects.filter(county=county, year=year, month=6).exists()
    bulletin.refresh_from_db()
    other_month.refresh_from_db()
    assert bulletin.superseded_at is not None and bulletin.superseded_reason == "乡镇更正了6月台账"
    assert other_month.superseded_at is None


def test_closing_again_with_nothing_changed_gives_identical_figures(closed_year, county, county_admin):
    year, _ = closed_year
    june, july = _published(year, 6), _published(year, 7)
    month_reopen(county=county, year=year, month=6, by=county_admin, reason="复核")
    month_close(county=county, year=year, month=6, by=county_admin, bulletins=False)
    assert (_published(year, 6), _published(year, 7)) == (june, july)
    reopening = MonthReopening.objects.get()
    assert reopening.closed_again_at is not None and reopening.figures_changed == 0
    assert _check()[1] is None


def test_closing_again_after_a_correction_moves_june_and_july_movement_only(closed_year, county, county_admin):
    year, villages = closed_year
    july_before = {row[0]: row for row in _published(year, 7)}
    month_reopen(county=county, year=year, month=6, by=county_admin, reason="更正")
    # The correction: the best June village that entered its own July ledgers loses its June
    # ledgers (a village that left July blank carried June's values into July: see below).
    best = next(s for s in VillageScore.objects.filter(year=year, month=6, view=View.PUBLISHED).order_by("county_rank")
                if _entered_july(s.village_id, year))
    LedgerEntry.objects.filter(village_id=best.village_id, year=year, month=6).delete()
    month_close(county=county, year=year, month=6, by=county_admin, bulletins=False)
    assert VillageScore.objects.get(pk=best.pk).county_rank > 1
    july_after = {row[0]: row for row in _published(year, 7)}
    # July's own figures and ranks stand; its movement is measured against the new June ranks.
    assert {v: r[:5] for v, r in july_after.items()} == {v: r[:5] for v, r in july_before.items()}
    assert july_after != july_before
    assert MonthReopening.objects.get().figures_changed > 0
    assert _check()[1] is None


# --- the month-close page --------------------------------------------------------------------


def test_org_reopens_from_the_page_and_sees_it_recorded(closed_year, county, client_for, county_admin):
    year, _ = closed_year
    client = client_for(county_admin)
    response = client.post(reverse("ratings:month_reopen"), {"year": year, "month": 7, "reason": "更正"})
    assert response.status_code == 302
    page = client.get(reverse("ratings:month_close")).content.decode()
    assert "重新打开记录" in page and "尚未再次关账" in page
    assert MonthReopening.objects.filter(year=year, month=7, reopened_by=county_admin).exists()


def test_reopen_without_reason_from_the_page_changes_nothing(closed_year, county, client_for, county_admin):
    year, _ = closed_year
    response = client_for(county_admin).post(reverse("ratings:month_reopen"), {"year": year, "month": 7},
                                             follow=True)
    assert MSG_REOPEN_REASON in response.content.decode()
    assert MonthClose.objects.filter(year=year, month=7).exists()


@pytest.mark.parametrize("name", ["ratings:month_reopen", "ratings:month_check"])
def test_other_roles_get_403_and_get_is_405(closed_year, client_for, township_clerk, industry_reviewer,
                                           county_admin, name):
    year, _ = closed_year
    for user in (township_clerk, industry_reviewer):
        assert client_for(user).post(reverse(name), {"year": year, "month": 7, "reason": "x"}).status_code == 403
    assert client_for(county_admin).get(reverse(name)).status_code == 405
    assert MonthClose.objects.filter(year=year).count() == 2 and not MonthCheckRun.objects.exists()


def test_the_check_button_runs_the_task_and_shows_the_result_with_its_time(closed_year, county, client_for,
                                                                           county_admin, django_capture_on_commit_callbacks):
    client = client_for(county_admin)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("ratings:month_check")).status_code == 302
    run = MonthCheckRun.objects.get()
    assert (run.status, run.months, run.differences, run.requested_by) == ("done", 2, 0, county_admin)
    assert run.figures > 0 and run.finished_at <= timezone.now()
    page = client.get(reverse("ratings:month_close")).content.decode()
    assert "全部一致" in page and f"{timezone.localtime(run.finished_at):%Y-%m-%d %H:%M}" in page


def _entered_july(village_id, year):
    return LedgerEntry.objects.filter(village_id=village_id, year=year, month=7).exists()


def test_check_flags_a_closed_july_that_carried_a_since_corrected_june_value(closed_year, county, county_admin):
    """July stands as closed even when a June correction would change what July carried forward;
    the check says so, naming July's figures, so the department can decide to reopen July too."""
    year, villages = closed_year
    carried = next(v for v in villages if not _entered_july(v.pk, year)
                   and LedgerEntry.objects.filter(village=v, year=year, month=6).exists())
    july_before = _published(year, 7)
    month_reopen(county=county, year=year, month=6, by=county_admin, reason="更正")
    LedgerEntry.objects.filter(village=carried, year=year, month=6).delete()
    month_close(county=county, year=year, month=6, by=county_admin, bulletins=False)
    assert [r[:5] for r in _published(year, 7)] == [r[:5] for r in july_before]
    out, error = _check(county=county.code, year=year, month=7)
    assert error is not None
    assert f"{year}-07 {carried.code} total" in out
