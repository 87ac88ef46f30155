"""A community's ledger entry goes to the lead department of its star in the urban standard: an
entry of each urban star lands in the queue of the department that leads it (县人社局 for
宜业兴业星), and in no other — not in the rural 产业兴旺星's department's (县农业农村局)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from cadres.models import Role, StarCode
from ratings.models import Indicator, LedgerEntry, LedgerStatus, Source
from ratings.services.ledger import ledger_entries_approve
from tests.factories import PostFactory, UserFactory, VillageFactory
from villages.models import Kind


@pytest.fixture
def community(township):
    return VillageFactory(parent=township, code="419901001101", name="建设路社区", kind=Kind.URBAN)


@pytest.fixture
def reviewers(county):
    """One reviewer per star and variant: ("urban", "industry") is the community's 宜业兴业星."""
    out = {}
    for kind in ("rural", "urban"):
        for code in StarCode.values:
            user = UserFactory(username=f"{kind}_{code}", full_name=f"{kind}{code}")
            PostFactory(user=user, role=Role.LEAD_DEPARTMENT, region=county, star=code, star_kind=kind)
            out[(kind, code)] = user
    return out


@pytest.fixture
def urban_entries(standard, community, township_clerk, this_month):
    year, month = this_month
    entries = {}
    for code in StarCode.values:
        indicator = Indicator.objects.filter(star__standard__year=year, star__standard__kind="urban", star__code=code,
                                             source=Source.LEDGER).order_by("order").first()
        entries[code] = LedgerEntry.objects.create(village=community, indicator=indicator, year=year, month=month,
                                                   value=1, status=LedgerStatus.SUBMITTED, entered_by=township_clerk)
    return entries


def _queue(client_for, user) -> set[int]:
    response = client_for(user).get(reverse("ratings:review_queue"))
    assert response.status_code == 200
    return {e.pk for e in response.context["entries"]}


def test_each_urban_star_lands_in_its_own_lead_departments_queue_and_no_other(client_for, reviewers, urban_entries):
    for code, entry in urban_entries.items():
        holders = {key for key, user in reviewers.items() if entry.pk in _queue(client_for, user)}
        assert holders == {("urban", code)}, f"{code}: {holders}"


def test_the_rural_industry_department_may_not_approve_a_communitys_industry_entry(reviewers, urban_entries):
    entry = urban_entries["industry"]
    with pytest.raises(PermissionDenied):
        ledger_entries_approve(entries=[entry], by=reviewers[("rural", "industry")])
    assert ledger_entries_approve(entries=[entry], by=reviewers[("urban", "industry")]) == 1


def test_the_demo_names_the_urban_standards_own_leads(county):
    from ratings.demo_accounts import urban_lead_accounts

    leads = {a["star"]: (a["username"], a["department"]) for a in urban_lead_accounts(county)}
    assert leads["urban:industry"] == ("lead_urban_industry", "县人社局、县商务局")
    assert leads["urban:ecology"] == ("lead_urban_ecology", "县住建局")
    # The urban standard names the organisation department for 支部过硬星: its reviewer holds both.
    assert leads["urban:branch"] == ("lead_branch", "县委组织部")
