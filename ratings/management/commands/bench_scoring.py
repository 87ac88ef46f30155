"""Benchmark the scoring engine on a synthetic province in PostgreSQL.

Builds (once, or again with --rebuild) a province of --villages villages in counties of 300,
the default standard (about 50 indicators, 11 from providers), 12 months of approved ledger
values loaded with COPY, and a collective income per village; builds the kept year-to-date
values once; then times, in a table: the month recompute of the province (one process, and
fanned out by county over --workers processes) with every result rewritten, with nothing
changed, and after 2% of the villages' entries changed; the SQL floor of the same data; one
county (rewritten and unchanged); one village after an approval; and the same county through a
naive per-village ORM loop (--no-naive leaves it out). Results go to stdout as a Markdown table.
"""

from __future__ import annotations

import io
import random
import statistics
import time
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from cadres.models import User
from projects.models import CollectiveIncome
from villages.models import Kind, Level, Region

from ...engine import evaluate_village
from ...models import Indicator, LedgerEntry, LedgerStatus, Source, StarScore, View, VillageScore
from ...services.scoring import recompute
from ...services.scoring_inputs import VIEW_STATUSES, load_standards, loaded_standards_clear
from ...services.scoring_rows import indicator_detail
from ...services.standard import standard_load_defaults
from ...services.year_to_date import year_to_date_refresh

PROVINCE = "990000000000"
YEAR = 2025
PER_COUNTY = 300
TOWNSHIPS_PER_COUNTY = 12


def _recompute_county(county_id: int) -> int:
    """One county's task. After it, what Celery's Django fixup does after every task: a connection
    older than DB_CONN_MAX_AGE is closed (0, the default: every task opens its own; the compose
    file's workers keep theirs 60 seconds)."""
    from django.db import close_old_connections

    try:
        return recompute(year=YEAR, month=12, view=View.LIVE, region=Region.objects.get(pk=county_id))
    finally:
        close_old_connections()


# The floor: the same month's arithmetic done by PostgreSQL alone, in one statement. Year-to-date
# values of the ledger indicators (latest/sum/max/count over the months up to the month), each
# indicator's rule, rounded points, star sums capped at the star's maximum, written to a table.
# What the engine adds on top (providers, vetoes, required indicators, details, ranks) is the
# price of doing it in tested Python; the ratio says how large that price is.
SQL_FLOOR = """
CREATE TEMP TABLE bench_floor ON COMMIT DROP AS
WITH ytd AS (
    SELECT e.village_id, e.indicator_id,
           CASE i.aggregation
               WHEN 'latest' THEN (array_agg(e.value ORDER BY e.month DESC))[1]
               WHEN 'sum' THEN sum(e.value)
               WHEN 'max' THEN max(e.value)
               ELSE count(*) FILTER (WHERE e.value > 0)
           END AS v
    FROM ratings_ledgerentry e JOIN ratings_indicator i ON i.id = e.indicator_id
    WHERE e.year = %(year)s AND e.month <= %(month)s AND e.status = 'approved' AND e.value IS NOT NULL
      AND e.village_id IN (SELECT id FROM villages_region WHERE level = 'village' AND code LIKE %(prefix)s)
    GROUP BY e.village_id, e.indicator_id, i.aggregation
), points AS (
    SELECT y.village_id, i.star_id, round(CASE i.rule
        WHEN 'pass_fail' THEN CASE WHEN y.v > 0 THEN i.points ELSE 0 END
        WHEN 'threshold' THEN CASE WHEN (i.direction = 'lower' AND y.v <= (i.params->>'threshold')::numeric)
                                     OR (i.direction <> 'lower' AND y.v >= (i.params->>'threshold')::numeric)
                                   THEN i.points ELSE 0 END
        WHEN 'ratio' THEN i.points * CASE WHEN i.direction = 'lower'
                THEN CASE WHEN y.v = 0 THEN 1 ELSE least(1, greatest(0, (i.params->>'target')::numeric / y.v)) END
                ELSE least(1, greatest(0, y.v / (i.params->>'target')::numeric)) END
        WHEN 'deduction' THEN greatest(0, i.points - (i.params->>'per_event')::numeric * y.v)
        WHEN 'banded' THEN (SELECT coalesce(max((b->>1)::numeric), 0) FROM jsonb_array_elements(i.params->'bands') b
                            WHERE (i.direction = 'lower' AND y.v <= (b->>0)::numeric)
                               OR (i.direction <> 'lower' AND y.v >= (b->>0)::numeric))
        ELSE 0 END, 2) AS points
    FROM ytd y JOIN ratings_indicator i ON i.id = y.indicator_id
)
SELECT p.village_id, p.star_id, least(sum(p.points), max(s.max_score)) AS score
FROM points p JOIN ratings_star s ON s.id = p.star_id
GROUP BY p.village_id, p.star_id
"""


