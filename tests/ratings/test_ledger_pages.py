"""Ledger pages: who may open and act on them, and what they refuse."""

from decimal import Decimal as D

import pytest
from django.urls import reverse

from ratings.models import LedgerEntry, LedgerStatus
from ratings.services.ledger import ledger_entries_submit, ledger_entry_save


@pytest.fixture
def jobs(indicator_of):
    return indicator_of("industry.jobs")


@pytest.fixture
def entry(village, jobs, township_clerk, this_month):
    return ledger_entry_save(village=village, indicator=jobs, year=this_month[0], month=this_month[1], value="30",
                             by=township_clerk)


def grid_url(township, this_month, star="industry"):
    return f"{reverse('ratings:ledger_grid')}?township={township.code}&year={this_month[0]}&month={this_month[1]}&star={star}"


def test_clerk_sees_the_grid_of_own_township(client_for, township_clerk, township, village, other_village, entry,
                                             indicator_of, this_month):
    monthly = indicator_of("industry.project_progress")
    ledger_entry_save(village=village, indicator=monthly, year=this_month[0], month=this_month[1], value="80",
                      by=township_clerk)
    response = client_for(township_clerk).get(grid_url(township, this_month))
    assert response.status_code == 200
    names = [row["village"].name for row in response.context["rows"]]
    assert names == ["东风村", "红旗村"]
    summary = response.context["summary"]
    due = 2 * sum(1 for i in response.context["indicators"] if i.source == "ledger" and i.rule != "veto"
                  and (i.frequency != "quarterly" or this_month[1] % 3 == 0))
    assert (summary["expected"], summary["entered"]) == (due, 1 + (this_month[1] % 3 == 0))
    assert "产业带动就业人数" in response.content.decode()


def test_grid_page_runs_a_bounded_number_of_queries(client_for, township_clerk, township, standard, this_month,
                                                    django_assert_max_num_queries):
    from tests.factories import VillageFactory

    VillageFactory.create_batch(25, parent=township)
    client = client_for(township_clerk)
    with django_assert_max_num_queries(20):
        assert client.get(grid_url(township, this_month)).status_code == 200


def test_clerk_gets_404_for_other_townships_grid(client_for, township_clerk, other_township, standard, this_month):
    assert client_for(township_clerk).get(grid_url(other_township, this_month)).status_code == 404


def test_village_secretary_cannot_open_the_grid(client_for, village_secretary, township, standard, this_month):
    assert client_for(village_secretary).get(grid_url(township, this_month)).status_code in (403, 404)


def test_cell_save_returns_the_cell_with_its_new_state(client_for, township_clerk, village, jobs, this_month):
    response = client_for(township_clerk).post(reverse("ratings:ledger_cell"), {
        "village": village.pk, "indicator": jobs.pk, "year": this_month[0], "month": this_month[1], "value": "42"})
    assert response.status_code == 200
    assert LedgerEntry.objects.get().value == D(42)
    assert 'value="42"' in response.content.decode()


def test_cell_with_bad_value_shows_the_reason_and_saves_nothing(client_for, township_clerk, village, jobs, this_month):
    response = client_for(township_clerk).post(reverse("ratings:ledger_cell"), {
        "village": village.pk, "indicator": jobs.pk, "year": this_month[0], "month": this_month[1], "value": "很多"})
    assert "不是有效的数字" in response.content.decode()
    assert not LedgerEntry.objects.exists()


def test_stale_cell_save_shows_a_conflict(client_for, township_clerk, village, jobs, entry, this_month):
    client = client_for(township_clerk)
    data = {"village": village.pk, "indicator": jobs.pk, "year": this_month[0], "month": this_month[1]}
    client.post(reverse("ratings:ledger_cell"), {**data, "value": "31", "version": "1"})
    response = client.post(reverse("ratings:ledger_cell"), {**data, "value": "32", "version": "1"})
    assert "已被他人修改" in response.content.decode()
    assert LedgerEntry.objects.get().value == D(31)


def test_clerk_cannot_save_a_cell_of_other_township(client_for, other_township_clerk, village, jobs, this_month):
    response = client_for(other_township_clerk).post(reverse("ratings:ledger_cell"), {
        "village": village.pk, "indicator": jobs.pk, "year": this_month[0], "month": this_month[1], "value": "1"})
    assert response.status_code == 404
    assert not LedgerEntry.objects.exists()


