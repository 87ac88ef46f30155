"""Job runs: what a background job did, county by county, so nothing fails silently.

A task calls `job_run_start` when it begins (it may skip the work: already done, or given up
after its worker died too often), then `job_run_finish`, or its failure is recorded by the task
base class (`job_run_retrying` / `job_run_fail`). A run over many counties is settled when its
last county settles. `job_runs_overdue` finds the counties missing after the deadline: the
first time they are handed back to be run again, the second time they fail and the county's
organisation department is told: `job_run_failed` is sent, and the campaign (ratings) connects
a notice to the county for it.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model, Q
from django.dispatch import Signal
from django.utils import timezone

from .models import ENDED_WITH_FAILURES, OPEN_STATES, JobKind, JobRun, JobState

# A county's run failed for good (`run`: the JobRun, its county set): its organisation
# department is to be told. Sent inside the transaction that records the failure.
job_run_failed = Signal()

MAX_RESUBMITS = 1
MSG_OVERDUE = "超过应完成时间仍未完成"
MSG_WORKER_LOST = "任务执行 {n} 次均因进程异常退出而中断，已停止重试"
MSG_RESENT = "执行进程已丢失，已重新发送（第{n}次）"
MSG_NO_TASK = "任务已不在任何执行进程中，已重新发送（第{n}次）"
MSG_UNSENT = "消息队列暂不可用，任务尚未发出，恢复后自动发送"
MSG_RESENT_FAILED = "失败的县已重新发送（{at:%m-%d %H:%M}）"
MSG_BATCH_FAILED = "{n} 个县未完成：{names}"
# A run's worker counts as gone when it has not beaten for this long; a run the worker no
# longer holds is looked at only after this long, so a task just finishing is not caught.
NO_TASK_GRACE_SECONDS = 60
ERROR_MAX_CHARS = 2000


def _deadline(now: dt.datetime | None = None) -> dt.datetime:
    return (now or timezone.now()) + dt.timedelta(minutes=settings.JOB_RUN_DEADLINE_MINUTES)


def error_text(exc: BaseException) -> str:
    if isinstance(exc, ValidationError):
        return error_text_plain(exc)
    return f"{type(exc).__name__}: {exc}"[:ERROR_MAX_CHARS]


def error_text_plain(exc: BaseException | None) -> str:
    """A refusal's own (Chinese) message, without the exception's class name."""
    if isinstance(exc, ValidationError):
        return "；".join(exc.messages)[:ERROR_MAX_CHARS]
    return str(exc)[:ERROR_MAX_CHARS]


def job_run_create(*, kind: str, county: Model | None = None, year: int | None = None, month: int | None = None,
                   view: str = "", deadline: bool = True) -> JobRun:
    """A single-county run waiting for its task (bulletins, one county's close)."""
    return JobRun.objects.create(kind=kind, county=county, year=year, month=month, view=view,
                                 deadline=_deadline() if deadline else None)


@transaction.atomic
def job_run_batch_create(*, kind: str, county_ids: list[int], year: int, month: int, view: str = "") -> JobRun:
    """A run over many counties: a parent row and one pending row per county."""
    now = timezone.now()
    parent = JobRun.objects.create(kind=kind, year=year, month=month, view=view, state=JobState.RUNNING,
                                   started_at=now, deadline=_deadline(now), result=f"{len(county_ids)} 个县")
    JobRun.objects.bulk_create(
        JobRun(kind=kind, parent=parent, county_id=pk, year=year, month=month, view=view, created_at=now)
        for pk in county_ids
    )
    if not county_ids:
        JobRun.objects.filter(pk=parent.pk).update(state=JobState.DONE, finished_at=now)
        parent.refresh_from_db()
    return parent


@transaction.atomic
def job_run_start(*, run_id: int, task_id: str = "", worker: str = "") -> bool:
    """Mark a run started; False when the task must not do the work.

    A run found still `running` was started before by a worker that died without a word
    (SIGKILL, out of memory) and the broker delivered the task again; after
    JOB_RUN_MAX_DELIVERIES such deliveries the run is failed instead of killing yet another
    worker. A run already done (a duplicate delivery) is left alone.
    """
    run = JobRun.objects.select_for_update().filter(pk=run_id).first()
    if run is None or run.state in (JobState.DONE, JobState.FAILED):
        return False
    if run.state == JobState.RUNNING and run.deliveries >= settings.JOB_RUN_MAX_DELIVERIES:
        _fail(run, MSG_WORKER_LOST.format(n=run.deliveries))
        return False
    now = timezone.now()
    run.state, run.deliveries, run.task_id = JobState.RUNNING, run.deliveries + 1, task_id or run.task_id
    run.worker = worker or run.worker
    run.started_at = run.started_at or now
    run.save(update_fields=["state", "deliveries", "task_id", "worker", "started_at"])
    return True


@transaction.atomic
def job_run_finish(*, run_id: int, result: str = "") -> None:
    run = JobRun.objects.select_for_update().get(pk=run_id)
    run.state, run.finished_at, run.result, run.error = JobState.DONE, timezone.now(), result[:200], ""
    run.save(update_fields=["state", "finished_at", "result", "error"])
    if run.parent_id:
        _settle_parent(run.parent_id)


@transaction.atomic
def job_run_retrying(*, run_id: int, error: str) -> None:
    JobRun.objects.filter(pk=run_id, state__in=OPEN_STATES).update(state=JobState.RETRYING, error=error[:ERROR_MAX_CHARS])


@transaction.atomic
def job_run_fail(*, run_id: int, error: str) -> None:
    run = JobRun.objects.select_for_update().filter(pk=run_id).first()
    if run is not None and run.state != JobState.DONE:
        _fail(run, error)


def job_run_failed_task(*, kind: str, error: str, county_id: int | None = None, year: int | None = None,
                        month: int | None = None, view: str = "") -> JobRun:
    """Record a task that ran without a run row (a live drain) and failed for good."""
    now = timezone.now()
    run = JobRun.objects.create(kind=kind, county_id=county_id, year=year, month=month, view=view,
                                state=JobState.FAILED, started_at=now, finished_at=now, error=error[:ERROR_MAX_CHARS])
    _notify(run)
    return run


def _fail(run: JobRun, error: str) -> None:
    """A county's run failed. Its batch fails only once the county has had its second chance
    (the overdue check resubmits it); then the organisation department is told."""
    run.state, run.finished_at, run.error = JobState.FAILED, timezone.now(), error[:ERROR_MAX_CHARS]
    run.save(update_fields=["state", "finished_at", "error"])
    if run.parent_id:
        _settle_parent(run.parent_id)
    elif run.resubmits >= MAX_RESUBMITS or run.deadline is None:
        _notify(run)


def _settle_parent(parent_id: int) -> None:
    """A batch ends when its last county settles: done, or, with failed counties, "部分失败"
    (some done) or failed (none done), naming them; each failed county is told, and the
    counties can be sent again (`job_run_resend_failed`)."""
    parent = JobRun.objects.select_for_update().get(pk=parent_id)
    if parent.state not in OPEN_STATES:
        return
    children = list(parent.children.only("id", "state", "county_id"))
    if any(c.state in OPEN_STATES for c in children):
        return
    failed = [c for c in children if c.state == JobState.FAILED]
    now = timezone.now()
    parent.finished_at = now
    if failed:
        runs = list(JobRun.objects.filter(pk__in=[c.pk for c in failed]).select_related("county")
                    .order_by("county__code"))
        names = "、".join(r.county.name for r in runs[:10] if r.county_id) + ("等" if len(runs) > 10 else "")
        parent.state = JobState.PARTIAL if len(failed) < len(children) else JobState.FAILED
        parent.error = MSG_BATCH_FAILED.format(n=len(failed), names=names)[:ERROR_MAX_CHARS]
        for child in runs:
            _notify(child)
    else:
        parent.state, parent.error = JobState.DONE, ""
    parent.save(update_fields=["state", "finished_at", "error"])


def _notify(run: JobRun) -> None:
    if run.county_id is None:
        return
    job_run_failed.send(sender=JobRun, run=run)


@transaction.atomic
def job_runs_overdue(*, now: dt.datetime | None = None) -> list[JobRun]:
    """Settle the runs past their deadline; return the county runs to submit again.

    1. A county not done by the deadline (still queued, running on a dead worker, or failed)
       is handed back once, with a fresh deadline.
    2. Handed back already: it fails, and so does its batch; the county is told.
    Only batches and single runs carry a deadline; a batch's county rows follow the batch's.
    """
    now = now or timezone.now()
    overdue = list(JobRun.objects.select_for_update(skip_locked=True).filter(deadline__lt=now).filter(
        Q(state__in=OPEN_STATES) | Q(state=JobState.FAILED, parent__isnull=True, resubmits__lt=MAX_RESUBMITS)))
    again: list[JobRun] = []
    for run in overdue:
        is_batch = run.children.exists()
        targets = list(run.children.select_for_update().exclude(state=JobState.DONE)) if is_batch else [run]
        for target in targets:
            if target.resubmits < MAX_RESUBMITS:
                target.state, target.deliveries, target.resubmits = JobState.PENDING, 0, target.resubmits + 1
                target.deadline = None if is_batch else _deadline(now)
                target.finished_at = None
                target.save(update_fields=["state", "deliveries", "resubmits", "deadline", "finished_at"])
                again.append(target)
            elif target.state in OPEN_STATES:
                target.state, target.finished_at = JobState.FAILED, now
                target.error = target.error or MSG_OVERDUE
                target.save(update_fields=["state", "finished_at", "error"])
                if not is_batch:
                    _notify(target)
        if is_batch:
            run.deadline = _deadline(now)
            run.save(update_fields=["deadline"])
            _settle_parent(run.pk)
    return again


def job_run_received(*, run_id: int, worker: str) -> None:
    """A worker took the run's task off the queue (it may hold it a while: prefetched, or
    waiting for a retry); if that worker dies, the watchdog knows the run went with it."""
    JobRun.objects.filter(pk=run_id, state__in=OPEN_STATES).update(worker=worker)


def job_run_unsent(*, run_id: int) -> None:
    """The broker refused the run's task: the watchdog sends it once the broker is back."""
    JobRun.objects.filter(pk=run_id, state=JobState.PENDING).update(note=MSG_UNSENT, worker="")


@transaction.atomic
def job_runs_lost(*, live_workers: set[str], held_task_ids: set[str] | None,
                  now: dt.datetime | None = None) -> list[JobRun]:
    """The watchdog's rounds: the open runs whose task is gone, to be sent again.

    1. A run whose worker stopped beating (its machine or container gone, the worker's main
       process killed): the broker would hand its task back only after the visibility
       timeout, an hour; it is sent again now, "执行进程已丢失，已重新发送（第N次）".
    2. A run sent over a minute ago whose task nobody has (`held_task_ids`: the tasks every
       live worker runs, holds or waits to retry, and those still queued in the broker; None
       when a worker did not answer): its end, or its start, could not be written (the
       database was down then); it is sent again.
    3. A run whose task the broker refused (`MSG_UNSENT`): sent now that a worker runs this.
    A run already sent JOB_RUN_MAX_DELIVERIES times fails instead (its batch settles).
    """
    now = now or timezone.now()
    # Runs of a county that a task does (an import or a close done in a request is no task's).
    runs = JobRun.objects.select_for_update(skip_locked=True).filter(
        state__in=OPEN_STATES, county__isnull=False, kind__in=(JobKind.RECOMPUTE, JobKind.MONTH_CLOSE, JobKind.BULLETINS))
    lost = list(runs.exclude(worker="").exclude(worker__in=live_workers))
    again: list[JobRun] = []
    for run in lost:
        if _resend_or_give_up(run, MSG_RESENT):
            again.append(run)
    if held_task_ids is not None:
        settled_before = now - dt.timedelta(seconds=NO_TASK_GRACE_SECONDS)
        orphans = runs.filter(Q(worker="") | Q(worker__in=live_workers)) \
            .filter(Q(sent_at__isnull=False) | Q(parent__isnull=False)) \
            .filter(Q(sent_at__lt=settled_before) | Q(sent_at__isnull=True, created_at__lt=settled_before)) \
            .exclude(task_id__in=held_task_ids).exclude(note=MSG_UNSENT).exclude(pk__in=[r.pk for r in lost])
        for run in orphans:
            if _resend_or_give_up(run, MSG_NO_TASK):
                again.append(run)
    for run in runs.filter(state=JobState.PENDING, note=MSG_UNSENT, worker=""):
        run.note = ""
        run.save(update_fields=["note"])
        again.append(run)
    return again


def _resend_or_give_up(run: JobRun, message: str) -> bool:
    sends = max(run.deliveries, 1) + 1
    if sends > settings.JOB_RUN_MAX_DELIVERIES:
        _fail(run, MSG_WORKER_LOST.format(n=run.deliveries))
        return False
    run.state, run.worker, run.note = JobState.PENDING, "", message.format(n=sends)
    run.save(update_fields=["state", "worker", "note"])
    return True


@transaction.atomic
def job_run_resend_failed(*, run: JobRun, county_ids: set[int] | None = None) -> list[JobRun]:
    """Send a batch's failed counties again (all, or those of `county_ids`, the user's scope);
    the batch is running again until they settle. Returns the county runs to send."""
    parent = JobRun.objects.select_for_update().get(pk=run.pk)
    failed = parent.children.select_for_update().filter(state=JobState.FAILED)
    if county_ids is not None:
        failed = failed.filter(county_id__in=county_ids)
    again = list(failed)
    if not again:
        return []
    now = timezone.now()
    for child in again:
        child.state, child.deliveries, child.worker, child.error = JobState.PENDING, 0, "", ""
        child.finished_at, child.note = None, MSG_RESENT_FAILED.format(at=timezone.localtime(now))
        child.save(update_fields=["state", "deliveries", "worker", "error", "finished_at", "note"])
    if parent.state in ENDED_WITH_FAILURES:
        parent.state, parent.finished_at, parent.deadline, parent.error = JobState.RUNNING, None, _deadline(now), ""
        parent.save(update_fields=["state", "finished_at", "deadline", "error"])
    return again


@contextmanager
def job_run_tracked(*, kind: str, county: Model | None = None, year: int | None = None,
                    month: int | None = None, view: str = "", record_invalid: bool = True) -> Iterator[JobRun]:
    """Record a job done in the request (an import, a close from the page) as a run; the
    caller may set `run.result`, or `run.error` for a refusal it returns instead of raising.

    Call it outside the job's transaction: a failed import rolls its data back, and the run
    still says it failed and why. `record_invalid=False` leaves no row when the user's input
    was refused (a ValidationError or PermissionDenied: the page says why, it is no job).
    """
    start = timezone.now()
    run = JobRun.objects.create(kind=kind, county=county, year=year, month=month, view=view,
                                state=JobState.RUNNING, started_at=start, deliveries=1)
    try:
        yield run
    except (ValidationError, PermissionDenied):
        if not record_invalid:
            JobRun.objects.filter(pk=run.pk).delete()
            raise
        JobRun.objects.filter(pk=run.pk).update(state=JobState.FAILED, finished_at=timezone.now(),
                                                error=error_text_plain(sys.exc_info()[1]))
        raise
    except Exception as exc:
        JobRun.objects.filter(pk=run.pk).update(state=JobState.FAILED, finished_at=timezone.now(),
                                                error=error_text(exc))
        raise
    # The caller may mark a refusal it returned rather than raised (an import's row errors).
    JobRun.objects.filter(pk=run.pk).update(state=JobState.FAILED if run.error else JobState.DONE,
                                            finished_at=timezone.now(), result=run.result[:200],
                                            error=run.error[:ERROR_MAX_CHARS])


def import_tracked(*, title: str, county: Model | None, apply):
    """Run an import (`apply()` returns its result: `created`, `updated` or `changed`, `errors`,
    `ok`) as a recorded job run: the jobs page lists every import with its counts, and a file
    refused for its rows or as a whole as failed, with why (nothing of it was written)."""
    with job_run_tracked(kind=JobKind.IMPORT, county=county) as run:
        result = apply()
        updated = getattr(result, "updated", getattr(result, "changed", 0))
        run.result = f"{title}：新增 {result.created} 条，修改 {updated} 条"
        if not result.ok:
            run.error = f"{title}未通过：{len(result.errors)} 处错误，未写入任何数据"
    return result


__all__ = [
    "import_tracked", "job_run_failed", "job_run_batch_create", "job_run_received", "job_run_resend_failed",
    "job_run_unsent", "job_runs_lost", "job_run_create", "job_run_fail", "job_run_failed_task", "job_run_finish",
    "job_run_retrying", "job_run_start", "job_run_tracked", "job_runs_overdue", "error_text",
]
