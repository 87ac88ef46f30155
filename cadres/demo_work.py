"""Demo sign-ins of the serving first secretaries for this year's past days.

Most are in the village 20–26 days a month; a few fall short, so the township's
below-minimum list and the branch star's first-secretary indicator show something real.
"""

from __future__ import annotations

import calendar
import datetime as dt
import random

from django.utils import timezone

from villages.models import Region

from .models import FirstSecretary, FirstSecretaryStatus, SignIn


def seed(*, rng: random.Random, county: Region, stdout=None) -> None:
    today = timezone.localdate()
    secretaries = list(FirstSecretary.objects.filter(
        village__code__startswith=county.prefix, status=FirstSecretaryStatus.SERVING).order_by("village__code"))
    existing = set(SignIn.objects.filter(first_secretary__in=secretaries).values_list("first_secretary_id", "date"))
    rows = []
    for fs in secretaries:
        diligent = rng.random() > 0.12
        for month in range(1, today.month + 1):
            last = calendar.monthrange(today.year, month)[1]
            days = [dt.date(today.year, month, d) for d in range(1, last + 1)]
            days = [d for d in days if fs.term_start <= d < today and (fs.term_end is None or d <= fs.term_end)]
            share = rng.uniform(0.72, 0.9) if diligent else rng.uniform(0.4, 0.6)
            chosen = sorted(rng.sample(days, round(len(days) * share))) if days else []
            times = [dt.time(rng.randint(7, 9), rng.randint(0, 59)) for _ in chosen]
            rows += [SignIn(first_secretary=fs, village_id=fs.village_id, date=d, time=t, created_by_id=fs.user_id)
                     for d, t in zip(chosen, times, strict=True) if (fs.pk, d) not in existing]
    SignIn.objects.bulk_create(rows, batch_size=5000)
    if stdout:
        stdout.write(f"  第一书记签到：新增 {len(rows)} 条")
