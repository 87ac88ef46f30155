"""The plan as of a past day in Chromium, at 1280 and 390 px, as the county (organisation
department, county leader) and the township (staff, leader): April shows March's target, not
October's, with the task open then; no horizontal scroll on the phone."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from cadres.models import Role
from ratings.campaign.services.awards import target_set
from ratings.models import ChecklistItem, ItemOrigin, ItemStatus
from tests.factories import PostFactory, UserFactory

from .test_plan_history import LAST, moment, on_day

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _user(username: str, full_name: str, role: str, region):
    user = UserFactory(username=username, full_name=full_name)
    PostFactory(user=user, role=role, region=region)
    return user


def test_the_plan_as_of_april_for_county_and_township(browser_page, screenshot_dir, monkeypatch, county, township,
                                                      village, other_village):
    # People with Chinese names, as a person reads them in the header.
    township_clerk = _user("plan_clerk", "镇组织干事", Role.TOWNSHIP_STAFF, township)
    county_admin = _user("plan_org", "县委组织部", Role.ORGANISATION, county)
    with on_day(monkeypatch, 3, 10):
        target_set(village=village, year=LAST, level=4, target_stars=["branch", "industry", "ecology", "safety"],
                   by=township_clerk)
        target_set(village=other_village, year=LAST, level=3, by=township_clerk)
    with on_day(monkeypatch, 10, 8):
        target_set(village=village, year=LAST, level=5, by=township_clerk)
    ChecklistItem.objects.create(village=village, year=LAST, star="industry", origin=ItemOrigin.GAP,
                                 title="补齐指标 村集体经营性收入", status=ItemStatus.CLOSED,
                                 created_at=moment(2, 1), closed_at=moment(5, 20))
    users = {
        "county_admin": county_admin,
        "county_leader": _user("county_leader", "县领导", Role.COUNTY_LEADER, county),
        "township_clerk": township_clerk,
        "township_leader": _user("township_leader", "镇领导", Role.TOWNSHIP_LEADER, township),
    }
    path = f"{reverse('campaign:township_plan', args=[township.code])}?year={LAST}&as_of={dt.date(LAST, 4, 15)}"
    for name, user in users.items():
        for width in (1280, 390):
            browser_page.context.clear_cookies()
            page = browser_page.login(user, width=width)
            page.goto(f"{browser_page.base_url}{path}")
            candidates = page.locator("#plan-candidates").inner_text()
            assert "东风村" in candidates and "四星" in candidates and "五星" not in candidates
            assert "产业兴旺星" in page.locator("#plan-stars").inner_text()
            assert "东风村（1）" in page.locator("#plan-stars").inner_text()
            assert "按当日有效的目标" in page.locator("#plan-version").inner_text()
            if width == 390:
                assert page.evaluate("document.documentElement.scrollWidth") <= width
            page.screenshot(path=str(screenshot_dir / f"plan_as_of_april_{name}_{width}.png"), full_page=True)
