"""Imports that say everything: every bad cell of a row with its value quoted, mobile numbers
checked, validation over whole template columns; the account pages' region picker and the
accounts listed by pinyin."""

from __future__ import annotations

import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from cadres import people_import
from cadres.models import AccountEvent, Role, User
from config.names import pinyin_key
from tests.factories import PostFactory, UserFactory, VillageFactory

from .sheets import xlsx


def _person(name, phone, role, code, star=None, username=None):
    return [name, phone, role, code, star, None, None, username, None]


def test_two_bad_cells_of_one_row_are_both_reported_with_their_values(county_admin, township, village):
    before = User.objects.count()
    rows = [
        _person("王专干", "13900000001", "乡镇专干", township.code),
        # a 10-digit phone and a code that is no region of the county, in the same row
        _person("李书记", "1390000000", "村党支部书记", "419901001099"),
    ]
    result = people_import.import_apply(file=xlsx(people_import.SHEET, rows), county=township.parent, by=county_admin)
    assert result.messages() == [
        "第 3 行 第 B 列（手机号）：“1390000000”有误：手机号应为11位数字，以13至19开头",
        "第 3 行 第 D 列（任职区划代码）：区划代码“419901001099”不是本县已有的区划",
    ]
    assert User.objects.count() == before and not AccountEvent.objects.exists()


@pytest.mark.parametrize("phone", ["1390000000", "139000000012", "12900000001", "2390000000a"])
def test_mobile_numbers_are_eleven_digits_starting_13_to_19(county_admin, township, phone):
    result = people_import.import_apply(file=xlsx(people_import.SHEET, [_person("王专干", phone, "乡镇专干", township.code)]),
                                        county=township.parent, by=county_admin)
    assert [(e["row"], e["column"]) for e in result.errors] == [(2, "B")]
    assert f"“{phone}”" in result.messages()[0]


def test_bad_role_and_bad_star_username_quote_their_values(county_admin, township, village):
    rows = [_person("钱书记", "13900000002", "村党支部书记", village.code, star="产业兴旺星", username="a b")]
    result = people_import.import_apply(file=xlsx(people_import.SHEET, rows), county=township.parent, by=county_admin)
    text = "\n".join(result.messages())
    assert "“产业兴旺星”：只有星级牵头部门填写牵头星" in text and "“a b”有误" in text


def test_template_validation_covers_whole_columns(county):
    sheet = load_workbook(io.BytesIO(people_import.template()))[people_import.SHEET.name]
    ranges = {str(dv.sqref) for dv in sheet.data_validations.dataValidation}
    assert "C2:C1048576" in ranges and "D2:D1048576" in ranges and "B2:B1048576" in ranges


def test_account_form_groups_villages_under_their_township_with_codes(client_for, county_admin, township, village,
                                                                      other_township):
    VillageFactory(parent=other_township, code="419901002001", name="柳林村")
    page = client_for(county_admin).get(reverse("cadres:account_create")).content.decode()
    select = re.search(r'<select name="region"[^>]*data-region-picker[^>]*>(.*?)</select>', page, re.S).group(1)
    groups = re.findall(r'<optgroup label="([^"]+)">(.*?)</optgroup>', select, re.S)
    assert [label for label, _ in groups] == ["县（区）", "城关镇", "河西乡"]
    first_options = re.findall(r'data-code="(\d+)"[^>]*>([^<]+)<', groups[1][1])
    assert first_options == [(township.code, "城关镇（乡镇）"), (village.code, "东风村（行政村）")]


def test_accounts_are_listed_by_pinyin(client_for, county_admin, village):
    for name in ["张伟", "王芳", "李娜", "刘洋", "安琪"]:
        PostFactory(user=UserFactory(full_name=name, username=f"u{pinyin_key(name)[0].replace(' ', '')}"),
                    role=Role.VILLAGE_SECRETARY, region=village)
    page = client_for(county_admin).get(reverse("cadres:account_list")).content.decode()
    shown = [n for n in re.findall(r"(安琪|李娜|刘洋|王芳|张伟)", page)]
    assert list(dict.fromkeys(shown)) == ["安琪", "李娜", "刘洋", "王芳", "张伟"]
    # By character code 张 (U+5F20) would come before 李 (U+674E) and 王 (U+738B).
    assert sorted(["张伟", "李娜"]) == ["张伟", "李娜"]
