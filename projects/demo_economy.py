"""Demo income entered month by month: all twelve months of last year and this year's months up
to the last finished one, so the overview compares the same months (同比) and the monthly pages
are filled. The year before last stays a whole year (projects.demo).

Deterministic (one generator, drawn the same way on every run) and idempotent: a village-year
that already has months, or was entered as a whole, is left alone. Bulk inserts only.
"""

from __future__ import annotations

import random
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from villages.models import Level, Region

from .models import CollectiveIncome, CollectiveIncomeMonth, IncomeSource

CENT = Decimal("0.01")
# Harvest months weigh more: wheat in June, autumn crops in September-October, year-end rents.
SEASON = [0.7, 0.6, 0.8, 0.9, 1.0, 1.4, 1.0, 0.9, 1.2, 1.3, 1.0, 1.2]


def _split(total: Decimal, weights: list[float]) -> list[Decimal]:
    whole = sum(weights)
    return [(total * Decimal(f"{w / whole:.6f}")).quantize(CENT, rounding=ROUND_HALF_UP) for w in weights]


def seed(*, rng: random.Random, county: Region, stdout=None) -> None:
    today = timezone.localdate()
    year, last_month = today.year, today.month - 1
    villages = list(Region.objects.filter(level=Level.VILLAGE, code__startswith=county.prefix).order_by("code"))
    base = dict(CollectiveIncome.objects.filter(village__in=villages, year=year - 2).values_list("village_id", "total"))
    have_months = set(CollectiveIncomeMonth.objects.filter(village__in=villages, year__in=[year - 1, year])
                      .values_list("village_id", "year").distinct())
    have_years = set(CollectiveIncome.objects.filter(village__in=villages, year__in=[year - 1, year])
                     .values_list("village_id", "year"))
    months, years = [], []
    for village in villages:
        # Draw everything first, whatever is stored, so a rerun consumes the generator alike.
        figure = base.get(village.pk) or Decimal(f"{rng.uniform(0, 30_000):.2f}")
        plan = []
        # A village's operating part is a steady share of its income, drifting a little a year.
        steady_share = rng.uniform(0.35, 0.85)
        for y, upto in ((year - 1, 12), (year, last_month)):
            figure = (figure * Decimal(f"{rng.uniform(0.85, 1.30):.3f}")).quantize(CENT)
            share = Decimal(f"{steady_share + rng.uniform(-0.05, 0.05):.2f}")
            weights = [w * rng.uniform(0.8, 1.2) for w in SEASON]
            plan.append((y, upto, _split(figure, weights), share))
        for y, upto, amounts, share in plan:
            if upto == 0 or (village.pk, y) in have_months or (village.pk, y) in have_years:
                continue
            rows = [CollectiveIncomeMonth(village=village, year=y, month=m, total=amounts[m - 1],
                                          operating=(amounts[m - 1] * share).quantize(CENT))
                    for m in range(1, upto + 1)]
            months += rows
            years.append(CollectiveIncome(
                village=village, year=y, source=IncomeSource.MONTHLY, note=f"由{upto}个月的月度收入汇总",
                total=sum((r.total for r in rows), Decimal(0)), operating=sum((r.operating for r in rows), Decimal(0))))
    CollectiveIncomeMonth.objects.bulk_create(months, batch_size=1000)
    CollectiveIncome.objects.bulk_create(years, batch_size=500)
    if stdout:
        stdout.write(f"  集体经济月度收入：新增 {len(months)} 条月度收入，{len(years)} 个按月汇总的年度")
