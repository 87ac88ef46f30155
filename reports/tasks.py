"""Bulletins at month close: the engine's month close calls `generate_bulletins_for_month`."""

from __future__ import annotations

from celery import shared_task

from villages.models import Level, Region


@shared_task(name="reports.generate_bulletins")
def generate_bulletins(county_id: int, year: int, month: int) -> int:
    from reports.services.bulletin import bulletin_generate

    county = Region.objects.get(pk=county_id, level=Level.COUNTY)
    regions = [county, *Region.objects.filter(parent=county, level=Level.TOWNSHIP).order_by("code")]
    for region in regions:
        bulletin_generate(region=region, year=year, month=month)
    return len(regions)


def generate_bulletins_for_month(county_id: int, year: int, month: int):
    """Queue the county's and each township's bulletin for the month (call on commit of month close)."""
    return generate_bulletins.delay(county_id, year, month)
