"""Clerk enters and submits → lead department approves → the village page shows the new score and rank."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ratings.models import Indicator, Source, VillageScore
from ratings.services.scoring import recompute
from tests.ratings.scoring_helpers import fill_ledgers, full_marks

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_clerk_submits_reviewer_approves_and_village_page_changes(
        browser_page, screenshot_dir, township_clerk, industry_reviewer, village_secretary, village, other_village,
        standard, this_month):
    year, month = this_month
    Indicator.objects.filter(star__standard=standard).update(evidence_required=False)
    # Both villages have every star but industry approved; the neighbour also has industry, so it leads.
    fill_ledgers([village], township_clerk, year, month,
                 value_for=lambda v, i: None if i.star.code == "industry" else full_marks(i))
    fill_ledgers([other_village], township_clerk, year, month)
    recompute(year=year, month=month, region=village.parent.parent)
    before = VillageScore.objects.get(village=village, year=year, month=month, view="live")
    industry = list(Indicator.objects.filter(star__standard=standard, star__code="industry", source=Source.LEDGER)
                    .exclude(rule="veto").order_by("order"))
    all_industry = list(Indicator.objects.filter(star__standard=standard, star__code="industry",
                                                 source=Source.LEDGER).order_by("order"))

    # 1. The township clerk types the industry star's ledger for the village and submits the month.
    page = browser_page.login(township_clerk)
    page.goto(f"{browser_page.base_url}{reverse('ratings:ledger_grid')}?township={village.parent.code}"
              f"&year={year}&month={month}&star=industry")
    row = page.locator("table.ledger-grid tbody tr", has_text=village.name)
    for column, indicator in enumerate(all_industry):
        if indicator not in industry:
            continue
        control = row.locator("td.ledger-cell").nth(column).locator(".cell-input")
        value = full_marks(indicator)
        if indicator.value_type == "boolean":
            control.select_option(str(int(value)))
        else:
            control.fill(str(value))
            control.press("Tab")
    page.wait_for_load_state("networkidle")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#submit-month")
    page.wait_for_selector(".alert-success, .alert-danger")
    assert page.locator(".alert-danger").count() == 0, page.locator(".alert-danger").inner_text()

    # 2. The industry star's lead department approves everything in its queue.
    page.context.clear_cookies()
    page = browser_page.login(industry_reviewer)
    page.goto(f"{browser_page.base_url}{reverse('ratings:review_queue')}")
    page.locator("#review-form thead input[type=checkbox]").check()
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#review-form button[value=approve]")
    page.wait_for_selector(".alert-success")

    # 3. The approval queued the village's recompute (run in-process here, as without a broker),
    # and the task list followed the new results: nothing else is run by the test.
    after = VillageScore.objects.get(village=village, year=year, month=month, view="live")
    assert after.total > before.total
    page.context.clear_cookies()
    page = browser_page.login(village_secretary, width=390)
    page.goto(f"{browser_page.base_url}{reverse('reports:village', args=[village.code])}"
              f"?year={year}&month={month}&view=live")
    ranks = page.inner_text("[data-testid=ranks]")
    assert f"乡镇内第 {after.township_rank} 名" in ranks
    assert f"{after.total}" in page.content()
    assert after.township_rank <= before.township_rank
    page.screenshot(path=str(screenshot_dir / "flow_village_after_approval.png"), full_page=True)
