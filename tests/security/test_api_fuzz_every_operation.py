"""Every operation of the API's OpenAPI schema, each with a malformed id in its path and a few
requests drawn from its schema (tests/security/test_fuzz.py's strategies), as the county: no
input gives a 5xx, so an endpoint added later is fuzzed the day it appears in the schema.

Budget: two malformed-id requests per operation with an id (about 90) and `PER_OPERATION`
drawn ones per operation (about 160): some 500 requests, the random draws of test_fuzz.py
halved to pay for them."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from rest_framework.test import APIClient

from tests.security.test_fuzz import _schema, api_request, operations, world  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db

PER_OPERATION = 2
MALFORMED_IDS = ["abc", str(2**64)]


def _send(client, method: str, url: str, query: dict, body) -> str | None:
    """The failure of one request, or None."""
    try:
        if method == "get":
            response = client.get(url, query)
        else:
            response = getattr(client, method)(url, data=json.dumps(body), content_type="application/json",
                                               QUERY_STRING="&".join(f"{k}=x" for k in query))
        status = response.status_code
    except Exception as exc:  # the test client re-raises a view's exception: that is a 500
        status, response = 500, f"{type(exc).__name__}: {exc}"
    if status >= 500:
        return f"{method.upper()} {url} {query} {body!r:.120} -> {status} {str(response)[:200]}"
    return None


def test_assignment_end_with_a_malformed_id_is_a_404(client_for, county_admin):
    response = client_for(county_admin).post("/api/assignments/abc/end/", {"end_date": "2026-01-31"},
                                             content_type="application/json")
    assert response.status_code == 404


@pytest.mark.usefixtures("world")
def test_every_operation_with_malformed_ids_and_drawn_requests_gives_no_5xx(county_admin):
    schema = _schema()
    client = APIClient()
    client.force_authenticate(county_admin)
    ops = operations(schema)
    assert len(ops) > 100
    failures: list[str] = []
    sent = 0
    for path, method, op in ops:
        if "{" in path:
            for malformed in MALFORMED_IDS:
                url = path
                for param in op.get("parameters", []):
                    if param["in"] == "path":
                        url = url.replace("{" + param["name"] + "}", malformed)
                sent += 1
                failures.append(_send(client, method, url, {}, {}))

        @settings(max_examples=PER_OPERATION, deadline=None, database=None, derandomize=True,
                  suppress_health_check=list(HealthCheck))
        @given(api_request(schema, [(path, method, op)]))
        def probe(request):
            nonlocal sent
            sent += 1
            failures.append(_send(client, *request))

        probe()
    failures = [f for f in failures if f]
    print(f"\nAPI fuzz of every operation: {sent} requests over {len(ops)} operations, {len(failures)} × 5xx")
    assert failures == []
