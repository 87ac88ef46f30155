"""Property-based fuzz of the API (from its OpenAPI schema) and of every list
page's query parameters, as a township clerk and as the county: no input gives a 5xx.

Hypothesis draws the requests (derandomized, so a run is repeatable and its cost fixed): an
operation of the schema, its path and query parameters from their declared types plus the
values that broke things before (ids above 2^63, 1e20, negative numbers, junk text), and a
JSON body from the request schema, sometimes replaced by an array, a string or null.
The number of requests of each pass is printed (`-s`).
"""

from __future__ import annotations

import functools
import json
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from projects.models import CollectiveIncome
from tests.branches.factories import MeetingFactory
from tests.factories import FirstSecretaryFactory

pytestmark = pytest.mark.django_db

NASTY_NUMBERS = ["1e20", "-1e30", str(2**63), str(2**63 + 1), str(2**70), "-1", "0", "NaN", "Infinity", "1.5",
                 "9" * 40, "", " ", "abc", "０１", "1;DROP TABLE x"]
NASTY_INTS = [0, -1, 2**31, 2**63 - 1, 2**63, 2**63 + 1, 10**20, -(10**20)]
REQUESTS: dict[str, int] = {}


@pytest.fixture
def schema():
    return _schema()


@functools.lru_cache(maxsize=1)
def _schema() -> dict:
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator().get_schema(request=None, public=True)


def resolve(schema: dict, node):
    seen = 0
    while isinstance(node, dict) and "$ref" in node and seen < 20:
        target = schema
        for part in node["$ref"].split("/")[1:]:
            target = target[part]
        node = target
        seen += 1
    return node


def value_for(schema: dict, node, depth: int = 0):
    node = resolve(schema, node or {})
    if depth > 3:
        return st.none()
    if "allOf" in node:
        return value_for(schema, node["allOf"][0], depth + 1)
    if "oneOf" in node or "anyOf" in node:
        return st.one_of(*[value_for(schema, n, depth + 1) for n in (node.get("oneOf") or node.get("anyOf"))])
    if "enum" in node:
        return st.sampled_from([*node["enum"], "bogus", None])
    kind = node.get("type")
    junk = st.sampled_from([None, [], {}, "x", -1, 2**64])
    if kind == "integer":
        return st.one_of(st.integers(-3, 60), st.sampled_from(NASTY_INTS), junk)
    if kind == "number":
        return st.one_of(st.floats(allow_nan=False, allow_infinity=False, width=32), st.sampled_from(NASTY_INTS), junk)
    if kind == "boolean":
        return st.one_of(st.booleans(), junk)
    if kind == "array":
        return st.one_of(st.lists(value_for(schema, node.get("items"), depth + 1), max_size=3), junk)
    if kind == "object" or "properties" in node:
        props = node.get("properties", {})
        return st.one_of(
            st.fixed_dictionaries({}, optional={k: value_for(schema, v, depth + 1) for k, v in props.items()
                                                if not v.get("readOnly")}),
            junk,
        )
    fmt = node.get("format", "")
    if fmt == "date":
        return st.one_of(st.dates().map(lambda d: d.isoformat()), st.sampled_from(["2026-02-30", "x", "", "9999-99-99"]))
    if fmt == "date-time":
        return st.one_of(st.datetimes().map(lambda d: d.isoformat()), st.sampled_from(["x", ""]))
    if node.get("pattern") or fmt == "decimal":
        return st.one_of(st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=-10**6,
                                     max_value=10**16).map(str), st.sampled_from(NASTY_NUMBERS))
    return st.one_of(st.text(max_size=20), st.sampled_from(["419901001001", "419901002001", "419901001000",
                                                            *NASTY_NUMBERS]), junk)


def query_value(schema: dict, node):
    node = resolve(schema, node or {})
    base = value_for(schema, node)
    return st.one_of(base.map(lambda v: v if isinstance(v, str) else json.dumps(v)), st.sampled_from(NASTY_NUMBERS))


def operations(schema: dict):
    ops = []
    for path, item in schema["paths"].items():
        for method, op in item.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            ops.append((path, method, op))
    return ops


@st.composite
def api_request(draw, schema, ops):
    path, method, op = draw(st.sampled_from(ops))
    url = path
    query = {}
    for param in op.get("parameters", []):
        if param["in"] == "path":
            value = draw(st.one_of(st.integers(1, 40), st.sampled_from([2**63, 2**63 + 7, 10**20]),
                                   st.sampled_from(["419901001001", "419901002001", "x"])))
            url = url.replace("{" + param["name"] + "}", str(value))
        elif param["in"] == "query" and draw(st.booleans()):
            query[param["name"]] = draw(query_value(schema, param.get("schema")))
    url = re.sub(r"\{[^}]+\}", "1", url)
    body = None
    if method in ("post", "put", "patch"):
        content = (op.get("requestBody") or {}).get("content", {})
        node = (content.get("application/json") or next(iter(content.values()), {})).get("schema", {})
        body = draw(st.one_of(value_for(schema, node), st.sampled_from([[], ["x"], "x", 1, None, [{"ids": [1]}]])))
    return method, url, query, body


