"""/healthz for the orchestrator: database, broker, worker heartbeat and the last month close.

The answer is 503 only when the database is unreachable (the web process cannot serve); a
broker or worker problem is "degraded" with 200, since pages keep working without them (work
is queued in the database and drained later). Each check is bounded by a short timeout.
"""

from __future__ import annotations

import datetime as dt
import time

from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

HEARTBEAT_INTERVAL = 60
HEARTBEAT_STALE_AFTER = 3 * HEARTBEAT_INTERVAL


def _eager() -> bool:
    """Tasks run in-process (the embedded default): no broker or worker to check."""
    from config.celery import app

    return bool(app.conf.task_always_eager) or str(app.conf.broker_url or "").startswith("memory://")


def check_database() -> dict:
    start = time.perf_counter()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:  # any driver error means "down" to the orchestrator
        return {"status": "error", "error": type(exc).__name__}
    return {"status": "ok", "ms": round((time.perf_counter() - start) * 1000, 1)}


def check_broker() -> dict:
    if _eager():
        return {"status": "ok", "mode": "eager"}
    from config.celery import app

    start = time.perf_counter()
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=2)
    except Exception as exc:  # kombu raises transport-specific errors
        return {"status": "error", "error": type(exc).__name__}
    return {"status": "ok", "ms": round((time.perf_counter() - start) * 1000, 1)}


def check_worker(now) -> dict:
    if _eager():
        return {"status": "ok", "mode": "eager"}
    from .models import WorkerHeartbeat

    last = WorkerHeartbeat.objects.order_by("-seen_at").first()
    if last is None:
        return {"status": "error", "error": "no heartbeat yet"}
    age = (now - last.seen_at).total_seconds()
    return {"status": "ok" if age <= HEARTBEAT_STALE_AFTER else "stale", "last_seen": last.seen_at.isoformat(),
            "age_seconds": round(age), "workers_seen": WorkerHeartbeat.objects.filter(
                seen_at__gte=now - dt.timedelta(seconds=HEARTBEAT_STALE_AFTER)).count()}


def check_month_close() -> dict:
    """The last month closed (MonthClose) and the last month-close job run (JobRun):
    "failed" when that run failed, so a county's IT sees a close that did not happen."""
    from ratings.models import MonthClose
    from ratings.models.jobs import JobKind, JobRun, JobState

    last = MonthClose.objects.order_by("-year", "-month", "-closed_at").values("year", "month", "closed_at").first()
    job = JobRun.objects.filter(kind=JobKind.MONTH_CLOSE, parent__isnull=True).order_by("-created_at", "-pk") \
        .values("state", "year", "month", "finished_at").first()
    answer: dict = {"status": "none"}
    if last is not None:
        answer = {"status": "ok", "month": f"{last['year']}-{last['month']:02d}",
                  "closed_at": last["closed_at"].isoformat()}
    if job is not None:
        answer["last_run"] = {"state": job["state"],
                              "month": f"{job['year']}-{job['month']:02d}" if job["year"] and job["month"] else None,
                              "finished_at": job["finished_at"].isoformat() if job["finished_at"] else None}
        if job["state"] == JobState.FAILED:
            answer["status"] = "failed"
    return answer


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    now = timezone.now()
    checks = {"database": check_database()}
    checks["broker"] = check_broker()
    if checks["database"]["status"] == "ok":
        for name, check in (("worker", lambda: check_worker(now)), ("month_close", check_month_close)):
            try:
                checks[name] = check()
            except Exception as exc:  # e.g. migrations not applied yet: report, never a 500
                checks[name] = {"status": "error", "error": type(exc).__name__}
    if checks["database"]["status"] != "ok":
        status, code = "error", 503
    elif any(checks[k]["status"] not in ("ok",) for k in ("broker", "worker")):
        status, code = "degraded", 200
    else:
        status, code = "ok", 200
    return JsonResponse({"status": status, "time": now.isoformat(), "checks": checks}, status=code)
