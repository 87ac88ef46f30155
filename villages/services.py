"""State changes of the region tree."""

from __future__ import annotations

from django.db import transaction

from .models import Region


@transaction.atomic
def region_create(*, code: str, name: str, level: str, parent: Region | None, kind: str = "", **profile) -> Region:
    """Validate (format, level, parent prefix, uniqueness) and create a region.

    Raises ValidationError with Chinese messages; nothing is saved on error.
    """
    region = Region(code=code, name=name, level=level, parent=parent, kind=kind, **profile)
    region.full_clean()
    region.save()
    return region


@transaction.atomic
def region_update(*, region: Region, **fields) -> Region:
    for key, value in fields.items():
        setattr(region, key, value)
    region.full_clean()
    region.save()
    return region
