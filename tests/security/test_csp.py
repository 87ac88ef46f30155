"""The site-wide Content-Security-Policy: scripts only from our origin or with the request's
nonce, no inline event handlers anywhere in the project's templates."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE_DIRS = [ROOT / "templates", *ROOT.glob("*/templates"), *ROOT.glob("*/*/templates")]
HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")([^>]*)>", re.IGNORECASE)


def _templates():
    for folder in TEMPLATE_DIRS:
        if ".venv" in folder.parts or "node_modules" in folder.parts:
            continue
        yield from folder.rglob("*.html")


def test_no_template_has_an_inline_event_handler():
    offenders = [f"{path.relative_to(ROOT)}: {match.group(0).strip()}"
                 for path in _templates() for match in HANDLER.finditer(path.read_text())]
    assert offenders == []


def test_every_inline_script_block_carries_the_request_nonce():
    offenders = [str(path.relative_to(ROOT)) for path in _templates()
                 for match in INLINE_SCRIPT.finditer(path.read_text())
                 if "request.csp_nonce" not in match.group(1)]
    assert offenders == []


def _policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def test_pages_carry_a_policy_without_inline_scripts(client_for, county_admin, county, standard, this_month):
    response = client_for(county_admin).get(reverse("reports:county_dashboard"))
    assert response.status_code == 200
    policy = _policy(response)
    assert "'unsafe-inline'" not in policy["script-src"] and "'unsafe-eval'" not in policy["script-src"]
    assert "'self'" in policy["script-src"]
    nonces = [v for v in policy["script-src"] if v.startswith("'nonce-")]
    assert len(nonces) == 1
    # The page's inline chart script carries the very nonce of this response.
    nonce = nonces[0][len("'nonce-"):-1]
    assert f'<script nonce="{nonce}">'.encode() in response.content
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]


def test_the_nonce_differs_between_requests(client_for, county_admin, county, standard):
    client = client_for(county_admin)
    first = _policy(client.get(reverse("reports:county_dashboard")))["script-src"]
    second = _policy(client.get(reverse("reports:county_dashboard")))["script-src"]
    assert first != second


def test_the_login_page_carries_the_policy(client, db):
    # The login page reads the recent failures of the address (the challenge) from the database.
    response = client.get(reverse("login"))
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_api_schema_and_docs_need_a_signed_in_user(client, api_for, county_admin):
    assert client.get(reverse("api-schema")).status_code in (401, 403)
    docs = client.get(reverse("api-docs"))
    assert docs.status_code == 302 and docs["Location"].startswith(reverse("login"))
    assert api_for(county_admin).get(reverse("api-schema")).status_code == 200


def test_swagger_ui_runs_without_an_inline_script(client_for, county_admin):
    response = client_for(county_admin).get(reverse("api-docs"))
    assert response.status_code == 200
    body = response.content.decode()
    assert INLINE_SCRIPT.search(body) is None
    script = client_for(county_admin).get(reverse("api-docs") + "?script=")
    assert script.status_code == 200 and b"SwaggerUIBundle" in script.content


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_charts_htmx_and_bootstrap_pages_raise_no_csp_violation(browser_page, county_admin, township_clerk,
                                                                 branch_reviewer, village, standard, this_month):
    """Pages with ECharts (county dashboard), htmx (ledger grid), Bootstrap dropdowns and the
    converted data- handlers (review queue) run under the policy without a console error."""
    from ratings.services.scoring import recompute
    from tests.ratings.scoring_helpers import fill_ledgers

    year, month = this_month
    fill_ledgers([village], township_clerk, year, month, status="submitted")
    recompute(year=year, month=month, region=village.parent.parent)
    errors: list[str] = []
    for user, url, check in [
        (county_admin, reverse("reports:county_dashboard"), "#chart-levels canvas"),
        (township_clerk, f"{reverse('ratings:ledger_grid')}?township={village.parent.code}&year={year}&month={month}",
         "table.ledger-grid"),
        (branch_reviewer, reverse("ratings:review_queue"), "#review-form"),
    ]:
        page = browser_page.login(user)
        # Console errors of the policy itself (a missing favicon is not this test's business).
        page.on("console", lambda m: errors.append(m.text)
                if m.type == "error" and "Content Security Policy" in m.text else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.add_init_script("document.addEventListener('securitypolicyviolation', e => "
                             "console.error('Content Security Policy violation: ' + e.violatedDirective))")
        page.goto(browser_page.base_url + url)
        page.wait_for_selector(check)
        page.wait_for_load_state("networkidle")
        if "review" in url:
            page.locator("#review-form thead input[type=checkbox]").check()
            assert page.locator("#review-form tbody input[name=entry]:not(:checked)").count() == 0
        page.context.clear_cookies()
    assert errors == []
