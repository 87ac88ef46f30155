"""What the ratings app adds to the health check and to the background-work notice
(config/health.py), registered in RatingsConfig.ready(): the last month close and its job run,
and villages waiting too long for their live recompute."""

from __future__ import annotations

import datetime as dt

from config.models import JobKind, JobRun, JobState

BACKLOG_MINUTES = 5


def check_month_close() -> dict:
    """The last month closed (MonthClose) and the last month-close job run: "failed" when that
    run failed in some county, so a county's IT sees a close that did not happen."""
    from .models import MonthClose

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
        if job["state"] in (JobState.FAILED, JobState.PARTIAL):
            answer["status"] = "failed"
    return answer


def recompute_backlog(now: dt.datetime) -> list[str]:
    """Villages whose live recompute has waited longer than BACKLOG_MINUTES (PendingRecompute)."""
    from .models import PendingRecompute

    waiting = PendingRecompute.objects.filter(
        requested_at__lt=now - dt.timedelta(minutes=BACKLOG_MINUTES)).values("village_id").distinct().count()
    if not waiting:
        return []
    return [f"{waiting} 个村（社区）的实时得分等待重算已超过 {BACKLOG_MINUTES} 分钟，将在后台服务恢复后更新。"]