def sql_floor(*, prefix: str, year: int, month: int) -> tuple[float, int]:
    """Seconds the floor statement takes, and the village × star rows it wrote."""
    with transaction.atomic(), connection.cursor() as cursor:
        started = time.perf_counter()
        cursor.execute(SQL_FLOOR, {"year": year, "month": month, "prefix": f"{prefix}%"})
        seconds = time.perf_counter() - started
        cursor.execute("SELECT count(*) FROM bench_floor")
        return seconds, cursor.fetchone()[0]


def fan_out(county_ids: list[int], workers: int) -> None:
    """Recompute the province county by county in `workers` processes, as the Celery group of
    recompute_province does across workers (each county is one idempotent task)."""
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    from django.db import connections

    connections.close_all()  # each process opens its own connection
    with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("fork")) as pool:
        # One county at a time, as the workers take tasks (CELERY_WORKER_PREFETCH_MULTIPLIER = 1,
        # late acks): with four at a time, one process could still be on its last four counties
        # while the other had nothing left.
        list(pool.map(_recompute_county, county_ids, chunksize=1))


class Command(BaseCommand):
    help = "在 PostgreSQL 中生成模拟省份并测量评分引擎的耗时"

    def add_arguments(self, parser):
        parser.add_argument("--villages", type=int, default=46000)
        parser.add_argument("--rebuild", action="store_true", help="drop and rebuild the synthetic province")
        parser.add_argument("--repeat", type=int, default=3, help="runs of the county and village timings")
        parser.add_argument("--allow-sqlite", action="store_true")
        parser.add_argument("--no-naive", dest="naive", action="store_false",
                            help="leave out the naive per-village loop (about 40 seconds)")
        parser.add_argument("--workers", type=int, default=2,
                            help="processes for the province fanned out by county (what a Celery group does)")

    def handle(self, *args, villages: int, rebuild: bool, repeat: int, allow_sqlite: bool, workers: int,
               naive: bool, **options):
        if connection.vendor != "postgresql" and not allow_sqlite:
            raise CommandError("基准测试需要 PostgreSQL：请设置 DATABASE_URL（或加 --allow-sqlite 小规模试跑）")
        province = Region.objects.filter(code=PROVINCE).first()
        have = Region.objects.filter(code__startswith="99", level=Level.VILLAGE).count() if province else 0
        if rebuild or have != villages:
            self._drop()
            self._build(villages)
        # The kept year-to-date values of villages whose entries were bulk loaded (marked by the
        # ledger's triggers) are built here, once, outside the timings: a real county builds
        # them as its entries arrive, a few villages at a time.
        started = time.perf_counter()
        with transaction.atomic():
            refreshed = year_to_date_refresh(prefix=PROVINCE[:2])
        if refreshed:
            self.stdout.write(f"已为 {refreshed} 个村建立台账年度累计值，用时 {time.perf_counter() - started:.0f} 秒")
        # The month's results written once, untimed, before the statistics are taken: what the
        # live recomputes during the month leave on a real server. Analyzed while the month had no
        # rows (a new benchmark database; this machine's PostgreSQL runs without autovacuum), the
        # planner took the month for one row, and each county's re-rank read every village's
        # month through the month's index: 2.4 s a county instead of 2 ms.
        if VillageScore.objects.filter(village__code__startswith=PROVINCE[:2], year=YEAR, month=12,
                                       view=View.LIVE).count() < villages:
            started = time.perf_counter()
            recompute(year=YEAR, month=12, view=View.LIVE, region=Region.objects.get(code=PROVINCE))
            self.stdout.write(f"已写入本月结果（首次，不计时），用时 {time.perf_counter() - started:.0f} 秒")
        self._vacuum()
        cpu_before = self._cpu_reference()
        province = Region.objects.get(code=PROVINCE)
        county = Region.objects.filter(level=Level.COUNTY, code__startswith="99").order_by("code").first()
        county_villages = list(Region.objects.villages().filter(code__startswith=county.prefix).order_by("code"))
        county_ids = list(Region.objects.filter(level=Level.COUNTY, code__startswith="99").values_list("pk", flat=True))
        one = county_villages[0]
        rows = []

        def timed(label: str, target: str, run, forget: str | None = None) -> float:
            if forget is not None:
                self._forget(forget)
            started = time.perf_counter()
            run()
            seconds = time.perf_counter() - started
            rows.append((label, seconds, target))
            return seconds

        whole = lambda: recompute(year=YEAR, month=12, view=View.LIVE, region=province)  # noqa: E731
        fanned = lambda: fan_out(county_ids, workers)  # noqa: E731
        timed(f"全省整月重算，1 个进程，全部结果重写（{villages} 个村）", "—", whole, forget=PROVINCE[:2])
        fanned_cold = timed(f"全省整月重算，按县分发到 {workers} 个进程，全部结果重写", "≤ 15 s", fanned,
                            forget=PROVINCE[:2])
        timed("同上，输入未变（引擎不再计算，无需重写）", "≤ 15 s", fanned)
        edited = self._edit(share=0.02)
        timed(f"同上，{edited} 个村（2%）的台账刚改过（累计值增量刷新并重写这些村）", "≤ 15 s", fanned)

        # The floor statement is PostgreSQL's (jsonb); a small --allow-sqlite trial leaves it out.
        floor_seconds, floor_rows = (sql_floor(prefix=PROVINCE[:2], year=YEAR, month=12)
                                     if connection.vendor == "postgresql" else (None, 0))
        rows.append((f"SQL 底线：同一数据整月取值、规则、星级得分求和并写表，仅 SQL（{floor_rows} 行）", floor_seconds, "—"))

        county_run = lambda: recompute(year=YEAR, month=12, view=View.LIVE, region=county)  # noqa: E731
        county_cold = statistics.median(self._times(repeat, county_run, forget=county.prefix))
        rows.append((f"一个县（{len(county_villages)} 个村），全部结果重写", county_cold, "≤ 300 ms"))
        rows.append(("一个县，输入未变", statistics.median(self._times(repeat, county_run)), "≤ 300 ms"))

        def approval():
            # What an approval leads to: one entry of the village changed, then its recompute.
            first = LedgerEntry.objects.filter(village=one, year=YEAR, month=12).order_by("pk").values("pk")[:1]
            LedgerEntry.objects.filter(pk__in=first).update(value=F("value") + 1)
            recompute(year=YEAR, month=12, view=View.LIVE, village_ids=[one.pk])

        rows.append(("一个村审核通过后重算（含累计值刷新与全县重排名）", statistics.median(self._times(repeat, approval)),
                     "≤ 50 ms"))
        naive_seconds = None
        if naive:
            naive_seconds = self._times(1, lambda: self._naive(county_villages))[0]
            rows.append((f"同一个县，逐村 ORM 循环（{len(county_villages)} 个村）", naive_seconds, "—"))

        self.stdout.write("")
        self.stdout.write(f"本机速度参考（同一台机器在不同时刻快慢不一）：Python sum(range(100)) 最快一次，"
                          f"开始时 {cpu_before:.2f} µs，结束时 {self._cpu_reference():.2f} µs")
        max_age = connection.settings_dict.get("CONN_MAX_AGE") or 0
        self.stdout.write(f"数据库连接保持（DB_CONN_MAX_AGE）：{max_age} 秒"
                          + ("（每个县的任务新开连接）" if not max_age else "（同一进程的各县任务共用连接，同 compose 配置）"))
        self.stdout.write("")
        self.stdout.write("| 场景 | 耗时 | 目标 |")
        self.stdout.write("| --- | --- | --- |")
        for label, seconds, target in rows:
            self.stdout.write(f"| {label} | {self._fmt(seconds)} | {target} |")
        if naive_seconds:
            self.stdout.write(f"| 逐村循环 / 批量重算（全部重写） | {naive_seconds / county_cold:.0f} 倍 | ≥ 50 倍 |")
        if floor_seconds:
            self.stdout.write(f"| 全省（{workers} 个进程，全部重写）/ SQL 底线 | {fanned_cold / floor_seconds:.1f} 倍 | — |")
        self.stdout.write("")

    @staticmethod
    def _cpu_reference() -> float:
        """Microseconds of a fixed bit of Python, the best of five: a shared machine's speed
        varies from hour to hour, and this says how fast it was during the run."""
        import timeit

        return min(timeit.repeat("sum(range(100))", number=200_000, repeat=5)) / 200_000 * 1e6

    @staticmethod
    def _vacuum() -> None:
        """What autovacuum does between two runs on a real server (some machines here run
        PostgreSQL with it off): the dead row versions earlier runs left in the tables a
        recompute rewrites are cleared and their statistics taken again, outside the timings."""
        if connection.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE) ratings_villagescore, ratings_starscore, ratings_ledgeryeartodate, "
                           "ratings_ledgeryeartodatemark")

    @staticmethod
    def _forget(prefix: str) -> None:
        """Make the stored results of a scope's month look stale, so a recompute computes and
        rewrites every row (what the first recompute of a month, or a month close, does), and
        forget the standards' specs this process keeps, with the indicator and star results they
        keep: a month's first recompute meets new values (fanned-out processes start from here)."""
        VillageScore.objects.filter(village__code__startswith=prefix, year=YEAR, month=12, view=View.LIVE).update(
            digest="")
        loaded_standards_clear()

    @staticmethod
    def _edit(*, share: float) -> int:
        """Change one December entry in `share` of the villages (every 50th): their kept
        year-to-date values are marked and their results change."""
        ids = list(Region.objects.filter(code__startswith="99", level=Level.VILLAGE).order_by("pk")
                   .values_list("pk", flat=True))[::round(1 / share)]
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE ratings_ledgerentry SET value = value + 1 WHERE id IN (SELECT DISTINCT ON (village_id) id "
                "FROM ratings_ledgerentry WHERE year = %s AND month = 12 AND village_id = ANY(%s) "
                "ORDER BY village_id, id)", [YEAR, ids])
        return len(ids)

    @staticmethod
    def _fmt(seconds: float | None) -> str:
        if seconds is None:
            return "—（仅 PostgreSQL）"
        return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"

    def _times(self, repeat: int, run, forget: str | None = None) -> list[float]:
        times = []
        for _ in range(repeat):
            if forget is not None:
                self._forget(forget)
            started = time.perf_counter()
            run()
            times.append(time.perf_counter() - started)
        return times

    # --- the naive baseline: what a per-village ORM loop does -----------------------------

    def _naive(self, villages: list[Region]) -> None:
        """For each village: its standard, each indicator's entries, each provider, then one
        write per star and per village (update_or_create)."""
        from ...engine import VillageInput
        from ...metrics import all_providers

        providers = all_providers()
        now = timezone.now()
        for village in villages:
            loaded = load_standards(YEAR)[village.kind or "rural"]
            values = {}
            for code, indicator in loaded.indicators.items():
                if indicator.source == Source.LEDGER:
                    values[code] = list(LedgerEntry.objects.filter(
                        village=village, indicator=indicator, year=YEAR, month__lte=12,
                        status__in=VIEW_STATUSES[View.LIVE]).values_list("month", "value"))
                elif indicator.provider in providers:
                    values[code] = providers[indicator.provider](village_ids=[village.pk], year=YEAR, month=12).get(
                        village.pk, [])
            weak = hasattr(village, "branch") and village.branch.is_weak_lax
            result = evaluate_village(loaded.spec, VillageInput(village.pk, village.code, values, weak), 12)
            details = indicator_detail(result, loaded)
            with transaction.atomic():
                for star in result.stars:
                    StarScore.objects.update_or_create(
                        village=village, year=YEAR, month=12, view=View.LIVE, star=star.code,
                        defaults={"score": star.score, "earned": star.earned, "reasons": list(star.reasons),
                                  "unmet": list(star.unmet), "indicators": details[star.code], "computed_at": now})
                VillageScore.objects.update_or_create(
                    village=village, year=YEAR, month=12, view=View.LIVE,
                    defaults={"standard": loaded.standard, "star_level": result.star_level, "total": result.total,
                              "stars_earned": [s.code for s in result.stars if s.earned], "computed_at": now})

    # --- building the synthetic province ---------------------------------------------------

    def _drop(self) -> None:
        self.stdout.write("清理旧的模拟数据…")
        with connection.cursor() as cursor:
            for table, column in (("ratings_starscore", "village_id"), ("ratings_villagescore", "village_id"),
                                  ("ratings_ledgerentry", "village_id"), ("projects_collectiveincome", "village_id")):
                cursor.execute(f"DELETE FROM {table} WHERE {column} IN (SELECT id FROM villages_region WHERE code LIKE '99%%')")
            for level in ("village", "township", "county", "city", "province"):
                cursor.execute("DELETE FROM villages_region WHERE code LIKE '99%%' AND level = %s", [level])

    def _build(self, villages: int) -> None:
        rng = random.Random(46000)
        started = time.perf_counter()
        standard_load_defaults(year=YEAR)
        counties = max(1, round(villages / PER_COUNTY))
        province = Region.objects.create(code=PROVINCE, name="模拟省", level=Level.PROVINCE)
        cities = Region.objects.bulk_create(
            Region(code=f"99{c:02d}00000000", name=f"模拟市{c}", level=Level.CITY, parent=province)
            for c in range(1, (counties - 1) // 99 + 2))
        county_rows = Region.objects.bulk_create(
            Region(code=f"{cities[n // 99].code[:4]}{n % 99 + 1:02d}000000", name=f"模拟县{n + 1}", level=Level.COUNTY,
                   parent=cities[n // 99]) for n in range(counties))
        townships = Region.objects.bulk_create(
            Region(code=f"{c.code[:6]}{t:03d}000", name=f"{c.name}乡{t}", level=Level.TOWNSHIP, parent=c)
            for c in county_rows for t in range(1, TOWNSHIPS_PER_COUNTY + 1))
        village_rows, remaining = [], villages
        for n, township in enumerate(townships):
            share = min(remaining, -(-remaining // (len(townships) - n)))
            remaining -= share
            village_rows += [Region(code=f"{township.code[:9]}{200 + v:03d}", name=f"模拟村{n}-{v}", level=Level.VILLAGE,
                                    kind=Kind.RURAL, parent=township) for v in range(share)]
        Region.objects.bulk_create(village_rows, batch_size=5000)
        ids = list(Region.objects.filter(code__startswith="99", level=Level.VILLAGE).values_list("id", flat=True))
        CollectiveIncome.objects.bulk_create(
            (CollectiveIncome(village_id=i, year=YEAR, total=Decimal(rng.randint(0, 1_500_000)),
                              operating=Decimal(0)) for i in ids), batch_size=5000)
        user, _ = User.objects.get_or_create(username="bench", defaults={"full_name": "基准测试"})
        indicators = list(Indicator.objects.filter(star__standard__year=YEAR, star__standard__kind="rural",
                                                   source=Source.LEDGER).values_list("id", "frequency", "rule", "params"))
        self.stdout.write(f"生成 {len(ids)} 个村的 12 个月台账…")
        now = timezone.now().isoformat()
        with connection.cursor() as cursor:
            buffer, written = io.StringIO(), 0
            for village_id in ids:
                quality = rng.random()
                for indicator_id, frequency, rule, params in indicators:
                    months = range(1, 13) if frequency == "monthly" else ((3, 6, 9, 12) if frequency == "quarterly" else (3,))
                    for month in months:
                        if rule == "veto":
                            value = 0
                        elif rule == "pass_fail":
                            value = 1 if rng.random() < 0.5 + quality / 2 else 0
                        else:
                            target = float((params or {}).get("threshold", (params or {}).get("target", 10)))
                            value = round(target * (0.6 + quality * 0.6), 2)
                        buffer.write(f"{village_id}\t{indicator_id}\t{YEAR}\t{month}\t{value}\t\t\t"
                                     f"{LedgerStatus.APPROVED}\t1\t\t{user.pk}\t{now}\t{now}\t{now}\t\t\n")
                        written += 1
                if buffer.tell() > 50_000_000:
                    self._copy(cursor, buffer)
                    buffer = io.StringIO()
            self._copy(cursor, buffer)
            cursor.execute("ANALYZE ratings_ledgerentry")
            cursor.execute("ANALYZE villages_region")
        self.stdout.write(f"已生成 {written} 条台账，用时 {time.perf_counter() - started:.0f} 秒")

    @staticmethod
    def _copy(cursor, buffer: io.StringIO) -> None:
        buffer.seek(0)
        columns = ("village_id", "indicator_id", "year", "month", "value", "text_value", "note", "status", "version",
                   "plausibility_flag", "entered_by_id", "submitted_at", "created_at", "updated_at",
                   "return_reason", "correction_reason")
        cursor.cursor.copy_expert(
            f"COPY ratings_ledgerentry ({', '.join(columns)}) FROM STDIN WITH (FORMAT text, NULL '\\N')", buffer)
