"""Results for the demo: the live view of every month with ledgers (the published view of the
closed months was frozen month by month by ratings.demo), and the level distribution of each
month, printed so the demo's shape can be read and tuned."""

from __future__ import annotations

import random
from collections import Counter

from django.utils import timezone

from villages.models import Region

from .models import MonthClose, View, VillageScore
from .services.scoring import recompute


def seed(*, rng: random.Random, county: Region, stdout=None) -> None:
    today = timezone.localdate()
    for month in range(1, today.month + 1):
        recompute(year=today.year, month=month, view=View.LIVE, region=county)
    if stdout:
        for line in level_distribution(county, today.year):
            stdout.write(f"  {line}")


def level_distribution(county: Region, year: int) -> list[str]:
    """One line per month: the published levels of a closed month, the live ones of an open month."""
    closed = set(MonthClose.objects.filter(county=county, year=year).values_list("month", flat=True))
    rows = VillageScore.objects.filter(village__code__startswith=county.prefix, year=year)
    counts: dict[tuple[int, str], Counter] = {}
    for month, view, level in rows.values_list("month", "view", "star_level"):
        counts.setdefault((month, view), Counter())[level] += 1
    lines, previous = [], None
    for month in sorted({m for m, _ in counts}):
        view = View.PUBLISHED if month in closed else View.LIVE
        levels = counts.get((month, view), Counter())
        total = sum(levels.values()) or 1
        label = "已关账" if month in closed else "未关账（实时）"
        moves = ""
        if month in closed:
            now_levels = dict(rows.filter(month=month, view=view).values_list("village_id", "star_level"))
            if previous is not None:
                up = sum(1 for v, level in now_levels.items() if v in previous and level > previous[v])
                down = sum(1 for v, level in now_levels.items() if v in previous and level < previous[v])
                moves = f"，较上月升星 {up} 个、降星 {down} 个"
            previous = now_levels
        lines.append(f"评分：{year}年{month}月{label} " + "，".join(f"{k}星 {levels[k]}" for k in range(6))
                     + f"（0星 {100 * levels[0] / total:.0f}%{moves}）")
    return lines
