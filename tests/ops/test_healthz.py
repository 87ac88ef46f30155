"""/healthz: database, broker, worker heartbeat and the last month close, for the orchestrator."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from config.models import WorkerHeartbeat
from config.tasks import worker_heartbeat
from ratings.models import MonthClose

pytestmark = pytest.mark.django_db


def test_embedded_mode_is_ok_without_a_login(client, county):
    MonthClose.objects.create(county=county, year=2026, month=3, closed_at=timezone.now())
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["status"] == "ok"
    assert body["checks"]["broker"] == {"status": "ok", "mode": "eager"}
    assert body["checks"]["month_close"]["month"] == "2026-03"


def test_no_month_closed_yet_is_reported_as_none(client, db):
    assert client.get(reverse("healthz")).json()["checks"]["month_close"] == {"status": "none"}


def test_unreachable_broker_and_missing_heartbeat_are_degraded_not_down(client, with_broker):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["checks"]["broker"]["status"] == "error"
    assert body["checks"]["workers"]["status"] == "error"


def test_heartbeat_task_records_the_worker_and_a_stale_one_is_flagged(client, with_broker):
    worker_heartbeat.apply()
    beat = WorkerHeartbeat.objects.get()
    assert client.get(reverse("healthz")).json()["checks"]["workers"]["status"] == "ok"

    beat.seen_at = timezone.now() - dt.timedelta(minutes=10)
    beat.save()
    worker = client.get(reverse("healthz")).json()["checks"]["workers"]
    assert worker["status"] == "stale" and worker["age_seconds"] >= 600


def test_a_failed_month_close_run_is_reported(client, county):
    from config.models import JobKind, JobRun, JobState

    MonthClose.objects.create(county=county, year=2026, month=9, closed_at=timezone.now())
    JobRun.objects.create(kind=JobKind.MONTH_CLOSE, county=county, year=2026, month=10, state=JobState.FAILED,
                          error="数据库连接中断")
    month_close = client.get(reverse("healthz")).json()["checks"]["month_close"]
    assert month_close["status"] == "failed"
    assert month_close["month"] == "2026-09"
    assert month_close["last_run"] == {"state": "failed", "month": "2026-10", "finished_at": None}


def test_healthz_accepts_only_get(client, db):
    assert client.post(reverse("healthz")).status_code == 405
