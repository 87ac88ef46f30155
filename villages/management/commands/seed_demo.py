"""Build the demo county 示范县 deterministically. Running it again changes nothing."""

from __future__ import annotations

import random
import time
from importlib import import_module

from django.core.management.base import BaseCommand
from django.db import connection, transaction

SEED = 20260101

# Each app contributes a module with `seed(*, rng, county, stdout)`; order matters (later steps
# look up what earlier ones made). A module that does not exist (yet) is passed over.
DEMO_STEPS = [
    "villages.demo",
    "cadres.demo",
    "ratings.demo_accounts",  # the community stars' reviewers, as the urban standard names them
    "branches.demo",
    "projects.demo",
    "cadres.demo_work",
    "branches.demo_records",
    "branches.demo_members",  # after the meetings (their rolls), before the ratings' results (providers)
    "branches.demo_community",  # before the ratings' results, which read it (共建共享)
    "branches.demo_service_centre",  # before the ratings' results, which read it (支部过硬)
    "projects.demo_economy",
    "ratings.demo",
    "ratings.demo_results",
    "reports.demo",
    # The campaign's working mechanisms: each step independent and quick.
    "ratings.campaign.demo_duty",
    "ratings.campaign.demo_taskforce",
    "ratings.campaign.demo_plans",
    "ratings.campaign.demo_rewards",
    "ratings.campaign.demo_weekly",
    "ratings.campaign.demo_pairings",
    "ratings.campaign.demo_warnings",  # last: warnings read every record above
]


class Command(BaseCommand):
    help = "生成演示县（示范县）的全部演示数据；可重复运行，结果相同"

    def handle(self, *args, **options) -> None:
        started = time.monotonic()
        county = None
        for name in DEMO_STEPS:
            try:
                module = import_module(name)
            except ModuleNotFoundError as exc:
                if exc.name != name:
                    raise
                continue
            # Each step draws from its own generator, so adding a step never changes another's data.
            rng = random.Random(f"{SEED}-{name}")
            step_started = time.monotonic()
            with transaction.atomic():
                result = module.seed(rng=rng, county=county, stdout=self.stdout)
            if county is None:
                county = result
            self.stdout.write(f"  · {name} 用时 {time.monotonic() - step_started:.1f} 秒")
        # Fresh planner statistics: PostgreSQL would otherwise plan the first pages' queries on an
        # empty database's estimates (seconds instead of milliseconds until autovacuum runs).
        # Not on SQLite: with its statistics of the compact demo county the closed months' check
        # (`recompute --check`) chose a plan that took minutes instead of 9 seconds.
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(self.style.SUCCESS(f"演示数据已就绪（{time.monotonic() - started:.1f} 秒）"))
