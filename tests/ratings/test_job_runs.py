"""Job runs: a province recompute or a month close is done only when every county is; a county
missing at the deadline is sent again once, then failed, shown and notified."""

import datetime as dt

import pytest
from django.utils import timezone

from config.celery import app
from config.jobs import MSG_OVERDUE, MSG_WORKER_LOST, job_run_batch_create, job_run_tracked
from config.models import JobKind, JobRun, JobState
from ratings.models import MonthClose, Notice, PendingRecompute, VillageScore
from ratings.services.month_close import MSG_CLOSE_FUTURE
from ratings.tasks import (
    close_month,
    close_month_all,
    drain_pending_recomputes,
    job_runs_check,
    recompute_province,
    recompute_region,
)
from tests.factories import CountyFactory, TownshipFactory
from villages.models import Region

from .scoring_helpers import fill_ledgers, make_villages


@pytest.fixture
def as_a_worker():
    """Eager tasks whose failures are recorded, not raised into the test, as on a worker."""
    previous = app.conf.task_eager_propagates
    app.conf.task_eager_propagates = False
    yield
    app.conf.task_eager_propagates = previous


@pytest.fixture
def two_counties(township, standard, township_clerk, this_month):
    year, month = this_month
    other = TownshipFactory(parent=CountyFactory(code="419902000000", name="邻县"))
    villages = make_villages(township, 3) + make_villages(other, 2)
    fill_ledgers(villages, township_clerk, year, month)
    return township.parent, other.parent


def test_a_province_recompute_is_done_when_every_county_is(two_counties, this_month):
    year, month = this_month
    run = JobRun.objects.get(pk=recompute_province.apply(args=[year, month]).get())
    assert run.state == JobState.DONE and run.county is None and run.finished_at >= run.started_at
    children = list(run.children.order_by("county__code"))
    assert [c.county for c in children] == list(two_counties)
    assert [(c.state, c.deliveries, c.result) for c in children] == [
        (JobState.DONE, 1, "3 个村（社区）"), (JobState.DONE, 1, "2 个村（社区）")]
    assert all(c.duration_seconds is not None for c in children)
    assert VillageScore.objects.filter(view="live", year=year, month=month).count() == 5


def test_a_batch_with_a_county_still_waiting_is_not_done(two_counties, this_month):
    year, month = this_month
    first, second = two_counties
    run = job_run_batch_create(kind=JobKind.RECOMPUTE, county_ids=[first.pk, second.pk], year=year, month=month)
    child = run.children.get(county=first)
    recompute_region.apply(args=[first.pk, year, month], kwargs={"run_id": child.pk}).get()
    run.refresh_from_db()
    assert run.state == JobState.RUNNING and run.finished_at is None
    recompute_region.apply(args=[second.pk, year, month], kwargs={"run_id": run.children.get(county=second).pk}).get()
    run.refresh_from_db()
    assert run.state == JobState.DONE


def test_a_delivery_of_a_finished_county_does_not_run_it_again(two_counties, this_month):
    year, month = this_month
    first, _ = two_counties
    run = job_run_batch_create(kind=JobKind.RECOMPUTE, county_ids=[first.pk], year=year, month=month)
    child = run.children.get()
    assert recompute_region.apply(args=[first.pk, year, month], kwargs={"run_id": child.pk}).get() == 3
    assert recompute_region.apply(args=[first.pk, year, month], kwargs={"run_id": child.pk}).get() == 0
    child.refresh_from_db()
    assert child.deliveries == 1


def test_a_county_that_keeps_killing_its_worker_is_given_up(two_counties, this_month, settings):
    year, month = this_month
    first, _ = two_counties
    run = job_run_batch_create(kind=JobKind.RECOMPUTE, county_ids=[first.pk], year=year, month=month)
    # Three deliveries started and none finished: each time the worker died inside the task.
    run.children.update(state=JobState.RUNNING, deliveries=settings.JOB_RUN_MAX_DELIVERIES)
    child = run.children.get()
    assert recompute_region.apply(args=[first.pk, year, month], kwargs={"run_id": child.pk}).get() == 0
    child.refresh_from_db()
    assert child.state == JobState.FAILED
    assert child.error == MSG_WORKER_LOST.format(n=settings.JOB_RUN_MAX_DELIVERIES)
    assert not VillageScore.objects.exists()


