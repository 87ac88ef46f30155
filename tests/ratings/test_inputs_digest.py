"""A recompute runs the engine only for the villages whose inputs changed.

Every village's stored rows carry a digest of what they were computed from (its ledger values,
its providers' answers, its weak-and-lax flag, its township, the standard, the scoring code). A
village gathered with the same digest keeps its rows without being computed; any change of an
input computes it again, and the stored rows always equal a fresh computation (property test).
"""

from datetime import date
from decimal import Decimal as D

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from branches.models import Meeting, MeetingType
from ratings.models import Indicator, LedgerEntry, StarScore, View, VillageScore
from ratings.services import scoring, scoring_inputs
from ratings.services.scoring import _scope_villages, compute, recompute
from ratings.services.scoring_inputs import load_standards
from ratings.services.scoring_rows import STAR_SCORE_FIELDS
from villages.models import Level, Region

from .scoring_helpers import fill_ledgers, make_villages

pytestmark = pytest.mark.django_db


@pytest.fixture
def computed(monkeypatch):
    """The ids of the villages each recompute runs through the engine, one set per call."""
    calls: list[set[int]] = []
    real = scoring.evaluate_many

    def recording(spec, villages, month):
        villages = list(villages)
        calls.append({v.village_id for v in villages})
        return real(spec, villages, month)

    monkeypatch.setattr(scoring, "evaluate_many", recording)

    def engine_ran_for() -> set[int]:
        ran = set().union(*calls) if calls else set()
        calls.clear()
        return ran

    return engine_ran_for


def _stored(year, month, view=View.LIVE):
    villages = {row[0]: row[1:] for row in VillageScore.objects.filter(year=year, month=month, view=view).values_list(
        "village_id", "standard_id", "stars_earned", "star_level", "total", "tiebreak_score", "township_id")}
    stars = {(row[0], row[1]): row[2:] for row in StarScore.objects.filter(year=year, month=month, view=view)
             .values_list("village_id", "star", "score", "pass_mark", "earned", "reasons", "points_short", "unmet",
                          "indicators")}
    return villages, stars


def _fresh(county, year, month, view=View.LIVE):
    """What a computation from scratch gives (no digest consulted), in the shape of `_stored`."""
    prefix, scope = _scope_villages(None, county)
    village_rows, star_rows = compute(year=year, month=month, view=view, villages=scope, village_ids=None,
                                      prefix=prefix)
    villages = {r[0]: (r[4], r[5], r[6], r[7], r[8], r[10]) for r in village_rows}
    at = {name: i for i, name in enumerate(STAR_SCORE_FIELDS)}
    stars = {(r[0], r[4]): (r[at["score"]], r[at["pass_mark"]], r[at["earned"]], r[at["reasons"]],
                            r[at["points_short"]], r[at["unmet"]], dict(r[at["indicators"]])) for r in star_rows}
    return villages, stars


def test_a_recompute_with_the_same_inputs_runs_no_village_through_the_engine(scored, county, computed):
    year, month, villages = scored
    before = _stored(year, month)
    recompute(year=year, month=month, view=View.LIVE, region=county)
    assert computed() == set()
    assert _stored(year, month) == before


def test_a_changed_ledger_value_computes_that_village_alone(scored, county, computed):
    year, month, villages = scored
    LedgerEntry.objects.filter(village=villages[2], year=year, month=month).update(value=D(0))
    recompute(year=year, month=month, view=View.LIVE, region=county)
    assert computed() == {villages[2].pk}
    assert _stored(year, month) == _fresh(county, year, month)


def test_a_provider_answer_computes_the_village_again(scored, county, computed):
    """A meeting held is no ledger entry: the organisational-life provider's answer changes."""
    year, month, villages = scored
    Meeting.objects.create(village=villages[1], type=MeetingType.THEMED_PARTY_DAY, date=date(year, month, 1),
                           topic="主题党日", members_expected=10, attendance=9)
    recompute(year=year, month=month, view=View.LIVE, region=county)
    assert computed() == {villages[1].pk}
    assert _stored(year, month) == _fresh(county, year, month)


def test_a_village_moved_to_another_township_is_computed_again(scored, county, other_township, computed):
    year, month, villages = scored
    Region.objects.filter(pk=villages[3].pk).update(parent=other_township)
    recompute(year=year, month=month, view=View.LIVE, region=county)
    assert computed() == {villages[3].pk}
    assert VillageScore.objects.get(village=villages[3], year=year, month=month).township_id == other_township.pk


