"""The income Excel import: all or nothing, every bad cell named by row and column; the
template goes round-trip."""

import io
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from projects.income_import import (
    HEADERS,
    MSG_BAD_HEADER,
    MSG_NOT_EXCEL,
    import_apply,
    template_build,
)
from projects.models import CollectiveIncome, CollectiveIncomeMonth
from projects.services import income_month_save, income_year_save


def _xlsx(rows, headers=HEADERS) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    ws.append(list(headers))
    for row in rows:
        ws.append(list(row))
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    buffer.name = "incomes.xlsx"
    return buffer


def _nothing_saved():
    return not CollectiveIncome.objects.exists() and not CollectiveIncomeMonth.objects.exists()


GOOD = ["419901001001", "东风村", 2026, 1, 12000, 8000]


def test_clean_file_saves_years_and_months_with_a_summary(village, other_village, township_clerk):
    result = import_apply(file=_xlsx([
        GOOD, ["419901001001", "东风村", 2026, 2, "13000.50", 9000],
        ["419901001002", "红旗村", 2025, None, 300000, 120000],
    ]), by=township_clerk)
    assert result.ok, result.errors
    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    year = CollectiveIncome.objects.get(village=village, year=2026)
    assert (year.total, year.operating, year.source) == (D("25000.50"), D(17000), "monthly")
    assert CollectiveIncome.objects.get(village=other_village, year=2025).total == D(300000)
    assert year.created_by == township_clerk


def test_same_file_twice_changes_nothing_more(village, township_clerk):
    import_apply(file=_xlsx([GOOD]), by=township_clerk)
    result = import_apply(file=_xlsx([GOOD]), by=township_clerk)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 1)
    changed = import_apply(file=_xlsx([GOOD[:4] + [15000, 8000]]), by=township_clerk)
    assert changed.updated == 1
    assert CollectiveIncome.objects.get(village=village).total == D(15000)


@pytest.mark.parametrize(("row", "expected"), [
    (["419901009999", "", 2026, 1, 100, 0], "第 3 行 第 A 列（区划代码）：区划代码“419901009999”不存在"),
    (["419901001000", "", 2026, 1, 100, 0], "第 3 行 第 A 列（区划代码）：区划代码“419901001000”不是村（社区）"),
    (["419901002001", "", 2026, 1, 100, 0], "第 3 行 第 A 列（区划代码）：区划代码“419901002001”不存在或不在您的管辖范围内"),
    ([None, "", 2026, 1, 100, 0], "第 3 行 第 A 列（区划代码）：请填写区划代码"),
    (["419901001002", "", "去年", 1, 100, 0], "第 3 行 第 C 列（年度）：年度应为2000至2100之间的整数"),
    (["419901001002", "", 2026, 13, 100, 0], "第 3 行 第 D 列（月份（年度收入留空））：月份应为1至12之间的整数"),
    (["419901001002", "", 2026, 1, "十万", 0], "第 3 行 第 E 列（集体经济总收入（元））：“十万”不是有效的金额"),
    (["419901001002", "", 2026, 1, -5, 0], "第 3 行 第 E 列（集体经济总收入（元））：金额不能为负数"),
    (["419901001002", "", 2026, 1, "1.234", 0], "第 3 行 第 E 列（集体经济总收入（元））：金额最多保留两位小数"),
    (["419901001002", "", 2026, 1, 100, None], "第 3 行 第 F 列（其中经营性收入（元））：请填写金额"),
    (["419901001002", "", 2026, 1, 100, 101], "第 3 行 第 F 列（其中经营性收入（元））：经营性收入不能大于集体经济总收入"),
    (GOOD, "第 3 行 第 A 列（区划代码）：与第 2 行重复"),
    (["419901001001", "", 2026, None, 100, 0], "第 3 行 第 D 列（月份（年度收入留空））：同一村同一年度不能既填年度收入又填月度收入（见第 2 行）"),
])
def test_one_bad_row_refuses_the_whole_file(village, other_village, foreign_village, township_clerk, row, expected):
    result = import_apply(file=_xlsx([GOOD, row]), by=township_clerk)
    assert not result.ok
    assert any(e.startswith(expected) for e in result.errors), result.errors
    assert _nothing_saved()


def test_every_error_is_listed_in_row_order(village, township_clerk):
    result = import_apply(file=_xlsx([GOOD, ["x", "", 1999, 0, "a", "b"], GOOD]), by=township_clerk)
    assert [e.split("：")[0] for e in result.errors] == [
        "第 3 行 第 A 列（区划代码）", "第 3 行 第 C 列（年度）", "第 3 行 第 D 列（月份（年度收入留空））",
        "第 3 行 第 E 列（集体经济总收入（元））", "第 3 行 第 F 列（其中经营性收入（元））", "第 4 行 第 A 列（区划代码）"]
    assert _nothing_saved()


