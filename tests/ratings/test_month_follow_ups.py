"""Corrections after a reopening reach every month they touch: closing the reopened month again
recomputes the running month's live view at once and lists each later closed month whose figures
the correction would change, with the differences, until it is reopened (in order) or a decision
to leave it is recorded; `recompute --check` reports the decided differences apart and exits 0.
A nightly task recomputes the running month's live view of every county."""

from decimal import Decimal as D

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from ratings.detail import detail_rows
from ratings.models import (
    LedgerEntry,
    MonthClose,
    MonthFollowUp,
    MonthReopening,
    StarScore,
    View,
    VillageScore,
)
from ratings.services.follow_ups import (
    MSG_FOLLOW_UP_ORDER,
    month_follow_up_leave,
    month_follow_up_reopen,
)
from ratings.services.ledger import ledger_entry_correct
from ratings.services.month_close import month_close, month_reopen
from ratings.services.scoring import recompute
from tests.factories import CountyFactory

from .late_helpers import SEWAGE_LOW, full_value, run_check
from .scoring_helpers import fill_ledgers, hold_meetings, make_villages

SEWAGE = "ecology.sewage_rate"


def _sewage(village, year, month, view):
    star = StarScore.objects.get(village=village, year=year, month=month, view=view, star="ecology")
    return next(row for row in detail_rows(star.indicators) if row["code"] == SEWAGE)


@pytest.fixture
def corrected_june(county, township, standard, township_clerk, ecology_reviewer, county_admin, clock,
                   django_capture_on_commit_callbacks):
    """June's ledgers entered (the first village's sewage rate 47.88 %, carried forward by the
    months after it), June, July and August closed, September running with its live view; then
    June reopened, the sewage rate corrected to 60 % and June closed again. The correction's own
    live recompute is left out (its callbacks are not run), so only the re-close brings it to
    September."""
    year = clock.year
    villages = make_villages(township, 3)
    for month in (6, 7, 8, 9):
        hold_meetings(villages, year, month)
    fill_ledgers(villages, township_clerk, year, 6,
                 value_for=lambda v, i: SEWAGE_LOW if i.code == SEWAGE and v.pk == villages[0].pk else full_value(i))
    for month in (6, 7, 8):
        clock.set(month + 1, 5)
        month_close(county=county, year=year, month=month, bulletins=False)
    clock.set(9, 10)
    recompute(year=year, month=9, view=View.LIVE, region=county)
    assert _sewage(villages[0], year, 9, View.LIVE)["value"] == "47.88"
    month_reopen(county=county, year=year, month=6, by=county_admin, reason="污水治理率录入有误")
    entry = LedgerEntry.objects.get(village=villages[0], indicator__code=SEWAGE, year=year, month=6)
    ledger_entry_correct(entry=entry, by=ecology_reviewer, value=D(60), reason="按验收报告更正")
    clock.set(9, 11)
    july_before = list(StarScore.objects.filter(year=year, month=7, view=View.PUBLISHED).order_by("pk")
                       .values_list("score", "earned", "indicators"))
    with django_capture_on_commit_callbacks(execute=True):
        month_close(county=county, year=year, month=6, by=county_admin, bulletins=False)
    return year, villages, july_before


def test_closing_again_brings_the_correction_to_the_running_month_at_once(corrected_june):
    year, villages, _ = corrected_june
    assert _sewage(villages[0], year, 6, View.PUBLISHED)["value"] == "60"
    live = _sewage(villages[0], year, 9, View.LIVE)
    assert (live["value"], live["points"]) == ("60", "15.00")


def test_later_closed_months_are_listed_with_their_differences_and_never_rewritten(corrected_june):
    year, villages, july_before = corrected_june
    follow_ups = list(MonthFollowUp.objects.order_by("month"))
    # The first village's figures, and the ranks of all three (it moves from last to first).
    assert [(f.month, f.state, f.villages) for f in follow_ups] == [(7, "open", 3), (8, "open", 3)]
    for follow_up in follow_ups:
        assert {"village": villages[0].code, "figure": f"{SEWAGE}.points", "stored": "11.97", "fresh": "15.00",
                "county": follow_up.county.code, "year": year, "month": follow_up.month} in follow_up.differences
    assert list(StarScore.objects.filter(year=year, month=7, view=View.PUBLISHED).order_by("pk")
                .values_list("score", "earned", "indicators")) == july_before
    assert _sewage(villages[0], year, 8, View.PUBLISHED)["value"] == "47.88"
    assert MonthReopening.objects.get().later_months_checked_at is not None
    out, code = run_check()
    assert code == 1 and f"{year}-07 {villages[0].code} {SEWAGE}.points" in out


