"""The responsibility system in Chromium, each role on its own screen: a county leader records a
contact visit on a 390 px phone and raises a problem; the township assigns it; the month's
overview shows the visit done."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from cadres.models import Duty, DutyTier, Role
from cadres.services_duty import assignment_create
from ratings.models import ChecklistItem, ItemStatus
from tests.factories import PostFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = 390



def test_county_leader_visits_on_a_phone_and_the_township_assigns_the_problem(
        browser_page, screenshot_dir, county_admin, township_clerk, township, village):
    leader = UserFactory(username="leader", full_name="王县长")
    PostFactory(user=leader, role=Role.COUNTY_LEADER, region=township.parent)
    today = timezone.localdate()
    assignment_create(by=county_admin, year=today.year, duty=Duty.CONTACT, tier=DutyTier.COUNTY_LEADER,
                      region=township, start_date=dt.date(today.year, 1, 1), person=leader, person_title="副县长")

    # 1. The county leader, on a phone, records the visit and raises one problem.
    page = browser_page.open_as(leader, reverse("cadres:visit_mine"), width=PHONE)
    page.wait_for_selector("text=本月未走访")
    page.click("[data-testid=record-visit]")
    page.select_option("#id_village", village.code)
    page.fill("#id_findings", "党群服务中心周末不开放")
    page.select_option("#id_problem_star_1", "branch")
    page.fill("#id_problem_title_1", "党群服务中心开放时间不足")
    page.screenshot(path=str(screenshot_dir / "visit_form_phone.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE
    page.click("[data-testid=save-visit]")
    page.wait_for_selector(".alert-success")
    assert "1 个问题已上报乡镇" in page.inner_text(".alert-success")
    item = ChecklistItem.objects.get(title="党群服务中心开放时间不足")
    assert item.status == ItemStatus.REPORTED

    # 2. The township clerk assigns it from the problem's page.
    page = browser_page.open_as(township_clerk, reverse("campaign:task_item", args=[item.pk]))
    page.fill("input[name=owner_text]", "村党支部书记")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("button:has-text('交办')")
    page.wait_for_selector("text=已交办")
    assert ChecklistItem.objects.get(pk=item.pk).status == ItemStatus.ASSIGNED

    # 3. The month's overview counts the visit as done.
    page = browser_page.open_as(township_clerk, reverse("cadres:visit_overview"))
    row = page.locator("#visits-due tbody tr", has_text="王县长")
    assert row.locator("td").nth(2).inner_text() == "1 处"
    page.screenshot(path=str(screenshot_dir / "visit_overview.png"), full_page=True)