def test_rules_against_stored_years_are_checked_before_writing(village, other_village, township_clerk):
    income_year_save(village=village, year=2025, total=D(100), operating=D(0), by=township_clerk)
    income_month_save(village=other_village, year=2025, month=1, total=D(100), operating=D(0), by=township_clerk)
    result = import_apply(file=_xlsx([
        ["419901002999", "", 2024, None, 1, 0],
        ["419901001001", "", 2025, 2, 50, 0],
        ["419901001002", "", 2025, None, 50, 0],
    ]), by=township_clerk)
    assert "第 3 行 第 D 列（月份（年度收入留空））：该村该年度已按年度填报收入" in result.errors[1]
    assert "第 4 行 第 D 列（月份（年度收入留空））：该村该年度已按月填报" in result.errors[2]
    assert CollectiveIncomeMonth.objects.count() == 1 and CollectiveIncome.objects.count() == 2


def test_not_an_excel_file_or_wrong_header_is_refused(village, township_clerk):
    with pytest.raises(ValidationError, match=MSG_NOT_EXCEL):
        import_apply(file=io.BytesIO(b"village,year\n"), by=township_clerk)
    with pytest.raises(ValidationError, match="表头不符"):
        import_apply(file=_xlsx([GOOD], headers=["code", "name"]), by=township_clerk)
    assert MSG_BAD_HEADER.startswith("表头不符")
    with pytest.raises(ValidationError, match="没有任何数据行"):
        import_apply(file=_xlsx([]), by=township_clerk)


def test_template_round_trip(village, other_village, foreign_village, township_clerk):
    """Download the month's template, fill the amounts, upload it: every village is saved."""
    content = template_build(villages=[village, other_village], year=2026, month=4)
    wb = load_workbook(io.BytesIO(content))
    ws = wb.active
    assert [c.value for c in ws[1]] == HEADERS
    assert [ws.cell(row=r, column=1).value for r in (2, 3)] == ["419901001001", "419901001002"]
    for r, amount in ((2, 40000), (3, 55000.5)):
        ws.cell(row=r, column=5, value=amount)
        ws.cell(row=r, column=6, value=10000)
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    result = import_apply(file=buffer, by=township_clerk)
    assert result.ok and result.created == 2
    assert CollectiveIncomeMonth.objects.get(village=other_village, month=4).total == D("55000.50")
    again = load_workbook(io.BytesIO(template_build(villages=[village], year=2026, month=4))).active
    assert again.cell(row=2, column=5).value == 40000


def test_import_page_refuses_a_wrong_village_code_and_saves_nothing(client_for, village, township_clerk):
    response = client_for(township_clerk).post(reverse("projects:income_import"), {
        "file": _xlsx([GOOD, ["419901009999", "", 2026, 1, 100, 0]])})
    assert response.status_code == 400
    text = response.content.decode()
    assert "导入失败，未保存任何数据" in text and "第 3 行 第 A 列（区划代码）：区划代码“419901009999”不存在" in text
    assert _nothing_saved()


def test_import_page_shows_the_summary(client_for, village, township_clerk):
    response = client_for(township_clerk).post(reverse("projects:income_import"), {"file": _xlsx([GOOD])})
    assert response.status_code == 200
    assert "导入成功：共 1 行，新增 1 条" in response.content.decode()


def test_template_download_lists_only_editable_villages(client_for, village, foreign_village, township_clerk):
    response = client_for(township_clerk).get(reverse("projects:income_template"), {"year": 2026, "month": 3})
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).active
    codes = [ws.cell(row=r, column=1).value for r in range(2, ws.max_row + 1)]
    assert codes == ["419901001001"]
    assert ws.cell(row=2, column=4).value == 3


def test_read_only_roles_cannot_import_or_download(client_for, village, village_secretary, branch_reviewer):
    for user in (village_secretary, branch_reviewer):
        client = client_for(user)
        assert client.post(reverse("projects:income_import"), {"file": _xlsx([GOOD])}).status_code == 403
        assert client.get(reverse("projects:income_template")).status_code == 403
    assert _nothing_saved()


def test_an_income_import_is_listed_as_a_job_run(client_for, village, township_clerk):
    from config.models import JobKind, JobRun, JobState

    client = client_for(township_clerk)
    client.post(reverse("projects:income_import"), {"file": _xlsx([GOOD, ["419901009999", "", 2026, 1, 100, 0]])})
    client.post(reverse("projects:income_import"), {"file": _xlsx([GOOD])})
    runs = list(JobRun.objects.filter(kind=JobKind.IMPORT).order_by("pk"))
    assert [r.state for r in runs] == [JobState.FAILED, JobState.DONE]
    assert runs[0].error.startswith("集体经济收入导入未通过") and "新增 1 条" in runs[1].result
    assert runs[1].county == village.parent.parent