def test_a_decision_to_leave_each_month_is_recorded_and_the_check_then_passes(corrected_june, county_admin):
    year, villages, _ = corrected_june
    july, august = MonthFollowUp.objects.order_by("month")
    with pytest.raises(ValidationError) as error:
        month_follow_up_reopen(follow_up=august, by=county_admin, reason="计入6月更正")
    assert MSG_FOLLOW_UP_ORDER.format(year=year, month=7) in error.value.messages
    assert MonthClose.objects.filter(year=year, month=8).exists()
    month_follow_up_leave(follow_up=july, by=county_admin, reason="7月通报已下发，差异不影响星级")
    out, code = run_check()
    assert code == 1 and f"{year}-08 {villages[0].code}" in out and ", 0 differences" not in out
    month_follow_up_leave(follow_up=august, by=county_admin, reason="同7月")
    out, code = run_check()
    summary, *lines = out.splitlines()
    assert code == 0 and summary.startswith("3 months") and ", 0 differences, " in summary
    assert summary.endswith(f", {len(july.differences) + len(august.differences)} acknowledged")
    assert lines[0].startswith("acknowledged:")
    assert any(f"{year}-07 {villages[0].code} {SEWAGE}.points: stored '11.97', fresh '15.00'" in line
               and "7月通报已下发，差异不影响星级" in line and "county_admin" in line for line in lines)
    july.refresh_from_db()
    assert (july.state, july.decided_by.username, july.decision_reason) == (
        "left", "county_admin", "7月通报已下发，差异不影响星级")


def test_reopening_the_first_listed_month_takes_it_off_the_list(corrected_june, county, county_admin,
                                                                 django_capture_on_commit_callbacks):
    year, villages, _ = corrected_june
    july = MonthFollowUp.objects.get(month=7)
    month_follow_up_reopen(follow_up=july, by=county_admin, reason="计入6月更正")
    july.refresh_from_db()
    assert july.state == "reopened" and july.reopening.reason == "计入6月更正"
    with django_capture_on_commit_callbacks(execute=True):
        month_close(county=county, year=year, month=7, by=county_admin, bulletins=False)
    assert _sewage(villages[0], year, 7, View.PUBLISHED)["value"] == "60"
    # August is still listed, now after July's re-close too; the check names only August.
    august = MonthFollowUp.objects.get(month=8, state="open")
    assert august.cause.month == 7
    out, code = run_check()
    assert code == 1 and f"{year}-07" not in out and f"{year}-08 {villages[0].code}" in out


def test_the_follow_ups_page_lists_and_records_decisions(corrected_june, client_for, county_admin):
    year, villages, _ = corrected_june
    client = client_for(county_admin)
    page = client.get(reverse("ratings:month_follow_ups")).content.decode()
    assert f"{year}年7月" in page and f"{year}年8月" in page and villages[0].name in page
    assert "生活污水治理率 · 指标得分" in page and "11.97" in page and "15.00" in page
    assert page.count('name="action" value="reopen"') == 2 and page.count("请先处理更早的月份") == 1
    july = MonthFollowUp.objects.get(month=7)
    response = client.post(reverse("ratings:month_follow_up_decide", args=[july.pk]),
                           {"action": "leave", "reason": "差异已知悉"})
    assert response.status_code == 302
    page = client.get(reverse("ratings:month_follow_ups")).content.decode()
    assert "保留原发布结果" in page and "差异已知悉" in page and "county_admin" in page
    assert "更正影响的后续月份：1 个月待处理" in client.get(reverse("ratings:month_close")).content.decode()


def test_follow_ups_are_the_county_organisation_departments(corrected_june, client_for, county_admin, township_clerk,
                                                           ecology_reviewer):
    july = MonthFollowUp.objects.get(month=7)
    for user in (township_clerk, ecology_reviewer):
        client = client_for(user)
        assert client.get(reverse("ratings:month_follow_ups")).status_code == 403
        assert client.post(reverse("ratings:month_follow_up_decide", args=[july.pk]),
                           {"action": "leave", "reason": "x"}).status_code == 403
        with pytest.raises(PermissionDenied):
            month_follow_up_leave(follow_up=july, by=user, reason="x")
    other = CountyFactory(code="419902000000", name="邻县")
    cause = MonthReopening.objects.create(county=other, year=july.year, month=6, reason="x", reopened_at=july.found_at)
    foreign = MonthFollowUp.objects.create(county=other, year=july.year, month=7, cause=cause, found_at=july.found_at)
    client = client_for(county_admin)
    assert client.post(reverse("ratings:month_follow_up_decide", args=[foreign.pk]),
                       {"action": "leave", "reason": "x"}).status_code == 404
    assert client.get(reverse("ratings:month_follow_up_decide", args=[july.pk])).status_code == 405
    assert MonthFollowUp.objects.filter(state="open").count() == 3


def test_the_nightly_task_recomputes_the_running_month_of_every_county(corrected_june, county):
    from ratings.tasks import recompute_running_month

    year, villages, _ = corrected_june
    assert settings.CELERY_BEAT_SCHEDULE["recompute-running-month"]["task"] == "ratings.recompute_running_month"
    VillageScore.objects.filter(year=year, month=9, view=View.LIVE).delete()
    # A re-close whose comparison of the later months never ran (its task lost) is caught up.
    MonthFollowUp.objects.all().delete()
    MonthReopening.objects.update(later_months_checked_at=None)
    recompute_running_month()
    assert VillageScore.objects.filter(year=year, month=9, view=View.LIVE).count() == len(villages)
    assert _sewage(villages[0], year, 9, View.LIVE)["value"] == "60"
    assert sorted(MonthFollowUp.objects.values_list("month", flat=True)) == [7, 8]
