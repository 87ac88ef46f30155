"""Time a county's impact preview of a draft standard against a county recompute.

On the demo county (`seed_demo`) or any county given by --county: a draft of next year is
copied from the year's published rural standard and one threshold raised, inside a transaction
that is rolled back at the end, so the database is left as it was. Then, --repeat times each:
`recompute` of the county (live view, the month given or the last month with results), and
`preview_compute` of the draft on the same month and view. Prints a Markdown table.
"""

from __future__ import annotations

import statistics
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from villages.models import Level, Region

from ...models import Indicator, Rule, Standard, StandardStatus, View, VillageScore
from ...services.preview import preview_compute
from ...services.scoring import recompute


class _Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Time a county's impact preview of a draft standard against a county recompute (rolled back)."

    def add_arguments(self, parser):
        parser.add_argument("--county", default="", help="the county's 12-digit code (default: the first county)")
        parser.add_argument("--year", type=int)
        parser.add_argument("--month", type=int)
        parser.add_argument("--repeat", type=int, default=3)

    def handle(self, *args, **options):
        county = (Region.objects.filter(level=Level.COUNTY, code=options["county"]).first() if options["county"]
                  else Region.objects.filter(level=Level.COUNTY).order_by("code").first())
        if county is None:
            raise CommandError("no county: run seed_demo first or pass --county")
        latest = (VillageScore.objects.filter(village__code__startswith=county.prefix, view=View.LIVE)
                  .order_by("-year", "-month").values_list("year", "month").first())
        year = options["year"] or (latest[0] if latest else None)
        month = options["month"] or (latest[1] if latest else None)
        if not year or not month:
            raise CommandError("no results in the county: pass --year and --month")
        base = Standard.objects.filter(year=year, kind="rural", status=StandardStatus.PUBLISHED).first()
        if base is None:
            raise CommandError(f"no published rural standard for {year}")
        try:
            with transaction.atomic():
                self._run(county, base, year, month, options["repeat"])
                raise _Rollback
        except _Rollback:
            pass

    def _run(self, county, base, year, month, repeat):
        from ...services.standard import standard_copy

        draft = Standard.objects.filter(year=year + 1, kind="rural").first()
        if draft is None:
            draft = standard_copy(standard=base, year=year + 1, by=None)
        raised = Indicator.objects.filter(star__standard=draft, rule=Rule.THRESHOLD).order_by("star__order", "order")
        for indicator in raised[:1]:
            indicator.params = {**indicator.params, "threshold": float(indicator.params["threshold"]) * 1.2}
            indicator.save()
        villages = Region.objects.filter(level=Level.VILLAGE, is_active=True, code__startswith=county.prefix).count()
        recompute_times, preview_times, changes = [], [], 0
        for _ in range(repeat):
            start = time.perf_counter()
            recompute(year=year, month=month, view=View.LIVE, region=county)
            recompute_times.append(time.perf_counter() - start)
            start = time.perf_counter()
            result = preview_compute(standard=draft, base_standard=base, county=county, year=year, month=month,
                                     view=View.LIVE)
            preview_times.append(time.perf_counter() - start)
            changes = len(result["changes"])
        r, p = statistics.median(recompute_times), statistics.median(preview_times)
        self.stdout.write(f"county {county.name} ({county.code}), {villages} villages, {year}-{month:02d} live view, "
                          f"median of {repeat}; {changes} villages change level under the draft\n")
        self.stdout.write("| run | seconds |\n| --- | ---: |")
        self.stdout.write(f"| county recompute (gather, engine, upserts, re-rank) | {r:.2f} |")
        self.stdout.write(f"| impact preview (gather, engine × 2, comparison) | {p:.2f} |")
        self.stdout.write(f"| preview / recompute | {p / r:.2f} × |")
