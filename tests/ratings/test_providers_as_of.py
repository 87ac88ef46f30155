"""Every metric provider answers as of the month's last day (the rule contract, docs/architecture.md): one test
per provider's rule, including a branch listed twice and a first secretary recalled mid-month."""

import datetime as dt
from decimal import Decimal as D

import pytest

from branches.models import MeetingType, RectificationStatus
from cadres.models import FirstSecretaryStatus
from projects.services import income_month_save, income_year_save
from ratings.engine import NOT_APPLICABLE, aggregate
from ratings.metrics import month_end
from ratings.providers.branch_life import organisational_life_meetings, themed_party_days, weak_lax
from ratings.providers.collective_economy import bindings, branch_led_cooperatives, collective_income
from ratings.providers.first_secretaries import (
    first_secretary_days_present,
    first_secretary_sign_in_compliance,
)
from tests.branches.factories import MeetingFactory, RectificationFactory
from tests.cadres.work_factories import SignInFactory, SpotCheckFactory
from tests.factories import BranchFactory, FirstSecretaryFactory
from tests.projects.factories import BindingFactory, CooperativeFactory

YEAR = 2026


def latest(provider, village, month):
    periods = provider(village_ids=[village.pk], year=YEAR, month=month).get(village.pk, [])
    return aggregate(periods, "latest", month)


def test_month_end_is_the_last_day_of_the_month():
    assert [month_end(YEAR, m) for m in (1, 2, 12)] == [dt.date(2026, 1, 31), dt.date(2026, 2, 28),
                                                        dt.date(2026, 12, 31)]


# --- cooperatives and bindings: from establishment until dissolution -------------------------


def test_a_cooperative_counts_from_its_establishment_until_its_dissolution(village):
    CooperativeFactory(village=village, led_by_branch=True, established_on=dt.date(YEAR, 3, 31),
                       dissolved_on=dt.date(YEAR, 9, 1))
    CooperativeFactory(village=village, led_by_branch=True, established_on=dt.date(YEAR, 12, 1))
    assert latest(branch_led_cooperatives, village, 2) is None
    assert latest(branch_led_cooperatives, village, 3) == D(1)   # established on March's last day
    assert latest(branch_led_cooperatives, village, 8) == D(1)
    assert latest(branch_led_cooperatives, village, 9) is None   # dissolved on 1 September
    assert latest(branch_led_cooperatives, village, 10) is None  # the December one does not exist yet
    assert latest(branch_led_cooperatives, village, 12) == D(1)


def test_an_undated_cooperative_predates_the_register_and_counts(village):
    CooperativeFactory(village=village, led_by_branch=True, established_on=None)
    assert latest(branch_led_cooperatives, village, 1) == D(1)


def test_a_binding_counts_from_signing_until_it_ends_and_only_while_its_cooperative_exists(village):
    coop = CooperativeFactory(village=village, established_on=dt.date(YEAR, 2, 10), dissolved_on=dt.date(YEAR, 11, 5))
    BindingFactory(cooperative=coop, started_on=dt.date(YEAR, 4, 1), ended_on=dt.date(YEAR, 7, 31))
    BindingFactory(cooperative=coop, started_on=dt.date(YEAR, 1, 1))  # signed before the cooperative was founded
    assert latest(bindings, village, 1) is None
    assert latest(bindings, village, 3) == D(1)
    assert latest(bindings, village, 4) == D(2)
    assert latest(bindings, village, 7) == D(1)  # ended on July's last day
    assert latest(bindings, village, 11) is None  # the cooperative is dissolved


# --- weak-and-lax: from listing to acceptance, history kept ------------------------------------


def test_weak_lax_runs_from_the_listing_date_to_the_acceptance_date(village):
    RectificationFactory(branch=BranchFactory(village=village), listed_on=dt.date(YEAR, 2, 20),
                         accepted_on=dt.date(YEAR, 9, 30), status=RectificationStatus.ACCEPTED)
    flags = {m: latest(weak_lax, village, m) for m in range(1, 11)}
    assert flags == {1: D(0), 2: D(1), 3: D(1), 4: D(1), 5: D(1), 6: D(1), 7: D(1), 8: D(1), 9: D(0), 10: D(0)}


def test_a_branch_listed_twice_is_weak_lax_in_both_spells_only(village):
    branch = BranchFactory(village=village, is_weak_lax=True)
    RectificationFactory(branch=branch, listed_on=dt.date(YEAR, 1, 10), accepted_on=dt.date(YEAR, 4, 15),
                         status=RectificationStatus.ACCEPTED)
    RectificationFactory(branch=branch, listed_on=dt.date(YEAR, 8, 3))
    weak_months = [m for m in range(1, 13) if latest(weak_lax, village, m) == D(1)]
    assert weak_months == [1, 2, 3, 8, 9, 10, 11, 12]


def test_todays_flag_does_not_decide_a_past_month(village):
    # Listed today (flag on) but not in March; a branch without listing is never weak-and-lax.
    RectificationFactory(branch=BranchFactory(village=village, is_weak_lax=True), listed_on=dt.date(YEAR, 6, 1))
    assert latest(weak_lax, village, 3) == D(0)
    assert latest(weak_lax, village, 6) == D(1)


