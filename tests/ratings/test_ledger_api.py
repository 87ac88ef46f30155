"""The ledger API refuses what the services refuse, with the same messages."""

import pytest
from django.urls import reverse

from ratings import messages as msg
from ratings.models import LedgerEntry, LedgerStatus
from ratings.services.ledger import ledger_entries_submit, ledger_entry_save


@pytest.fixture
def entry(village, indicator_of, township_clerk, this_month):
    return ledger_entry_save(village=village, indicator=indicator_of("industry.jobs"), year=this_month[0],
                             month=this_month[1], value="30", by=township_clerk)


def create_payload(this_month, village="419901001001", value="12"):
    return {"village_code": village, "indicator_code": "industry.jobs", "year": this_month[0],
            "month": this_month[1], "value": value}


def test_clerk_creates_an_entry(api_for, township_clerk, village, standard, this_month):
    response = api_for(township_clerk).post(reverse("ledger-entry-list"), create_payload(this_month), format="json")
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "draft"


def test_bad_value_is_a_400_with_the_message(api_for, township_clerk, village, standard, this_month):
    response = api_for(township_clerk).post(reverse("ledger-entry-list"), create_payload(this_month, value="x"),
                                            format="json")
    assert response.status_code == 400
    assert msg.MSG_NOT_A_NUMBER.format(value="x") in str(response.json())


def test_clerk_cannot_create_for_other_township(api_for, township_clerk, foreign_village, standard, this_month):
    response = api_for(township_clerk).post(reverse("ledger-entry-list"),
                                            create_payload(this_month, village=foreign_village.code), format="json")
    assert response.status_code == 404
    assert not LedgerEntry.objects.exists()


def test_list_is_scoped(api_for, other_township_clerk, township_clerk, entry):
    assert api_for(other_township_clerk).get(reverse("ledger-entry-list")).json()["count"] == 0
    assert api_for(township_clerk).get(reverse("ledger-entry-list")).json()["count"] == 1


def test_other_township_gets_404_on_detail_and_actions(api_for, other_township_clerk, entry):
    api = api_for(other_township_clerk)
    assert api.get(reverse("ledger-entry-detail", args=[entry.pk])).status_code == 404
    assert api.post(reverse("ledger-entry-submit", args=[entry.pk])).status_code == 404


def test_stale_update_is_a_conflict(api_for, township_clerk, entry):
    api = api_for(township_clerk)
    url = reverse("ledger-entry-detail", args=[entry.pk])
    assert api.patch(url, {"value": "31", "version": 1}, format="json").status_code == 200
    response = api.patch(url, {"value": "32", "version": 1}, format="json")
    assert response.status_code == 400
    assert "已被他人修改" in str(response.json())


def test_approving_a_draft_is_refused(api_for, industry_reviewer, entry):
    response = api_for(industry_reviewer).post(reverse("ledger-entry-approve", args=[entry.pk]))
    assert response.status_code == 400
    assert msg.MSG_APPROVE_STATE in str(response.json())


def test_editing_an_approved_entry_is_refused(api_for, township_clerk, industry_reviewer, entry):
    ledger_entries_submit(entries=[entry], by=township_clerk)
    assert api_for(industry_reviewer).post(reverse("ledger-entry-approve", args=[entry.pk])).status_code == 200
    response = api_for(township_clerk).patch(reverse("ledger-entry-detail", args=[entry.pk]),
                                             {"value": "1", "version": 1}, format="json")
    assert response.status_code == 400
    assert msg.MSG_ENTRY_LOCKED in str(response.json())


def test_reviewing_ones_own_entry_is_refused(api_for, county, village, indicator_of, this_month):
    from cadres.models import Role
    from tests.factories import PostFactory, UserFactory

    both = UserFactory(username="both")
    PostFactory(user=both, role=Role.ORGANISATION, region=county)
    PostFactory(user=both, role=Role.LEAD_DEPARTMENT, region=county, star="industry")
    entry = ledger_entry_save(village=village, indicator=indicator_of("industry.jobs"), year=this_month[0],
                              month=this_month[1], value="3", by=both)
    ledger_entries_submit(entries=[entry], by=both)
    response = api_for(both).post(reverse("ledger-entry-approve", args=[entry.pk]))
    assert response.status_code == 403
    assert msg.MSG_OWN_ENTRY in str(response.json())


def test_reviewer_of_other_star_cannot_see_the_entry(api_for, branch_reviewer, township_clerk, entry):
    # Lead departments read only their own star's entries (README, permissions): another star's is a 404.
    ledger_entries_submit(entries=[entry], by=township_clerk)
    assert api_for(branch_reviewer).post(reverse("ledger-entry-approve", args=[entry.pk])).status_code == 404


def test_return_needs_a_reason(api_for, industry_reviewer, township_clerk, entry):
    ledger_entries_submit(entries=[entry], by=township_clerk)
    api = api_for(industry_reviewer)
    assert api.post(reverse("ledger-entry-return", args=[entry.pk]), {"reason": ""}, format="json").status_code == 400
    response = api.post(reverse("ledger-entry-return", args=[entry.pk]), {"reason": "请补充佐证"}, format="json")
    assert response.json()["status"] == LedgerStatus.RETURNED


def test_bulk_approve(api_for, industry_reviewer, township_clerk, entry):
    ledger_entries_submit(entries=[entry], by=township_clerk)
    response = api_for(industry_reviewer).post(reverse("ledger-entry-approve-many"), {"ids": [entry.pk]}, format="json")
    assert response.json() == {"approved": 1}


def test_events_show_the_audit_trail(api_for, township_clerk, entry):
    events = api_for(township_clerk).get(reverse("ledger-entry-events", args=[entry.pk])).json()
    assert [e["action"] for e in events] == ["create"]


def test_delete_is_not_allowed(api_for, county_admin, entry):
    assert api_for(county_admin).delete(reverse("ledger-entry-detail", args=[entry.pk])).status_code == 405


def test_standards_are_readable_with_stars_and_indicators(api_for, township_clerk, standard):
    data = api_for(township_clerk).get(reverse("standard-list"), {"year": standard.year, "kind": "rural"}).json()
    stars = data["results"][0]["stars"]
    assert [s["code"] for s in stars] == ["branch", "industry", "ecology", "safety", "civility"]
    assert all(len(s["indicators"]) >= 8 for s in stars)


def test_scores_and_explain_are_scoped(api_for, township_clerk, other_township_clerk, village, standard, this_month):
    from ratings.services.scoring import recompute

    from .scoring_helpers import fill_ledgers

    fill_ledgers([village], township_clerk, *this_month)
    recompute(year=this_month[0], month=this_month[1], region=village.parent.parent)
    assert api_for(township_clerk).get(reverse("score-list")).json()["count"] == 1
    assert api_for(other_township_clerk).get(reverse("score-list")).json()["count"] == 0
    params = {"village": village.code, "year": this_month[0], "month": this_month[1], "star": "industry"}
    explained = api_for(township_clerk).get(reverse("explain-list"), params)
    assert explained.status_code == 200 and explained.json()["star"] == "industry"
    assert api_for(other_township_clerk).get(reverse("explain-list"), params).status_code == 404
