"""Submitting one village's row or the whole township, never an unchanged returned entry; the
Excel template's protection and hidden codes; the upload result's way back to its grid."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from ratings.models import LedgerEntry, LedgerStatus
from ratings.services import excel
from ratings.services.ledger import (
    ledger_entries_submit,
    ledger_entry_return,
    ledger_entry_save,
    returned_unchanged,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def jobs(indicator_of):
    return indicator_of("industry.jobs")


def save(village, indicator, value, user, this_month):
    return ledger_entry_save(village=village, indicator=indicator, year=this_month[0], month=this_month[1],
                             value=value, by=user)


def submit_post(client, township, this_month, village=None):
    data = {"township": township.code, "year": this_month[0], "month": this_month[1], "star": "industry",
            "kind": "rural"}
    if village is not None:
        data["village"] = village.code
    return client.post(reverse("ratings:ledger_submit"), data, follow=True)


def test_a_village_row_is_submitted_alone(client_for, township_clerk, township, village, other_village, jobs,
                                          this_month):
    mine = save(village, jobs, "30", township_clerk, this_month)
    neighbour = save(other_village, jobs, "40", township_clerk, this_month)
    response = submit_post(client_for(township_clerk), township, this_month, village)
    assert "已提交东风村的 1 条台账" in response.content.decode()
    mine.refresh_from_db()
    neighbour.refresh_from_db()
    assert (mine.status, neighbour.status) == (LedgerStatus.SUBMITTED, LedgerStatus.DRAFT)
    # The whole township, as before, takes the rest.
    submit_post(client_for(township_clerk), township, this_month)
    neighbour.refresh_from_db()
    assert neighbour.status == LedgerStatus.SUBMITTED


def test_the_grid_offers_a_submit_button_per_village(client_for, township_clerk, township, village, jobs,
                                                     this_month):
    save(village, jobs, "30", township_clerk, this_month)
    url = (f"{reverse('ratings:ledger_grid')}?township={township.code}&year={this_month[0]}&month={this_month[1]}"
           f"&star=industry")
    body = client_for(township_clerk).get(url).content.decode()
    assert f'form="row-submit" name="village" value="{village.code}"' in body
    assert 'id="row-submit"' in body


def test_a_village_outside_the_grid_is_404(client_for, township_clerk, township, foreign_village, this_month,
                                           standard):
    assert submit_post(client_for(township_clerk), township, this_month, foreign_village).status_code == 404


def test_an_unchanged_returned_entry_stays_returned_with_its_reason(
        township_clerk, industry_reviewer, village, other_village, jobs, this_month):
    returned = save(village, jobs, "30", township_clerk, this_month)
    draft = save(other_village, jobs, "40", township_clerk, this_month)
    ledger_entries_submit(entries=[returned], by=township_clerk)
    ledger_entry_return(entry=returned, by=industry_reviewer, reason="人数与花名册不符")
    returned.refresh_from_db()
    assert returned_unchanged([returned]) == {returned.pk}
    assert ledger_entries_submit(entries=[returned, draft], by=township_clerk) == 1
    returned.refresh_from_db()
    assert (returned.status, returned.return_reason) == (LedgerStatus.RETURNED, "人数与花名册不符")
    # Alone, it is refused with the reason why.
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="须按退回意见修改后再提交"):
        ledger_entries_submit(entries=[returned], by=township_clerk)
    # Once changed it goes again.
    changed = save(village, jobs, "28", township_clerk, this_month)
    assert returned_unchanged([changed]) == set()
    assert ledger_entries_submit(entries=[changed], by=township_clerk) == 1
    assert LedgerEntry.objects.get(pk=returned.pk).status == LedgerStatus.SUBMITTED


def test_the_grid_message_says_how_many_returns_were_kept(client_for, township_clerk, industry_reviewer, township,
                                                          village, other_village, jobs, this_month):
    returned = save(village, jobs, "30", township_clerk, this_month)
    ledger_entries_submit(entries=[returned], by=township_clerk)
    ledger_entry_return(entry=returned, by=industry_reviewer, reason="请补充佐证")
    save(other_village, jobs, "40", township_clerk, this_month)
    body = submit_post(client_for(township_clerk), township, this_month).content.decode()
    assert "已提交 1 条台账" in body and "1 条退回台账尚未修改" in body


def test_the_template_is_protected_and_hides_its_codes(client_for, township_clerk, township, village, jobs,
                                                       this_month):
    url = (f"{reverse('ratings:ledger_template_download')}?township={township.code}&year={this_month[0]}"
           f"&month={this_month[1]}&star=industry&kind=rural")
    response = client_for(township_clerk).get(url)
    assert "industry" not in response["Content-Disposition"]
    assert "%E4%BA%A7%E4%B8%9A%E5%85%B4%E6%97%BA%E6%98%9F" in response["Content-Disposition"]  # 产业兴旺星
    sheet = load_workbook(io.BytesIO(response.content))["台账"]
    assert sheet.protection.sheet is True
    assert sheet.row_dimensions[excel.CODE_ROW].hidden is True
    assert sheet.cell(row=excel.FIRST_DATA_ROW, column=3).protection.locked is False  # a white cell takes input
    assert sheet.cell(row=excel.FIRST_DATA_ROW, column=1).protection.locked is True  # the code column does not


def test_the_upload_result_links_to_its_grid_and_names_the_star(client_for, township_clerk, township, village,
                                                                jobs, this_month):
    c = client_for(township_clerk)
    url = (f"{reverse('ratings:ledger_template_download')}?township={township.code}&year={this_month[0]}"
           f"&month={this_month[1]}&star=industry&kind=rural")
    book = load_workbook(io.BytesIO(c.get(url).content))
    sheet = book["台账"]
    column = next(cell.column for cell in sheet[excel.CODE_ROW] if cell.value == "industry.jobs")
    sheet.cell(row=excel.FIRST_DATA_ROW, column=column, value=25)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.name = "t.xlsx"
    buffer.seek(0)
    body = c.post(reverse("ratings:ledger_upload"), {"file": buffer}).content.decode()
    assert "导入成功" in body and "产业兴旺星" in body
    link = (f'href="{reverse("ratings:ledger_grid")}?township={township.code}&amp;year={this_month[0]}'
            f'&amp;month={this_month[1]}&amp;star=industry&amp;kind=rural"')
    assert link in body
