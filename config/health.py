"""/healthz and /readyz for the orchestrator: database, broker, cache, workers, beat and the
checks the apps register (the last month close, by ratings); and what the organisation
department is told when background work lags.

Both answer within about two seconds whatever hangs: the database and the two Redis checks
run side by side in their own threads, each bounded (CHECK_SECONDS), and a check not back in
time is reported as a timeout. The answer is 503 only when the database is unreachable (the
web process cannot serve); a broker, cache, worker or beat problem is "degraded" with 200 and
named in `degraded`, since pages keep working without them (work is kept in the database and
drained later).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

HEARTBEAT_INTERVAL = 60
HEARTBEAT_STALE_AFTER = 3 * HEARTBEAT_INTERVAL
# django-celery-beat writes when each schedule last ran every three minutes: a beat silent for
# longer than this is not running.
BEAT_STALE_AFTER = 8 * 60
CHECK_SECONDS = 1.5
DEGRADABLE = ("broker", "cache", "workers", "beat")
_checks = ThreadPoolExecutor(max_workers=6, thread_name_prefix="health")

# The checks of the apps above config, registered in their AppConfig.ready() (config imports no
# app): name → a check answering {"status": …}, run once the database answered.
APP_CHECKS: dict[str, Callable[[], dict]] = {}
# What an app tells the organisation department when its background work lags: each callable
# takes `now` and returns the lines to show (read from the database alone).
BACKGROUND_PROBLEMS: list[Callable[[dt.datetime], list[str]]] = []


def register_check(name: str, check: Callable[[], dict]) -> None:
    APP_CHECKS[name] = check


def register_background_problems(problems: Callable[[dt.datetime], list[str]]) -> None:
    if problems not in BACKGROUND_PROBLEMS:
        BACKGROUND_PROBLEMS.append(problems)


def _eager() -> bool:
    """Tasks run in-process (the embedded default): no broker or worker to check."""
    from config.celery import app

    return bool(app.conf.task_always_eager) or str(app.conf.broker_url or "").startswith("memory://")


def _timed(check) -> dict:
    start = time.perf_counter()
    try:
        answer = check() or {}
    except Exception as exc:  # any driver or transport error means "down" for this service
        return {"status": "error", "error": type(exc).__name__}
    return {"status": "ok", "ms": round((time.perf_counter() - start) * 1000, 1), **answer}


def _select_one() -> None:
    # A connection of the check's own thread, closed after each check: a broken one is never
    # reused, and none is left open by a thread nobody else uses.
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    finally:
        connection.close()


def check_database() -> dict:
    return _timed(_select_one)


def _ping_broker() -> dict | None:
    from config.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=1)
        client = getattr(conn.default_channel, "client", None)
        if client is not None:  # Redis: a hung server accepts the connection, so ask it something
            client.ping()
    return None


def check_broker() -> dict:
    if _eager():
        return {"status": "ok", "mode": "eager"}
    return _timed(_ping_broker)


def check_cache() -> dict:
    if not hasattr(cache, "ping"):
        return {"status": "ok", "mode": "local"}
    return _timed(cache.ping)


def check_workers(now) -> dict:
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


def check_beat(now) -> dict:
    if _eager():
        return {"status": "ok", "mode": "eager"}
    from django.db.models import Max
    from django_celery_beat.models import PeriodicTask

    last = PeriodicTask.objects.aggregate(last=Max("last_run_at"))["last"]
    if last is None:
        return {"status": "error", "error": "no schedule run yet"}
    age = (now - last).total_seconds()
    return {"status": "ok" if age <= BEAT_STALE_AFTER else "stale", "last_run": last.isoformat(),
            "age_seconds": round(age)}


def _bounded(checks: dict) -> dict[str, dict]:
    """Run the checks side by side; one not back within CHECK_SECONDS is a timeout."""
    futures = {name: _checks.submit(check) for name, check in checks.items()}
    deadline = time.monotonic() + CHECK_SECONDS
    answers = {}
    for name, future in futures.items():
        try:
            answers[name] = future.result(timeout=max(0.0, deadline - time.monotonic()))
        except FutureTimeout:
            answers[name] = {"status": "error", "error": "timeout", "seconds": CHECK_SECONDS}
    return answers


def health(now=None) -> tuple[str, dict]:
    """("ok" | "degraded" | "error", the checks); "error" when the database is down."""
    now = now or timezone.now()
    checks = _bounded({"database": check_database, "broker": check_broker, "cache": check_cache})
    if checks["database"]["status"] == "ok":
        for name, check in (("workers", lambda: check_workers(now)), ("beat", lambda: check_beat(now)),
                            *APP_CHECKS.items()):
            try:
                checks[name] = check()
            except Exception as exc:  # e.g. migrations not applied yet: report, never a 500
                checks[name] = {"status": "error", "error": type(exc).__name__}
    if checks["database"]["status"] != "ok":
        return "error", checks
    if any(checks[k]["status"] != "ok" for k in DEGRADABLE if k in checks):
        return "degraded", checks
    return "ok", checks


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """The orchestrator's probe (the compose healthcheck): 503 when the database is down."""
    now = timezone.now()
    status, checks = health(now)
    degraded = [k for k in DEGRADABLE if k in checks and checks[k]["status"] != "ok"]
    return JsonResponse({"status": status, "time": now.isoformat(), "degraded": degraded, "checks": checks},
                        status=503 if status == "error" else 200)


# The readiness probe of a load balancer: the same answer, under the name such probes expect.
readyz = healthz


def background_status(now=None) -> list[str]:
    """What the organisation department is told on the job page and the county dashboard when
    background work lags, read from the database alone (a page never waits on Redis):
    no live worker, beat silent, tasks the broker refused, villages waiting for their live
    recompute (registered by ratings). Empty in the embedded default, where tasks run in-process."""
    if _eager():
        return []
    from .jobs import MSG_UNSENT
    from .models import JobRun

    now = now or timezone.now()
    problems = []
    workers = check_workers(now)
    if workers["status"] != "ok":
        problems.append("后台工作进程没有心跳：评分重算、关账和通报暂停执行，恢复后自动补做。")
    beat = check_beat(now)
    if beat["status"] != "ok":
        problems.append("定时任务服务未运行：自动关账、积压任务的补发和丢失任务的重新发送暂停。")
    unsent = JobRun.objects.filter(note=MSG_UNSENT, state="pending").count()
    if unsent:
        problems.append(f"消息队列暂不可用：{unsent} 项后台任务尚未发出，恢复后自动发送。")
    for app_problems in BACKGROUND_PROBLEMS:
        problems += app_problems(now)
    return problems


__all__ = ["background_status", "health", "healthz", "readyz", "register_background_problems", "register_check"]
