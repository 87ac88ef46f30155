import logging
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("config")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

logger = logging.getLogger(__name__)


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
    try:
        task.apply_async(args=args, kwargs=kwargs, retry=False, ignore_result=True, **options)
    except Exception:  # kombu.OperationalError, redis and socket errors: the broker is unreachable
        logger.warning("broker unreachable: %s not sent, it is picked up later", task.name, exc_info=True)
        return False
    return True