@pytest.fixture
def world(village, other_village, foreign_village, township_clerk, first_secretary):
    MeetingFactory(village=village)
    MeetingFactory(village=foreign_village)
    FirstSecretaryFactory(village=village, user=first_secretary)
    CollectiveIncome.objects.create(village=village, year=2025, total="1000", operating="10")
    CollectiveIncome.objects.create(village=foreign_village, year=2025, total="2000", operating="20")


def _fuzz_api(schema, user, label: str, examples: int):
    client = APIClient()
    client.force_authenticate(user)
    ops = operations(schema)
    failures: list[str] = []
    count = {"n": 0}

    @settings(max_examples=examples, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(api_request(schema, ops))
    def probe(request):
        method, url, query, body = request
        count["n"] += 1
        try:
            if method == "get":
                response = client.get(url, query)
            else:
                response = getattr(client, method)(url + ("?" + "&".join(f"{k}=x" for k in query) if query else ""),
                                                   data=json.dumps(body), content_type="application/json")
            status = response.status_code
        except Exception as exc:  # the test client re-raises a view's exception: that is a 500
            status, response = 500, f"{type(exc).__name__}: {exc}"
        if status >= 500:
            failures.append(f"{method.upper()} {url} {query} {body!r:.200} -> {status} {str(response)[:200]}")

    probe()
    REQUESTS[label] = count["n"]
    print(f"\nAPI fuzz as {label}: {count['n']} requests over {len(ops)} operations, {len(failures)} × 5xx")
    assert failures == []


def test_api_fuzz_as_a_township_clerk_gives_no_5xx(schema, world, township_clerk):
    _fuzz_api(schema, township_clerk, "township clerk", examples=100)


def test_api_fuzz_as_the_county_gives_no_5xx(schema, world, county_admin):
    _fuzz_api(schema, county_admin, "county", examples=100)


# --- the pages ---------------------------------------------------------------------------------

PAGE_PARAMS = ["year", "month", "township", "village", "status", "page", "sort", "q", "star", "view", "band",
               "first_secretary", "kind", "month_key", "quarter", "flagged", "level", "project_type", "type",
               "category", "week", "date", "from", "to", "cooperative", "indicator", "region", "code"]
SKIP_PAGES = {"logout", "healthz", "api-docs", "api-schema", "api-root", "api-token"}


def list_pages() -> list[str]:
    """Every GET page without path arguments: the list pages, dashboards and forms."""
    from django.urls import get_resolver
    from django.urls.resolvers import URLPattern, URLResolver

    names: list[str] = []

    def walk(patterns, prefix="", namespace=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                if str(p.pattern).startswith(("admin", "api")):
                    continue
                ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
                walk(p.url_patterns, prefix + str(p.pattern), ns)
            elif isinstance(p, URLPattern) and p.name and not p.pattern.converters and "<" not in str(p.pattern):
                name = namespace + p.name
                if name not in SKIP_PAGES and not name.endswith(("_export", "_template", "logout")):
                    names.append(name)

    walk(get_resolver().url_patterns)
    return sorted(set(names))


@st.composite
def page_query(draw):
    keys = draw(st.lists(st.sampled_from(PAGE_PARAMS), min_size=1, max_size=4, unique=True))
    return {k: draw(st.one_of(st.sampled_from(NASTY_NUMBERS + ["419901001001", "419901002001", "2026-13",
                                                               "published", "live", "-annual_income"]),
                              st.text(max_size=12))) for k in keys}


@pytest.mark.parametrize("role", ["township_clerk", "county_admin"])
def test_page_fuzz_of_every_list_pages_query_parameters_gives_no_5xx(role, request, world, client_for):
    from django.urls import reverse

    client = client_for(request.getfixturevalue(role))
    pages = list_pages()
    assert len(pages) > 20
    failures: list[str] = []
    count = {"n": 0}

    @settings(max_examples=120, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(st.sampled_from(pages), page_query())
    def probe(name, query):
        url = reverse(name)
        count["n"] += 1
        try:
            status = client.get(url, query).status_code
        except Exception as exc:
            status = f"500 {type(exc).__name__}: {exc}"
        if str(status).startswith("5"):
            failures.append(f"GET {url} {query} -> {status}"[:300])

    probe()
    print(f"\npage fuzz as {role}: {count['n']} requests over {len(pages)} pages, {len(failures)} × 5xx")
    assert failures == []
