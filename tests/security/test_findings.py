"""One test (or a few) per finding of the security review, each failing on the code before its fix."""

from __future__ import annotations

import io
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cadres.models import Role
from projects.management.commands.bench_import_bomb import build_bomb
from projects.models import CollectiveIncome, Cooperative
from ratings.models import LedgerEntry, LedgerStatus
from tests.factories import FirstSecretaryFactory, PostFactory

pytestmark = pytest.mark.django_db


# --- 3. the income entry form pre-fills only figures in scope ----------------------------------


def test_income_form_does_not_prefill_another_townships_figures(client_for, township_clerk, foreign_village):
    CollectiveIncome.objects.create(village=foreign_village, year=2024, total="987654.32", operating="123456.78")
    response = client_for(township_clerk).get(reverse("projects:income_year_entry"),
                                              {"village": foreign_village.code, "year": 2024})
    body = response.content.decode()
    assert response.status_code == 200
    assert "987654" not in body and "123456" not in body and foreign_village.name not in body


def test_income_form_prefills_an_own_villages_figures(client_for, township_clerk, village):
    CollectiveIncome.objects.create(village=village, year=2024, total="555000.00", operating="111000.00")
    body = client_for(township_clerk).get(reverse("projects:income_year_entry"),
                                          {"village": village.code, "year": 2024}).content.decode()
    assert "555000" in body and "111000" in body


# --- 4. Excel imports are bounded before any cell is read --------------------------------------


def test_a_zip_bomb_income_import_is_refused(township_clerk):
    from projects.income_import import import_apply

    bomb = build_bomb(cells=3_000_000)
    assert len(bomb) < 1024 * 1024  # small on disk
    with pytest.raises(ValidationError, match="超出模板范围"):
        import_apply(file=io.BytesIO(bomb), by=township_clerk)
    assert not CollectiveIncome.objects.exists()


@pytest.mark.parametrize("dimension", ["none", "lying"])
def test_a_sheet_without_or_with_a_false_dimension_stops_at_the_templates_shape(dimension, township_clerk):
    from projects.income_import import import_apply

    with pytest.raises(ValidationError, match="超出模板范围"):
        import_apply(file=io.BytesIO(build_bomb(cells=250_000, columns=10, dimension=dimension)), by=township_clerk)


def test_a_sheet_lying_about_its_dimension_is_refused_before_any_row_is_parsed(township_clerk, monkeypatch):
    """Under the unpacked-size limit, 1,000,000 cells declared as A1:J10: the row tags are counted
    while the part is inflated, so openpyxl never opens the workbook."""
    from config import xlsx_reader
    from projects.income_import import import_apply

    def never(*args, **kwargs):
        raise AssertionError("the workbook was parsed")

    monkeypatch.setattr(xlsx_reader, "load_workbook", never)
    with pytest.raises(ValidationError, match="超出模板范围"):
        import_apply(file=io.BytesIO(build_bomb(cells=1_000_000, dimension="lying")), by=township_clerk)
    assert not CollectiveIncome.objects.exists()


def test_a_zip_bomb_ledger_upload_is_refused(township_clerk):
    from ratings.services.excel import upload_apply

    with pytest.raises(ValidationError, match="超出模板范围"):
        upload_apply(file=io.BytesIO(build_bomb(cells=3_000_000)), by=township_clerk)


def test_the_ledger_upload_page_refuses_a_bomb_with_a_chinese_message(client_for, township_clerk):
    bomb = SimpleUploadedFile("台账.xlsx", build_bomb(cells=3_000_000))
    response = client_for(township_clerk).post(reverse("ratings:ledger_upload"), {"file": bomb})
    assert response.status_code in (200, 400) and "超出模板范围" in response.content.decode()


# --- 6. a refused batch changes nothing -------------------------------------------------------


