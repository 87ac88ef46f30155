"""The history of the creation targets (创建目标): every write of a TargetLevel goes with a
TargetLevelChange row, so a plan as of a past day reads the target in force that day."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from ratings.models import TargetChangeSource, TargetLevel, TargetLevelChange


def change_for(target: TargetLevel, *, before: TargetLevel | None, by, source: str = TargetChangeSource.SET,
               at: dt.datetime | None = None) -> TargetLevelChange:
    """An unsaved change row from `before` (None for a new target) to `target`."""
    return TargetLevelChange(
        village_id=target.village_id, year=target.year, level=target.level, target_stars=list(target.target_stars),
        proposed=target.proposed, level_before=before.level if before else None,
        stars_before=list(before.target_stars) if before else None, source=source, by=by,
        at=at or timezone.now())


def record_created(targets: list[TargetLevel], *, by, source: str, at: dt.datetime | None = None) -> None:
    """History rows for targets just bulk-created (no previous value)."""
    TargetLevelChange.objects.bulk_create([change_for(t, before=None, by=by, source=source, at=at) for t in targets])
