"""In Chromium: a first secretary asks for leave on a 390 px phone, the township approves it,
and the county's recall only happens once its confirmation is accepted."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from cadres.models import FirstSecretaryStatus, LeaveRequest, LeaveStatus
from tests.factories import FirstSecretaryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_leave_asked_on_a_phone_then_approved_by_the_township(browser_page, screenshot_dir, first_secretary,
                                                              township_clerk, village):
    FirstSecretaryFactory(village=village, user=first_secretary, name="王书记")
    start = timezone.localdate() + dt.timedelta(days=2)
    page = browser_page.login(first_secretary, width=390)
    page.goto(f"{browser_page.base_url}{reverse('cadres:leave_request')}")
    page.fill("input[name=start]", start.isoformat())
    page.fill("input[name=end]", (start + dt.timedelta(days=1)).isoformat())
    page.fill("input[name=reason]", "参加单位培训")
    page.click("button:has-text('提交申请')")
    page.wait_for_selector("#my-leaves :text('待审批')")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(screenshot_dir / "leave_requested_phone.png"), full_page=True)

    page = browser_page.login(township_clerk, width=1366)
    page.goto(f"{browser_page.base_url}{reverse('cadres:leave_list')}")
    # Enter in the comment box decides nothing: a refusal reason must not turn into an approval.
    page.fill("#pending-leaves input[name=note]", "同意")
    page.press("#pending-leaves input[name=note]", "Enter")
    page.wait_for_timeout(300)
    assert LeaveRequest.objects.get().status == LeaveStatus.REQUESTED
    page.click("#pending-leaves button[value=approve]")
    page.wait_for_selector("text=暂无待审批的请假")
    leave = LeaveRequest.objects.get()
    assert (leave.status, leave.decision_note) == (LeaveStatus.APPROVED, "同意")


def test_recall_waits_for_the_confirmation(browser_page, screenshot_dir, county_admin, village):
    fs = FirstSecretaryFactory(village=village, name="李书记")
    page = browser_page.login(county_admin)
    page.goto(f"{browser_page.base_url}{reverse('cadres:first_secretary_detail', args=[fs.pk])}")
    page.fill("textarea[name=reason]", "连续两月驻村不足")
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.click("button:has-text('召回')")
    page.wait_for_timeout(300)
    fs.refresh_from_db()
    assert fs.status == FirstSecretaryStatus.SERVING
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("button:has-text('召回')")
    page.wait_for_selector("#recall-info")
    page.screenshot(path=str(screenshot_dir / "first_secretary_recalled.png"), full_page=True)
    fs.refresh_from_db()
    assert (fs.status, fs.recall_reason) == (FirstSecretaryStatus.RECALLED, "连续两月驻村不足")
