"""Role fixtures (named by role) and test-wide defaults.

The world: one county with two townships; `village` and `other_village` belong to the first
township, `foreign_village` to the second.
"""

from __future__ import annotations

import pytest

from cadres.models import Role
from tests.factories import CountyFactory, PostFactory, TownshipFactory, UserFactory, VillageFactory

PASSWORD = "Test-pass-2026"


@pytest.fixture(autouse=True)
def _eager_celery(request):
    """Tasks run in-process unless a test is marked `worker` (then a real worker runs them)."""
    from config.celery import app

    if request.node.get_closest_marker("worker"):
        yield
        return
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: cached pages never leak from one test to the next."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def county(db):
    return CountyFactory()


@pytest.fixture
def township(county):
    return TownshipFactory(parent=county, code="419901001000", name="城关镇")


@pytest.fixture
def other_township(county):
    return TownshipFactory(parent=county, code="419901002000", name="河西乡")


@pytest.fixture
def village(township):
    return VillageFactory(parent=township, code="419901001001", name="东风村")


@pytest.fixture
def other_village(township):
    return VillageFactory(parent=township, code="419901001002", name="红旗村")


@pytest.fixture
def foreign_village(other_township):
    return VillageFactory(parent=other_township, code="419901002001", name="柳林村")


def _user_with_post(username: str, role: str, region, star: str = ""):
    user = UserFactory(username=username, full_name=username)
    PostFactory(user=user, role=role, region=region, star=star)
    return user


@pytest.fixture
def county_admin(county):
    return _user_with_post("county_admin", Role.ORGANISATION, county)


@pytest.fixture
def industry_reviewer(county):
    return _user_with_post("industry_reviewer", Role.LEAD_DEPARTMENT, county, star="industry")


@pytest.fixture
def branch_reviewer(county):
    return _user_with_post("branch_reviewer", Role.LEAD_DEPARTMENT, county, star="branch")


@pytest.fixture
def township_clerk(township):
    return _user_with_post("township_clerk", Role.TOWNSHIP_STAFF, township)


@pytest.fixture
def other_township_clerk(other_township):
    return _user_with_post("other_township_clerk", Role.TOWNSHIP_STAFF, other_township)


@pytest.fixture
def village_secretary(village):
    return _user_with_post("village_secretary", Role.VILLAGE_SECRETARY, village)


@pytest.fixture
def first_secretary(village):
    return _user_with_post("first_secretary", Role.FIRST_SECRETARY, village)


@pytest.fixture
def client_for(client):
    """Log a user in on the test client: `client_for(township_clerk).get(...)`."""

    def login(user):
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return login


@pytest.fixture
def api_for():
    from rest_framework.test import APIClient

    def login(user):
        api = APIClient()
        api.force_authenticate(user)
        return api

    return login


# --- a real Celery worker (tests marked `worker`; they need CELERY_BROKER_URL) -------------


@pytest.fixture
def celery_worker_factory(transactional_db):
    """Start real `celery worker` processes on the test database and a private queue.

    The worker is a separate process, so the test must commit its data (transactional_db).
    A private queue keeps stale messages of other runs away. `start(extra_env)` returns the
    process; every worker still running at the end is stopped.
    """
    import os
    import subprocess
    import sys
    import time
    import uuid
    from pathlib import Path
    from urllib.parse import urlsplit, urlunsplit

    from django.db import connection

    from config.celery import app

    broker = os.environ.get("CELERY_BROKER_URL")
    if not broker:
        raise RuntimeError("worker tests need CELERY_BROKER_URL (run them through .ci/run)")
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        raise RuntimeError("worker tests need DATABASE_URL on PostgreSQL")
    parts = urlsplit(os.environ["DATABASE_URL"])
    test_db_url = urlunsplit(parts._replace(path="/" + db["NAME"]))
    queue = f"test-{uuid.uuid4().hex[:10]}"
    root = Path(__file__).resolve().parent
    previous = (app.conf.task_always_eager, app.conf.task_default_queue)
    app.conf.task_always_eager = False
    app.conf.task_default_queue = queue
    started: list = []

    def start(extra_env: dict | None = None, *, pool: str = "solo", concurrency: int = 1):
        """`pool="prefork"` runs the tasks in child processes, as production does (a test can
        kill one child and watch the parent hand its task back)."""
        name = f"{queue}-{len(started)}"
        env = dict(os.environ, DATABASE_URL=test_db_url, CELERY_TASK_DEFAULT_QUEUE=queue,
                   CELERY_TASK_ALWAYS_EAGER="false", **(extra_env or {}))
        log = open(root / f".celery-{name}.log", "w")  # noqa: SIM115 - closed at the end
        proc = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "-P", pool, "-c", str(concurrency), "-Q", queue,
             "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "info", "-n", f"{name}@%h"],
            cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
        started.append((proc, log))
        deadline = time.monotonic() + 60
        while not app.control.ping(destination=[f"{name}@{os.uname().nodename}"], timeout=1.0):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the Celery worker did not start; see " + log.name)
        return proc

    try:
        yield start
    finally:
        app.conf.task_always_eager, app.conf.task_default_queue = previous
        for proc, log in started:
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    proc.kill()
            log.close()
