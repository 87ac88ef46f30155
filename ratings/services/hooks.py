"""Where the ledger workflow hands over to the scoring engine."""

from __future__ import annotations

import datetime as dt
from contextvars import ContextVar

from django.db import transaction
from django.utils import timezone

MSG_RECOMPUTE_DEFERRED = "评分服务暂时繁忙，得分和排名将在几分钟内自动更新"

# Set when a request's recompute could not be handed to the broker: the page tells the user
# the figures follow shortly (the pending rows are saved and drained by celery beat).
_deferred: ContextVar[bool] = ContextVar("recompute_deferred", default=False)


def after_ledger_approved(*, village_ids: list[int], year: int, month: int) -> None:
    """Mark the villages for a live recompute in the approval's own transaction (so the mark
    cannot be lost between commit and enqueue), and schedule the drain once committed."""
    from config.celery import in_background

    from ..tasks import pending_recompute_add, schedule_drain

    pending_recompute_add(village_ids=village_ids, year=year, month=month)
    # The request waits under a second for the broker whatever it does; a drain not sent is
    # picked up by the periodic drain of stale pending villages.
    transaction.on_commit(
        lambda: _deferred.set(True) if not in_background(schedule_drain, year=year, month=month) else None)


def village_records_changed(*, village_id: int, day: dt.date | None, **kwargs) -> None:
    """Records a star reads changed for a village (villages.signals.village_records_changed): score
    the month of the day and the running month again, as an approval does."""
    today = timezone.localdate()
    months = {(today.year, today.month)}
    if day and day.year == today.year:
        months.add((day.year, day.month))
    for year, month in sorted(months):
        after_ledger_approved(village_ids=[village_id], year=year, month=month)


def villages_records_imported(*, village_ids: list[int], year: int, month: int, **kwargs) -> None:
    """Many villages' records of a month were imported (villages.signals.villages_records_imported):
    score them again, as an approval does."""
    after_ledger_approved(village_ids=village_ids, year=year, month=month)


def recompute_deferred() -> bool:
    """Whether a recompute of this request (thread or task) is waiting for the broker."""
    return _deferred.get()


def recompute_deferred_reset() -> None:
    _deferred.set(False)


def job_run_failed(*, run, **kwargs) -> None:
    """A county's background job failed for good (config.jobs.job_run_failed): a notice to the
    county's organisation department, on its dashboard, saying what and where to look."""
    from ..models import Notice

    when = f"{run.year}年{run.month}月" if run.year and run.month else ""
    retry = "，可在“后台任务”页点“重新计算失败的县”" if run.parent_id else ""
    Notice.objects.create(
        region_id=run.county_id,
        text=(f"后台任务失败：{run.county.name}{when}{run.get_kind_display()}未完成"
              f"（{run.error[:150]}），详见“后台任务”页{retry}。")[:300],
    )
