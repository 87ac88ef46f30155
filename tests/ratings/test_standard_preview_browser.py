"""The impact preview in Chromium: the organisation department runs it from the draft and
reads the report at 1280 and 390 px."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ratings.models import StandardPreview

from .test_standard_preview import closed_county, draft, year  # noqa: F401 - fixtures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_run_a_preview_and_read_the_report(browser_page, screenshot_dir, draft, county_admin):  # noqa: F811
    page = browser_page.login(county_admin, width=1280)
    page.goto(f"{browser_page.base_url}{reverse('ratings:standard_detail', args=[draft.pk])}")
    page.click("a:has-text('预览影响')")
    page.screenshot(path=str(screenshot_dir / "impact-start-1280.png"), full_page=True)
    page.click("button:has-text('预览影响')")
    page.wait_for_selector("[data-testid=impact-changes]")
    preview = StandardPreview.objects.get()
    assert preview.state == "done"
    assert page.inner_text("[data-testid=impact-down]") == str(preview.result["county"]["down"])
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{browser_page.base_url}{reverse('ratings:impact_report', args=[preview.pk])}")
        page.screenshot(path=str(screenshot_dir / f"impact-report-{width}.png"), full_page=True)
        text = page.inner_text("main") if page.locator("main").count() else page.inner_text("body")
        assert "None" not in text
        assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    page.goto(f"{browser_page.base_url}{reverse('ratings:standard_impact', args=[draft.pk])}")
    page.screenshot(path=str(screenshot_dir / "impact-start-390.png"), full_page=True)
    assert "已完成" in page.inner_text("[data-testid=impact-history]")
