"""Load-test the portal as a county's users see it: gunicorn + Locust on the loopback.

1. Checks that the configured database is PostgreSQL and holds the demo county (seed_demo),
   and runs ANALYZE so the planner has the statistics a production database has.
2. Creates throw-away accounts (`bench_load_*`) over the county's villages and townships, one
   password hash for all of them, and removes them again at the end, whatever happens.
3. Starts gunicorn (DEBUG off) on 127.0.0.1 and a free port, waits for /healthz.
4. Runs Locust headless (config/locustfile.py) for a bounded time: users of the four kinds in
   a county's proportions, 1–3 s think time, each signing in once during the ramp-up.
5. Prints p50/p95/p99 per page, requests/s and errors, and the CPU each side used: the load
   generator shares the machine's cores with the server, so its share is printed too.

`--hall N`: a training hall. N village secretaries, first secretaries and township staff sign in
from one address within 60 s, then use their pages for two minutes at a person's pace (5–15 s
reading a page on a phone, `--think`); the command also prints the refusals (429/403), sign-in
p50/p95 and the pages' p95 during the burst and after it.
gunicorn starts with config/gunicorn.py, as the compose file runs it.
"""

from __future__ import annotations

import csv
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import RequestFactory

from cadres.models import FirstSecretary, Post, Role, StarCode, User
from config import throttles
from villages.models import Level, Region

PREFIX = "bench_load_"
LOCUSTFILE = Path(__file__).resolve().parents[3] / "config" / "locustfile.py"
GUNICORN_CONF = Path(__file__).resolve().parents[3] / "config" / "gunicorn.py"
MAX_DURATION = 900
HALL_BURST = 60  # seconds in which the hall signs in
HALL_AFTER = 120  # seconds of pages after it
HALL_KINDS = ("VillageSecretary", "FirstSecretaryUser", "TownshipClerk")
HALL_THINK = "5,15"  # seconds between a person's pages in the hall (the default run: 1–3 s)
SIGN_IN = "login"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def read_stats(path: Path) -> list[dict]:
    """Locust's *_stats.csv as rows: name, requests, failures, p50, p95, p99, rps."""
    def number(row: dict, key: str) -> float:
        value = row.get(key) or "0"
        return float(value) if value not in ("N/A", "") else 0.0

    rows = []
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            def num(key: str, row=row) -> float:
                return number(row, key)
            rows.append({
                "name": row["Name"], "requests": int(num("Request Count")), "failures": int(num("Failure Count")),
                "p50": num("50%"), "p95": num("95%"), "p99": num("99%"), "rps": num("Requests/s"),
            })
    return rows


def _gunicorn_settings(env: dict) -> dict:
    """config/gunicorn.py's workers, worker class and threads under `env`, as gunicorn reads them."""
    import runpy
    from unittest import mock

    with mock.patch.dict(os.environ, env, clear=True):
        conf = runpy.run_path(str(GUNICORN_CONF))
    return {key: conf[key] for key in ("workers", "worker_class", "threads")}


def require_postgresql(vendor: str) -> None:
    """The benchmark measures the production stack; SQLite's numbers would mislead."""
    if vendor != "postgresql":
        raise CommandError("bench_load 需要 PostgreSQL：请设置 DATABASE_URL=postgres://…")


def format_table(rows: list[dict]) -> list[str]:
    header = f"{'page':<26}{'requests':>9}{'errors':>8}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}{'req/s':>8}"
    lines = [header, "-" * len(header)]
    body = sorted((r for r in rows if r["name"] != "Aggregated"), key=lambda r: r["name"])
    total = [r for r in rows if r["name"] == "Aggregated"]
    for r in body + total:
        name = "all pages" if r["name"] == "Aggregated" else r["name"]
        lines.append(f"{name:<26}{r['requests']:>9}{r['failures']:>8}{r['p50']:>8.0f}{r['p95']:>8.0f}"
                     f"{r['p99']:>8.0f}{r['rps']:>8.1f}")
    return lines


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (0 for no values), as Locust reports them."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * share // 1))
    return ordered[int(rank) - 1]