def test_cell_save_refuses_get(client_for, township_clerk):
    assert client_for(township_clerk).get(reverse("ratings:ledger_cell")).status_code == 405


def test_submit_the_month_from_the_grid(client_for, township_clerk, township, entry, this_month):
    response = client_for(township_clerk).post(reverse("ratings:ledger_submit"), {
        "township": township.code, "year": this_month[0], "month": this_month[1], "star": "industry"})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.status == LedgerStatus.SUBMITTED


def test_lead_department_cannot_submit_a_townships_month(client_for, industry_reviewer, township, entry, this_month):
    response = client_for(industry_reviewer).post(reverse("ratings:ledger_submit"), {
        "township": township.code, "year": this_month[0], "month": this_month[1], "star": "industry"})
    assert response.status_code == 403
    entry.refresh_from_db()
    assert entry.status == LedgerStatus.DRAFT


def test_review_queue_lists_only_the_reviewers_star(client_for, industry_reviewer, branch_reviewer, entry,
                                                    township_clerk):
    ledger_entries_submit(entries=[entry], by=township_clerk)
    assert list(client_for(industry_reviewer).get(reverse("ratings:review_queue")).context["entries"]) == [entry]
    assert list(client_for(branch_reviewer).get(reverse("ratings:review_queue")).context["entries"]) == []


def test_reviewer_approves_from_the_queue(client_for, industry_reviewer, entry, township_clerk,
                                          django_capture_on_commit_callbacks):
    ledger_entries_submit(entries=[entry], by=township_clerk)
    with django_capture_on_commit_callbacks(execute=True):
        client_for(industry_reviewer).post(reverse("ratings:review_queue"), {"entry": [entry.pk], "action": "approve"})
    entry.refresh_from_db()
    assert entry.status == LedgerStatus.APPROVED


def test_return_without_reason_is_refused_on_the_page(client_for, industry_reviewer, entry, township_clerk):
    ledger_entries_submit(entries=[entry], by=township_clerk)
    response = client_for(industry_reviewer).post(reverse("ratings:review_queue"),
                                                  {"entry": [entry.pk], "action": "return", "reason": ""}, follow=True)
    assert "退回时须填写退回原因" in response.content.decode()
    entry.refresh_from_db()
    assert entry.status == LedgerStatus.SUBMITTED


def test_approving_a_draft_from_the_queue_is_refused(client_for, industry_reviewer, entry):
    response = client_for(industry_reviewer).post(reverse("ratings:review_queue"),
                                                  {"entry": [entry.pk], "action": "approve"}, follow=True)
    assert "只有已提交的台账可以审核" in response.content.decode()
    entry.refresh_from_db()
    assert entry.status == LedgerStatus.DRAFT


def test_clerk_cannot_approve_from_the_queue(client_for, township_clerk, entry):
    ledger_entries_submit(entries=[entry], by=township_clerk)
    assert client_for(township_clerk).post(reverse("ratings:review_queue"),
                                           {"entry": [entry.pk], "action": "approve"}).status_code == 403


def test_entry_detail_shows_the_audit_trail(client_for, township_clerk, entry):
    response = client_for(township_clerk).get(reverse("ratings:entry_detail", args=[entry.pk]))
    assert response.status_code == 200
    assert "创建" in response.content.decode()


def test_entry_of_other_township_is_404(client_for, other_township_clerk, entry):
    assert client_for(other_township_clerk).get(reverse("ratings:entry_detail", args=[entry.pk])).status_code == 404


def test_village_page_of_other_township_is_404(client_for, other_township_clerk, village, standard):
    assert client_for(other_township_clerk).get(reverse("ratings:ledger_village", args=[village.code])).status_code == 404


def test_clerk_cannot_reopen_windows(client_for, township_clerk):
    assert client_for(township_clerk).get(reverse("ratings:ledger_windows")).status_code == 403


def test_county_admin_reopens_a_window_with_a_record(client_for, county_admin, township):
    from ratings.models import LedgerWindow

    response = client_for(county_admin).post(reverse("ratings:ledger_windows"), {
        "township": township.code, "year": 2026, "month": 3, "until": "2099-01-01T12:00", "reason": "补报"})
    assert response.status_code == 302
    window = LedgerWindow.objects.get()
    assert (window.township, window.opened_by, window.reason) == (township, county_admin, "补报")
