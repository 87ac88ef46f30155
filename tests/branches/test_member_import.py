"""The township's member roster import: per-cell errors, all or nothing, idempotent, scoped."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from branches import member_import as mi
from branches.models import Branch, Member, RecordEvent
from tests.factories import BranchFactory
from tests.golive.sheets import xlsx

pytestmark = pytest.mark.django_db


def row(code, name="王建国", **over):
    values = {"village": "", "gender": "男", "birth": 1968, "joined": "1995-07-01", "standing": "正式党员",
              "category": "无职党员", "role": "", "phone": "13812345678", "contact": "", "note": ""}
    values.update(over)
    return [code, values["village"], name, values["gender"], values["birth"], values["joined"], values["standing"],
            values["category"], values["role"], values["phone"], values["contact"], values["note"]]


@pytest.fixture
def branches(village, other_village, foreign_village):
    return [BranchFactory(village=v) for v in (village, other_village, foreign_village)]


def test_good_file_imports_once_and_counts_follow(branches, township, village, other_village, township_clerk):
    rows = [row(village.code), row(village.code, "李芳", gender="女", standing="预备党员"),
            row(other_village.code, "赵强", category="流动党员", contact="张书记")]
    result = mi.import_apply(file=xlsx(mi.SHEET, rows), region=township, by=township_clerk)
    assert result.ok and result.created == 3
    branch = Branch.objects.get(village=village)
    assert (branch.member_count, branch.probationary_count) == (2, 1)
    assert RecordEvent.objects.filter(record_type="member").count() == 3
    again = mi.import_apply(file=xlsx(mi.SHEET, rows), region=township, by=township_clerk)
    assert again.ok and (again.created, again.updated, again.unchanged) == (0, 0, 3)
    changed = mi.import_apply(file=xlsx(mi.SHEET, [row(village.code, category="在职党员")]), region=township,
                              by=township_clerk)
    assert changed.updated == 1 and Member.objects.get(name="王建国").category == "in_work"


def test_every_bad_cell_is_named_and_nothing_is_written(branches, township, village, foreign_village, township_clerk):
    rows = [row(village.code),
            row(foreign_village.code, "外乡人"),                       # another township
            row(village.code, "李芳", phone="12345", birth="很早"),     # two bad cells
            row(village.code, "赵强", category="流动党员"),             # no contact person
            row(village.code, "钱六", birth=2015, joined="2020-01-01"),  # joined before 18
            row(village.code)]                                         # twice
    result = mi.import_apply(file=xlsx(mi.SHEET, rows), region=township, by=township_clerk)
    messages = result.messages()
    assert not result.ok and Member.objects.count() == 0
    assert any("第 3 行 第 A 列" in m and "不是本乡镇" in m for m in messages)
    assert any("第 4 行 第 J 列（手机号）" in m for m in messages)
    assert any("第 4 行 第 E 列（出生年份）" in m for m in messages)
    assert any("第 5 行 第 K 列（联系人）：流动党员须填写联系人" in m for m in messages)
    assert any("第 6 行 第 F 列（入党日期）" in m for m in messages)
    assert any("第 7 行" in m and "与第 2 行重复" in m for m in messages)


def test_template_has_no_id_card_column_and_holds_the_roster(branches, township, village, township_clerk):
    mi.import_apply(file=xlsx(mi.SHEET, [row(village.code)]), region=township, by=township_clerk)
    sheet = load_workbook(io.BytesIO(mi.template(region=township))).active
    headers = [c.value for c in sheet[1]]
    assert not any("身份证" in (h or "") for h in headers)
    assert sheet.cell(row=2, column=3).value == "王建国"


def test_import_page_for_township_clerk_and_403_for_secretary(client_for, branches, village, township_clerk,
                                                              village_secretary):
    client = client_for(township_clerk)
    response = client.post(reverse("branches:member_import"), {"file": xlsx(mi.SHEET, [row(village.code, phone="1")])})
    assert response.status_code == 200 and "导入失败，未保存任何数据" in response.content.decode()
    assert client.get(reverse("branches:member_import_template")).status_code == 200
    assert client_for(village_secretary).get(reverse("branches:member_import")).status_code == 403


def test_wrong_file_is_a_chinese_message(client_for, branches, township_clerk):
    response = client_for(township_clerk).post(reverse("branches:member_import"),
                                               {"file": xlsx(mi.SHEET, [["x"]], headers=["乱写"])})
    assert response.status_code == 200 and "表头不符" in response.content.decode()


def test_branch_import_keeps_the_roster_counts(branches, township, village, township_clerk, county):
    from branches import branch_import

    mi.import_apply(file=xlsx(mi.SHEET, [row(village.code)]), region=township, by=township_clerk)
    file = xlsx(branch_import.SHEET, [[village.code, "", "东风村党支部", "党支部", "", "", "", "", 99, 3, 3, ""]])
    assert branch_import.import_apply(file=file, county=county).ok
    assert Branch.objects.get(village=village).member_count == 1


def test_county_template_masks_phones_and_a_masked_phone_means_unchanged(branches, township, county, village,
                                                                         township_clerk, county_admin):
    mi.import_apply(file=xlsx(mi.SHEET, [row(village.code)]), region=township, by=township_clerk)
    sheet = load_workbook(io.BytesIO(mi.template(region=county))).active
    assert sheet.cell(row=2, column=10).value == "138****5678"
    township_sheet = load_workbook(io.BytesIO(mi.template(region=township))).active
    assert township_sheet.cell(row=2, column=10).value == "13812345678"
    again = mi.import_apply(file=xlsx(mi.SHEET, [row(village.code, phone="138****5678")]), region=county,
                            by=county_admin)
    assert again.ok and again.unchanged == 1 and Member.objects.get().phone == "13812345678"
    wrong = mi.import_apply(file=xlsx(mi.SHEET, [row(village.code, phone="139****5678")]), region=county,
                            by=county_admin)
    assert not wrong.ok and "与系统中该党员的手机号不符" in wrong.messages()[0]
