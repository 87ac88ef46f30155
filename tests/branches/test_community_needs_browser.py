"""Communities' needs and resources in Chromium, each role on its own screen: the community's
secretary records a resource and a residents' need on a 390 px phone, matches them and marks the
need done (confirming); the township sees the community's counts; every page is screenshot at
1280 and 390 px as each role that can reach it."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from branches.models_community import CommunityNeed, NeedStatus
from cadres.models import Role
from tests.factories import PostFactory, UserFactory, VillageFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE, DESKTOP = 390, 1280



def _no_horizontal_scroll(page, width):
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.fixture
def community(township):
    return VillageFactory(parent=township, code="419901001101", name="长安社区", kind="urban")


@pytest.fixture
def community_secretary(community):
    user = UserFactory(username="community_secretary", full_name="郑书记")
    PostFactory(user=user, role=Role.VILLAGE_SECRETARY, region=community)
    return user


def test_secretary_matches_a_need_to_a_resource_on_a_phone_and_the_township_sees_it_done(
        browser_page, screenshot_dir, community, community_secretary, township_clerk):
    # 1. On a phone: a resource, then a need, matched and done.
    page = browser_page.open_as(community_secretary, reverse("branches:community_index"), width=PHONE)
    page.click(".nav-tabs a:has-text('资源清单')")
    page.click("[data-testid=resource-new]")
    page.fill("#id_provider_name", "县人民医院")
    page.select_option("#id_provider_kind", "unit")
    page.select_option("#id_category", "health")
    page.fill("#id_description", "每月一次进社区义诊")
    page.screenshot(path=str(screenshot_dir / "community_resource_form_phone.png"), full_page=True)
    _no_horizontal_scroll(page, PHONE)
    page.click("[data-testid=save]")
    page.wait_for_selector(".alert-success")
    page.click(".nav-tabs a:has-text('需求清单')")
    page.click("[data-testid=need-new]")
    page.fill("#id_title", "高血压老人定期测量血压")
    page.select_option("#id_category", "health")
    page.fill("#id_raised_by", "3号楼居民")
    page.click("[data-testid=save]")
    page.wait_for_selector("text=对接资源")
    assert page.locator("#id_resource option:checked").inner_text() == "县人民医院：每月一次进社区义诊"
    page.screenshot(path=str(screenshot_dir / "community_need_match_phone.png"), full_page=True)
    _no_horizontal_scroll(page, PHONE)
    page.click("[data-testid=match]")
    page.wait_for_selector("#need-status:has-text('已对接')")
    page.fill("#id_note", "已为 12 位老人测量")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-testid=done]")
    page.wait_for_selector("#need-status:has-text('已办结')")
    assert "计入" in page.inner_text(".alert-success")
    page.screenshot(path=str(screenshot_dir / "community_need_done_phone.png"), full_page=True)
    need = CommunityNeed.objects.get()
    assert need.status == NeedStatus.DONE and need.matches.get().done_on == timezone.localdate()

    # 2. The township's overview counts it done.
    page = browser_page.open_as(township_clerk, reverse("branches:community_index"))
    row = page.locator("#community-counts tbody tr", has_text="长安社区")
    assert row.locator("td").nth(4).inner_text() == "1"
    page.screenshot(path=str(screenshot_dir / "community_index_township.png"), full_page=True)


def test_declining_the_confirmation_leaves_the_match_under_way(browser_page, community, community_secretary):
    from branches.services_community import need_match, need_record, resource_record

    today = timezone.localdate()
    resource = resource_record(by=community_secretary, community=community, provider_name="县供电公司",
                               provider_kind="enterprise", category="environment", description="线路检查",
                               offered_on=today)
    need = need_record(by=community_secretary, community=community, title="楼道照明损坏", category="environment",
                       raised_on=today)
    need_match(by=community_secretary, need=need, resource=resource, matched_on=today)
    page = browser_page.open_as(community_secretary, reverse("branches:need_detail", args=[need.pk]), width=PHONE)
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.click("text=取消对接")
    assert CommunityNeed.objects.get().status == NeedStatus.MATCHED


def test_every_community_page_at_both_widths_for_each_role(browser_page, screenshot_dir, community,
                                                           community_secretary, township_clerk, county_admin):
    from branches.services_community import need_record

    need = need_record(by=community_secretary, community=community, title="独居老人助餐", category="elderly",
                       raised_on=timezone.localdate())
    pages = [
        (county_admin, "org", reverse("branches:community_index")),
        (county_admin, "org", reverse("branches:community_page", args=[community.code])),
        (township_clerk, "clerk", reverse("branches:community_index")),
        (township_clerk, "clerk", f"{reverse('branches:community_page', args=[community.code])}?tab=resources"),
        (township_clerk, "clerk", reverse("branches:need_detail", args=[need.pk])),
        (community_secretary, "secretary", reverse("branches:community_page", args=[community.code])),
        (community_secretary, "secretary", reverse("branches:need_new", args=[community.code])),
    ]
    for user, who, path in pages:
        for width in (DESKTOP, PHONE):
            page = browser_page.open_as(user, path, width=width)
            assert page.locator("h1").count() == 1
            name = path.strip("/").replace("/", "_").replace("?", "_").replace("=", "_")
            page.screenshot(path=str(screenshot_dir / f"{name}_{who}_{width}.png"), full_page=True)
            if width == PHONE:
                _no_horizontal_scroll(page, PHONE)
