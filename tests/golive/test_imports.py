"""The going-live imports: all-or-nothing, every bad cell named, the same file twice a no-op."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from branches import branch_import
from branches.models import Branch, CommitteeMember
from cadres import first_secretary_import, people_import
from cadres.models import AccountEvent, FirstSecretary, Post, User, WorkTeamMember
from villages import region_import
from villages.models import Region

from .sheets import xlsx

REGIONS = [
    ["419901001000", "城关镇", None, None, None],
    ["419901001001", "东风村", "行政村", 420, 1600],
    ["419901001002", "建设路社区", "城市社区", None, None],
    ["419901002000", "河西乡", None, None, None],
    ["419901002001", "柳林村", "行政村", None, None],
]


def _cells(result) -> set[tuple]:
    return {(e["row"], e["column"]) for e in result.errors}


def test_region_import_creates_the_tree_and_twice_changes_nothing(county):
    result = region_import.import_apply(file=xlsx(region_import.SHEET, REGIONS), county=county)
    assert result.ok, result.errors
    assert result.created == 5
    village = Region.objects.get(code="419901001002")
    assert village.parent.code == "419901001000" and village.kind == "urban" and village.level == "village"
    assert Region.objects.get(code="419901001001").households == 420
    again = region_import.import_apply(file=xlsx(region_import.SHEET, REGIONS), county=county)
    assert again.ok and again.created == again.updated == 0 and again.unchanged == 5


def test_region_import_refuses_every_bad_cell_and_writes_nothing(county):
    rows = [
        ["419901001000", "城关镇", "行政村", None, None],        # a township with a kind
        ["41990100100", "东风村", "行政村", None, None],          # 11 digits
        ["419902001001", "外县村", "行政村", None, None],         # another county
        ["419901003001", "无主村", "行政村", None, None],         # township neither in file nor stored
        ["419901001002", "", "行政村", None, None],              # name missing
        ["419901001003", "三村", "村委", None, None],             # not a kind
        ["419901001004", "四村", None, None, None],              # kind missing
        ["419901001005", "五村", "行政村", "很多", None],          # not a number
        ["419901000001", "错码", "行政村", None, None],           # township digits 000
        ["419901001006", "六村", "行政村", None, None],
        ["419901001006", "六村", "行政村", None, None],           # duplicate code
    ]
    result = region_import.import_apply(file=xlsx(region_import.SHEET, rows), county=county)
    assert not result.ok
    assert {(2, "C"), (3, "A"), (4, "A"), (5, "A"), (6, "B"), (7, "C"), (8, "C"), (9, "D"), (10, "A"), (12, "A")} <= _cells(result)
    assert any("与第 11 行重复" in e["reason"] for e in result.errors)
    assert not any("不在本文件中" in e["reason"] for e in result.errors if e["row"] in (6, 11))
    assert "第 3 行 第 A 列（区划代码）：“41990100100”有误：区划代码必须是12位数字" in result.messages()
    assert not Region.objects.exclude(pk=county.pk).exclude(level__in=["province", "city"]).exists()


def test_region_import_deactivates_vanished_codes_only_for_a_complete_list(county):
    region_import.import_apply(file=xlsx(region_import.SHEET, REGIONS), county=county)
    renamed = [r for r in REGIONS if r[0] != "419901002001"] + [["419901002002", "柳林新村", "行政村", None, None]]
    partial = region_import.import_apply(file=xlsx(region_import.SHEET, renamed), county=county)
    assert partial.ok and partial.deactivated == 0 and partial.unlisted == 1
    assert Region.objects.get(code="419901002001").is_active
    complete = region_import.import_apply(file=xlsx(region_import.SHEET, renamed), county=county, complete=True)
    assert complete.ok and complete.deactivated == 1
    gone = Region.objects.get(code="419901002001")
    assert not gone.is_active  # kept, never deleted
    back = region_import.import_apply(file=xlsx(region_import.SHEET, REGIONS), county=county)
    assert back.updated == 1 and Region.objects.get(code="419901002001").is_active


def test_a_complete_list_ends_the_posts_over_the_villages_it_deactivates(county, county_admin):
    from tests.factories import PostFactory, UserFactory

    region_import.import_apply(file=xlsx(region_import.SHEET, REGIONS), county=county)
    gone = Region.objects.get(code="419901002001")
    kept = Region.objects.get(code=next(r[0] for r in REGIONS if r[2] == "行政村" and r[0] != gone.code))
    secretary = PostFactory(user=UserFactory(username="gone_secretary"), role="village_secretary", region=gone)
    other = PostFactory(user=UserFactory(username="kept_secretary"), role="village_secretary", region=kept)
    renamed = [r for r in REGIONS if r[0] != gone.code]
    result = region_import.import_apply(file=xlsx(region_import.SHEET, renamed), county=county, complete=True,
                                        by=county_admin)
    assert result.deactivated == 1 and result.posts_ended == 1
    secretary.refresh_from_db()
    other.refresh_from_db()
    assert not secretary.is_active and secretary.end_date is not None and other.is_active
    event = AccountEvent.objects.get(user=secretary.user, action=AccountEvent.Action.POST_END)
    assert event.actor == county_admin and event.before["is_active"] and not event.after["is_active"]


def test_not_an_excel_file_or_wrong_headers_is_refused(county):
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(ValidationError, match="Excel"):
        region_import.import_apply(file=SimpleUploadedFile("x.xlsx", b"PK\x03\x04 not really"), county=county)
    with pytest.raises(ValidationError, match="表头不符"):
        region_import.import_apply(file=xlsx(region_import.SHEET, REGIONS, headers=["代码", "名称"]), county=county)
    with pytest.raises(ValidationError, match="没有任何数据行"):
        region_import.import_apply(file=xlsx(region_import.SHEET, []), county=county)


def test_template_carries_data_validation_and_the_stored_list(county, village):
    workbook = load_workbook(__import__("io").BytesIO(region_import.template(county=county)))
    sheet = workbook[region_import.SHEET.name]
    assert [c.value for c in sheet[1]] == region_import.SHEET.headers
    assert sheet["A3"].value == village.code
    kinds = [dv for dv in sheet.data_validations.dataValidation if dv.type == "list"]
    assert kinds and kinds[0].formula1 == '"行政村,城市社区"'


BRANCH = ["419901001001", "东风村", "东风村党支部", "党支部", "张书记", "13800000001", "是", "2021-01-05", 35, 2, 5,
          "张书记（书记）、李四（组织委员）"]


def test_branch_import_creates_updates_and_twice_changes_nothing(village):
    result = branch_import.import_apply(file=xlsx(branch_import.SHEET, [BRANCH]), county=village.parent.parent)
    assert result.ok, result.errors
    branch = Branch.objects.get(village=village)
    assert branch.secretary_is_head and branch.member_count == 35 and branch.secretary_since == dt.date(2021, 1, 5)
    assert list(branch.committee.values_list("name", "position")) == [("张书记", "书记"), ("李四", "组织委员")]
    again = branch_import.import_apply(file=xlsx(branch_import.SHEET, [BRANCH]), county=village.parent.parent)
    assert again.unchanged == 1 and again.created == again.updated == 0
    changed = BRANCH[:10] + [5, "张书记（书记）"]
    third = branch_import.import_apply(file=xlsx(branch_import.SHEET, [changed]), county=village.parent.parent)
    assert third.updated == 1 and CommitteeMember.objects.filter(branch=branch).count() == 1


def test_branch_import_names_every_bad_cell_and_writes_nothing(village, foreign_village):
    rows = [
        ["419901009001"] + BRANCH[1:],                                 # unknown village
        [village.code, "红旗村"] + BRANCH[2:],                          # name does not match the code
        BRANCH[:6] + ["也许"] + BRANCH[7:],                             # not 是/否
        [foreign_village.code, None, "柳林村党支部", "党小组"] + BRANCH[4:],  # not an org type
        [foreign_village.code, None, "柳林村党支部", "党支部", None, "1380", None, "2021-13-40", 3, 5, None, "王五"],
    ]
    result = branch_import.import_apply(file=xlsx(branch_import.SHEET, rows), county=village.parent.parent)
    assert not result.ok
    assert {(2, "A"), (3, "B"), (4, "G"), (5, "D"), (6, "F"), (6, "H")} <= _cells(result)
    assert not Branch.objects.exists()


def _person(name, phone, role, code, star=None, username=None):
    return [name, phone, role, code, star, None, None, username, None]


def test_people_import_issues_one_time_passwords_once_and_twice_changes_nothing(county_admin, township, village):
    rows = [
        _person("王专干", "13900000001", "乡镇专干", township.code),
        _person("李书记", "13900000002", "村党支部书记", village.code),
        _person("赵部长", "13900000003", "星级牵头部门", county_admin.posts.get().region.code, star="产业兴旺星"),
        _person("赵部长", "13900000003", "星级牵头部门", county_admin.posts.get().region.code, star="平安法治星"),
    ]
    result = people_import.import_apply(file=xlsx(people_import.SHEET, rows), county=township.parent, by=county_admin)
    assert result.ok, result.errors
    assert result.created == 3 and len(result.issued) == 3
    clerk = User.objects.get(full_name="王专干")
    assert clerk.username == "zg419901001" and clerk.must_change_password
    issued = next(i for i in result.issued if i["username"] == clerk.username)
    assert clerk.check_password(issued["password"])
    assert Post.objects.filter(user__full_name="赵部长").count() == 2
    assert AccountEvent.objects.filter(user=clerk, action="import", actor=county_admin).exists()
    again = people_import.import_apply(file=xlsx(people_import.SHEET, rows), county=township.parent, by=county_admin)
    assert again.ok and again.created == 0 and again.unchanged == 4 and not again.issued
    sheet = load_workbook(__import__("io").BytesIO(people_import.issued_sheet(result.issued))).active
    assert sheet["D1"].value == "一次性密码" and sheet.max_row >= 4


def test_people_import_names_every_bad_cell_and_writes_nothing(county_admin, township, village):
    before = User.objects.count()
    rows = [
        _person("王专干", "13900000001", "乡镇专干", village.code),                  # a village for a township role
        _person("赵部长", "13900000003", "星级牵头部门", township.parent.code),        # star missing
        _person("李书记", "1390000", "村党支部书记", village.code),                    # phone
        _person("钱书记", None, "村党支部书记", village.code, star="产业兴旺星"),        # star forbidden
        _person("孙书记", None, "村书记", village.code),                             # not a role
        _person("周书记", None, "村党支部书记", "419901001099"),                      # unknown region
        _person("吴书记", None, "村党支部书记", village.code, username="county_admin"),  # someone else's username
        _person("郑书记", "13900000009", "村党支部书记", village.code),
        _person("郑书记", "13900000009", "村党支部书记", village.code),                # the same post twice
    ]
    result = people_import.import_apply(file=xlsx(people_import.SHEET, rows), county=township.parent, by=county_admin)
    assert not result.ok
    assert {(2, "D"), (3, "E"), (4, "B"), (5, "E"), (6, "C"), (7, "D"), (8, "H"), (10, "C")} <= _cells(result)
    assert User.objects.count() == before and not AccountEvent.objects.exists()


FS = ["刘书记", "男", "13700000001", "省财政厅", "省派", "科长", "419901001001", "2025-03-01", "2027-02-28",
      "王五（县农业农村局）、赵六（县财政局）"]


def test_first_secretary_import_creates_links_login_and_twice_changes_nothing(county_admin, village):
    people_import.import_apply(file=xlsx(people_import.SHEET, [_person("刘书记", "13700000001", "驻村第一书记",
                                                                      village.code)]),
                               county=village.parent.parent, by=county_admin)
    result = first_secretary_import.import_apply(file=xlsx(first_secretary_import.SHEET, [FS]),
                                                 county=village.parent.parent)
    assert result.ok, result.errors
    record = FirstSecretary.objects.get()
    assert record.dispatch_level == "province" and record.user.full_name == "刘书记"
    assert list(WorkTeamMember.objects.values_list("name", "unit")) == [("王五", "县农业农村局"), ("赵六", "县财政局")]
    again = first_secretary_import.import_apply(file=xlsx(first_secretary_import.SHEET, [FS]),
                                                county=village.parent.parent)
    assert again.unchanged == 1 and FirstSecretary.objects.count() == 1


def test_first_secretary_import_names_every_bad_cell_and_writes_nothing(village):
    rows = [
        FS[:4] + ["乡派"] + FS[5:],                                  # not a dispatch level
        FS[:6] + ["419901001000"] + FS[7:],                         # a township, not a village
        FS[:7] + ["2026-05-01", "2026-01-01"] + FS[9:],             # term ends before it starts
        FS[:3] + [None] + FS[4:],                                   # unit missing
        FS[:9] + ["王五（县农业农村局"],                               # team format
    ]
    result = first_secretary_import.import_apply(file=xlsx(first_secretary_import.SHEET, rows),
                                                 county=village.parent.parent)
    assert not result.ok
    assert {(2, "E"), (3, "G"), (4, "I"), (5, "D"), (6, "J")} <= _cells(result)
    assert not FirstSecretary.objects.exists()


def test_import_query_counts_do_not_grow_with_the_file(county, county_admin, django_assert_max_num_queries):
    rows = [["419901001000", "城关镇", None, None, None]] + [
        [f"419901001{n:03d}", f"村{n}", "行政村", None, None] for n in range(1, 81)]
    with django_assert_max_num_queries(12):
        assert region_import.import_apply(file=xlsx(region_import.SHEET, rows), county=county).ok
    people = [[f"书记{n}", f"137{n:08d}", "村党支部书记", f"419901001{n:03d}", None, None, None, None, None]
              for n in range(1, 81)]
    with django_assert_max_num_queries(15):
        assert people_import.import_apply(file=xlsx(people_import.SHEET, people), county=county, by=county_admin).ok
    assert Post.objects.filter(role="village_secretary").count() == 80
