"""On a 390 px phone, as each reader sees it, with a screenshot to look at: the rewards page as
a township (its own rows and totals), a community's four lists (its own star names only) and the
visits overview (every assigned village of a person shown, nothing cut off or sideways)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from cadres.models import RURAL_ONLY_STAR_WORDS, Assignment, Duty, DutyTier, Post, Role
from ratings.campaign.services.rewards import reward_scheme_save
from ratings.models import Application, ApplicationStatus, ChecklistItem, ItemOrigin, ItemStatus, TargetLevel
from tests.factories import PostFactory, UserFactory, VillageFactory
from villages.models import Kind

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = 390
YEAR = timezone.localdate().year
FIVE = ["branch", "industry", "ecology", "safety", "civility"]

# Every element's box against the viewport: what sticks out on the right is cut off on a phone.
OUTSIDE = """(selector) => [...document.querySelectorAll(selector)].filter(el => {
  const r = el.getBoundingClientRect();
  return r.width === 0 || r.left < 0 || r.right > document.documentElement.clientWidth + 1;
}).map(el => el.textContent.trim())"""


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def test_the_rewards_page_as_a_township_on_a_phone(browser_page, screenshot_dir, county_admin, county, township_clerk,
                                                   village, other_village, foreign_village):
    for v, stars in ((village, FIVE), (other_village, FIVE[:3]), (foreign_village, FIVE[:4])):
        Application.objects.create(village=v, year=YEAR, stars=stars, status=ApplicationStatus.NAMED,
                                   named_stars=stars, named_at=timezone.now())
    reward_scheme_save(by=county_admin, county=county, year=YEAR,
                       level_amounts={5: "100000", 4: "50000", 3: "30000", 2: ""}, township_amounts=["80000", "40000"])
    page = browser_page.open_as(township_clerk, reverse("campaign:rewards"), width=PHONE)
    rows = page.inner_text("#reward-villages")
    assert "东风村" in rows and "红旗村" in rows and "柳林村" not in rows
    assert page.inner_text("#village-total") == "130,000.00" and "本乡镇合计" in page.inner_text("main")
    assert _fits(page)
    page.screenshot(path=str(screenshot_dir / "rewards_township_390.png"), full_page=True)


def test_a_communitys_four_lists_on_a_phone(browser_page, screenshot_dir, township, county_admin):
    community = VillageFactory(parent=township, code="419901001101", name="建设路社区", kind=Kind.URBAN)
    secretary = UserFactory(username="community_secretary", full_name="郑书记")
    PostFactory(user=secretary, role=Role.VILLAGE_SECRETARY, region=community)
    TargetLevel.objects.create(village=community, year=YEAR, level=5, target_stars=FIVE, set_by=county_admin)
    for star, origin, title in (("industry", ItemOrigin.GAP, "社区就业服务站规范运行"),
                                ("ecology", ItemOrigin.INSPECTION, "驻区单位资源未登记"),
                                ("civility", ItemOrigin.INSPECTION, "社区养老服务站未开放")):
        ChecklistItem.objects.create(village=community, year=YEAR, star=star, origin=origin, title=title,
                                     status=ItemStatus.OPEN, due_date=timezone.localdate())
    page = browser_page.open_as(secretary, reverse("campaign:four_lists_mine"), width=PHONE)
    text = page.inner_text("main")
    assert "宜业兴业星" in text and "共建共享星" in text and "驻区单位资源未登记" in text
    assert not [w for w in RURAL_ONLY_STAR_WORDS if w in text], text
    assert _fits(page)
    page.screenshot(path=str(screenshot_dir / "four_lists_community_390.png"), full_page=True)


def test_the_visits_overview_shows_every_assigned_village_on_a_phone(browser_page, screenshot_dir, township,
                                                                      township_clerk):
    leader = UserFactory(username="tleader", full_name="孙乡长")
    Post.objects.create(user=leader, role=Role.TOWNSHIP_LEADER, region=township)
    villages = [VillageFactory(parent=township, code=f"419901001{n:03d}", name=f"第{n}村") for n in range(11, 24)]
    for v in villages:
        Assignment.objects.create(year=YEAR, duty=Duty.CONTACT, tier=DutyTier.TOWNSHIP_LEADER, region=v,
                                  person=leader, person_name="孙乡长", person_title="乡长",
                                  start_date=dt.date(YEAR, 1, 1))
    page = browser_page.open_as(township_clerk, reverse("cadres:visit_overview"), width=PHONE)
    # Folded on a phone: the title and the count of people first; a tap opens the list.
    folded = page.locator("details[data-fold-on-phone]")
    assert not folded.evaluate("d => d.open") and "1 人" in folded.locator("summary").inner_text()
    folded.locator("summary").click()
    row = page.locator("#visits-due tbody tr", has_text="孙乡长")
    assert row.is_visible()
    assigned = row.locator("[data-testid=assigned] .badge")
    assert assigned.count() == 13
    assert all(assigned.nth(k).is_visible() for k in range(13))
    assert page.evaluate(OUTSIDE, "#visits-due [data-testid=assigned] .badge") == []
    assert _fits(page)
    page.screenshot(path=str(screenshot_dir / "visit_overview_390.png"), full_page=True)


def test_the_task_force_form_lists_the_countys_departments_readably_on_a_phone(browser_page, screenshot_dir,
                                                                               county_admin, county):
    from cadres.services_taskforce import departments_ensure

    departments_ensure(county, ["县委组织部", "县农业农村局", "县财政局", "县供销社", "市生态环境局分局"])
    url = reverse("cadres:task_force_edit") + f"?region={county.code}&star=industry"
    page = browser_page.open_as(county_admin, url, width=PHONE)
    labels = page.locator("[data-testid=unit-choices] .form-check-label")
    assert labels.count() == 5
    # Each name on one line inside the screen: never a column of single characters.
    boxes = labels.evaluate_all("els => els.map(e => { const r = e.getBoundingClientRect(); "
                                "return [r.height, r.right, parseFloat(getComputedStyle(e).lineHeight)]; })")
    assert all(height <= 1.5 * line and right <= PHONE for height, right, line in boxes), boxes
    assert _fits(page)
    page.screenshot(path=str(screenshot_dir / "task_force_units_390.png"), full_page=True)
    page.fill("#id_lead_department", "县农业农村局")
    page.check("text=县财政局")
    page.click("button:has-text('保存')")
    page.wait_for_selector(".alert-success")
    from cadres.models import TaskForce

    assert TaskForce.objects.get().units == ["县财政局"]
