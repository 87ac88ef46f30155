"""Early warnings in Chromium: the list and the panels as county, township and village users,
at 1280 and 390 px (no horizontal scroll, no English or None where a person reads Chinese)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import timezone

from ratings.campaign.services.warnings import warnings_refresh
from ratings.models import ChecklistItem, EarlyWarning, ItemOrigin, ItemStatus, WarningState
from tests.branches.factories import RectificationFactory
from tests.factories import BranchFactory, StarScoreFactory, VillageScoreFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (1280, 390)


@pytest.fixture
def raised(county, township, other_township, village, foreign_village):
    today = timezone.localdate()
    last_month = today.replace(day=1) - dt.timedelta(days=1)
    for v in (village, foreign_village):
        ChecklistItem.objects.create(village=v, year=today.year, star="ecology", origin=ItemOrigin.INSPECTION,
                                     title="村内垃圾清运不及时，沟渠有积存垃圾", status=ItemStatus.ASSIGNED,
                                     due_date=today - dt.timedelta(days=3))
    RectificationFactory(branch=BranchFactory(village=village, is_weak_lax=True), listed_on=today.replace(day=1),
                         year=today.year)
    VillageScoreFactory(village=village, year=last_month.year, month=last_month.month, view="published")
    StarScoreFactory(village=village, year=last_month.year, month=last_month.month, view="published", star="industry",
                     score=D(88), earned=True)
    VillageScoreFactory(village=village, year=today.year, month=today.month, view="live")
    StarScoreFactory(village=village, year=today.year, month=today.month, view="live", star="industry",
                     score=D("82.5"))
    warnings_refresh(county=county, today=today)
    assert EarlyWarning.objects.count() == 4


def _look(page, name, screenshot_dir):
    page.screenshot(path=str(screenshot_dir / f"{name}.png"), full_page=True)
    text = page.inner_text("main") if page.locator("main").count() else page.inner_text("body")
    assert "None" not in text and "Traceback" not in text
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth"), name



def test_warnings_list_and_panels_for_every_office(browser_page, screenshot_dir, raised, county_admin,
                                                    township_clerk, village_secretary, township, village):
    pages = [
        (county_admin, "county", [reverse("campaign:warning_list"), reverse("reports:county_dashboard")]),
        (township_clerk, "township", [reverse("campaign:warning_list"),
                                      reverse("reports:township_dashboard", args=[township.code])]),
        (village_secretary, "village", [reverse("campaign:warning_list"), reverse("reports:village", args=[village.code])]),
    ]
    for user, who, paths in pages:
        for width in WIDTHS:
            for n, path in enumerate(paths):
                page = browser_page.open_as(user, path, width)
                _look(page, f"warnings-{who}-{'list' if n == 0 else 'panel'}-{width}", screenshot_dir)
                body = page.inner_text("body")
                assert "垃圾清运" in body
                if who != "county":
                    assert "柳林村" not in body


def test_a_township_clerk_acknowledges_from_the_dashboard(browser_page, raised, township_clerk, township):
    page = browser_page.open_as(township_clerk, reverse("reports:township_dashboard", args=[township.code]), 1280)
    panel = page.locator("[data-testid=warnings-panel]")
    assert "未处理 3" in panel.inner_text()
    panel.locator("button:has-text('确认')").first.click()
    page.wait_for_selector(".alert-success")
    assert "未处理 2" in page.locator("[data-testid=warnings-panel]").inner_text()
    warning = EarlyWarning.objects.get(state=WarningState.ACKNOWLEDGED)
    assert warning.acknowledged_by == township_clerk
