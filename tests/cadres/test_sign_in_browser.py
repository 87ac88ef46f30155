"""A first secretary signs in on a 390 px phone in Chromium."""

import pytest
from django.urls import reverse

from cadres.models import SignIn
from tests.factories import FirstSecretaryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_first_secretary_signs_in_on_a_390px_phone(browser_page, screenshot_dir, first_secretary, village):
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
