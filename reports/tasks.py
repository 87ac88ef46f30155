"""Bulletins at month close: queued by `generate_bulletins_for_month` when ratings announces a
closed month (reports.receivers)."""

from __future__ import annotations

from celery import shared_task

from config.celery import publish
from config.jobs import job_run_create, job_run_finish, job_run_start, job_run_unsent
from config.models import JobKind
from config.task_base import TrackedTask
from villages.models import Level, Region


@shared_task(name="reports.generate_bulletins", bind=True, base=TrackedTask, job_kind=JobKind.BULLETINS)
def generate_bulletins(self, county_id: int, year: int, month: int, run_id: int | None = None) -> int:
    from reports.services.bulletin import bulletin_generate

    if run_id and not job_run_start(run_id=run_id, task_id=self.request.id or "", worker=self.worker_name):
        return 0
    county = Region.objects.get(pk=county_id, level=Level.COUNTY)
    regions = [county, *Region.objects.filter(parent=county, level=Level.TOWNSHIP).order_by("code")]
    for region in regions:
        bulletin_generate(region=region, year=year, month=month)
    if run_id:
        job_run_finish(run_id=run_id, result=f"{len(regions)} 份通报")
    return len(regions)


def generate_bulletins_for_month(county_id: int, year: int, month: int) -> bool:
    """Queue the county's and each township's bulletin for the month (call on commit of month close).

    The pending run is written first: if the broker is down, the overdue check sends it later.
    """
    run = job_run_create(kind=JobKind.BULLETINS, county=Region.objects.get(pk=county_id), year=year, month=month)
    if publish(generate_bulletins, args=[county_id, year, month], kwargs={"run_id": run.pk}):
        return True
    job_run_unsent(run_id=run.pk)
    return False
