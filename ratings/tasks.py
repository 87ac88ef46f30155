"""Celery tasks of the scoring engine: thin, idempotent wrappers around the services.

Every task may run twice (a worker killed half-way hands its task back to the broker, a county
missing at the deadline is sent again): each one writes the same rows the second time.
Tasks that work for one county record it on a JobRun (`run_id`), so the jobs page shows what
finished, what failed and why.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import time
import uuid
from pathlib import Path

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from config.celery import app, in_background, publish
from config.jobs import (
    job_run_batch_create,
    job_run_finish,
    job_run_resend_failed,
    job_run_start,
    job_run_unsent,
    job_runs_lost,
    job_runs_overdue,
)
from config.models import OPEN_STATES, JobKind, JobRun
from config.task_base import TrackedTask
from villages.models import Level, Region

from .campaign.services.checklist import checklist_regenerate
from .campaign.services.warnings import (
    warning_notices_send,
    warnings_refresh,
    warnings_refresh_all,
    warnings_refresh_for_villages,
)
from .models import MonthClose, PendingRecompute, View
from .services.month_close import month_close
from .services.scoring import recompute

logger = logging.getLogger(__name__)

COALESCE_SECONDS = 3
STALE_PENDING_SECONDS = 60
TASK_OF_KIND = {
    JobKind.RECOMPUTE: "ratings.recompute_region",
    JobKind.MONTH_CLOSE: "ratings.close_month",
    JobKind.BULLETINS: "reports.generate_bulletins",
}


# --- live recompute after approvals ---------------------------------------------------------


def pending_recompute_add(*, village_ids: list[int], year: int, month: int) -> None:
    """Mark villages for a live recompute (inside the approval's transaction)."""
    PendingRecompute.objects.bulk_create(
        [PendingRecompute(village_id=v, year=year, month=month) for v in sorted(set(village_ids))],
        ignore_conflicts=True,
    )


def schedule_drain(*, year: int, month: int) -> bool:
    """Schedule one drain of the month's pending villages; False when the broker is down.

    Many approvals in a short time schedule one job: the cache key lets only the first caller
    of a few seconds' window enqueue the drain. The key lives shorter than the countdown, so
    rows added while it exists are committed before the scheduled drain runs. Eager mode (no
    broker) drains at once every time. A drain not sent is not lost: its rows stay, and
    `drain_stale_pending_recomputes` runs them within minutes.
    """
    key = f"ratings:drain:{year}:{month}"
    if not app.conf.task_always_eager:
        try:
            first = cache.add(key, 1, timeout=COALESCE_SECONDS - 1)
        except Exception:  # a shared cache on the same unreachable Redis: send anyway
            first = True
        if not first:
            return True
    sent = publish(drain_pending_recomputes, args=[year, month], countdown=COALESCE_SECONDS)
    if not sent:
        try:
            cache.delete(key)  # the next approval tries the broker again (and tells its user)
        except Exception:
            logger.warning("cache unreachable", exc_info=True)
    return sent


def enqueue_recompute(*, village_ids: list[int], year: int, month: int) -> bool:
    """Mark villages for a live recompute and schedule one drain per month (after commit)."""
    pending_recompute_add(village_ids=village_ids, year=year, month=month)
    return schedule_drain(year=year, month=month)


@shared_task(name="ratings.drain_pending_recomputes", base=TrackedTask, job_kind=JobKind.RECOMPUTE)
def drain_pending_recomputes(year: int, month: int) -> int:
    """Recompute every pending village of the month, in one transaction with their removal."""
    with transaction.atomic():
        pending = list(
            PendingRecompute.objects.select_for_update(skip_locked=True).filter(year=year, month=month)
            .values_list("id", "village_id")
        )
        if not pending:
            return 0
        village_ids = sorted({v for _, v in pending})
        recompute(year=year, month=month, view=View.LIVE, village_ids=village_ids)
        PendingRecompute.objects.filter(id__in=[i for i, _ in pending]).delete()
    _after_recompute(village_ids, year, month)
    return len(village_ids)


@shared_task(name="ratings.drain_stale_pending_recomputes", base=TrackedTask, job_kind=JobKind.RECOMPUTE)
def drain_stale_pending_recomputes() -> int:
    """Run by celery beat every two minutes: drain the months whose villages have waited more
    than a minute (their drain was never sent, or was lost), so nothing waits for the next
    approval of the same month."""
    cutoff = timezone.now() - dt.timedelta(seconds=STALE_PENDING_SECONDS)
    months = sorted(set(PendingRecompute.objects.filter(requested_at__lt=cutoff).values_list("year", "month")))
    return sum(drain_pending_recomputes(year, month) for year, month in months)


def _after_recompute(village_ids: list[int], year: int, month: int) -> None:
    """Task lists follow the new results, then the early warnings of their counties."""
    checklist_regenerate(village_ids=village_ids, year=year, month=month)
    warnings_refresh_for_villages(village_ids)


# --- province recompute and month close, county by county -----------------------------------


def _test_hook_pause_once(region_id: int) -> None:
    # Test hook: the worker-kill test pauses one county's recompute inside its transaction,
    # on the first delivery only, and learns the pid of the process to kill from the file.
    # Unset in every real environment.
    spec = os.environ.get("PORTAL_TEST_PAUSE_COUNTY")
    if not spec:
        return
    county_id, seconds, marker = spec.split(":", 2)
    if int(county_id) == region_id and not Path(marker).exists():
        Path(marker).write_text(str(os.getpid()))
        time.sleep(float(seconds))


@shared_task(name="ratings.recompute_region", bind=True, base=TrackedTask)
def recompute_region(self, region_id: int, year: int, month: int, view: str = View.LIVE,
                     run_id: int | None = None) -> int:
    if run_id and not job_run_start(run_id=run_id, task_id=self.request.id or "", worker=self.worker_name):
        return 0
    with transaction.atomic():
        region = Region.objects.get(pk=region_id)
        count = recompute(year=year, month=month, view=view, region=region)
        _test_hook_pause_once(region_id)
    if region.level == Level.COUNTY:
        warnings_refresh_for_county(region)
    if run_id:
        job_run_finish(run_id=run_id, result=f"{count} 个村（社区）")
    return count


@shared_task(name="ratings.recompute_province", bind=True, base=TrackedTask)
def recompute_province(self, year: int, month: int, view: str = View.LIVE, region_id: int | None = None) -> int:
    """Fan out by county (every county, or those of a province or city `region_id`), so more
    workers finish sooner; returns the batch's JobRun.

    Delivered again after its worker died, it finds its batch by task id and sends only the
    counties not sent yet.
    """
    task_id = self.request.id or ""
    run = JobRun.objects.filter(task_id=task_id, parent=None, kind=JobKind.RECOMPUTE).first() if task_id else None
    if run is None:
        region = Region.objects.get(pk=region_id) if region_id else None
        run = job_run_batch_create(kind=JobKind.RECOMPUTE, county_ids=counties_of(region), year=year, month=month,
                                   view=view)
        JobRun.objects.filter(pk=run.pk).update(task_id=task_id)
    county_runs_send(run.children.filter(state__in=OPEN_STATES, task_id=""))
    return run.pk


def counties_of(region: Region | None) -> list[int]:
    """The counties of a province or city (or a county itself); every county for None."""
    counties = Region.objects.filter(level=Level.COUNTY)
    if region is not None:
        counties = counties.filter(code__startswith=region.prefix)
    return list(counties.order_by("code").values_list("pk", flat=True))


def county_runs_send(runs) -> int:
    """Send each county run's task, the same way for a recompute, a month close and their
    resends. The task id is written on the run first, so the watchdog knows which task holds
    it; a run the broker refused is marked, and the watchdog sends it once the broker is back
    (the refusal costs one connect timeout, then `publish` fails fast for a while)."""
    sent = 0
    for run in list(runs):
        task_id = str(uuid.uuid4())
        JobRun.objects.filter(pk=run.pk).update(task_id=task_id, sent_at=timezone.now())
        args = [run.county_id, run.year, run.month] + ([run.view or View.LIVE] if run.kind == JobKind.RECOMPUTE else [])
        if publish(app.tasks[TASK_OF_KIND[run.kind]], args=args, kwargs={"run_id": run.pk}, task_id=task_id):
            sent += 1
        else:
            job_run_unsent(run_id=run.pk)
    return sent


def recompute_counties_start(*, region: Region | None, year: int, month: int, view: str = View.LIVE) -> JobRun:
    """A recompute of every county of a province or city (or of all), as a batch the job page
    follows; the counties are sent once the batch is committed."""
    run = job_run_batch_create(kind=JobKind.RECOMPUTE, county_ids=counties_of(region), year=year, month=month,
                               view=view)
    if region is not None:
        run.result = f"{region.name}：{run.result}"
        JobRun.objects.filter(pk=run.pk).update(result=run.result)
    # Sent off the request's thread: a broker that hangs never holds the page.
    transaction.on_commit(lambda: in_background(county_runs_send, run.children.filter(state__in=OPEN_STATES,
                                                                                      task_id="")))
    return run


def job_run_resend_failed_counties(*, run: JobRun, county_ids: set[int] | None = None) -> int:
    """"重新计算失败的县": the batch's failed counties (of `county_ids` when given) sent again."""
    again = job_run_resend_failed(run=run, county_ids=county_ids)
    transaction.on_commit(lambda: in_background(county_runs_send, again))
    return len(again)


@shared_task(name="ratings.close_month", bind=True, base=TrackedTask)
def close_month(self, county_id: int, year: int, month: int, run_id: int | None = None) -> int:
    if run_id and not job_run_start(run_id=run_id, task_id=self.request.id or "", worker=self.worker_name):
        return 0
    county = Region.objects.get(pk=county_id)
    closed = month_close(county=county, year=year, month=month)
    warnings_refresh_for_county(county)
    if run_id:
        job_run_finish(run_id=run_id, result=f"关账于 {timezone.localtime(closed.closed_at):%Y-%m-%d %H:%M}")
    return closed.pk


@shared_task(name="ratings.close_month_all", base=TrackedTask, job_kind=JobKind.MONTH_CLOSE)
def close_month_all() -> list[int]:
    """Run by celery beat: on or after the close day, close last month in every county.

    A batch of the month still under way (a second beat, a restarted one) starts no other;
    two closes of one county at once are serialised by month_close's lock anyway.
    """
    today = timezone.localdate()
    if today.day < settings.PORTAL["MONTH_CLOSE_DAY"]:
        return []
    year, month = (today.year - 1, 12) if today.month == 1 else (today.year, today.month - 1)
    closed = set(MonthClose.objects.filter(year=year, month=month).values_list("county_id", flat=True))
    # A county that started on the portal after that month has nothing to close.
    counties = [pk for pk in Region.objects.filter(level=Level.COUNTY).exclude(start_month__gt=dt.date(year, month, 1))
                .order_by("code").values_list("pk", flat=True) if pk not in closed]
    under_way = JobRun.objects.filter(kind=JobKind.MONTH_CLOSE, parent=None, year=year, month=month,
                                      state__in=OPEN_STATES, children__isnull=False).exists()
    if not counties or under_way:
        return []
    run = job_run_batch_create(kind=JobKind.MONTH_CLOSE, county_ids=counties, year=year, month=month,
                               view=View.PUBLISHED)
    county_runs_send(run.children.all())
    return counties


@shared_task(name="ratings.job_runs_check", base=TrackedTask)
def job_runs_check() -> int:
    """Run by celery beat every five minutes: send again the counties missing at the deadline
    (once), fail them the second time (the county is told)."""
    return county_runs_send(job_runs_overdue())


@shared_task(name="ratings.job_runs_watchdog", bind=True, base=TrackedTask, expires=50)
def job_runs_watchdog(self) -> int:
    """Run by celery beat every minute: send again the runs whose worker is gone, that no
    live worker holds any more, or that the broker refused (config.jobs.job_runs_lost).

    The worker running this looks at its own heartbeat first: stale, the heartbeats were not
    being written (the database was down), so nobody is judged on them this round.
    """
    from config.heartbeat import live_workers, tasks_held, tasks_queued

    live = live_workers()
    me = getattr(self.request, "hostname", None)
    if not self.request.is_eager and me and me not in live:
        return 0
    # The queue is read before the workers are asked: a task taken off the queue meanwhile is
    # then held by a worker, not missed by both.
    queued = tasks_queued()
    held = tasks_held(live)
    known = None if queued is None or held is None else queued | held
    return county_runs_send(job_runs_lost(live_workers=live, held_task_ids=known))


@shared_task(name="ratings.find_month_follow_ups", base=TrackedTask, soft_time_limit=840, time_limit=900)
def find_month_follow_ups(reopening_id: int) -> int:
    """After a reopened month was closed again: the later closed months it would change
    (services.follow_ups); the number listed."""
    from .models import MonthReopening
    from .services.follow_ups import follow_ups_find

    return len(follow_ups_find(reopening=MonthReopening.objects.select_related("county").get(pk=reopening_id)))


@shared_task(name="ratings.recompute_running_month", base=TrackedTask, job_kind=JobKind.RECOMPUTE)
def recompute_running_month() -> int:
    """Run by celery beat each night, a safety net: the running month's live view of every
    county recomputed (a change that reached no recompute — a record of another app, a
    correction of an earlier month whose drain was lost — shows by morning), county by county
    as one batch on the jobs page; and the later months of any re-closed month whose
    comparison never ran (its task lost) compared now. Returns whether the batch was sent."""
    from .models import MonthReopening

    for reopening_id in MonthReopening.objects.filter(closed_again_at__isnull=False,
                                                      later_months_checked_at__isnull=True).values_list("pk", flat=True):
        publish(find_month_follow_ups, args=[reopening_id])
    today = timezone.localdate()
    return int(publish(recompute_province, args=[today.year, today.month, View.LIVE]))


@shared_task(name="ratings.check_closed_months", soft_time_limit=840, time_limit=900)
def check_closed_months(run_id: int) -> int:
    """The month-close page's check of a county's closed months (see services.month_check)."""
    from .models import MonthCheckRun
    from .services.month_check import month_check_run

    return month_check_run(run=MonthCheckRun.objects.select_related("county").get(pk=run_id)).differences


@shared_task(name="ratings.standard_preview_run", base=TrackedTask, soft_time_limit=840, time_limit=900)
def standard_preview_run(preview_id: int) -> str:
    """The impact preview of a draft standard (services.preview); writes only its report."""
    from .services.preview import preview_run

    preview = preview_run(preview_id=preview_id)
    return preview.state if preview else ""


def warnings_refresh_for_county(county: Region) -> None:
    try:
        warnings_refresh(county=county)
    except Exception:  # the recompute stands; the nightly refresh catches up
        logger.exception("early warnings refresh failed for county %s", county.code)


@shared_task(name="ratings.warnings_refresh_all", base=TrackedTask, soft_time_limit=840, time_limit=900)
def warnings_refresh_all_task() -> int:
    """Run by celery beat each night: every county's early warnings."""
    return warnings_refresh_all()


@shared_task(name="ratings.warning_notices_send", base=TrackedTask)
def warning_notices_send_task() -> int:
    """Run by celery beat each morning: one notice per township and county for new warnings."""
    return warning_notices_send()
