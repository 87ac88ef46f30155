from __future__ import annotations

import pytest

from tests.factories import StarScoreFactory, VillageScoreFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_village_page_is_readable_on_a_390px_phone(browser_page, screenshot_dir, village_secretary, village):
    for month, total, earned in ((3, 290, ["branch"]), (4, 310, ["branch"]), (5, 342, ["branch", "industry"])):
        VillageScoreFactory(village=village, month=month, stars_earned=earned, total=total, township_rank=1,
                            county_rank=3, township_movement=1, county_movement=2)
    for star, score in (("branch", 90), ("industry", 82), ("ecology", 71), ("safety", 60), ("civility", 79)):
        StarScoreFactory(village=village, star=star, score=score, points_short=max(0, 80 - score),
                         indicators=[{"code": f"{star}.x", "name": "卫生厕所普及率", "value": 60, "points": 0,
                                      "max_points": 10, "met": score >= 80, "gap": "需达到 85%"}])
    page = browser_page.login(village_secretary, width=390)
    page.goto(f"{browser_page.base_url}/reports/village/")
    page.wait_for_selector("[data-testid=stars]")
    page.wait_for_selector("#chart-trend canvas")
    # Nothing may be wider than the phone: no sideways scrolling of the page.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert "2026年5月 · 已发布数据" in page.inner_text("[data-testid=view-label]")
    assert page.locator(".star-earned").count() == 2
    page.screenshot(path=str(screenshot_dir / "village_page_390.png"), full_page=True)
