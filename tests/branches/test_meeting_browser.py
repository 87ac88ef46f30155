"""A village secretary records the month's themed party day on a phone, and the compliance
table and the branch star's meeting indicator follow."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from branches.models import Meeting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_secretary_records_a_themed_party_day_on_a_phone(browser_page, screenshot_dir, village_secretary, village):
    page = browser_page.login(village_secretary, width=390)
    page.goto(f"{browser_page.base_url}{reverse('branches:meeting_create')}")
    page.select_option("select[name=type]", "themed_party_day")
    page.fill("input[name=date]", timezone.localdate().isoformat())
    page.fill("input[name=topic]", "重温入党誓词，开展志愿服务")
    page.fill("input[name=members_expected]", "32")
    page.fill("input[name=attendance]", "29")
    page.fill("textarea[name=minutes]", "全体党员重温入党誓词，分组清理村内道路。")
    page.click("main button:has-text('保存')")
    page.wait_for_selector(".alert-success")
    meeting = Meeting.objects.get(village=village)
    assert (meeting.type, meeting.attendance, meeting.members_expected) == ("themed_party_day", 29, 32)
    assert "重温入党誓词" in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(screenshot_dir / "meeting_recorded_phone.png"), full_page=True)
