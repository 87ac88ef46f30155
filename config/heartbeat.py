"""Which Celery workers are alive, told by the workers themselves.

Each worker's main process runs a thread that writes its WorkerHeartbeat row every
WORKER_HEARTBEAT_SECONDS, straight to the database: unlike the beat-scheduled heartbeat task,
which any one worker picks off the queue, it says for each worker by name that it lives, even
while every child is busy with a long county. A worker whose row is older than
WORKER_LOST_AFTER_SECONDS is gone (killed, its machine or container lost), and the watchdog
sends its job runs again. A worker that stops cleanly removes its row at once.

The same main process records which worker received a job run's task (`task_received`), so
runs it had only prefetched, or held for a retry, are found too.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading

from celery.signals import task_received, worker_ready, worker_shutdown

logger = logging.getLogger(__name__)

_stop = threading.Event()


def _beat(hostname: str, every: float) -> None:
    from django.db import connection
    from django.utils import timezone

    from .models import WorkerHeartbeat

    while not _stop.is_set():
        try:
            WorkerHeartbeat.objects.update_or_create(hostname=hostname, defaults={"seen_at": timezone.now()})
        except Exception:  # the database is down or restarting: try again at the next beat
            logger.warning("worker heartbeat not written", exc_info=True)
            connection.close()
        _stop.wait(every)
    connection.close()


@worker_ready.connect(dispatch_uid="portal.heartbeat_start")
def _start_heartbeat(sender=None, **kwargs) -> None:
    from django.conf import settings

    hostname = getattr(sender, "hostname", None)
    if not hostname:
        return
    _stop.clear()
    threading.Thread(target=_beat, args=(hostname, settings.WORKER_HEARTBEAT_SECONDS), daemon=True,
                     name="portal-heartbeat").start()


@worker_shutdown.connect(dispatch_uid="portal.heartbeat_stop")
def _stop_heartbeat(sender=None, **kwargs) -> None:
    _stop.set()
    hostname = getattr(sender, "hostname", None)
    if not hostname:
        return
    try:
        from .models import WorkerHeartbeat

        WorkerHeartbeat.objects.filter(hostname=hostname).delete()
    except Exception:
        logger.warning("worker heartbeat not removed at shutdown", exc_info=True)


@task_received.connect(dispatch_uid="portal.job_run_received")
def _job_run_received(sender=None, request=None, **kwargs) -> None:
    run_id = (getattr(request, "kwargs", None) or {}).get("run_id")
    hostname = getattr(request, "hostname", None) or getattr(sender, "hostname", None)
    if not run_id or not hostname:
        return
    try:
        from .jobs import job_run_received

        job_run_received(run_id=run_id, worker=hostname)
    except Exception:  # never stop the worker from taking tasks; the run start records it too
        logger.warning("job run %s: receiving worker not recorded", run_id, exc_info=True)
        from django.db import connection

        connection.close()


def live_workers(now: dt.datetime | None = None) -> set[str]:
    """The workers that beat within WORKER_LOST_AFTER_SECONDS."""
    from django.conf import settings
    from django.utils import timezone

    from .models import WorkerHeartbeat

    since = (now or timezone.now()) - dt.timedelta(seconds=settings.WORKER_LOST_AFTER_SECONDS)
    return set(WorkerHeartbeat.objects.filter(seen_at__gte=since).values_list("hostname", flat=True))


def tasks_held(workers: set[str], timeout: float = 1.0) -> set[str] | None:
    """The ids of every task the live workers run, hold prefetched or wait to retry; None when
    one of them did not answer in time (a busy solo worker cannot), so nothing is judged."""
    if not workers:
        return set()
    from .celery import app

    try:
        inspect = app.control.inspect(destination=sorted(workers), timeout=timeout, limit=len(workers))
        held: set[str] = set()
        for method in (inspect.active, inspect.reserved, inspect.scheduled):
            answers = method() or {}
            if set(answers) != workers:
                return None
            for tasks in answers.values():
                for task in tasks:
                    held.add((task.get("request") or task).get("id", ""))
        return held
    except Exception:
        logger.warning("workers could not be inspected", exc_info=True)
        return None


def tasks_queued() -> set[str] | None:
    """The ids of the tasks waiting in the default queue of a Redis broker; None for another
    broker or when it cannot be read (then nothing is judged on it)."""
    import json

    from .celery import app

    if app.conf.task_always_eager:
        return set()
    try:
        with app.connection_for_read() as conn:
            client = getattr(conn.default_channel, "client", None)
            if client is None:
                return None
            messages = client.lrange(app.conf.task_default_queue, 0, -1)
        return {json.loads(message).get("headers", {}).get("id", "") for message in messages}
    except Exception:
        logger.warning("the broker's queue could not be read", exc_info=True)
        return None
