"""The demo county's reward amounts for the year and, once villages are named, a decision adopting
the table (the amounts are the demo's, not any county's). Idempotent."""

from __future__ import annotations

import random

from django.utils import timezone

from cadres.models import User
from ratings.models import RewardScheme
from villages.models import Region

from .services.rewards import reward_decide, reward_scheme_save


def seed(*, rng: random.Random, county: Region, stdout=None) -> None:
    year = timezone.localdate().year
    if RewardScheme.objects.filter(county=county, year=year).exists():
        return
    org = User.objects.get(username="org")
    reward_scheme_save(by=org, county=county, year=year, level_amounts={5: 100000, 4: 50000, 3: 20000},
                       township_amounts=[100000, 60000, 30000])
    from .services.rewards import reward_table

    if not reward_table(county=county, year=year, scheme=RewardScheme.objects.get(county=county, year=year))["total"]:
        return  # nothing named yet this year: the amounts are set, the decision comes after naming
    decision = reward_decide(by=org, county=county, year=year, decision_no=f"示范县委〔{year}〕18号",
                             decided_on=timezone.localdate(), note="五星支部创建奖励兑现")
    if stdout:
        stdout.write(f"  奖励兑现：合计 {decision.village_total + decision.township_total} 元")
