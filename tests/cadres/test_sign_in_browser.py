"""A first secretary signs in and files the monthly report on a 390 px phone in Chromium."""

import pytest
from django.urls import reverse

from cadres.models import MonthlyReport, ReportStatus, SignIn
from tests.factories import FirstSecretaryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_first_secretary_signs_in_and_files_the_monthly_report_on_a_390px_phone(browser_page, screenshot_dir, first_secretary, village):
    FirstSecretaryFactory(village=village, user=first_secretary, name="王书记")
    page = browser_page.login(first_secretary, width=390)
    page.goto(f"{browser_page.base_url}{reverse('cadres:sign_in')}")
    page.fill("input[name=note]", "走访脱贫户三户")
    page.screenshot(path=str(screenshot_dir / "sign_in_before.png"), full_page=True)
    page.get_by_test_id("sign-in-button").click()
    page.wait_for_selector("text=今日已签到")
    page.screenshot(path=str(screenshot_dir / "sign_in_after.png"), full_page=True)
    assert SignIn.objects.filter(note="走访脱贫户三户").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(f"{browser_page.base_url}{reverse('cadres:monthly_report')}")
    page.fill("textarea[name=work_done]", "走访农户12户，组织主题党日1次。")
    page.fill("textarea[name=problems]", "村道路灯损坏。")
    page.fill("textarea[name=next_steps]", "协调修复路灯。")
    page.click("button[name=submit]")
    page.wait_for_selector("[data-testid=report-status]:has-text('已提交')")
    page.screenshot(path=str(screenshot_dir / "monthly_report_submitted.png"), full_page=True)
    assert MonthlyReport.objects.get().status == ReportStatus.SUBMITTED