def hall_summary(lines: list[str], *, started: float, burst: int) -> dict:
    """From the request log (start time, name, ms, status): refusals, sign-in p50/p95, and the
    pages' p95 during the burst (requests started in its first `burst` seconds) and after."""
    refusals, refused_sign_ins, sign_in, during, after = 0, 0, [], [], []
    for line in lines:
        parts = line.strip().rsplit(",", 3)
        if len(parts) != 4:
            continue
        at, name, ms, status = float(parts[0]), parts[1], float(parts[2]), int(parts[3])
        refusals += status in (403, 429)
        if name == SIGN_IN:
            sign_in.append(ms)
            refused_sign_ins += status != 302
        elif at - started < burst:
            during.append(ms)
        else:
            after.append(ms)
    return {"refusals": refusals, "refused_sign_ins": refused_sign_ins, "sign_ins": len(sign_in), "sign_in_p50": percentile(sign_in, 0.5),
            "sign_in_p95": percentile(sign_in, 0.95), "during": len(during), "during_p95": percentile(during, 0.95),
            "after": len(after), "after_p95": percentile(after, 0.95)}


def format_hall(summary: dict, users: int) -> list[str]:
    return [
        f"hall: {users} users signing in from one address within {HALL_BURST} s, then {HALL_AFTER} s of pages",
        f"refusals (429/403): {summary['refusals']}",
        f"sign-ins not accepted (no redirect): {summary['refused_sign_ins']}",
        f"sign-in: {summary['sign_ins']} requests, p50 {summary['sign_in_p50']:.0f} ms, p95 {summary['sign_in_p95']:.0f} ms",
        f"pages during the burst: {summary['during']} requests, p95 {summary['during_p95']:.0f} ms",
        f"pages after the burst: {summary['after']} requests, p95 {summary['after_p95']:.0f} ms",
    ]