def test_a_changed_standard_computes_every_village_with_the_new_rule(scored, county, computed):
    year, month, villages = scored
    indicator = Indicator.objects.filter(star__standard__year=year, star__standard__kind="rural",
                                         rule="pass_fail").order_by("pk").first()
    Indicator.objects.filter(pk=indicator.pk).update(points=indicator.points + 1)
    recompute(year=year, month=month, view=View.LIVE, region=county)
    assert computed() == {v.pk for v in villages}
    assert _stored(year, month) == _fresh(county, year, month)


def test_results_of_other_scoring_code_are_computed_again(scored, county, computed, monkeypatch):
    year, month, villages = scored
    monkeypatch.setattr(scoring, "CODE_VERSION", "another")
    recompute(year=year, month=month, view=View.LIVE, region=county)
    assert computed() == {v.pk for v in villages}


def test_a_row_without_its_results_digest_is_computed_again(scored, county, computed):
    year, month, villages = scored
    VillageScore.objects.filter(village=villages[0], year=year, month=month).update(digest="")
    recompute(year=year, month=month, view=View.LIVE, region=county)
    assert computed() == {villages[0].pk}
    assert VillageScore.objects.get(village=villages[0], year=year, month=month).digest != ""


def test_the_published_standards_are_built_once_for_the_same_rows(standard, this_month):
    year, _ = this_month
    first = load_standards(year)
    assert load_standards(year) is first
    indicator = Indicator.objects.filter(star__standard=standard).order_by("pk").first()
    Indicator.objects.filter(pk=indicator.pk).update(points=indicator.points + 2)
    again = load_standards(year)
    assert again is not first
    spec = next(i for s in again["rural"].spec.stars for i in s.indicators if i.code == indicator.code)
    assert spec.points == indicator.points + 2
    assert again["rural"].indicators[indicator.code].points == indicator.points + 2


EDITS = st.lists(st.tuples(
    st.sampled_from(["value", "meeting", "status", "delete", "stale"]),
    st.integers(0, 3),
    st.integers(0, 9),
), min_size=1, max_size=6)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rounds=st.lists(EDITS, min_size=1, max_size=3))
def test_kept_rows_equal_a_fresh_computation_after_random_edits(county, township, standard, township_clerk,
                                                                this_month, rounds):
    """Edits of every kind (ledger values, statuses, deletions, provider records, stale rows),
    a recompute after each round: the stored rows of every village, whether it was computed or
    kept, equal what a computation from scratch gives."""
    year, month = this_month
    villages = list(Region.objects.filter(level=Level.VILLAGE, parent=township).order_by("code"))
    if not villages:
        villages = make_villages(township, 4)
        fill_ledgers(villages, township_clerk, year, month,
                     value_for=lambda village, indicator: D(int(village.code[-1]) * 3 % 10))
    recompute(year=year, month=month, view=View.LIVE, region=county)
    for edits in rounds:
        for kind, which, value in edits:
            village = villages[which]
            entries = LedgerEntry.objects.filter(village=village, year=year, month=month).order_by("pk")
            entry = entries[value % max(1, entries.count()):][:1]
            if kind == "value":
                LedgerEntry.objects.filter(pk__in=entry.values("pk")).update(value=D(value))
            elif kind == "status":
                LedgerEntry.objects.filter(pk__in=entry.values("pk")).update(
                    status="submitted" if value % 2 else "approved")
            elif kind == "delete":
                LedgerEntry.objects.filter(pk__in=entry.values("pk")).delete()
            elif kind == "meeting":
                Meeting.objects.create(village=village, type=MeetingType.THEMED_PARTY_DAY,
                                       date=date(year, month, 1 + value), topic="主题党日", members_expected=10,
                                       attendance=9)
            else:
                VillageScore.objects.filter(village=village, year=year, month=month).update(digest="")
        for view in (View.LIVE, View.PUBLISHED):
            recompute(year=year, month=month, view=view, region=county)
            assert _stored(year, month, view) == _fresh(county, year, month, view)


def test_at_most_two_years_of_standards_are_kept(standard, this_month):
    from ratings.services.standard import standard_load_defaults

    year, _ = this_month
    for other in (year - 1, year - 2):
        standard_load_defaults(year=other)
    scoring_inputs.loaded_standards_clear()
    kept = [load_standards(y) for y in (year, year - 1, year - 2)]
    assert len(scoring_inputs._LOADED) == scoring_inputs.LOADED_KEPT == 2
    assert load_standards(year - 2) is kept[2]  # the newest stay
    assert load_standards(year) is not kept[0]  # the oldest was let go
