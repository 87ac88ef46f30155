"""A township's month of ledgers entered and submitted in Debian's Chromium."""

from decimal import Decimal

import pytest
from django.urls import reverse

from ratings.models import Indicator, LedgerEntry, LedgerStatus, Source
from tests.factories import VillageFactory

pytestmark = pytest.mark.browser
VILLAGES = 6


def _value_for(indicator: Indicator) -> str:
    if indicator.value_type == "boolean":
        return "1"
    if indicator.rule == "veto" or indicator.rule == "deduction":
        return "0"
    params = indicator.params or {}
    target = params.get("threshold", params.get("target", 1))
    return str(target)


def test_clerk_enters_and_submits_a_township_month_in_the_browser(browser_page, township_clerk, township, standard,
                                                                  this_month, screenshot_dir):
    year, month = this_month
    # Six villages: every star's grid, every kind of cell and the Tab from one row into the next
    # (a whole township's 25 rows typed the same keys five times as long: 1,000 cells, 4 minutes).
    VillageFactory.create_batch(VILLAGES, parent=township)
    # Evidence uploads are covered by the service and page tests; here the month is typed only.
    Indicator.objects.filter(star__standard=standard).update(evidence_required=False)
    page = browser_page.login(township_clerk)
    # Read everything the test needs before the browser starts writing: the live server shares
    # the in-memory SQLite database with this thread.
    stars = {star: list(Indicator.objects.filter(star__standard=standard, star__code=star, source=Source.LEDGER)
                        .order_by("order"))
             for star in ["branch", "industry", "ecology", "safety", "civility"]}
    typed = 0
    for star, indicators in stars.items():
        page.goto(f"{browser_page.base_url}{reverse('ratings:ledger_grid')}?township={township.code}"
                  f"&year={year}&month={month}&star={star}")
        for row in page.locator("table.ledger-grid tbody tr").all():
            # As a clerk types a row: the value on the keyboard, Tab to the next indicator (the
            # input's change on leaving it saves the cell). A 是/否 cell is picked from its list,
            # which saves at once; the next typed cell is then clicked into.
            focused = False
            for column, indicator in enumerate(indicators):
                control = row.locator("td.ledger-cell").nth(column).locator(".cell-input")
                if indicator.value_type == "boolean":
                    control.select_option(_value_for(indicator))
                    focused = False
                else:
                    if not focused:
                        control.focus()
                    page.keyboard.type(_value_for(indicator))
                    page.keyboard.press("Tab")
                    focused = True
                typed += 1
        # Every cell's htmx save has landed (the cell comes back as a draft) before submitting.
        expected = VILLAGES * len(indicators)
        page.wait_for_function(
            f"() => document.querySelectorAll('td.ledger-cell.status-draft').length >= {expected}", timeout=180_000)
        if star == "industry":
            page.screenshot(path=str(screenshot_dir / "ledger_grid_filled.png"), full_page=False)
        page.once("dialog", lambda dialog: dialog.accept())
        page.click("#submit-month")
        page.wait_for_selector(".alert-success, .alert-danger")
        assert page.locator(".alert-danger").count() == 0, page.locator(".alert-danger").inner_text()
    entries = LedgerEntry.objects.filter(year=year, month=month)
    # The rural standard's ledger indicators over its five stars (the rest come from the records).
    assert typed >= VILLAGES * 38
    assert entries.count() == typed
    assert set(entries.values_list("status", flat=True)) == {LedgerStatus.SUBMITTED}
    # Every value landed in its own cell: what was typed for an indicator is what it holds.
    by_indicator = {i.pk: i for indicators in stars.values() for i in indicators}
    wrong = [(e.village_id, by_indicator[e.indicator_id].code, e.value) for e in entries
             if e.value != Decimal(_value_for(by_indicator[e.indicator_id]))]
    assert not wrong, wrong[:5]
    assert "等待牵头部门审核" in page.content()
