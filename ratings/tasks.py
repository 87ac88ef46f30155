"""Celery tasks of the scoring engine: thin, idempotent wrappers around the services."""

from __future__ import annotations

from celery import group, shared_task
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from villages.models import Level, Region

from .campaign.services.checklist import checklist_regenerate
from .models import MonthClose, PendingRecompute, View
from .services.month_close import month_close
from .services.scoring import recompute

COALESCE_SECONDS = 3


def enqueue_recompute(*, village_ids: list[int], year: int, month: int) -> None:
    """Mark villages for a live recompute and schedule one drain per month.

    Called after commit. Many approvals in a short time add rows but schedule one job: the
    cache key lets only the first caller of a few seconds' window enqueue the drain.
    """
    PendingRecompute.objects.bulk_create(
        [PendingRecompute(village_id=v, year=year, month=month) for v in village_ids], ignore_conflicts=True
    )
    from config.celery import app

    # The key lives shorter than the countdown, so rows added while it exists are committed
    # before the scheduled drain runs. Eager mode (no broker) drains at once every time.
    if app.conf.task_always_eager or cache.add(f"ratings:drain:{year}:{month}", 1, timeout=COALESCE_SECONDS - 1):
        drain_pending_recomputes.apply_async(args=[year, month], countdown=COALESCE_SECONDS)


@shared_task(name="ratings.drain_pending_recomputes", acks_late=True)
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


def _after_recompute(village_ids: list[int], year: int, month: int) -> None:
    """Task lists follow the new results."""
    checklist_regenerate(village_ids=village_ids, year=year, month=month)


@shared_task(name="ratings.recompute_region")
def recompute_region(region_id: int, year: int, month: int, view: str = View.LIVE) -> int:
    return recompute(year=year, month=month, view=view, region=Region.objects.get(pk=region_id))


@shared_task(name="ratings.recompute_province")
def recompute_province(year: int, month: int, view: str = View.LIVE):
    """Fan out by county, so more workers finish a province sooner."""
    counties = Region.objects.filter(level=Level.COUNTY).values_list("pk", flat=True)
    return group(recompute_region.s(pk, year, month, view) for pk in counties).apply_async()


@shared_task(name="ratings.close_month")
def close_month(county_id: int, year: int, month: int) -> int:
    return month_close(county=Region.objects.get(pk=county_id), year=year, month=month).pk


@shared_task(name="ratings.close_month_all")
def close_month_all() -> list[int]:
    """Run daily by celery beat: on or after the close day, close last month in every county."""
    today = timezone.localdate()
    if today.day < settings.PORTAL["MONTH_CLOSE_DAY"]:
        return []
    year, month = (today.year - 1, 12) if today.month == 1 else (today.year, today.month - 1)
    closed = set(MonthClose.objects.filter(year=year, month=month).values_list("county_id", flat=True))
    counties = [pk for pk in Region.objects.filter(level=Level.COUNTY).values_list("pk", flat=True) if pk not in closed]
    for pk in counties:
        close_month.delay(pk, year, month)
    return counties


@shared_task(name="ratings.check_closed_months", soft_time_limit=840, time_limit=900)
def check_closed_months(run_id: int) -> int:
    """The month-close page's check of a county's closed months (see services.month_check)."""
    from .models import MonthCheckRun
    from .services.month_check import month_check_run

    return month_check_run(run=MonthCheckRun.objects.select_related("county").get(pk=run_id)).differences
