"""The campaign's workflows in Debian's Chromium, each role on its own screen: the problem
ledger (township records and closes, the village secretary answers on a phone) and the
year's award (target → application → township check → star review → notice → naming)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from ratings.models import Application, ApplicationStatus, ChecklistItem, ItemStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = 390


def _confirming(page):
    page.once("dialog", lambda dialog: dialog.accept())
    return page



def test_problem_goes_from_township_to_village_phone_and_back(browser_page, screenshot_dir, township_clerk,
                                                              village_secretary, village):
    # 1. The township records a problem found at an inspection, reports and assigns it.
    page = browser_page.open_as(township_clerk, reverse("campaign:problem_new") + f"?village={village.code}")
    page.select_option("#id_star", "ecology")
    page.fill("#id_title", "村口坑塘积存垃圾")
    page.fill("#id_due_date", (timezone.localdate() + dt.timedelta(days=15)).isoformat())
    page.click("form button.btn-primary")
    page.wait_for_selector(".alert-success")
    item = ChecklistItem.objects.get(title="村口坑塘积存垃圾")
    _confirming(page).click("button:has-text('上报')")
    page.wait_for_selector("text=已上报")
    page.fill("input[name=owner_text]", "李书记")
    _confirming(page).click("button:has-text('交办')")
    page.wait_for_selector("text=已交办")

    # 2. The village secretary finds it on a phone and answers with a note.
    page = browser_page.open_as(village_secretary, reverse("campaign:task_list"), width=PHONE)
    page.click("text=村口坑塘积存垃圾")
    feedback = page.locator("form", has=page.locator("button", has_text="反馈"))
    feedback.locator("textarea[name=note]").fill("已组织清理，并安排专人管护")
    _confirming(page)
    feedback.locator("button").click()
    page.wait_for_selector("text=已反馈")
    page.screenshot(path=str(screenshot_dir / "problem_feedback_phone.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE

    # 3. The township verifies and closes it.
    page = browser_page.open_as(township_clerk, reverse("campaign:task_item", args=[item.pk]))
    _confirming(page).click("button:has-text('销号')")
    page.wait_for_selector("text=已销号")
    item.refresh_from_db()
    assert item.status == ItemStatus.CLOSED
    assert list(item.progress.values_list("action", flat=True)) == ["收集", "上报", "交办", "反馈", "销号"]


def test_award_from_target_to_naming(browser_page, screenshot_dir, township_clerk, village_secretary,
                                     branch_reviewer, county_admin, village):
    # 1. The township sets the village's target: one star, the branch star.
    page = browser_page.open_as(township_clerk, reverse("campaign:award_targets") + f"?township={village.parent.code}")
    row = page.locator("[data-testid=targets] tr", has_text=village.name)
    row.locator("select[name=level]").select_option("1")
    row.locator("input[value=branch]").check()
    row.locator("button:has-text('保存')").click()
    page.wait_for_selector(".alert-success")

    # 2. The village secretary applies from a phone.
    page = browser_page.open_as(village_secretary, reverse("campaign:award_list"), width=PHONE)
    _confirming(page).click("[data-testid=apply-card] button:has-text('提交申报')")
    page.wait_for_selector("[data-testid=status]:has-text('已申报')")
    application = Application.objects.get(village=village)
    detail = reverse("campaign:application_detail", args=[application.pk])

    # 3. The township checks, 4. the branch star's lead department approves.
    page = browser_page.open_as(township_clerk, detail)
    _confirming(page).click("button:has-text('审核通过')")
    page.wait_for_selector("[data-testid=status]:has-text('乡镇已审核')")
    page = browser_page.open_as(branch_reviewer, detail)
    page.click("[data-testid=review-branch] button:has-text('提交评审')")
    page.wait_for_selector("[data-testid=status]:has-text('部门已评审')")

    # 5. The organisation department starts the public notice, and names the star after it.
    page = browser_page.open_as(county_admin, detail)
    page.fill("#days", "7")
    _confirming(page).click("button:has-text('开始公示')")
    page.wait_for_selector("[data-testid=status]:has-text('公示中')")
    Application.objects.filter(pk=application.pk).update(  # the notice period passes
        notice_start=timezone.localdate() - dt.timedelta(days=9), notice_end=timezone.localdate() - dt.timedelta(days=2))
    page.reload()
    _confirming(page).click("button:has-text('命名')")
    page.wait_for_selector("[data-testid=status]:has-text('已命名')")
    application.refresh_from_db()
    assert (application.status, application.named_stars) == (ApplicationStatus.NAMED, ["branch"])
    assert "支部过硬星" in page.inner_text("[data-testid=named]")
    page.screenshot(path=str(screenshot_dir / "award_named.png"), full_page=True)
