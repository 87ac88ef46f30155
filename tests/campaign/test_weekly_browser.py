"""Weekly progress of key villages in Chromium, each role on its own screen: a key village's
secretary reports on a 390 px phone with a photo, the township sees it, and the week after (the
clock moved inside the service, not slept) the village is flagged as not reported; the organisation
department comments on the township and the village sees the commentary on its phone."""

from __future__ import annotations

import datetime as dt
import types

import pytest
from django.urls import reverse
from django.utils import timezone

from ratings.campaign.services import weekly
from ratings.models import TargetLevel, WeeklyPhoto, WeeklyReport
from tests.uploads import jpeg_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE, DESKTOP = 390, 1280



def _no_horizontal_scroll(page, width):
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_key_village_reports_on_a_phone_township_sees_it_and_the_week_after_flags_it(
        browser_page, screenshot_dir, monkeypatch, county_admin, township_clerk, village_secretary, township,
        village, other_village):
    today = timezone.localdate()
    TargetLevel.objects.create(village=village, year=today.year, level=4)
    TargetLevel.objects.create(village=other_village, year=today.year, level=5)

    # 1. The secretary, on a phone, reports this week's industry progress with a photo.
    page = browser_page.open_as(village_secretary, reverse("campaign:weekly_index"), width=PHONE)
    page.wait_for_selector("text=尚未报送")
    page.click("[data-testid=report-weekly]")
    page.fill("#text_industry", "合作社完成本周订单分拣发货")
    page.set_input_files("#photos_industry", files=[
        {"name": "现场.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes((64, 48))}])
    page.screenshot(path=str(screenshot_dir / "weekly_form_phone.png"), full_page=True)
    _no_horizontal_scroll(page, PHONE)
    page.click("[data-testid=save-weekly]")
    page.wait_for_selector(".alert-success")
    assert "进展已报送" in page.inner_text(".alert-success")
    assert page.locator("#village-reports img").count() == 1
    page.screenshot(path=str(screenshot_dir / "weekly_village_phone.png"), full_page=True)
    _no_horizontal_scroll(page, PHONE)
    assert WeeklyPhoto.objects.filter(entry__report__village=village).count() == 1

    # 2. The township clerk sees the report; the other key village is flagged as not reported.
    page = browser_page.open_as(township_clerk, reverse("campaign:weekly_index"))
    row = page.locator(f"#weekly-status [data-village='{village.code}']")
    assert "已报送" in row.inner_text() and "合作社完成本周订单分拣发货" in row.inner_text()
    assert other_village.name in page.inner_text("#weekly-missing")
    assert village.name not in page.inner_text("#weekly-missing")
    page.screenshot(path=str(screenshot_dir / "weekly_township.png"), full_page=True)

    # 3. A week later (the service's clock moved), the village has not reported the new week: flagged.
    next_week = today + dt.timedelta(days=7)
    monkeypatch.setattr(weekly, "timezone", types.SimpleNamespace(localdate=lambda: next_week, now=timezone.now))
    page = browser_page.open_as(township_clerk, reverse("campaign:weekly_township", args=[township.code]))
    missing = page.inner_text("#weekly-missing")
    assert "未报送（2）" in missing and village.name in missing
    assert "未报送" in page.locator(f"#weekly-status [data-village='{village.code}']").inner_text()
    page.screenshot(path=str(screenshot_dir / "weekly_township_next_week.png"), full_page=True)
    # Last week's report is still there one click back.
    page.click("text=上一周")
    assert "已报送" in page.locator(f"#weekly-status [data-village='{village.code}']").inner_text()
    monkeypatch.undo()

    # 4. The organisation department comments on the township's month; the village reads it.
    page = browser_page.open_as(county_admin, reverse("campaign:weekly_township", args=[township.code]))
    page.fill("#commentary-text", "重点村报送及时，产业兴旺星推进较快。")
    page.click("[data-testid=save-commentary]")
    page.wait_for_selector(".alert-success")
    assert "重点村报送及时" in page.inner_text("[data-testid=commentary]")
    page = browser_page.open_as(village_secretary, reverse("campaign:weekly_village", args=[village.code]), width=PHONE)
    assert "重点村报送及时" in page.inner_text("[data-testid=commentary]")
    _no_horizontal_scroll(page, PHONE)
    assert WeeklyReport.objects.count() == 1


def test_every_weekly_page_at_both_widths_for_each_role(browser_page, screenshot_dir, county_admin, township_clerk,
                                                        village_secretary, village, township):
    """Screenshots for review: no page error, no horizontal scroll on a phone."""
    today = timezone.localdate()
    TargetLevel.objects.create(village=village, year=today.year, level=4)
    pages = [
        (county_admin, "org", reverse("campaign:weekly_index")),
        (county_admin, "org", reverse("campaign:weekly_township", args=[township.code])),
        (township_clerk, "clerk", reverse("campaign:weekly_township", args=[township.code])),
        (village_secretary, "secretary", reverse("campaign:weekly_village", args=[village.code])),
        (village_secretary, "secretary", reverse("campaign:weekly_new")),
    ]
    for user, who, path in pages:
        for width in (DESKTOP, PHONE):
            page = browser_page.open_as(user, path, width=width)
            assert page.locator("h1").count() == 1
            name = path.strip("/").replace("/", "_")
            page.screenshot(path=str(screenshot_dir / f"{name}_{who}_{width}.png"), full_page=True)
            if width == PHONE:
                _no_horizontal_scroll(page, PHONE)
