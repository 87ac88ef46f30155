"""Real outages with a real worker, Redis and PostgreSQL (marker `worker`): a whole worker gone
in the middle of a province recompute, a Redis of the test's own stopped and then hung, and
the database dropping every connection again and again during a recompute.

Celery beat is played by the test: it sends the watchdog (and the drain) as beat would, on
the shortened periods that the worker's environment sets.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import socket
import subprocess
import threading
import time
from contextlib import contextmanager

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from config.cache import forget_cache_failures
from config.celery import app, forget_broker_failures
from config.jobs import MSG_RESENT
from config.models import OPEN_STATES, JobKind, JobRun, JobState
from ratings.models import (
    LedgerEntry,
    LedgerStatus,
    Notice,
    PendingRecompute,
    VillageScore,
)
from ratings.tasks import (
    drain_stale_pending_recomputes,
    job_runs_watchdog,
    recompute_counties_start,
    recompute_province,
)
from tests.factories import CountyFactory, TownshipFactory

from ..ratings.scoring_helpers import fill_ledgers, make_villages

pytestmark = pytest.mark.worker

# The worker's clock for losing a worker: a heartbeat a second, gone after three silent ones.
FAST_WATCHDOG = {"WORKER_HEARTBEAT_SECONDS": "1", "WORKER_LOST_AFTER_SECONDS": "3"}
WATCHDOG_PERIOD = 2.0


def _wait(condition, what: str, seconds: float, *, every: float = 0.3, tick=None):
    deadline = time.monotonic() + seconds
    last_tick = 0.0
    while not condition():
        assert time.monotonic() < deadline, f"{what}: not within {seconds:.0f} s"
        if tick and time.monotonic() - last_tick >= WATCHDOG_PERIOD:
            tick()
            last_tick = time.monotonic()
        time.sleep(every)


def _beat_watchdog():
    job_runs_watchdog.apply_async(expires=WATCHDOG_PERIOD * 3)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def _redis_server(port: int):
    """A Redis of the test's own (no persistence), stopped at the end whatever happened."""
    proc = {"p": None}

    def start():
        proc["p"] = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                      "--appendonly", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _wait(lambda: _answers(port), "the test's Redis did not start", 10, every=0.05)
        return proc["p"]

    start()
    try:
        yield proc, start
    finally:
        if proc["p"].poll() is None:
            proc["p"].send_signal(signal.SIGCONT)
            proc["p"].terminate()
            proc["p"].wait(timeout=10)


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def _point_app_at(url: str):
    """This process's publishing and control at `url` (a fresh web process's pools)."""
    app._after_fork()
    app.conf.broker_write_url = app.conf.broker_read_url = url
    forget_broker_failures()


@pytest.fixture
def own_broker():
    previous = (app.conf.get("broker_write_url"), app.conf.get("broker_read_url"))
    yield _point_app_at
    app._after_fork()
    app.conf.broker_write_url, app.conf.broker_read_url = previous
    forget_broker_failures()


def _two_counties(township, clerk, year, month, per_county=4):
    county = township.parent
    neighbour = TownshipFactory(parent=CountyFactory(code="419902000000", name="邻县"))
    villages = make_villages(township, per_county)
    others = make_villages(neighbour, per_county)
    fill_ledgers(villages + others, clerk, year, month)
    return county, neighbour.parent, villages, others


def test_a_whole_worker_killed_mid_province_is_resent_by_the_watchdog(
        celery_worker_factory, township, standard, township_clerk, county_admin, this_month, tmp_path, client_for):
    year, month = this_month
    county, neighbour, villages, others = _two_counties(township, township_clerk, year, month)
    marker = tmp_path / "paused.pid"
    first = celery_worker_factory({**FAST_WATCHDOG, "PORTAL_TEST_PAUSE_COUNTY": f"{county.pk}:120:{marker}"},
                                  pool="prefork", concurrency=2)
    recompute_province.delay(year, month)
    _wait(marker.exists, "the county's recompute did not start", 60)
    run = JobRun.objects.get(parent=None)
    _wait(lambda: run.children.filter(county=neighbour, state=JobState.DONE).exists(), "the neighbour did not finish", 60)

    # The machine goes: the worker's main process and the child in the middle of the county.
    killed_at = timezone.now()
    first.send_signal(signal.SIGKILL)
    os.kill(int(marker.read_text()), signal.SIGKILL)
    first.wait(timeout=10)
    started = time.monotonic()
    celery_worker_factory(FAST_WATCHDOG)  # the replacement, as the orchestrator starts one
    _wait(lambda: JobRun.objects.filter(pk=run.pk, state=JobState.DONE).exists(),
          "the lost county was not resent by the watchdog", 45, tick=_beat_watchdog)
    recovered_in = time.monotonic() - started

    child = run.children.get(county=county)
    assert (child.state, child.deliveries, child.note) == (JobState.DONE, 2, MSG_RESENT.format(n=2)), recovered_in
    fresh = VillageScore.objects.filter(village__in=villages, view="live", year=year, month=month)
    assert fresh.count() == len(villages) and all(s.computed_at > killed_at for s in fresh)
    print(f"whole worker killed: county fresh again {recovered_in:.1f} s after the kill "
          f"(lost after {FAST_WATCHDOG['WORKER_LOST_AFTER_SECONDS']} s, watchdog every {WATCHDOG_PERIOD:.0f} s)")

    page = client_for(county_admin).get(reverse("ratings:job_list")).content.decode()
    assert "执行进程已丢失，已重新发送（第2次）" in page


