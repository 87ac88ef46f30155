"""Faults with a real worker on Redis and PostgreSQL: a worker process killed in the middle of
a county's recompute hands the task back, and the province run is done only after it; a
task whose database session is killed reconnects and retries on its own."""

import os
import signal
import time

import pytest
from django.db import connection
from django.utils import timezone

from config.jobs import job_run_batch_create
from config.models import JobKind, JobRun, JobState
from ratings.models import LedgerEntry, VillageScore
from ratings.services.scoring import recompute
from ratings.tasks import recompute_province, recompute_region
from tests.factories import CountyFactory, TownshipFactory

from .scoring_helpers import fill_ledgers, make_villages


def _wait(condition, what: str, seconds: float = 60):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"{what}: not within {seconds:.0f} s"
        time.sleep(0.3)


@pytest.mark.worker
def test_a_worker_process_killed_mid_county_is_redelivered_and_the_run_done_after_it(
        celery_worker_factory, township, standard, township_clerk, this_month, tmp_path):
    year, month = this_month
    county = township.parent
    neighbour = TownshipFactory(parent=CountyFactory(code="419902000000", name="邻县"))
    villages = make_villages(township, 8)
    fill_ledgers(villages + make_villages(neighbour, 3), township_clerk, year, month)
    recompute(year=year, month=month, region=county)
    before = dict(VillageScore.objects.filter(village__in=villages).values_list("village_id", "total"))
    LedgerEntry.objects.filter(village__in=villages, indicator__code="ecology.greening").update(value=0)

    # Two child processes, as production runs; the county's first delivery pauses inside its
    # transaction (results written, not committed) and writes the pid of its process.
    marker = tmp_path / "paused.pid"
    celery_worker_factory({"PORTAL_TEST_PAUSE_COUNTY": f"{county.pk}:120:{marker}"}, pool="prefork", concurrency=2)
    recompute_province.delay(year, month)
    _wait(marker.exists, "the county's recompute did not start")
    run = JobRun.objects.get(parent=None)
    _wait(lambda: run.children.filter(county=neighbour.parent, state=JobState.DONE).exists(),
          "the neighbouring county did not finish")
    run.refresh_from_db()
    assert run.state == JobState.RUNNING  # one county done, one in the middle: not done

    killed_at = timezone.now()
    os.kill(int(marker.read_text()), signal.SIGKILL)
    started = time.monotonic()
    _wait(lambda: JobRun.objects.filter(pk=run.pk, state=JobState.DONE).exists(),
          "the killed county was not redelivered and finished", 40)
    redelivered_in = time.monotonic() - started

    child = run.children.get(county=county)
    assert (child.state, child.deliveries) == (JobState.DONE, 2), redelivered_in
    fresh = VillageScore.objects.filter(village__in=villages, view="live", year=year, month=month)
    assert fresh.count() == 8
    assert all(s.computed_at > killed_at and s.total < before[s.village_id] for s in fresh)
    run.refresh_from_db()
    assert run.finished_at >= child.finished_at


@pytest.mark.worker
def test_a_task_whose_database_session_is_killed_retries_and_finishes(celery_worker_factory, township, standard,
                                                                      township_clerk, this_month, tmp_path):
    year, month = this_month
    county = township.parent
    villages = make_villages(township, 4)
    fill_ledgers(villages, township_clerk, year, month)
    run = job_run_batch_create(kind=JobKind.RECOMPUTE, county_ids=[county.pk], year=year, month=month)
    child = run.children.get()
    marker = tmp_path / "paused.pid"
    celery_worker_factory({"PORTAL_TEST_PAUSE_COUNTY": f"{county.pk}:4:{marker}"})
    recompute_region.apply_async(args=[county.pk, year, month], kwargs={"run_id": child.pk})
    _wait(marker.exists, "the county's recompute did not start")

    # What a database restart does to a task: its session is gone in the middle of the work.
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                       "WHERE datname = current_database() AND pid <> pg_backend_pid()")
        assert cursor.fetchall(), "no worker session to terminate"
    _wait(lambda: JobRun.objects.filter(pk=run.pk, state=JobState.DONE).exists(),
          "the task did not reconnect, retry and finish", 25)
    child.refresh_from_db()
    assert child.deliveries == 2 and child.error == ""  # the retry ran it again, and it finished
    assert VillageScore.objects.filter(village__in=villages, view="live").count() == 4
