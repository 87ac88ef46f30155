"""Township staff download the income template, upload it with a mistake (nothing is saved,
the cell is named), fix it and upload again."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from projects.models import CollectiveIncome

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _upload(page, path):
    page.set_input_files("input[type=file]", str(path))
    page.click("main button:has-text('导入')")
    page.wait_for_load_state("networkidle")


def test_clerk_imports_incomes_after_fixing_a_wrong_code(browser_page, screenshot_dir, tmp_path, township_clerk,
                                                         village, other_village):
    year = timezone.localdate().year
    page = browser_page.login(township_clerk)
    page.goto(f"{browser_page.base_url}{reverse('projects:income_import')}")
    with page.expect_download() as download:
        page.click("main button:has-text('下载模板')")
    template = tmp_path / "template.xlsx"
    download.value.save_as(template)
    workbook = load_workbook(template)
    sheet = workbook.active
    rows = [r for r in sheet.iter_rows(min_row=2) if r[0].value in (village.code, other_village.code)]
    assert len(rows) == 2
    for row, total in zip(rows, (180000, 65000), strict=True):
        row[2].value, row[3].value, row[4].value, row[5].value = year, None, total, total // 2
    rows[1][0].value = "419901999999"  # a code that does not exist
    bad = tmp_path / "bad.xlsx"
    workbook.save(bad)
    _upload(page, bad)
    assert "第 3 行" in page.content() and "A 列" in page.content()
    assert not CollectiveIncome.objects.filter(year=year).exists()
    page.screenshot(path=str(screenshot_dir / "income_import_errors.png"), full_page=True)

    rows[1][0].value = other_village.code
    good = tmp_path / "good.xlsx"
    workbook.save(good)
    _upload(page, good)
    assert {(i.village_id, int(i.total)) for i in CollectiveIncome.objects.filter(year=year)} == {
        (village.pk, 180000), (other_village.pk, 65000)}