#            Path(log.name).unlink(missing_ok=True)


@pytest.fixture
def celery_worker_process(celery_worker_factory):
    return celery_worker_factory()


# --- the live server the browser tests talk to ------------------------------------------------


def _live_server_without_nagle():
    """Django's test server writes a response's headers and its body in two sends; with Nagle's
    algorithm on, the body waits for the browser's delayed ACK of the headers (about 40 ms on
    loopback), so every htmx round trip of a browser test took 40 ms longer than the view did.
    TCP_NODELAY on each accepted socket sends the body at once; the responses are unchanged."""
    import socket

    from django.core.servers.basehttp import ThreadedWSGIServer
    from django.test.testcases import LiveServerThread

    class NoDelayWSGIServer(ThreadedWSGIServer):
        def get_request(self):
            request, address = super().get_request()
            request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            return request, address

    LiveServerThread.server_class = NoDelayWSGIServer


_live_server_without_nagle()


# --- Playwright driving Debian's Chromium (tests marked `browser`) --------------------------

CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def chromium():
    import os

    # Playwright's sync API runs an event loop in this thread; the ORM calls the test makes
    # between browser steps are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def browser_page(chromium, live_server):
    """A fresh page; `browser_page.login(user)` signs a user in through the session cookie and
    `browser_page.open_as(user, path, width)` opens a page as that user alone."""
    from django.test import Client

    context = chromium.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": 1366, "height": 900})
    context.set_default_timeout(15000)
    page = context.new_page()
    page.base_url = live_server.url

    def login(user, *, width: int | None = None, height: int = 844):
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
        if width:
            page.set_viewport_size({"width": width, "height": height})
        return page

    def open_as(user, path: str, width: int = 1366):
        """A role on its own screen: cookies cleared, `user` signed in at `width`, `path` opened."""
        context.clear_cookies()
        login(user, width=width)
        page.goto(f"{live_server.url}{path}")
        return page

    page.login = login
    page.open_as = open_as
    yield page
    context.close()


@pytest.fixture
def screenshot_dir():
    from pathlib import Path

    path = Path(__file__).resolve().parent / "test-artifacts"
    path.mkdir(exist_ok=True)
    return path


# --- the rating standard and ledgers ---------------------------------------------------------


@pytest.fixture
def this_month():
    from django.utils import timezone

    today = timezone.localdate()
    return today.year, today.month


@pytest.fixture
def standard(db, this_month):
    """The default rural and urban standards of this year, published."""
    from ratings.services.standard import standard_load_defaults

    standard_load_defaults(year=this_month[0])
    from ratings.models import Standard

    return Standard.objects.get(year=this_month[0], kind="rural")


@pytest.fixture
def indicator_of(standard):
    """`indicator_of("industry.jobs")` → that indicator of this year's rural standard."""
    from ratings.models import Indicator

    def get(code: str, kind: str = "rural"):
        return Indicator.objects.select_related("star__standard").get(
            code=code, star__standard__year=standard.year, star__standard__kind=kind)

    return get


# The tests that take minutes, started first in their group so that they do not run alone at the
# end of an xdist run while the other process idles. pytest-django has already put the tests in
# Django's order (database tests, then transactional ones, then the rest); that order is kept and
# only the tests within a group move.
LONG_RUNNING = (
    "tests/villages/test_seed_demo.py",
    "tests/walk/test_portal_walk.py",
    "tests/ratings/test_ledger_browser.py",
    "tests/golive/test_going_live_browser.py",
)


def _django_order(item) -> int:
    """pytest-django's group of a test: 0 database, 1 transactional, 2 no database."""
    marker = item.get_closest_marker("django_db")
    fixtures = getattr(item, "fixturenames", [])
    transactional = bool(marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences"))) or (
        "transactional_db" in fixtures or "live_server" in fixtures)
    return 1 if transactional else 0 if (marker is not None or "db" in fixtures) else 2


def pytest_collection_modifyitems(config, items):
    groups = [_django_order(item) for item in items]
    if groups != sorted(groups):
        return  # not the order expected from pytest-django: leave it alone

    def rank(item) -> int:
        path = item.nodeid.split("::")[0]
        return LONG_RUNNING.index(path) if path in LONG_RUNNING else len(LONG_RUNNING)

    order = {id(item): (group, rank(item)) for item, group in zip(items, groups, strict=True)}
    items.sort(key=lambda item: order[id(item)])


def pytest_runtest_setup(item):
    """A test marked `postgres` run on another database fails, loudly: `make test` deselects them
    on SQLite and CI's second pass runs them on PostgreSQL."""
    if item.get_closest_marker("postgres"):
        from django.db import connection

        if connection.vendor != "postgresql":
            pytest.fail("needs PostgreSQL: run it with DATABASE_URL=postgres://…", pytrace=False)
