"""Results for the demo: the live view of every month with ledgers, and the months before
last closed (published), so rankings and their movement exist after `make run`."""

from __future__ import annotations

import random

from django.utils import timezone

from villages.models import Region

from .models import View
from .services.month_close import month_close
from .services.scoring import recompute


def seed(*, rng: random.Random, county: Region, stdout=None) -> None:
    today = timezone.localdate()
    for month in range(1, today.month):
        # Bulletins (PDF and Excel per township) only for the last closed month: enough to show.
        month_close(county=county, year=today.year, month=month, bulletins=month == today.month - 1)
    for month in range(1, today.month + 1):
        recompute(year=today.year, month=month, view=View.LIVE, region=county)
    if stdout:
        from .models import VillageScore

        levels = {}
        for level in VillageScore.objects.filter(village__code__startswith=county.prefix, year=today.year,
                                                 month=today.month, view=View.LIVE).values_list("star_level", flat=True):
            levels[level] = levels.get(level, 0) + 1
        stdout.write(f"  评分：{today.month} 个月，本月星级分布 " + "，".join(f"{k}星 {v} 个" for k, v in sorted(levels.items())))
