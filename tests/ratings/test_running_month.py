"""The running month tells the truth (DESIGN "The running month"): as of the 8th, meetings not
held yet are pending (进行中), not failed; the village shows its level as a range, rankings and
dashboards say 进行中, and a star is at risk only for what can no longer be met or is behind pace."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from ratings.campaign.services.warnings import warnings_refresh
from ratings.models import EarlyWarning, StarScore, WarningKind
from ratings.selectors_running import month_state, running_states
from ratings.services.scoring import recompute
from ratings.services.scoring_inputs import load_standards
from tests.ratings.scoring_helpers import fill_ledgers, hold_meetings, make_villages

MEETINGS = {"branch.life_meetings", "branch.themed_party_day"}


@pytest.fixture
def eighth(monkeypatch, this_month):
    """Today is the 8th of this month (the pages read the date through timezone.localdate)."""
    day = dt.date(*this_month, 8)
    real = timezone.localdate

    def localdate(value=None, timezone=None):
        return real(value, timezone) if value is not None else day

    monkeypatch.setattr("django.utils.timezone.localdate", localdate)
    return day


@pytest.fixture
def running(standard, this_month, village, township_clerk, eighth):
    """The village with every ledger value of the month at full marks and no meeting held yet
    this month, scored live; the month before published with every star earned."""
    year, month = this_month
    fill_ledgers([village], township_clerk, year, month)
    recompute(year=year, month=month, region=village.parent.parent)
    return village


def _previous(year, month):
    return (year - 1, 12) if month == 1 else (year, month - 1)


def test_meetings_not_held_yet_are_pending_and_the_level_is_a_range(running, this_month, eighth):
    year, month = this_month
    branch = StarScore.objects.get(village=running, year=year, month=month, view="live", star="branch")
    assert not branch.earned  # today's live figure: 25 points of meetings not earned yet
    state = running_states(year=year, month=month, village_ids=[running.pk], today=eighth)[running.pk]
    assert (state.secured_level, state.attainable_level) == (0, 5)
    assert {code for star, code in state.pending if star == "branch"} == MEETINGS
    assert state.stars["branch"].secured == branch.score < state.stars["branch"].attainable


def test_a_month_over_or_not_begun_has_no_running_state(running, this_month, eighth):
    year, month = this_month
    assert running_states(year=year, month=month, village_ids=[running.pk], today=dt.date(year, month, 1)
                          + dt.timedelta(days=40)) == {}
    assert month_state(year, month, eighth) == "running"
    assert month_state(*_previous(year, month), eighth) == "past"
    assert month_state(year + 1, month, eighth) == "future"


def test_meetings_held_make_the_star_secured(standard, this_month, village, township_clerk, eighth):
    year, month = this_month
    fill_ledgers([village], township_clerk, year, month)
    hold_meetings([village], year, month)
    recompute(year=year, month=month, region=village.parent.parent)
    state = running_states(year=year, month=month, village_ids=[village.pk], today=eighth)[village.pk]
    # No collective income recorded yet this year: the industry star waits on the month's incomes.
    assert (state.secured_level, state.attainable_level) == (4, 5)
    assert state.pending and {star for star, _code in state.pending} == {"industry"}
    assert state.stars["branch"].secured_earned


def test_village_page_shows_the_range_and_the_pending_indicators(client_for, village_secretary, running,
                                                                 this_month):
    year, month = this_month
    page = client_for(village_secretary).get(reverse("reports:village", args=[running.code]),
                                              {"year": year, "month": month, "view": "live"})
    text = page.content.decode()
    assert "已确定 0星 · 最多可达 5星" in re.sub(r"<[^>]+>", "", text)
    assert "当月三会一课开展次数" in text and "当月主题党日开展次数" in text and "进行中" in text


def test_village_page_of_a_closed_month_shows_the_running_month_beside_it(client_for, first_secretary, running,
                                                                           this_month):
    year, month = _previous(*this_month)
    page = client_for(first_secretary).get(reverse("reports:village", args=[running.code]),
                                            {"year": year, "month": month, "view": "live"})
    text = page.content.decode()
    assert page.status_code == 200 and 'data-testid="running-level"' not in text
    beside = text.split('data-testid="running-beside"')[1].split("</div>")[0]
    assert f"{this_month[1]}月进行中" in beside and "已确定 0星" in beside and "最多可达 5星" in beside


def test_explain_page_marks_pending_indicators(client_for, township_clerk, running, this_month):
    year, month = this_month
    page = client_for(township_clerk).get(
        reverse("ratings:explain", args=[running.code, year, month, "branch"]), {"view": "live"})
    text = page.content.decode()
    assert "进行中：月底前仍可获星" in text and text.count('badge text-bg-warning">进行中') == 2


def test_running_ranking_is_labelled_and_shows_the_level_within_reach(client_for, county_admin, standard, this_month,
                                                                      township, township_clerk, eighth,
                                                                      django_assert_max_num_queries):
    year, month = this_month
    villages = make_villages(township, 30, start=101)
    fill_ledgers(villages, township_clerk, year, month)
    hold_meetings(villages[:10], year, month)
    recompute(year=year, month=month, region=township.parent)
    client = client_for(county_admin)
    url = reverse("ratings:rankings")
    client.get(url, {"year": year, "month": month, "view": "live"})  # warm the standards kept per process
    # 12 on SQLite, 10 on PostgreSQL (its standards checked by one digest query, not three):
    # the page's rows, its running states in two reads, whatever the number of rows.
    with django_assert_max_num_queries(12):
        page = client.get(url, {"year": year, "month": month, "view": "live"})
    text = page.content.decode()
    assert 'data-testid="running-badge"' in text and "最多可达" in text
    rows = page.context["rows"]
    # Sorted by the figure secured today: the ten villages that held their meetings first.
    assert [r.star_level for r in rows[:10]] == [4] * 10 and all(r.star_level == 0 for r in rows[10:])
    assert all(r.attainable_level == 5 for r in rows)


def test_ranking_of_a_month_not_begun_says_so(client_for, county_admin, running, this_month):
    year, month = this_month
    page = client_for(county_admin).get(reverse("ratings:rankings"), {"year": year + 1, "month": month})
    assert 'data-testid="month-not-begun"' in page.content.decode()


def test_task_list_marks_pending_items(client_for, village_secretary, running, this_month):
    from ratings.models import ChecklistItem, ItemOrigin, ItemStatus

    year, _month = this_month
    for code, title in (("branch.life_meetings", "开展三会一课"), ("branch.member_points", "党员积分管理")):
        ChecklistItem.objects.create(village=running, year=year, star="branch", indicator_code=code, title=title,
                                     origin=ItemOrigin.GAP, status=ItemStatus.OPEN)
    text = client_for(village_secretary).get(reverse("campaign:task_list")).content.decode()
    # The meetings may still be held this month; the points ledger is met already (no mark).
    assert text.count("本月进行中") == 1
    assert text.index("开展三会一课") < text.index("本月进行中") < text.index("党员积分管理")


def _published_branch(village, year, month):
    from tests.factories import StarScoreFactory, VillageScoreFactory

    VillageScoreFactory(village=village, year=year, month=month, view="published")
    StarScoreFactory(village=village, year=year, month=month, view="published", star="branch", earned=True)


def test_no_star_warning_for_meetings_merely_not_due(running, county, this_month, eighth):
    year, month = this_month
    _published_branch(running, *_previous(year, month))
    warnings_refresh(county=county, today=eighth)
    assert not EarlyWarning.objects.filter(kind=WarningKind.STAR_MISSED).exists()


def test_star_warning_when_meetings_fall_behind_pace(running, county, this_month):
    year, month = this_month
    _published_branch(running, *_previous(year, month))
    last = (dt.date(year, month, 28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    # Two meetings still needed with at most one working day left: behind pace.
    day = next(last - dt.timedelta(days=n) for n in range(1, 5) if sum(
        1 for k in range(1, n + 1) if (last - dt.timedelta(days=n) + dt.timedelta(days=k)).weekday() < 5) <= 1)
    warnings_refresh(county=county, today=day)
    [warning] = EarlyWarning.objects.filter(kind=WarningKind.STAR_MISSED)
    assert "进度落后" in warning.text and "当月三会一课开展次数" in warning.text


def test_county_dashboard_opens_on_the_closed_month_with_the_running_month_beside_it(
        client_for, county_admin, running, county, this_month, township_clerk):
    from ratings.services.month_close import month_close

    year, month = this_month
    previous = _previous(year, month)
    if previous[0] != year:  # January: the month before is rated by last year's standard
        from ratings.services.standard import standard_load_defaults

        standard_load_defaults(year=previous[0])
    fill_ledgers([running], township_clerk, *previous)
    month_close(county=county, year=previous[0], month=previous[1], by=county_admin)
    client = client_for(county_admin)
    page = client.get(reverse("reports:county_dashboard"))
    assert (page.context["period"].year, page.context["period"].month) == previous
    text = page.content.decode()
    assert 'data-testid="running-progress"' in text and f"{month}月进行中" in text
    live = client.get(reverse("reports:county_dashboard"), {"year": year, "month": month, "view": "live"})
    levels = live.content.decode().split('data-testid="levels-table"')[1].split("</table>")[0]
    # The running month against last month is only the calendar: no change figure is shown.
    assert "进行中" in levels and "+" not in levels


def test_dashboards_of_a_month_not_begun_say_so(client_for, county_admin, township_clerk, running, township,
                                                this_month):
    year, month = this_month
    future = {"year": year + 1, "month": month}
    for user, url in ((county_admin, reverse("reports:county_dashboard")),
                      (township_clerk, reverse("reports:township_dashboard", args=[township.code]))):
        text = client_for(user).get(url, future).content.decode()
        assert 'data-testid="month-not-begun"' in text and "尚未开始" in text


def test_running_progress_reads_do_not_grow_with_villages(client_for, township_clerk, standard, this_month, township,
                                                          eighth):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    year, month = this_month
    client = client_for(township_clerk)
    url = reverse("reports:township_dashboard", args=[township.code])
    counts = []
    for start, count in ((101, 3), (104, 27)):
        villages = make_villages(township, count, start=start)
        fill_ledgers(villages, township_clerk, year, month)
        recompute(year=year, month=month, region=township.parent)
        load_standards(year)  # the standards kept per process, as on a running server
        with CaptureQueriesContext(connection) as queries:
            page = client.get(url, {"year": year, "month": month, "view": "live"})
        assert page.context["running"].villages == start + count - 101
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_running_month_pages_read_a_fixed_number_of_queries(client_for, village_secretary, running, standard,
                                                           this_month, django_assert_max_num_queries):
    """The running month on the village page and the task list: the standards as a process keeps
    them (checked, not read again), the village's live rows and entries, nothing per row."""
    from ratings.models import ChecklistItem, Indicator, ItemOrigin, ItemStatus

    year, month = this_month
    indicators = Indicator.objects.filter(star__standard=standard).select_related("star")
    ChecklistItem.objects.bulk_create([
        ChecklistItem(village=running, year=year, star=i.star.code, indicator_code=i.code, title=f"补齐{i.name}",
                      origin=ItemOrigin.GAP, status=ItemStatus.OPEN) for i in indicators])
    assert len(indicators) >= 40
    load_standards(year)
    client = client_for(village_secretary)
    # SQLite's counts; PostgreSQL's are two fewer (the standards checked by one digest query).
    with django_assert_max_num_queries(20):
        page = client.get(reverse("reports:village", args=[running.code]), {"year": year, "month": month, "view": "live"})
    assert "最多可达 5星" in re.sub(r"<[^>]+>", "", page.content.decode())
    with django_assert_max_num_queries(11):
        text = client.get(reverse("campaign:task_list")).content.decode()
    # Each item whose indicator is still pending is marked, the others not.
    pending = running_states(year=year, month=month, village_ids=[running.pk])[running.pk].pending
    assert set(MEETINGS) <= {code for _star, code in pending}
    assert text.count("本月进行中") == len(pending)
