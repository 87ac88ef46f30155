"""The four lists and the township plan in Chromium: the village secretary reads the four lists
on a 390 px phone; the township saves a plan version and looks at the plan as of a day."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from ratings.models import ChecklistItem, ItemOrigin, ItemStatus, TargetLevel

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = 390



def test_village_reads_its_four_lists_and_township_keeps_plan_versions(browser_page, screenshot_dir, village,
                                                                       township, village_secretary, township_clerk):
    year = timezone.localdate().year
    TargetLevel.objects.create(village=village, year=year, level=4)
    ChecklistItem.objects.create(village=village, year=year, star="safety", origin=ItemOrigin.INSPECTION,
                                 title="网格员巡查记录缺失", status=ItemStatus.REPORTED)

    page = browser_page.open_as(village_secretary, reverse("campaign:four_lists_mine"), width=PHONE)
    assert "网格员巡查记录缺失" in page.locator("#list-problems").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE
    page.screenshot(path=str(screenshot_dir / "four_lists_phone.png"), full_page=True)

    page = browser_page.open_as(township_clerk, reverse("campaign:township_plan", args=[township.code]))
    assert "东风村" in page.locator("#plan-candidates").inner_text()
    page.fill("#plan-note", "年初方案")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("button:has-text('保存当前方案为新版本')")
    page.wait_for_selector(".alert-success")
    assert "年初方案" in page.locator("#plan-version").inner_text()
    # A later change does not move the saved version.
    TargetLevel.objects.filter(village=village).update(level=3)
    page.click("#plan-versions a")
    assert "东风村" in page.locator("#plan-candidates").inner_text()
    page.goto(f"{browser_page.base_url}{reverse('campaign:township_plan', args=[township.code])}")
    assert "暂无备选村" in page.locator("#plan-candidates").inner_text()
    page.screenshot(path=str(screenshot_dir / "township_plan.png"), full_page=True)