@pytest.fixture
def two_stars(standard, village, township_clerk, this_month, indicator_of):
    """A submitted 支部过硬 entry and a submitted 平安法治 entry of the same village."""
    year, month = this_month
    branch, safety = (standard.stars.get(code=code).indicators.filter(source="ledger").exclude(rule="veto").first()
                      for code in ("branch", "safety"))
    rows = [LedgerEntry.objects.create(village=village, indicator=i, year=year, month=month, value=1,
                                       status=LedgerStatus.SUBMITTED, entered_by=township_clerk) for i in (branch, safety)]
    return rows


@pytest.mark.parametrize("action", ["return", "approve"])
def test_review_queue_batch_mixing_stars_changes_nothing(action, client_for, branch_reviewer, two_stars):
    response = client_for(branch_reviewer).post(reverse("ratings:review_queue"), {
        "action": action, "reason": "数据有误", "entry": [str(e.pk) for e in two_stars]})
    assert response.status_code in (403, 404)
    assert sorted(LedgerEntry.objects.values_list("status", flat=True)) == [LedgerStatus.SUBMITTED] * 2


def test_batch_return_service_checks_every_entry_first(branch_reviewer, two_stars):
    from ratings.services.ledger import ledger_entries_return

    with pytest.raises(PermissionDenied):
        ledger_entries_return(entries=two_stars, by=branch_reviewer, reason="数据有误")
    assert sorted(LedgerEntry.objects.values_list("status", flat=True)) == [LedgerStatus.SUBMITTED] * 2


def test_api_approve_many_mixing_stars_changes_nothing(api_for, branch_reviewer, two_stars):
    response = api_for(branch_reviewer).post(reverse("ledger-entry-approve-many"),
                                             {"ids": [e.pk for e in two_stars]}, format="json")
    assert response.status_code in (403, 404)
    assert sorted(LedgerEntry.objects.values_list("status", flat=True)) == [LedgerStatus.SUBMITTED] * 2


# --- 7. bad input is a 400, never a 500 -------------------------------------------------------


@pytest.mark.parametrize("basename,extra", [("economy-income-list", {"year": 2025}),
                                            ("economy-income-month-list", {"year": 2026, "month": 1})])
def test_income_api_without_operating_saves_zero(api_for, township_clerk, village, basename, extra):
    response = api_for(township_clerk).post(reverse(basename), {"village": village.code, "total": "1000", **extra},
                                            format="json")
    assert response.status_code in (200, 201), response.content
    assert response.json()["operating"] in ("0.00", 0, "0")


def test_approve_many_with_an_id_above_the_database_range_is_a_400(api_for, branch_reviewer, two_stars):
    response = api_for(branch_reviewer).post(reverse("ledger-entry-approve-many"), {"ids": [2**63 + 5]},
                                             format="json")
    assert response.status_code == 400


def test_return_with_a_json_array_body_is_a_400(api_for, branch_reviewer, two_stars):
    response = api_for(branch_reviewer).post(reverse("ledger-entry-return", args=[two_stars[0].pk]),
                                             data=json.dumps(["x"]), content_type="application/json")
    assert response.status_code == 400
    assert LedgerEntry.objects.get(pk=two_stars[0].pk).status == LedgerStatus.SUBMITTED


@pytest.mark.parametrize("basename", ["sign-in-list", "leave-request-list", "monthly-report-list"])
@pytest.mark.parametrize("value", ["1e20", str(2**70), "-1e30"])
def test_integer_filters_out_of_range_are_not_a_500(api_for, county_admin, basename, value):
    response = api_for(county_admin).get(reverse(basename), {"first_secretary": value})
    assert response.status_code in (200, 400)


# --- 8. out of scope reads as unknown ---------------------------------------------------------