def test_with_redis_stopped_then_hung_pages_approvals_and_health_answer(
        celery_worker_factory, own_broker, settings, township, standard, township_clerk, industry_reviewer,
        county_admin, this_month, client_for):
    """Broker and cache on a Redis the test starts: stopped, every signed-in page and an
    approval answer; back, the pending recompute drains; hung (SIGSTOP), an approval and
    /healthz still answer within 2 s."""
    year, month = this_month
    first, second = make_villages(township, 2)
    fill_ledgers([first, second], township_clerk, year, month, status=LedgerStatus.SUBMITTED)
    entries = LedgerEntry.objects.filter(indicator__star__code="industry")
    port = _free_port()
    with _redis_server(port) as (redis, start_redis):
        url = f"redis://127.0.0.1:{port}"
        settings.CACHES = {"default": {"BACKEND": "config.cache.SafeRedisCache", "LOCATION": f"{url}/1",
                                       "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}}}
        own_broker(f"{url}/0")
        celery_worker_factory({"CELERY_BROKER_URL": f"{url}/0", "CACHE_URL": f"{url}/1", **FAST_WATCHDOG})
        reviewer = client_for(industry_reviewer)

        # --- Redis stopped ---------------------------------------------------------------------
        redis["p"].terminate()
        redis["p"].wait(timeout=10)
        for path in (reverse("ratings:review_queue"), reverse("ratings:rankings")):
            assert reviewer.get(path).status_code == 200, path
        approval_seconds, health_seconds, degraded = _approve_then_health(reviewer, entries.filter(village=first))
        assert PendingRecompute.objects.filter(village=first).exists()
        assert {"broker", "cache"} <= degraded
        reviewer.logout()
        admin = client_for(county_admin)
        for path in (reverse("ratings:job_list"), reverse("reports:county_dashboard")):
            assert admin.get(path).status_code == 200, path
        print(f"Redis stopped: approval {approval_seconds:.2f} s, /healthz {health_seconds:.2f} s")

        # --- Redis back: beat's drain of villages waiting more than a minute catches up --------
        start_redis()
        own_broker(f"{url}/0")  # pooled connections to the stopped server are dropped
        forget_cache_failures()
        back = time.monotonic()
        PendingRecompute.objects.update(requested_at=timezone.now() - dt.timedelta(minutes=2))
        drain_stale_pending_recomputes.delay()
        _wait(lambda: not PendingRecompute.objects.exists(), "the pending recompute did not drain", 60)
        drained_in = time.monotonic() - back
        live = VillageScore.objects.get(village=first, view="live", year=year, month=month)
        assert live.star_level is not None and live.county_rank
        print(f"Redis back: pending recompute drained {drained_in:.1f} s after the drain was sent")

        # --- Redis hung: the process stopped, its port still accepting -------------------------
        redis["p"].send_signal(signal.SIGSTOP)
        try:
            reviewer = client_for(industry_reviewer)
            hung_approval, hung_health, degraded = _approve_then_health(reviewer, entries.filter(village=second))
            assert "broker" in degraded
            assert reviewer.get(reverse("ratings:review_queue")).status_code == 200
            print(f"Redis hung: approval {hung_approval:.2f} s, /healthz {hung_health:.2f} s")
        finally:
            redis["p"].send_signal(signal.SIGCONT)


def _approve_then_health(reviewer, entries) -> tuple[float, float, set[str]]:
    """A page approval, saved and answered within 2 s, then /healthz within 2 s: the seconds
    each took, and what /healthz says is degraded."""
    entry = entries.first()
    started = time.monotonic()
    response = reviewer.post(reverse("ratings:review_queue"), {"action": "approve", "entry": [entry.pk]})
    approval = time.monotonic() - started
    assert response.status_code == 302 and approval < 2, approval
    assert LedgerEntry.objects.get(pk=entry.pk).status == LedgerStatus.APPROVED
    started = time.monotonic()
    health = reviewer.get(reverse("healthz"))
    seconds = time.monotonic() - started
    assert health.status_code == 200 and seconds < 2, seconds
    return approval, seconds, set(health.json()["degraded"])


def _terminate_worker_sessions() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                       "WHERE datname = current_database() AND pid <> pg_backend_pid()")
        return len(cursor.fetchall())


FLAP_SECONDS = 20


def _between_kills(call, attempts: int = 200):
    """`call` retried until it runs between two of the flapper's kills of this session."""
    from django.db import InterfaceError, OperationalError

    for _ in range(attempts):
        try:
            return call()
        except (OperationalError, InterfaceError):
            connection.close()
            time.sleep(0.02)
    raise AssertionError("the database never answered between the flapper's kills")


def test_a_recompute_through_a_flapping_database_ends_visibly_and_its_failures_can_be_resent(
        celery_worker_factory, township, standard, township_clerk, county_admin, this_month, client_for):
    """Every database connection terminated ten times a second for 20 s, from before the batch
    starts (over three times the tasks' retries here; docs/operations.md measured 60 s the same
    way): each county ends done,
    or failed with a notice and the batch "部分失败"/失败 naming it, never open with no task;
    "重新计算失败的县" then completes the batch."""
    year, month = this_month
    county, neighbour, villages, others = _two_counties(township, township_clerk, year, month, per_county=12)
    # County tasks give up after a few seconds of retries here (ten minutes in production), so
    # that the flapping outlasts them.
    celery_worker_factory({**FAST_WATCHDOG, "TASK_RETRY_SECONDS": "6"}, pool="prefork", concurrency=2)
    stop = threading.Event()
    terminated = []

    def flap():
        from django.db import connections

        try:
            while not stop.wait(0.1):
                try:
                    terminated.append(_terminate_worker_sessions())
                except Exception:
                    connections.close_all()
        finally:
            connections.close_all()

    # The flapping starts first, so that the counties' tasks run inside it whatever their speed
    # (started afterwards, a fast recompute could end before the first session was killed). The
    # batch is started between two kills.
    flapper = threading.Thread(target=flap)
    flapper.start()
    try:
        run = _between_kills(lambda: recompute_counties_start(region=None, year=year, month=month))
        flapping_until = time.monotonic() + FLAP_SECONDS
        while time.monotonic() < flapping_until:
            time.sleep(WATCHDOG_PERIOD)
            _beat_watchdog()
    finally:
        stop.set()
        flapper.join()
    connection.close()  # this test's own session was terminated too
    assert sum(terminated) > 0, "no worker session was ever terminated"
    flapping_ended = time.monotonic()

    # Afterwards: beat's watchdog settles what the outage left open, and the batch ends.
    try:
        _wait(lambda: JobRun.objects.filter(pk=run.pk).exclude(state__in=OPEN_STATES).exists(),
              "the batch did not end after the outage", 90, tick=_beat_watchdog)
    except AssertionError as exc:
        rows = run.children.values_list("state", "deliveries", "worker", "task_id", "note", "error")
        raise AssertionError(f"{exc}; counties: {list(rows)}") from None
    run.refresh_from_db()
    children = list(run.children.select_related("county"))
    assert not [c for c in children if c.state in OPEN_STATES]
    failed = [c for c in children if c.state == JobState.FAILED]
    print(f"database flapping {FLAP_SECONDS} s ({sum(terminated)} sessions terminated): batch {run.state} "
          f"{time.monotonic() - flapping_ended:.1f} s after the flapping stopped, "
          f"{len(failed)} of {len(children)} counties failed")
    # Sessions killed ten times a second outlast a few seconds of retries: counties fail, and
    # say so (were none to fail, the batch would have to be done).
    assert failed, f"no county failed: batch {run.state}"
    assert run.state in (JobState.PARTIAL, JobState.FAILED)
    assert all(c.county.name in run.error for c in failed) and all(c.error for c in failed)
    for child in failed:
        assert Notice.objects.filter(region=child.county, text__contains="重新计算未完成").exists()
    page = client_for(county_admin).get(reverse("ratings:job_list")).content.decode()
    assert "部分失败" in page or "失败" in page
    assert "重新计算失败的县" in page

    # "重新计算失败的县" (the command the button's service also serves) completes the batch.
    resent = time.monotonic()
    call_command("recompute", resend_failed=run.pk)
    _wait(lambda: JobRun.objects.filter(pk=run.pk, state=JobState.DONE).exists(),
          "resending the failed counties did not complete the batch", 60)
    print(f"failed counties resent: batch done {time.monotonic() - resent:.1f} s later")
    fresh = VillageScore.objects.filter(village__in=villages + others, view="live", year=year, month=month)
    assert fresh.count() == len(villages) + len(others)
    assert JobRun.objects.filter(parent=run, kind=JobKind.RECOMPUTE, state=JobState.DONE).count() == 2