def test_a_failing_county_ends_the_batch_at_once_named_and_notified(two_counties, this_month, as_a_worker):
    year, month = this_month  # this month cannot be closed yet: every close of it fails
    first, second = two_counties
    run = job_run_batch_create(kind=JobKind.MONTH_CLOSE, county_ids=[first.pk], year=year, month=month)
    child = run.children.get()
    close_month.apply(args=[first.pk, year, month], kwargs={"run_id": child.pk})
    child.refresh_from_db()
    run.refresh_from_db()
    assert (child.state, child.error) == (JobState.FAILED, MSG_CLOSE_FUTURE)
    # Never left `running`: every county settled, none done, so the batch failed, naming it.
    assert (run.state, run.error) == (JobState.FAILED, f"1 个县未完成：{first.name}")
    assert run.finished_at is not None
    notice = Notice.objects.get(region=first)
    assert "月度关账未完成" in notice.text and MSG_CLOSE_FUTURE in notice.text and "重新计算失败的县" in notice.text
    assert not Notice.objects.filter(region=second).exists()
    assert not MonthClose.objects.exists()
    assert job_runs_check.apply().get() == 0  # an ended batch is not the overdue check's business


def test_a_county_never_delivered_is_sent_again_at_the_deadline(two_counties, this_month):
    year, month = this_month
    first, second = two_counties
    # The broker lost the first county's message: only the second county ran.
    run = job_run_batch_create(kind=JobKind.RECOMPUTE, county_ids=[first.pk, second.pk], year=year, month=month,
                               view="live")
    recompute_region.apply(args=[second.pk, year, month], kwargs={"run_id": run.children.get(county=second).pk})
    JobRun.objects.filter(pk=run.pk).update(deadline=timezone.now() - dt.timedelta(minutes=1))
    assert job_runs_check.apply().get() == 1
    run.refresh_from_db()
    assert run.state == JobState.DONE
    assert run.children.get(county=first).resubmits == 1
    assert VillageScore.objects.filter(village__code__startswith=first.prefix).count() == 3


def test_a_county_still_missing_after_its_second_chance_fails_as_overdue(two_counties, this_month):
    year, month = this_month
    first, _ = two_counties
    run = job_run_batch_create(kind=JobKind.RECOMPUTE, county_ids=[first.pk], year=year, month=month)
    run.children.update(state=JobState.RUNNING, deliveries=1, resubmits=1)
    JobRun.objects.filter(pk=run.pk).update(deadline=timezone.now() - dt.timedelta(minutes=1))
    assert job_runs_check.apply().get() == 0
    run.refresh_from_db()
    child = run.children.get()
    assert (child.state, child.error) == (JobState.FAILED, MSG_OVERDUE)
    assert run.state == JobState.FAILED
    assert Notice.objects.filter(region=first, text__contains="重新计算未完成").count() == 1


def test_a_second_beat_does_not_start_a_second_month_close_batch(county, township, standard, monkeypatch):
    today = timezone.localdate()
    monkeypatch.setitem(__import__("django.conf").conf.settings.PORTAL, "MONTH_CLOSE_DAY", 1)
    year, month = (today.year - 1, 12) if today.month == 1 else (today.year, today.month - 1)
    # The first beat's batch is under way: its close is still queued.
    job_run_batch_create(kind=JobKind.MONTH_CLOSE, county_ids=[county.pk], year=year, month=month)
    assert close_month_all.apply().get() == []
    assert JobRun.objects.filter(kind=JobKind.MONTH_CLOSE, parent=None).count() == 1


def test_a_tracked_job_in_a_request_records_its_error(county):
    with pytest.raises(ZeroDivisionError), job_run_tracked(kind=JobKind.IMPORT, county=county):
        1 / 0  # noqa: B018 - the import's failure
    run = JobRun.objects.get()
    assert run.state == JobState.FAILED and run.error == "ZeroDivisionError: division by zero"
    assert run.finished_at is not None


def test_a_task_without_a_run_that_fails_for_good_is_recorded_with_its_error(two_counties, this_month, as_a_worker):
    year, _ = this_month
    first, _ = two_counties
    village = Region.objects.filter(code__startswith=first.prefix, level="village").first()
    PendingRecompute.objects.create(village=village, year=year, month=13)  # no such month: the drain fails
    drain_pending_recomputes.apply(args=[year, 13])
    run = JobRun.objects.get()
    assert (run.kind, run.state, run.county) == (JobKind.RECOMPUTE, JobState.FAILED, None)
    assert run.error.split(":")[0] in {"ValueError", "ValidationError", "IllegalMonthError"}, run.error
    assert PendingRecompute.objects.count() == 1  # still waiting, nothing lost
