"""The Excel round-trip: template, good upload, and every kind of bad file refused whole."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from config.excel import safe_text
from ratings.models import LedgerEntry, LedgerEvent, LedgerStatus
from ratings.services import excel
from ratings.services.ledger import ledger_entries_approve, ledger_entries_submit, ledger_entry_save
from tests.factories import VillageFactory


@pytest.fixture
def villages(township, standard):
    return VillageFactory.create_batch(34, parent=township)


@pytest.fixture
def template(villages, township, standard, this_month):
    def build(star="branch"):
        return load_workbook(io.BytesIO(excel.template_build(
            township=township, year=this_month[0], month=this_month[1], star_code=star, kind="rural",
            standard=standard)))
    return build


def as_upload(workbook, name="台账.xlsx"):
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def fill(workbook, value_for):
    sheet = workbook["台账"]
    codes = [c.value for c in sheet[excel.CODE_ROW]]
    for row in sheet.iter_rows(min_row=excel.FIRST_DATA_ROW):
        for cell, code in zip(row[2:], codes[2:], strict=False):
            cell.value = value_for(code)
    return workbook


def good_value(code):
    if code in ("branch.committee_complete", "branch.three_affairs"):
        return "是"
    if code.endswith("veto"):
        return 0
    return 96


def snapshot():
    return (LedgerEntry.objects.count(), LedgerEvent.objects.count(),
            list(LedgerEntry.objects.order_by("id").values_list("value", "status", "version")))


def test_good_upload_of_a_whole_township_month(template, township_clerk, villages):
    result = excel.upload_apply(file=as_upload(fill(template(), good_value)), by=township_clerk)
    assert result.ok, result.errors
    # 34 villages × the branch star's 5 ledger indicators (meetings, the service centre's duty and
    # errands, and the members' households, posts and points come from the branch records).
    assert result.created >= 170
    assert LedgerEntry.objects.count() == result.created
    assert set(LedgerEntry.objects.values_list("status", flat=True)) == {LedgerStatus.DRAFT}
    assert LedgerEvent.objects.filter(action="import").count() == result.created


def test_same_file_twice_changes_nothing_the_second_time(template, township_clerk):
    workbook = fill(template(), good_value)
    excel.upload_apply(file=as_upload(workbook), by=township_clerk)
    before = snapshot()
    again = excel.upload_apply(file=as_upload(workbook), by=township_clerk)
    assert (again.created, again.changed) == (0, 0) and again.unchanged >= 170
    assert snapshot() == before


def test_template_holds_current_values_and_round_trips(template, township_clerk, villages, this_month, indicator_of):
    ledger_entry_save(village=villages[0], indicator=indicator_of("branch.member_points"), year=this_month[0],
                      month=this_month[1], value="88.5", by=township_clerk)
    sheet = template()["台账"]
    codes = [c.value for c in sheet[excel.CODE_ROW]]
    column = codes.index("branch.member_points")
    # Rows follow the division code; the factory's codes wrap around, so find the village's row by its code.
    rows = {sheet.cell(row=r, column=1).value: r for r in range(excel.FIRST_DATA_ROW, sheet.max_row + 1)}
    assert list(rows) == sorted(v.code for v in villages)
    assert sheet.cell(row=rows[villages[0].code], column=column + 1).value == 88.5
    assert len(sheet.data_validations.dataValidation) >= 5  # one per ledger indicator of the branch star


def test_not_excel_at_all_is_refused(township_clerk, villages):
    before = snapshot()
    with pytest.raises(ValidationError) as error:
        excel.upload_apply(file=SimpleUploadedFile("a.xlsx", b"hello, this is a text file"), by=township_clerk)
    assert error.value.messages == [excel.MSG_NOT_EXCEL]
    assert snapshot() == before


def test_excel_that_is_not_the_template_is_refused(township_clerk, villages):
    workbook = Workbook()
    workbook.active["A1"] = "区划代码"
    with pytest.raises(ValidationError) as error:
        excel.upload_apply(file=as_upload(workbook), by=township_clerk)
    assert error.value.messages == [excel.MSG_NOT_TEMPLATE]
    assert not LedgerEntry.objects.exists()


def test_template_of_other_township_is_refused(template, other_township_clerk):
    with pytest.raises(PermissionDenied):
        excel.upload_apply(file=as_upload(fill(template(), good_value)), by=other_township_clerk)
    assert not LedgerEntry.objects.exists()


def test_each_bad_cell_is_listed_and_nothing_is_written(template, township_clerk, foreign_village):
    workbook = fill(template(), good_value)
    sheet = workbook["台账"]
    codes = [c.value for c in sheet[excel.CODE_ROW]]
    col = {code: index + 1 for index, code in enumerate(codes)}
    first = excel.FIRST_DATA_ROW
    sheet.cell(row=first, column=col["branch.member_points"]).value = "很多"        # wrong type
    sheet.cell(row=first + 1, column=col["branch.member_points"]).value = 120       # out of range
    sheet.cell(row=first + 2, column=col["branch.three_affairs"]).value = "也许"    # not yes/no
    sheet.cell(row=first + 3, column=1).value = "419901001999"                      # unknown code
    sheet.cell(row=first + 4, column=1).value = foreign_village.code                # other township
    before = snapshot()
    result = excel.upload_apply(file=as_upload(workbook), by=township_clerk)
    assert snapshot() == before
    reasons = {(e["row"], e["column"]): e["reason"] for e in result.errors}
    letter = {code: sheet.cell(row=1, column=c).column_letter for code, c in col.items()}
    assert reasons[(first, letter["branch.member_points"])] == "“很多”不是有效的数字"
    assert reasons[(first + 1, letter["branch.member_points"])] == "数值超出允许范围 [0, 100]"
    assert "是/否" in reasons[(first + 2, letter["branch.three_affairs"])]
    assert reasons[(first + 3, "A")] == excel.MSG_UNKNOWN_CODE.format(code="419901001999")
    assert reasons[(first + 4, "A")] == excel.MSG_VILLAGE_OUT_OF_SCOPE.format(code=foreign_village.code)
    assert len(result.errors) == 5


def test_a_locked_entry_cannot_be_changed_by_upload(template, township_clerk, branch_reviewer, villages, this_month,
                                                    indicator_of):
    entry = ledger_entry_save(village=villages[0], indicator=indicator_of("branch.member_points"),
                              year=this_month[0], month=this_month[1], value="80", by=township_clerk)
    ledger_entries_submit(entries=[entry], by=township_clerk)
    ledger_entries_approve(entries=[entry], by=branch_reviewer)
    workbook = fill(template(), good_value)
    before = snapshot()
    result = excel.upload_apply(file=as_upload(workbook), by=township_clerk)
    assert [e["reason"] for e in result.errors] == [excel.MSG_LOCKED]
    assert result.errors[0]["row"] == excel.FIRST_DATA_ROW
    assert snapshot() == before


def test_exported_text_cannot_start_a_formula(township, standard, township_clerk, this_month):
    VillageFactory(parent=township, name="=HYPERLINK(\"http://x\")村")
    sheet = load_workbook(io.BytesIO(excel.template_build(
        township=township, year=this_month[0], month=this_month[1], star_code="branch", kind="rural",
        standard=standard)))["台账"]
    name = sheet.cell(row=excel.FIRST_DATA_ROW, column=2)
    assert name.data_type == "s" and name.value.startswith("'=")
    assert safe_text("@SUM(A1)") == "'@SUM(A1)" and safe_text("东风村") == "东风村"


def test_download_and_upload_pages(client_for, township_clerk, township, villages, this_month):
    client = client_for(township_clerk)
    response = client.get(reverse("ratings:ledger_template_download"),
                          {"township": township.code, "year": this_month[0], "month": this_month[1], "star": "branch"})
    assert response.status_code == 200
    workbook = fill(load_workbook(io.BytesIO(response.content)), good_value)
    uploaded = client.post(reverse("ratings:ledger_upload"), {"file": as_upload(workbook)})
    assert uploaded.status_code == 200
    assert "导入成功" in uploaded.content.decode()
    bad = client.post(reverse("ratings:ledger_upload"), {"file": SimpleUploadedFile("x.xlsx", b"not excel")})
    assert bad.status_code == 400 and excel.MSG_NOT_EXCEL in bad.content.decode()
    # Both imports are on the county's jobs page, the refused one with its reason.
    from config.models import JobKind, JobRun, JobState

    runs = list(JobRun.objects.filter(kind=JobKind.IMPORT, county=township.parent).order_by("pk"))
    assert [r.state for r in runs] == [JobState.DONE, JobState.FAILED]
    assert runs[0].result.startswith("台账导入：新增") and runs[1].error == excel.MSG_NOT_EXCEL


def test_other_township_cannot_download_the_template(client_for, other_township_clerk, township, villages, this_month):
    response = client_for(other_township_clerk).get(reverse("ratings:ledger_template_download"),
                                                    {"township": township.code, "star": "branch"})
    assert response.status_code == 404