def test_an_out_of_scope_code_reads_like_an_unknown_one(api_for, township_clerk, foreign_village):
    api = api_for(township_clerk)
    foreign = api.post(reverse("economy-cooperative-list"), {"village": foreign_village.code, "name": "社"}, format="json")
    unknown = api.post(reverse("economy-cooperative-list"), {"village": "419901009999", "name": "社"}, format="json")
    assert foreign.status_code == unknown.status_code == 400
    assert foreign.json()["village"][0].replace(foreign_village.code, "") == \
        unknown.json()["village"][0].replace("419901009999", "")
    assert foreign_village.name not in foreign.content.decode()
    assert not Cooperative.objects.exists()


# --- 9. no open redirect ----------------------------------------------------------------------


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/", "/\\evil.example", "javascript:alert(1)"])
def test_review_queue_next_never_leaves_the_site(target, client_for, industry_reviewer, two_stars):
    response = client_for(industry_reviewer).post(reverse("ratings:review_queue"), {
        "action": "approve", "entry": [], "next": target})
    assert response.status_code == 302
    assert response["Location"] == reverse("ratings:review_queue")


def test_review_queue_next_on_the_site_is_followed(client_for, industry_reviewer):
    target = reverse("ratings:review_queue") + "?status=returned"
    response = client_for(industry_reviewer).post(reverse("ratings:review_queue"), {"entry": [], "next": target})
    assert response["Location"] == target


# --- 10. sign-in limits: tests/security/test_sign_in_limits.py ---------------------------------


# --- 11. the smaller ones ---------------------------------------------------------------------


def test_a_refused_leave_request_says_what_was_refused(village, first_secretary, township_clerk):
    import datetime as dt

    from cadres.services_work import (
        MSG_LEAVE_NOT_YOURS,
        MSG_REPORT_NOT_YOURS,
        leave_request,
        monthly_report_save,
    )

    fs = FirstSecretaryFactory(village=village, user=first_secretary)
    with pytest.raises(PermissionDenied, match=MSG_LEAVE_NOT_YOURS):
        leave_request(first_secretary=fs, start=dt.date(2030, 1, 2), end=dt.date(2030, 1, 3), reason="病假",
                      by=township_clerk)
    with pytest.raises(PermissionDenied, match=MSG_REPORT_NOT_YOURS):
        monthly_report_save(first_secretary=fs, year=2026, month=1, work_done="走访", problems="", next_steps="",
                            by=township_clerk)


def test_a_clerk_deleting_an_indicator_with_entries_gets_403(client_for, township_clerk, two_stars):
    indicator = two_stars[0].indicator
    response = client_for(township_clerk).post(reverse("ratings:indicator_delete", args=[indicator.pk]))
    assert response.status_code == 403
    assert "已有台账" not in response.content.decode()


def test_a_lead_department_reads_only_its_own_stars_entries(client_for, api_for, branch_reviewer, two_stars):
    branch_entry, safety_entry = two_stars
    client = client_for(branch_reviewer)
    assert client.get(reverse("ratings:entry_detail", args=[branch_entry.pk])).status_code == 200
    assert client.get(reverse("ratings:entry_detail", args=[safety_entry.pk])).status_code == 404
    listed = {row["id"] for row in api_for(branch_reviewer).get(reverse("ledger-entry-list")).json()["results"]}
    assert listed == {branch_entry.pk}
    queue = client.get(reverse("ratings:review_queue")).context["entries"]
    assert {e.pk for e in queue} == {branch_entry.pk}


def test_the_county_still_reads_every_stars_entries(api_for, county_admin, two_stars):
    listed = {row["id"] for row in api_for(county_admin).get(reverse("ledger-entry-list")).json()["results"]}
    assert listed == {e.pk for e in two_stars}


def test_a_lead_department_with_another_post_keeps_that_posts_scope(api_for, branch_reviewer, township, two_stars):
    PostFactory(user=branch_reviewer, role=Role.TOWNSHIP_STAFF, region=township)
    listed = {row["id"] for row in api_for(branch_reviewer).get(reverse("ledger-entry-list")).json()["results"]}
    assert listed == {e.pk for e in two_stars}
