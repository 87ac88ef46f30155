"""Faults with a real worker on Redis and PostgreSQL: a worker process killed in the middle of
a county's recompute hands the task back, and the province run is done only after it; a
worker whose database session is killed reconnects on its own."""

import os
import signal
import time

import pytest
from django.db import connection
from django.utils import timezone

from ratings.models import JobRun, JobState, LedgerEntry, LedgerStatus, PendingRecompute, VillageScore
from ratings.services.ledger import ledger_entries_approve
from ratings.services.scoring import recompute
from ratings.tasks import recompute_province
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
def test_a_worker_reconnects_after_its_database_connection_is_killed(celery_worker_factory, township, standard,
                                                                     township_clerk, industry_reviewer, this_month):
    year, month = this_month
    first, second = make_villages(township, 2)
    fill_ledgers([first, second], township_clerk, year, month, status=LedgerStatus.SUBMITTED)
    entries = LedgerEntry.objects.filter(indicator__star__code="industry")
    celery_worker_factory({"DB_CONN_MAX_AGE": "600"})  # the worker keeps its connection between tasks
    ledger_entries_approve(entries=entries.filter(village=first), by=industry_reviewer)
    _wait(lambda: VillageScore.objects.filter(village=first, view="live").exists(), "the first approval")

    # What a database restart does to the worker: its session is gone under it.
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                       "WHERE datname = current_database() AND pid <> pg_backend_pid()")
        assert cursor.fetchall(), "no worker session to terminate"
    ledger_entries_approve(entries=entries.filter(village=second), by=industry_reviewer)
    _wait(lambda: VillageScore.objects.filter(village=second, view="live").exists(), "the approval after the kill")
    assert not PendingRecompute.objects.exists()
