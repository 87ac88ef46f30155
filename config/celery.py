import logging
import os
import time
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("config")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# The worker's own heartbeat (a thread of its main process) and the record of which worker
# received a job run's task: what the watchdog judges lost work by.
import config.heartbeat  # noqa: E402,F401

logger = logging.getLogger(__name__)

# After the broker failed once, this process does not try it again for a few seconds: a
# request or a fan-out over a hundred counties pays one timeout, not one per task.
BROKER_RETRY_AFTER_SECONDS = 15
_broker_down_until: dict[str, float] = {}  # by broker URL


def _broker_key() -> str:
    return str(app.conf.get("broker_write_url") or app.conf.broker_url or "")


def publish(task, args: tuple | list = (), kwargs: dict | None = None, **options) -> bool:
    """Send a task without ever making the caller (a request) wait on the broker.

    The settings give the broker a one-second connect timeout and no publish retries; a broker
    that is down is logged and reported as False. The caller has saved what the task needs
    (PendingRecompute rows, a pending JobRun), so the periodic drain and overdue check pick it
    up once the broker is back. Results are not stored: nobody waits for them, and storing
    them would open a second connection to the result backend.
    In eager mode the task runs in-process and its errors propagate, as before.
    """
    if app.conf.task_always_eager:
        task.apply_async(args=args, kwargs=kwargs, **options)
        return True
    if broker_marked_down():
        logger.warning("broker unreachable a moment ago: %s not sent, it is picked up later", task.name)
        return False
    try:
        task.apply_async(args=args, kwargs=kwargs, retry=False, ignore_result=True, **options)
    except Exception:  # kombu.OperationalError, redis and socket errors: the broker is unreachable
        _broker_down_until[_broker_key()] = time.monotonic() + BROKER_RETRY_AFTER_SECONDS
        logger.warning("broker unreachable: %s not sent, it is picked up later", task.name, exc_info=True)
        return False
    return True


def broker_marked_down() -> bool:
    """Whether a publish of this process failed in the last few seconds."""
    return time.monotonic() < _broker_down_until.get(_broker_key(), 0.0)


def forget_broker_failures() -> None:
    """Try the broker again at the next publish (a test that brings it back at once)."""
    _broker_down_until.clear()


# Requests hand their publishing here and wait at most REQUEST_WAIT_SECONDS for the verdict: a
# broker that hangs (accepts the connection, never answers) costs a request under a second.
REQUEST_WAIT_SECONDS = 0.8
_background = ThreadPoolExecutor(max_workers=2, thread_name_prefix="publish")


def _closing_connections(fn, *args, **kwargs):
    from django.db import connections

    try:
        return fn(*args, **kwargs)
    finally:
        connections.close_all()  # this thread's own: none is left open between uses


def in_background(fn, *args, wait: float = REQUEST_WAIT_SECONDS, **kwargs) -> bool:
    """Run `fn` (a publish, a drain's scheduling, the sending of a batch's counties) off the
    request's thread and return its verdict, or False when it is not known within `wait`
    seconds (the thread goes on, bounded by the Redis timeouts). In eager mode `fn` runs here."""
    if app.conf.task_always_eager:
        return fn(*args, **kwargs)
    future = _background.submit(_closing_connections, fn, *args, **kwargs)
    try:
        return bool(future.result(timeout=wait))
    except FutureTimeout:
        logger.warning("broker slow: %s not confirmed within %.1f s", getattr(fn, "__name__", fn), wait)
        return False


def publish_soon(task, args: tuple | list = (), kwargs: dict | None = None, **options) -> bool:
    """`publish` from a request: the request waits a moment at most (see `in_background`)."""
    return in_background(publish, task, args, kwargs, **options)
