"""The bulletin form asks "确定生成该月通报？" when it is sent, never when one of its fields is
clicked: `form[data-confirm]` in static/js/app.js, in Chromium."""

from __future__ import annotations

import pytest
from django.urls import reverse

from reports.models import Bulletin

from .test_bulletin import close_month

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_bulletin_form_confirms_only_when_sent(browser_page, county_admin, county):
    close_month(county, 2026, 5)
    page = browser_page.login(county_admin)
    dialogs: list[str] = []

    def answer(dialog):
        dialogs.append(dialog.message)
        dialog.dismiss()  # "cancel": nothing is generated

    page.on("dialog", answer)
    page.goto(browser_page.base_url + reverse("reports:bulletin_list"))
    form = page.locator('form[action="/reports/bulletins/generate/"]')
    form.locator("input[name=month]").click()
    form.locator("input[name=year]").click()
    form.locator("input[name=month]").fill("5")
    assert dialogs == []
    with page.expect_event("dialog"):
        form.locator("button").last.click()
    assert len(dialogs) == 1 and dialogs[0].startswith("确定生成该月通报？")
    assert not Bulletin.objects.exists()  # cancelled: the form was not sent
