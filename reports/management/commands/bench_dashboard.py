"""Time a county page server-side for a county of 300 villages with results: the county
dashboard (default), the county trends (`--page trends`) or the meeting-room screen (`--page screen`).

Without --county the command builds a throw-away county (code 419988000000) with 10 townships ×
30 villages and three months of results inside a transaction that is rolled back at the end,
so the database is left as it was.
"""

from __future__ import annotations

import datetime as dt
import statistics
import time
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client

from cadres.models import Post, Role, User
from ratings.models import MonthClose, Standard, StarScore, VillageScore
from villages.models import Kind, Level, Region

STARS = ["branch", "industry", "ecology", "safety", "civility"]
PAGES = {"dashboard": "/reports/county/", "trends": "/reports/trends/county/", "screen": "/reports/screen/"}


class _Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Benchmark a county page (dashboard, trends or screen): median and p95 of N runs."

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=30)
        parser.add_argument("--county", help="Code of an existing county with results (read only).")
        parser.add_argument("--page", choices=sorted(PAGES), default="dashboard")

    def handle(self, *args, **opts):
        if opts["runs"] < 1:
            raise CommandError("--runs 必须大于 0")
        try:
            with transaction.atomic():
                if opts["county"]:
                    county = Region.objects.filter(code=opts["county"], level=Level.COUNTY).first()
                    if county is None:
                        raise CommandError(f"没有该县：{opts['county']}")
                else:
                    county = self._build()
                # An organisation post on this county, so the dashboard shows exactly this county.
                user, _ = User.objects.get_or_create(username="bench_dashboard", defaults={"full_name": "基准"})
                Post.objects.get_or_create(user=user, role=Role.ORGANISATION, region=county)
                self._time(county, user, opts["runs"], PAGES[opts["page"]])
                raise _Rollback
        except _Rollback:
            pass

    def _build(self) -> Region:
        county = Region.objects.create(code="419988000000", name="基准县", level=Level.COUNTY,
                                       parent=Region.objects.filter(level=Level.CITY).first())
        townships = Region.objects.bulk_create([
            Region(code=f"419988{t:03d}000", name=f"基准镇{t}", level=Level.TOWNSHIP, parent=county)
            for t in range(1, 11)])
        villages = Region.objects.bulk_create([
            Region(code=f"{t.code[:9]}{v:03d}", name=f"基准村{t.code[6:9]}{v}", level=Level.VILLAGE, parent=t,
                   kind=Kind.URBAN if v > 25 else Kind.RURAL)
            for t in townships for v in range(1, 31)])
        standard, _ = Standard.objects.get_or_create(year=2026, kind="rural", defaults={"name": "基准标准"})
        at = dt.datetime(2026, 5, 31, tzinfo=dt.UTC)
        for month in (3, 4, 5):
            scores, stars = [], []
            for i, v in enumerate(villages):
                level = (i + month) % 6
                scores.append(VillageScore(
                    village=v, year=2026, month=month, view="published", standard=standard,
                    stars_earned=STARS[:level], star_level=level, total=Decimal(300 + 20 * level),
                    county_rank=i + 1, township_rank=i % 30 + 1, county_movement=i % 5 - 2, computed_at=at))
                stars += [StarScore(village=v, year=2026, month=month, view="published", star=s,
                                    score=Decimal(85 if j < level else 60), earned=j < level, computed_at=at)
                          for j, s in enumerate(STARS)]
            VillageScore.objects.bulk_create(scores)
            StarScore.objects.bulk_create(stars)
            MonthClose.objects.create(county=county, year=2026, month=month, closed_at=at)
        return county

    def _time(self, county: Region, user, runs: int, path: str) -> None:
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        client.get(path)  # warm-up: template loading, first connection
        timings = []
        queries = []

        def count(execute, sql, params, many, context):
            queries.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            response = client.get(path)
        if response.status_code != 200:
            raise CommandError(f"{path} 返回 {response.status_code}")
        for _ in range(runs):
            start = time.perf_counter()
            client.get(path)
            timings.append((time.perf_counter() - start) * 1000)
        timings.sort()
        p95 = timings[min(len(timings) - 1, int(round(0.95 * len(timings))) - 1)]
        villages = Region.objects.filter(code__startswith=county.prefix, level=Level.VILLAGE).count()
        self.stdout.write(f"{'county':<14}{'villages':>9}{'runs':>6}{'queries':>9}{'median ms':>11}{'p95 ms':>9}")
        self.stdout.write(f"{county.code:<14}{villages:>9}{runs:>6}{len(queries):>9}"
                          f"{statistics.median(timings):>11.1f}{p95:>9.1f}")
