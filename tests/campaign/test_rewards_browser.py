"""Rewards in Chromium: the organisation department sets the amounts and records the decision;
after a star is withdrawn the page shows the changed total; the township sees its own rows."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from ratings.campaign.services.awards import star_withdraw
from ratings.models import Application, ApplicationStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]



def test_rewards_set_decided_and_withdrawal_reflected(browser_page, screenshot_dir, county_admin, township_clerk,
                                                      village, foreign_village):
    year = timezone.localdate().year
    for v, stars in ((village, ["branch", "industry", "ecology", "safety"]), (foreign_village, ["branch", "industry",
                                                                                              "ecology"])):
        Application.objects.create(village=v, year=year, stars=stars, status=ApplicationStatus.NAMED,
                                   named_stars=stars, named_at=timezone.now())
    page = browser_page.open_as(county_admin, reverse("campaign:rewards"))
    page.fill("#level-4", "50000")
    page.fill("#level-3", "30000")
    page.fill("#t-1", "20000")
    page.click("button:has-text('保存奖励标准')")
    page.wait_for_selector(".alert-success")
    assert page.inner_text("#reward-total") == "100,000.00"  # 50,000 + 30,000 + the first township's 20,000
    page.fill("#decision-no", "县委〔2026〕8号")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("button:has-text('记录决定')")
    page.wait_for_selector("#reward-decision")

    star_withdraw(village=village, year=year, star="safety", reason="发生安全事故", by=county_admin)
    page.reload()
    assert "当前全县合计为 80,000.00 元" in page.inner_text("#reward-decision")
    page.screenshot(path=str(screenshot_dir / "rewards.png"), full_page=True)

    page = browser_page.open_as(township_clerk, reverse("campaign:rewards"), width=390)
    rows = page.inner_text("#reward-villages")
    assert "东风村" in rows and "柳林村" not in rows
