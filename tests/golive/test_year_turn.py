"""The turn of the year: each step shows its state and runs only on the button."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ratings.campaign.services.awards import candidates, target_set
from ratings.models import LedgerWindow, MonthClose, Standard, TargetLevel, TargetLevelChange
from ratings.services.standard import standard_load_defaults, standard_publish
from ratings.services.year_turn import (
    year_turn_carry_targets,
    year_turn_copy_standards,
    year_turn_status,
)


def _state(county, year) -> dict[str, bool]:
    return {s.key: s.done for s in year_turn_status(county=county, year=year)}


@pytest.fixture
def standards_2026(db):
    return standard_load_defaults(year=2026)


def test_copy_then_publish_the_new_year_standard(county, village, county_admin, standards_2026):
    assert _state(county, 2027)["copy"] is False
    copies = year_turn_copy_standards(county=county, year=2027, by=county_admin)
    assert [c.status for c in copies] == ["draft"] and copies[0].kind == "rural"  # only the kinds the county has
    state = _state(county, 2027)
    assert state["copy"] and not state["publish"] and not state["january"]
    standard_publish(standard=copies[0], by=county_admin)
    assert _state(county, 2027)["publish"]
    assert Standard.objects.filter(year=2026).count() == 2  # last year's untouched


def test_targets_are_carried_forward_as_proposals_until_confirmed(county, village, other_village, county_admin,
                                                                  township_clerk):
    TargetLevel.objects.create(village=village, year=2026, level=4)
    assert not _state(county, 2027)["targets"]
    assert year_turn_carry_targets(county=county, year=2027, by=county_admin) == 1
    proposal = TargetLevel.objects.get(village=village, year=2027)
    assert proposal.proposed and proposal.level == 4
    assert not candidates(year=2027, villages=[village]).exists()
    target_set(village=village, year=2027, level=4, by=township_clerk)
    proposal.refresh_from_db()
    assert not proposal.proposed and candidates(year=2027, villages=[village]).exists()
    # The target's history keeps the proposal and its confirmation (the plan as of a day reads it).
    assert [(c.level_before, c.level, c.proposed, c.source) for c in
            TargetLevelChange.objects.filter(village=village, year=2027).order_by("at", "id")] == [
        (None, 4, True, "proposal"), (4, 4, False, "set")]
    assert year_turn_carry_targets(county=county, year=2027, by=county_admin) == 0  # never overwrites
    assert _state(county, 2027)["targets"]


def test_late_turn_reopens_january_and_closes_december_from_the_page(client_for, county, township, other_township,
                                                                     village, county_admin, standards_2026):
    client = client_for(county_admin)
    page = client.get(reverse("ratings:year_turn"), {"year": 2026})
    assert page.status_code == 200 and "2026年度交替" in page.content.decode()
    state = _state(county, 2026)
    assert not state["january"] and not state["december"]
    client.post(reverse("ratings:year_turn_run", args=["january"]), {"year": 2026, "until": "2099-01-31"})
    assert LedgerWindow.objects.filter(year=2026, month=1).count() == 2
    client.post(reverse("ratings:year_turn_run", args=["december"]), {"year": 2026})
    assert MonthClose.objects.filter(county=county, year=2025, month=12).exists()
    state = _state(county, 2026)
    assert state["january"] and state["december"]


def test_only_the_organisation_department_turns_the_year(client_for, township_clerk, industry_reviewer):
    for user in (township_clerk, industry_reviewer):
        client = client_for(user)
        assert client.get(reverse("ratings:year_turn")).status_code == 403
        assert client.post(reverse("ratings:year_turn_run", args=["copy"]), {"year": 2027}).status_code == 403
