"""The base of every task that keeps a job run (config/jobs.py), for the tasks of every app.

Kept in config, below every app, so that ratings' and reports' tasks both build on it and
neither imports the other's (the layers run config → villages → cadres → branches/projects →
ratings → reports, and a lower one never imports a higher one).
"""

from __future__ import annotations

import logging
import time

from celery import Task
from django.conf import settings
from django.db import InterfaceError, OperationalError, close_old_connections, connection

from .jobs import error_text, job_run_fail, job_run_failed_task, job_run_retrying

logger = logging.getLogger(__name__)

RETRY_BACKOFF = 2
RETRY_BACKOFF_MAX = 60
RECORD_ATTEMPTS = 6


def retries_within(seconds: int, *, base: int = RETRY_BACKOFF, cap: int = RETRY_BACKOFF_MAX) -> int:
    """How many retries of exponential backoff (base·2ⁿ seconds, at most `cap`) fill `seconds`."""
    count, waited = 0, 0
    while waited < seconds:
        waited += min(cap, base * 2 ** count)
        count += 1
    return count


class TrackedTask(Task):
    """A task that outlives database outages and never fails silently.

    A lost database connection (OperationalError, InterfaceError) is retried with exponential
    backoff (2 s doubling to one a minute) for TASK_RETRY_SECONDS (ten minutes by default);
    the worker's Django fixup drops the broken connection after the attempt, so the retry
    connects afresh. A failure for good is written on the task's JobRun with its error, or,
    for a task without one, as a failed run of `job_kind`; the writing itself is retried, and
    a run whose end could still not be written is found by the watchdog.
    """

    autoretry_for = (OperationalError, InterfaceError)
    retry_backoff = RETRY_BACKOFF
    retry_backoff_max = RETRY_BACKOFF_MAX
    # No jitter: the window is what the retries add up to (the counties of a batch are spread
    # already by when each started).
    retry_jitter = False
    max_retries = retries_within(settings.TASK_RETRY_SECONDS)
    job_kind = ""

    @property
    def worker_name(self) -> str:
        """The node name of the worker running this task ("" when run in-process)."""
        return "" if self.request.is_eager else (self.request.hostname or "")

    def on_retry(self, exc, task_id, args, kwargs, einfo):
        if not self.request.is_eager:
            close_old_connections()  # a broken connection is dropped, so the outcome can be written
        if kwargs.get("run_id"):
            record(job_run_retrying, run_id=kwargs["run_id"], error=error_text(exc), attempts=1)

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        if kwargs.get("run_id"):
            record(job_run_fail, run_id=kwargs["run_id"], error=error_text(exc))
        elif self.job_kind:
            record(job_run_failed_task, kind=self.job_kind, error=error_text(exc))


def record(service, *, attempts: int = RECORD_ATTEMPTS, **kwargs) -> bool:
    """Write a run's outcome, trying again through a database outage (1, 2, 4… s apart).

    Still failing, it is logged: the run stays open with no task behind it, and the watchdog
    sends it again (job_runs_lost).
    """
    for attempt in range(attempts):
        try:
            service(**kwargs)
            return True
        except Exception:
            logger.warning("could not record the outcome of a job run (attempt %s)", attempt + 1, exc_info=True)
            if connection.in_atomic_block:
                break  # inside a caller's transaction (an eager task): another try fails the same
            connection.close()
            if attempt + 1 < attempts:
                time.sleep(2 ** attempt)
    logger.error("gave up recording the outcome of a job run: %s %s", service.__name__, kwargs)
    return False
