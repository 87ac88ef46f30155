"""Locust scenario of `manage.py bench_load`: the portal's users at the start of a working day.

Not imported by Django: Locust loads it in its own process. The accounts come from the JSON
file named by BENCH_LOAD_ACCOUNTS ({"kind": [[username, password], ...]}), written by the
command, which also removes them afterwards. Every simulated user signs in once (the login
burst of the ramp-up), then opens the pages of its role with 1–3 s of think time.

Proportions, as a county's users are: village secretaries and first secretaries most, then township staff,
lead departments and the county organisation department.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import threading

from locust import HttpUser, between, task

_ACCOUNTS: dict[str, list[list[str]]] = {}
_COUNTERS: dict[str, itertools.count] = {}
_LOCK = threading.Lock()
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _account(kind: str) -> tuple[str, str]:
    with _LOCK:
        if not _ACCOUNTS:
            with open(os.environ["BENCH_LOAD_ACCOUNTS"], encoding="utf-8") as fh:
                _ACCOUNTS.update(json.load(fh))
        counter = _COUNTERS.setdefault(kind, itertools.count())
        pool = _ACCOUNTS[kind]
        username, password = pool[next(counter) % len(pool)]
    return username, password


class PortalUser(HttpUser):
    abstract = True
    kind = ""
    wait_time = between(1, 3)

    def on_start(self) -> None:
        username, password = _account(self.kind)
        page = self.client.get("/accounts/login/", name="login page")
        match = CSRF_RE.search(page.text)
        with self.client.post(
            "/accounts/login/",
            data={"username": username, "password": password,
                  "csrfmiddlewaretoken": match.group(1) if match else ""},
            headers={"Referer": f"{self.host}/accounts/login/"},
            name="login", allow_redirects=False, catch_response=True,
        ) as response:
            # A successful login redirects; a failed one shows the form again with 200.
            if response.status_code != 302:
                response.failure(f"login as {username} gave {response.status_code}")
        self.home = self._landing()

    def _landing(self) -> str:
        return ""

    def _resolve(self, path: str, name: str) -> str:
        """Follow a "my page" redirect once (my village, my township) and keep the target."""
        response = self.client.get(path, name=name)
        return response.url.removeprefix(self.host) if response.ok else path


class VillageSecretary(PortalUser):
    weight = 35
    kind = "secretary"

    def _landing(self) -> str:
        return self._resolve("/reports/village/", "my village (redirect)")

    @task(3)
    def village_page(self):
        self.client.get(self.home, name="village page")

    @task(2)
    def task_list(self):
        self.client.get("/campaign/tasks/", name="task list")


class FirstSecretaryUser(PortalUser):
    weight = 35
    kind = "first"

    def _landing(self) -> str:
        return self._resolve("/reports/village/", "my village (redirect)")

    @task(2)
    def village_page(self):
        self.client.get(self.home, name="village page")

    @task(2)
    def sign_in(self):
        self.client.get("/people/sign-in/", name="sign-in")

    @task(1)
    def task_list(self):
        self.client.get("/campaign/tasks/", name="task list")


class TownshipClerk(PortalUser):
    weight = 18
    kind = "clerk"

    def _landing(self) -> str:
        return self._resolve("/reports/township/", "my township (redirect)")

    @task(3)
    def township_dashboard(self):
        self.client.get(self.home, name="township dashboard")

    @task(2)
    def ledger_grid(self):
        self.client.get("/ratings/ledger/", name="ledger grid")

    @task(1)
    def rankings(self):
        self.client.get("/ratings/rankings/", name="rankings")

    @task(1)
    def task_list(self):
        self.client.get("/campaign/tasks/", name="task list")

    @task(1)
    def bulletins(self):
        self.client.get("/reports/bulletins/", name="bulletins")


class LeadDepartment(PortalUser):
    weight = 8
    kind = "lead"

    @task(3)
    def review_queue(self):
        self.client.get("/ratings/review/", name="review queue")

    @task(1)
    def rankings(self):
        self.client.get("/ratings/rankings/", name="rankings")

    @task(1)
    def county_dashboard(self):
        self.client.get("/reports/county/", name="county dashboard")


class CountyOrganisation(PortalUser):
    weight = 4
    kind = "county"

    @task(3)
    def county_dashboard(self):
        self.client.get("/reports/county/", name="county dashboard")

    @task(2)
    def rankings(self):
        self.client.get("/ratings/rankings/", name="rankings")

    @task(1)
    def bulletins(self):
        self.client.get("/reports/bulletins/", name="bulletins")

    @task(1)
    def review_queue(self):
        self.client.get("/ratings/review/", name="review queue")
