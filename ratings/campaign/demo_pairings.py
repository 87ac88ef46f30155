"""The demo county's pairings (结对共建): ten pairings of a strong branch (among the highest
published levels) with a weak one (among the lowest some months ago), set up by the county, each
with its yearly targets and joint activities; half of the receivers have gained levels since in
the published months (the lift), half not; two pairings have had no activity this quarter (the
early warning). Idempotent: a county with pairings is left as it is."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from branches.models_pairing import Pairing, PairingActivity, PairingKind, PairingTarget
from branches.selectors_pairing import quarter_span
from ratings.models import MonthClose, View, VillageScore
from villages.models import Kind, Region

ACTIVITIES = [
    ("联合主题党日：重温入党誓词", "两村党员", "党建阵地共享", 0),
    ("电商直播技能培训", "两村致富带头人", "电商技能培训", 3000),
    ("特色农产品进市场对接会", "两村村干部、合作社负责人", "市场渠道", 8000),
    ("产业项目观摩学习", "两村支委", "项目经验", 1500),
    ("结对帮扶座谈会", "两村支委", "发展思路", 0),
    ("引进食用菌种植项目", "两村村干部", "产业项目", 50000),
]
COUNT = 10


def _levels(county: Region, year: int, month: int) -> dict[Region, int]:
    rows = (VillageScore.objects.filter(village__code__startswith=county.prefix, view=View.PUBLISHED, year=year,
                                        month=month, village__kind=Kind.RURAL, village__is_active=True)
            .select_related("village").order_by("village__code"))
    return {r.village: r.star_level for r in rows}


def _pick(county: Region, rng: random.Random):
    """(helper, receiver, start) pairs: helpers among the highest published levels of the last
    closed month; receivers among the lowest of a closed month some months before, half of them
    risen since (the pairing's lift), half not; each pairing starts the month after that one."""
    closes = list(MonthClose.objects.filter(county=county).order_by("year", "month"))
    if len(closes) < 3:
        return []
    last, base = closes[-1], closes[max(0, len(closes) - 7)]
    now, then = _levels(county, last.year, last.month), _levels(county, base.year, base.month)
    helpers = sorted(now, key=lambda v: (-now[v], v.code))[:COUNT]
    low = sorted((v for v in then if v in now and v not in helpers), key=lambda v: (then[v], v.code))
    risen = [v for v in low if now[v] > then[v]][:COUNT // 2]
    flat = [v for v in low if now[v] <= then[v]][:COUNT - len(risen)]
    receivers = risen + flat
    start = dt.date(base.year + (base.month == 12), base.month % 12 + 1, 1)
    return [(h, r, start + dt.timedelta(days=rng.randint(0, 20))) for h, r in zip(helpers, receivers, strict=False)]


def seed(*, rng: random.Random, county: Region, stdout=None) -> None:
    if Pairing.objects.filter(region=county).exists():
        return
    pairs = _pick(county, rng)
    if not pairs:
        return
    today = timezone.localdate()
    q_start, _ = quarter_span(today)
    activities = []
    for n, (helper, receiver, started) in enumerate(pairs):
        pairing = Pairing.objects.create(
            helper=helper, receiver=receiver, kind=PairingKind.INCOME if n % 3 == 2 else PairingKind.STRONG_WEAK,
            region=county, started_on=started, content="资源共享、优势互补、互相促进、共同提高：支部联建、产业联谋、人才联育。")
        for year in range(started.year, today.year + 1):
            PairingTarget.objects.create(pairing=pairing, year=year, star_level=min(5, 2 + (n % 3)),
                                         income=Decimal(100000 if n % 2 else 50000))
        quiet = n in (3, 7)  # no activity this quarter: the early warning
        day = started + dt.timedelta(days=rng.randint(5, 20))
        while day <= today:
            if not (quiet and day >= q_start):
                title, who, what, value = rng.choice(ACTIVITIES)
                activities.append(PairingActivity(pairing=pairing, held_on=day, title=title, participants=who,
                                                  resources=what, resource_value=Decimal(value)))
            day += dt.timedelta(days=rng.randint(25, 60))
    PairingActivity.objects.bulk_create(activities)
    if stdout:
        stdout.write(f"  结对共建：{len(pairs)} 对，共建活动 {len(activities)} 次")
