"""The meeting-room screen and the trend pages in Chromium, on a county of the demo's size (12
townships, 324 villages, March–May closed, June running): the screen fills 1920×1080 without a
scrollbar or a clipped panel and refreshes itself; phones read everything without sideways scrolling.
Screenshots go to test-artifacts/."""

from __future__ import annotations

import pytest

from ratings.models import MonthClose
from tests.reports.trend_world import AT, add_results, add_townships, add_villages, year_of_results
from villages.models import Level, Region

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NO_SCROLL = """() => {
  const doc = document.documentElement;
  const clipped = [...document.querySelectorAll('.panel, .kpi')]
    .filter(el => el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1)
    .map(el => (el.querySelector('h2, .kpi-label') || el).textContent.trim());
  return {scrollHeight: doc.scrollHeight, scrollWidth: doc.scrollWidth, innerHeight, innerWidth, clipped};
}"""


@pytest.fixture
def demo_sized(county, township, other_township, village, other_village, foreign_village):
    townships = [township, other_township, *add_townships(county, range(3, 13))]
    villages = [v for t in townships for v in add_villages(t, 27, urban_from=25)]
    assert len(villages) == 324
    year_of_results(county, villages)
    return villages


def test_screen_fills_1920_by_1080_without_scrollbars_and_refreshes(browser_page, screenshot_dir, county_admin,
                                                                    demo_sized, county):
    page = browser_page.login(county_admin, width=1920, height=1080)
    page.goto(f"{browser_page.base_url}/reports/screen/")
    page.wait_for_selector("#screen-levels canvas")
    assert "2026年5月" in page.inner_text("[data-testid=screen-period]")
    assert page.locator("[data-testid=screen-league] tbody tr").count() == 12
    page.screenshot(path=str(screenshot_dir / "screen_1920.png"))
    fit = page.evaluate(NO_SCROLL)
    assert fit["scrollHeight"] <= fit["innerHeight"] and fit["scrollWidth"] <= fit["innerWidth"], fit
    # Nothing is cut off inside a panel either (the panels hide what would overflow).
    assert fit["clipped"] == [], fit

    # June is closed while the screen is up: the next refresh shows it, with its chart redrawn.
    add_results(demo_sized, month=6, view="published", shift=5)
    MonthClose.objects.create(county=county, year=2026, month=6, closed_at=AT)
    page.evaluate("htmx.ajax('GET', '/reports/screen/', {source: '#screen', target: '#screen', swap: 'innerHTML'})")
    page.wait_for_function("document.querySelector('[data-testid=screen-period]').innerText.includes('6月')")
    page.wait_for_selector("#screen-levels canvas")
    fit = page.evaluate(NO_SCROLL)
    assert fit["scrollHeight"] <= fit["innerHeight"] and fit["clipped"] == [], fit


def test_screen_reloads_to_the_login_page_when_the_session_has_ended(browser_page, county_admin, demo_sized):
    page = browser_page.login(county_admin, width=1920, height=1080)
    page.goto(f"{browser_page.base_url}/reports/screen/")
    page.wait_for_selector("#screen-levels canvas")
    page.context.clear_cookies()
    with page.expect_navigation():
        page.evaluate("htmx.ajax('GET', '/reports/screen/', {source: '#screen', target: '#screen', swap: 'innerHTML'})")
    page.wait_for_selector("input[name=username]")
    assert "/accounts/login/" in page.url
    assert page.locator("#screen").count() == 0


def test_screen_on_a_390px_phone_stacks_without_sideways_scrolling(browser_page, screenshot_dir, county_admin,
                                                                   demo_sized):
    page = browser_page.login(county_admin, width=390)
    page.goto(f"{browser_page.base_url}/reports/screen/")
    page.wait_for_selector("#screen-levels canvas")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # Stacked: the league comes below the star-level chart, not beside it.
    levels = page.locator("#screen-levels").bounding_box()
    league = page.locator("[data-testid=screen-league]").bounding_box()
    assert league["y"] > levels["y"] + levels["height"]
    page.screenshot(path=str(screenshot_dir / "screen_390.png"), full_page=True)


@pytest.mark.parametrize("width", [1280, 390])
def test_trend_pages_draw_their_charts_and_fit_the_width(browser_page, screenshot_dir, county_admin, township_clerk,
                                                         village_secretary, demo_sized, township, village, width):
    pages = [
        (county_admin, "/reports/trends/county/", ["#chart-levels", "#chart-stars", "#chart-league"], "county"),
        (township_clerk, f"/reports/trends/township/{township.code}/",
         ["#chart-levels", "#chart-stars", "#chart-own-rank"], "township"),
        (village_secretary, f"/reports/trends/village/{village.code}/", ["#chart-compare", "#chart-ranks"], "village"),
    ]
    for user, path, charts, name in pages:
        page = browser_page.login(user, width=width)
        page.goto(f"{browser_page.base_url}{path}")
        for chart in charts:
            page.wait_for_selector(f"{chart} canvas")
        assert page.evaluate("document.documentElement.scrollWidth") <= width, name
        assert "已发布" in page.inner_text("[data-testid=month-views]")
        page.screenshot(path=str(screenshot_dir / f"trends_{name}_{width}.png"), full_page=True)
        page.context.clear_cookies()


def test_village_chart_switches_month(browser_page, village_secretary, demo_sized, village):
    page = browser_page.login(village_secretary, width=1280)
    page.goto(f"{browser_page.base_url}/reports/trends/village/{village.code}/")
    page.wait_for_selector("#chart-compare canvas")
    shown = "echarts.getInstanceByDom(document.getElementById('chart-compare')).getOption().series[0].data"
    june = page.evaluate(shown)
    page.select_option("#compare-month", "0")
    march = page.evaluate(shown)
    assert march != june
    from ratings.models import StarScore

    expected = [float(StarScore.objects.get(village=village, year=2026, month=3, view="published", star=s).score)
                for s in ("branch", "industry", "ecology", "safety", "civility")]
    assert march == expected
    assert Region.objects.filter(level=Level.VILLAGE).count() == 324
