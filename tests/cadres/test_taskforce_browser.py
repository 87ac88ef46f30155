"""A joint consultation in Chromium, each role on its own screen: the organisation department
records the meeting with a measure for a village; the village secretary closes it on a 390 px
phone; the meeting's page shows the measure closed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from cadres.models import Consultation
from ratings.models import ItemStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = 390



def test_consultation_measure_becomes_a_task_the_village_closes(browser_page, screenshot_dir, county_admin, county,
                                                               village_secretary, village):
    today = timezone.localdate()
    # 1. The organisation department records the month's consultation.
    page = browser_page.open_as(county_admin, reverse("cadres:consultation_list"))
    page.click(f"a:has-text('记录{county.name}会商')")
    page.fill("#id_attendees", "县委组织部、县农业农村局")
    page.fill("#id_progress_industry", "合作社规范化推进")
    page.select_option("#id_m1_star", "industry")
    page.select_option("#id_m1_village", village.code)
    page.fill("#id_m1_title", "理清合作社分红台账")
    page.fill("#id_m1_owner", "村党支部书记")
    page.fill("#id_m1_due", (today + dt.timedelta(days=14)).isoformat())
    page.click("[data-testid=save-consultation]")
    page.wait_for_selector(".alert-success")
    item = Consultation.objects.get().measures.get()

    # 2. The village secretary finds it in the task list on a phone and closes it.
    page = browser_page.open_as(village_secretary, reverse("campaign:task_list"), width=PHONE)
    page.click("text=理清合作社分红台账")
    form = page.locator("form", has=page.locator("button", has_text="完成销号"))
    form.locator("textarea[name=note]").fill("分红台账已理清并公示")
    page.once("dialog", lambda dialog: dialog.accept())
    form.locator("button").click()
    page.wait_for_selector("text=已销号")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE
    page.screenshot(path=str(screenshot_dir / "measure_closed_phone.png"), full_page=True)
    item.refresh_from_db()
    assert item.status == ItemStatus.CLOSED

    # 3. The department sees it closed on the meeting's page.
    meeting = Consultation.objects.get()
    page = browser_page.open_as(county_admin, reverse("cadres:consultation_detail", args=[meeting.pk]))
    assert "已销号" in page.locator("#measures").inner_text()
    page.screenshot(path=str(screenshot_dir / "consultation_detail.png"), full_page=True)