class Command(BaseCommand):
    help = "Load-test the demo county through gunicorn with Locust (PostgreSQL only)."

    def add_arguments(self, parser):
        parser.add_argument("--users", type=int, default=100)
        parser.add_argument("--spawn-rate", type=float, default=2.0, help="users started per second")
        parser.add_argument("--duration", type=int, default=150, help="seconds of load, ramp-up included")
        parser.add_argument("--workers", type=int, default=0,
                            help="gunicorn worker processes (default: config/gunicorn.py's, as production)")
        parser.add_argument("--threads", type=int, default=0, help="threads per gunicorn worker (default: config/gunicorn.py's)")
        parser.add_argument("--worker-class", default="", help="gunicorn worker class (default: config/gunicorn.py's)")
        parser.add_argument("--port", type=int, default=0, help="loopback port (default: a free one)")
        parser.add_argument("--think", default="", metavar="MIN,MAX",
                            help=f"seconds between a user's pages (default 1,3; with --hall {HALL_THINK})")
        parser.add_argument("--hall", type=int, default=0, metavar="N",
                            help=f"N users sign in from one address within {HALL_BURST} s, then use pages {HALL_AFTER} s")

    def handle(self, *args, **opts):
        if opts["hall"] < 0:
            raise CommandError("--hall 必须大于 0")
        if opts["hall"]:
            opts.update(users=opts["hall"], spawn_rate=opts["hall"] / HALL_BURST, duration=HALL_BURST + HALL_AFTER)
            opts["think"] = opts["think"] or HALL_THINK
        opts["think"] = opts["think"] or "1,3"
        try:
            low, high = (float(x) for x in opts["think"].split(","))
        except ValueError:
            raise CommandError("--think 应为“最短,最长”秒数，例如 5,15") from None
        if not 0 <= low <= high:
            raise CommandError("--think 应为“最短,最长”秒数，例如 5,15")
        if not 1 <= opts["duration"] <= MAX_DURATION:
            raise CommandError(f"--duration 须在 1 到 {MAX_DURATION} 秒之间")
        if opts["users"] < 1 or opts["spawn_rate"] <= 0 or opts["workers"] < 0 or opts["threads"] < 0:
            raise CommandError("--users、--spawn-rate 必须大于 0，--workers、--threads 不能为负")
        require_postgresql(connection.vendor)
        county = Region.objects.filter(level=Level.COUNTY, posts__user__username="org").first() \
            or Region.objects.filter(level=Level.COUNTY).order_by("code").first()
        if county is None or not Region.objects.filter(level=Level.VILLAGE, code__startswith=county.prefix).exists():
            raise CommandError("数据库中没有示范县：请先运行 manage.py seed_demo")
        # A freshly seeded database has no planner statistics yet (autovacuum has not run):
        # without them a dashboard's aggregate took 1.6 s instead of 56 ms. Production has them.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        if throttles.challenge_required(RequestFactory().get("/", REMOTE_ADDR="127.0.0.1")):
            # Locust signs in from the loopback: under the challenge every sign-in would fail.
            raise CommandError("127.0.0.1 近期登录失败过多，正处于验证码挑战中：请等冷却期（15 分钟）过后再运行")
        with tempfile.TemporaryDirectory(prefix="bench_load_") as tmp:
            tmpdir = Path(tmp)
            password = secrets.token_urlsafe(18)
            try:
                accounts = self._create_accounts(county, password, opts["users"], hall=bool(opts["hall"]))
                (tmpdir / "accounts.json").write_text(json.dumps(accounts), encoding="utf-8")
                self._run(tmpdir, opts)
            finally:
                self._remove_accounts()

    # --- accounts -------------------------------------------------------------------------

    @transaction.atomic
    def _create_accounts(self, county: Region, password: str, users: int, *,
                         hall: bool = False) -> dict[str, list[list[str]]]:
        self._remove_accounts()
        # One hash for every bench account: hashing is what a login costs, not what setup should.
        encoded = make_password(password)
        villages = list(Region.objects.filter(level=Level.VILLAGE, code__startswith=county.prefix, is_active=True)
                        .order_by("code")[:users])
        townships = list(Region.objects.filter(level=Level.TOWNSHIP, parent=county).order_by("code"))
        serving = list(FirstSecretary.objects.serving().filter(
            village__code__startswith=county.prefix, user__isnull=True).order_by("village__code")[:users])
        plan: list[tuple[str, str, Region, str]] = []
        plan += [("secretary", Role.VILLAGE_SECRETARY, v, "") for v in villages]
        plan += [("clerk", Role.TOWNSHIP_STAFF, t, "") for t in townships]
        plan += [("lead", Role.LEAD_DEPARTMENT, county, star) for star in StarCode.values]
        plan += [("county", Role.ORGANISATION, county, "") for _ in range(3)]
        if hall:
            # A hall signs in N different people: township staff fill up what the villages'
            # secretaries and first secretaries leave (several clerks per township, as there are).
            short = users - len(villages) - len(serving) - len(townships)
            plan += [("clerk", Role.TOWNSHIP_STAFF, townships[i % len(townships)], "") for i in range(max(0, short))]
        accounts: dict[str, list[list[str]]] = {"secretary": [], "first": [], "clerk": [], "lead": [], "county": []}
        created = User.objects.bulk_create([
            User(username=f"{PREFIX}{kind}_{i}", full_name="压测账号", password=encoded)
            for i, (kind, *_rest) in enumerate(plan)
        ] + [User(username=f"{PREFIX}first_{i}", full_name="压测账号", password=encoded) for i in range(len(serving))])
        by_name = {u.username: u for u in User.objects.filter(username__in=[u.username for u in created])}
        posts = []
        for i, (kind, role, region, star) in enumerate(plan):
            user = by_name[f"{PREFIX}{kind}_{i}"]
            posts.append(Post(user=user, role=role, region=region, star=star))
            accounts[kind].append([user.username, password])
        for i, fs in enumerate(serving):
            user = by_name[f"{PREFIX}first_{i}"]
            posts.append(Post(user=user, role=Role.FIRST_SECRETARY, region=fs.village))
            fs.user = user
            accounts["first"].append([user.username, password])
        Post.objects.bulk_create(posts)
        FirstSecretary.objects.bulk_update(serving, ["user"])
        missing = [kind for kind, pool in accounts.items() if not pool]
        if missing:
            raise CommandError(f"示范县缺少以下类型的账号所需数据：{', '.join(missing)}")
        return accounts

    def _remove_accounts(self) -> None:
        bench = User.objects.filter(username__startswith=PREFIX)
        FirstSecretary.objects.filter(user__in=bench).update(user=None)
        bench.delete()

    # --- the run ----------------------------------------------------------------------------

    def _run(self, tmpdir: Path, opts) -> None:
        import psutil  # a dependency of Locust (dev)

        port = opts["port"] or free_port()
        host = f"http://127.0.0.1:{port}"
        env = {**os.environ, "DEBUG": "false", "DB_CONN_MAX_AGE": os.environ.get("DB_CONN_MAX_AGE", "60"),
               "LOG_LEVEL": "WARNING", "LOG_REQUESTS": "false"}
        if opts["workers"]:
            env["WEB_CONCURRENCY"] = str(opts["workers"])
        if opts["threads"]:
            env["GUNICORN_THREADS"] = str(opts["threads"])
        if opts["worker_class"]:
            env["GUNICORN_WORKER_CLASS"] = opts["worker_class"]
        gunicorn_conf = _gunicorn_settings(env)
        server_log = (tmpdir / "gunicorn.log").open("w")
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "config.wsgi:application", "-c", str(GUNICORN_CONF),
             "--bind", f"127.0.0.1:{port}"],
            cwd=settings.BASE_DIR, env=env, stdout=server_log, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            self._wait_ready(host, server, tmpdir)
            self._warm_up(host, gunicorn_conf["workers"])
            server_ps = psutil.Process(server.pid)
            workers = server_ps.children()
            cpu_before = sum(sum(p.cpu_times()[:2]) for p in [server_ps, *workers])
            load_before = os.getloadavg()
            self.stdout.write(f"gunicorn on {host}: {gunicorn_conf['workers']} {gunicorn_conf['worker_class']} workers"
                              f" × {gunicorn_conf['threads']} threads, DEBUG off; "
                              f"{opts['users']} users at {opts['spawn_rate']}/s for {opts['duration']} s, "
                              f"{opts['think'].replace(',', '–')} s between pages; "
                              f"cache {settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]}; "
                              f"load average before {load_before[0]:.2f}")
            started = time.monotonic()
            request_log = tmpdir / "requests.csv"
            started_at = time.time()
            locust = psutil.Popen(
                [sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless", "--only-summary",
                 "-u", str(opts["users"]), "-r", str(opts["spawn_rate"]), "-t", f"{opts['duration']}s",
                 "--host", host, "--csv", str(tmpdir / "run"), "--stop-timeout", "5", "--loglevel", "WARNING",
                 *(HALL_KINDS if opts["hall"] else ())],
                env={**os.environ, "BENCH_LOAD_ACCOUNTS": str(tmpdir / "accounts.json"),
                     "BENCH_LOAD_LOG": str(request_log), "BENCH_LOAD_THINK": opts["think"]},
                stdout=subprocess.DEVNULL, stderr=(tmpdir / "locust.log").open("w"))
            locust_cpu = 0.0
            while locust.poll() is None:
                try:
                    locust_cpu = sum(locust.cpu_times()[:2])
                except psutil.NoSuchProcess:
                    break
                if time.monotonic() - started > opts["duration"] + 120:
                    locust.kill()
                    raise CommandError("Locust 未能按时结束")
                time.sleep(0.5)
            wall = time.monotonic() - started
            cpu_after = sum(sum(p.cpu_times()[:2]) for p in [server_ps, *workers] if p.is_running())
            load_after = os.getloadavg()
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
            server_log.close()
        stats = tmpdir / "run_stats.csv"
        if not stats.exists():
            raise CommandError("Locust 没有输出统计：\n" + (tmpdir / "locust.log").read_text()[-2000:])
        for line in format_table(read_stats(stats)):
            self.stdout.write(line)
        failures = tmpdir / "run_failures.csv"
        if failures.exists():
            with failures.open(encoding="utf-8") as fh:
                for row in csv.DictReader(fh):
                    self.stdout.write(f"error: {row['Name']}: {row['Error']} × {row['Occurrences']}")
        if opts["hall"] and request_log.exists():
            summary = hall_summary(request_log.read_text(encoding="utf-8").splitlines(),
                                   started=started_at, burst=HALL_BURST)
            for line in format_hall(summary, opts["users"]):
                self.stdout.write(line)
        cores = os.cpu_count() or 1
        self.stdout.write(
            f"CPU over {wall:.0f} s on {cores} cores: server {cpu_after - cpu_before:.0f} s "
            f"({100 * (cpu_after - cpu_before) / wall / cores:.0f}% of the machine), "
            f"Locust {locust_cpu:.0f} s ({100 * locust_cpu / wall / cores:.0f}%); "
            f"load average {load_before[0]:.2f} before, {load_after[0]:.2f} after")

    def _warm_up(self, host: str, workers: int) -> None:
        """A few concurrent requests, so every worker has loaded its templates before timing
        starts (a server in production is warm; its first request after a restart is not)."""
        from concurrent.futures import ThreadPoolExecutor

        def hit(_):
            with urllib.request.urlopen(f"{host}/accounts/login/", timeout=30) as response:
                response.read()

        with ThreadPoolExecutor(max_workers=workers * 2) as pool:
            list(pool.map(hit, range(workers * 4)))

    def _wait_ready(self, host: str, server: subprocess.Popen, tmpdir: Path) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if server.poll() is not None:
                raise CommandError("gunicorn 未能启动：\n" + (tmpdir / "gunicorn.log").read_text()[-2000:])
            try:
                with urllib.request.urlopen(f"{host}/healthz", timeout=2):
                    return
            except OSError:
                time.sleep(0.5)
        raise CommandError("gunicorn 60 秒内未就绪")
