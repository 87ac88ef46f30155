"""The demo county's township plans (一乡一方案): a version adopted at the end of March and one
saved today, so "the plan as of March" can be shown. Idempotent: townships that already have
this year's versions are left as they are."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from cadres.models import User
from ratings.models import TownshipPlan
from villages.models import Level, Region

from .selectors import township_plan_data


def seed(*, rng: random.Random, county: Region, stdout=None) -> None:
    today = timezone.localdate()
    year = today.year
    townships = list(Region.objects.filter(level=Level.TOWNSHIP, code__startswith=county.prefix).order_by("code"))
    if TownshipPlan.objects.filter(township__in=townships, year=year).exists():
        return
    org = User.objects.filter(username="org").first()
    march = min(dt.date(year, 3, 31), today)
    rows = []
    for township in townships:
        rows.append(TownshipPlan(township=township, year=year, as_of=march, note="年初方案（一季度联席会商审定）",
                                 content=township_plan_data(township=township, year=year, on=march), created_by=org))
        if march < today:
            rows.append(TownshipPlan(township=township, year=year, as_of=today, note="按动态调整更新",
                                     content=township_plan_data(township=township, year=year, on=today),
                                     created_by=org))
    TownshipPlan.objects.bulk_create(rows)
    if stdout:
        stdout.write(f"  一乡一方案：{len(rows)} 个版本")