# --- first secretaries: within their terms, recall ends the term -------------------------------


def test_a_first_secretary_recalled_mid_month_counts_that_month_and_is_not_applicable_after(village):
    fs = FirstSecretaryFactory(village=village, term_start=dt.date(2025, 3, 1), term_end=dt.date(YEAR, 6, 15),
                               status=FirstSecretaryStatus.RECALLED)
    for day in (2, 3, 14, 15, 16):  # the 16th is after the recall: not his term any more
        SignInFactory(first_secretary=fs, date=dt.date(YEAR, 6, day))
    SpotCheckFactory(first_secretary=fs, date=dt.date(YEAR, 6, 3))  # the same day as a sign-in: one day
    SpotCheckFactory(first_secretary=fs, date=dt.date(YEAR, 6, 10))
    assert latest(first_secretary_days_present, village, 5) == D(0)  # serving, no sign-in in May
    assert latest(first_secretary_days_present, village, 6) == D(5)
    assert latest(first_secretary_days_present, village, 7) is NOT_APPLICABLE
    assert latest(first_secretary_sign_in_compliance, village, 6) == D(0)
    assert latest(first_secretary_sign_in_compliance, village, 7) is NOT_APPLICABLE


def test_a_secretary_recalled_in_november_still_counts_in_june(village):
    fs = FirstSecretaryFactory(village=village, term_start=dt.date(2025, 3, 1), term_end=dt.date(YEAR, 11, 20),
                               status=FirstSecretaryStatus.RECALLED)
    for day in range(1, 22):
        SignInFactory(first_secretary=fs, date=dt.date(YEAR, 6, day))
    assert latest(first_secretary_days_present, village, 6) == D(21)
    assert latest(first_secretary_sign_in_compliance, village, 6) == D(1)


def test_months_before_the_term_starts_are_not_applicable(village):
    fs = FirstSecretaryFactory(village=village, term_start=dt.date(YEAR, 4, 20))
    SignInFactory(first_secretary=fs, date=dt.date(YEAR, 4, 21))
    periods = dict(first_secretary_days_present(village_ids=[village.pk], year=YEAR, month=4)[village.pk])
    assert periods == {1: NOT_APPLICABLE, 2: NOT_APPLICABLE, 3: NOT_APPLICABLE, 4: D(1)}


def test_a_village_without_any_first_secretary_reads_not_applicable_through_the_registry(village):
    from ratings.metrics import get_provider

    assert get_provider("first_secretary_days_present").absent is NOT_APPLICABLE
    assert first_secretary_days_present(village_ids=[village.pk], year=YEAR, month=6) == {}


# --- meetings and incomes: by their dates -----------------------------------------------------


def test_meetings_count_in_the_month_of_their_date_only(village):
    MeetingFactory(village=village, type=MeetingType.COMMITTEE_MEETING, date=dt.date(YEAR, 3, 31))
    MeetingFactory(village=village, type=MeetingType.COMMITTEE_MEETING, date=dt.date(YEAR, 4, 1))
    MeetingFactory(village=village, type=MeetingType.THEMED_PARTY_DAY, date=dt.date(YEAR, 5, 8))
    assert latest(organisational_life_meetings, village, 3) == D(1)
    assert organisational_life_meetings(village_ids=[village.pk], year=YEAR, month=3)[village.pk] == [
        (1, D(0)), (2, D(0)), (3, D(1))]
    assert latest(themed_party_days, village, 4) is None  # the party day of May is not known in April


def test_income_months_count_up_to_the_month_scored(village, township_clerk):
    income_year_save(village=village, year=YEAR - 1, total=D(100000), operating=D(50000), by=township_clerk)
    for m in range(1, 13):
        income_month_save(village=village, year=YEAR, month=m, total=D(12000), operating=D(6000), by=township_clerk)
    assert latest(collective_income, village, 11) == D(100000)  # the running year counts once complete
    assert latest(collective_income, village, 12) == D(144000)


@pytest.mark.parametrize("provider", [branch_led_cooperatives, bindings, weak_lax, first_secretary_days_present,
                                      organisational_life_meetings])
@pytest.mark.parametrize("count", [2, 12])
def test_each_point_in_time_provider_is_one_query_whatever_the_scope(provider, count, township,
                                                                      django_assert_num_queries):
    from tests.factories import VillageFactory

    ids = []
    for i in range(count):
        v = VillageFactory(parent=township, code=f"4199010015{i:02d}")
        coop = CooperativeFactory(village=v, established_on=dt.date(YEAR, 1, 5))
        BindingFactory(cooperative=coop, started_on=dt.date(YEAR, 2, 1))
        RectificationFactory(branch=BranchFactory(village=v), listed_on=dt.date(YEAR, 2, 1))
        fs = FirstSecretaryFactory(village=v)
        SignInFactory(first_secretary=fs, date=dt.date(YEAR, 3, 2))
        SpotCheckFactory(first_secretary=fs, date=dt.date(YEAR, 3, 3))
        MeetingFactory(village=v, type=MeetingType.COMMITTEE_MEETING, date=dt.date(YEAR, 3, 4))
        ids.append(v.pk)
    with django_assert_num_queries(1):
        result = provider(village_ids=ids, year=YEAR, month=3)
    assert len(result) == count
