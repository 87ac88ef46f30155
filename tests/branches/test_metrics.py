"""The organisational-life providers: values, constant queries, and records → branch-star score."""

import datetime as dt
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from branches.models import Meeting, MeetingType
from branches.services import meeting_save
from ratings.detail import detail_rows
from ratings.models import Indicator, Source, StarScore
from ratings.providers.branch_life import organisational_life_meetings, themed_party_days
from ratings.services.scoring import recompute
from tests.factories import VillageFactory

from .factories import MeetingFactory

pytestmark = pytest.mark.django_db

YEAR, MONTH = 2026, 3


def test_meetings_are_counted_per_month_with_zero_for_months_without(village, other_village):
    MeetingFactory(village=village, type=MeetingType.COMMITTEE_MEETING, date=dt.date(YEAR, 1, 5))
    MeetingFactory(village=village, type=MeetingType.GROUP_MEETING, date=dt.date(YEAR, 1, 9))
    MeetingFactory(village=village, type=MeetingType.PARTY_LECTURE, date=dt.date(YEAR, 3, 2))
    MeetingFactory(village=village, type=MeetingType.THEMED_PARTY_DAY, date=dt.date(YEAR, 3, 10))
    MeetingFactory(village=village, type=MeetingType.COMMITTEE_MEETING, date=dt.date(YEAR, 4, 1))  # after March
    MeetingFactory(village=village, type=MeetingType.COMMITTEE_MEETING, date=dt.date(YEAR - 1, 12, 20))  # last year
    assert organisational_life_meetings(village_ids=None, year=YEAR, month=MONTH) == {
        village.pk: [(1, Decimal(2)), (2, Decimal(0)), (3, Decimal(1))],
    }
    assert themed_party_days(village_ids=[village.pk, other_village.pk], year=YEAR, month=MONTH) == {
        village.pk: [(1, Decimal(0)), (2, Decimal(0)), (3, Decimal(1))],
    }


def test_a_village_outside_the_ids_is_left_out(village, foreign_village):
    MeetingFactory(village=foreign_village, type=MeetingType.THEMED_PARTY_DAY, date=dt.date(YEAR, 2, 10))
    assert themed_party_days(village_ids=[village.pk], year=YEAR, month=MONTH) == {}
    assert list(themed_party_days(village_ids=None, year=YEAR, month=MONTH)) == [foreign_village.pk]


@pytest.mark.parametrize("count", [3, 30])
def test_each_provider_is_one_query_whatever_the_scope(count, township, django_assert_num_queries):
    ids = []
    for i in range(count):
        v = VillageFactory(parent=township, code=f"419901001{i + 100:03d}")
        Meeting.objects.bulk_create([
            Meeting(village=v, type=MeetingType.COMMITTEE_MEETING, date=dt.date(YEAR, 2, 3), topic="t",
                    members_expected=5, attendance=5),
            Meeting(village=v, type=MeetingType.THEMED_PARTY_DAY, date=dt.date(YEAR, 3, 3), topic="t",
                    members_expected=5, attendance=4),
        ])
        ids.append(v.pk)
    for provider in (organisational_life_meetings, themed_party_days):
        with django_assert_num_queries(1):
            result = provider(village_ids=ids, year=YEAR, month=MONTH)
        assert len(result) == count
        with django_assert_num_queries(1):
            assert len(provider(village_ids=None, year=YEAR, month=MONTH)) == count


def test_the_default_standard_reads_meetings_from_the_providers(standard):
    rows = dict(Indicator.objects.filter(star__standard=standard, code__in=["branch.life_meetings",
                                                                         "branch.themed_party_day"])
                .values_list("code", "provider"))
    assert rows == {"branch.life_meetings": "organisational_life_meetings",
                    "branch.themed_party_day": "themed_party_days"}
    assert not Indicator.objects.filter(star__standard=standard, code="branch.life_meetings",
                                        source=Source.LEDGER).exists()


def _branch_row(village):
    star = StarScore.objects.get(village=village, year=YEAR, month=MONTH, view="live", star="branch")
    rows = detail_rows(star.indicators)
    by_code = {r["code"]: r for r in rows}
    return by_code["branch.life_meetings"], by_code["branch.themed_party_day"], star.score


def test_recorded_meetings_raise_the_branch_star_score_through_the_engine(village, village_secretary):
    call_command("load_standard", "--year", str(YEAR), stdout=StringIO())
    record = dict(village=village, by=village_secretary, topic="学习", members_expected=30, attendance=25)
    meeting_save(type=MeetingType.COMMITTEE_MEETING, date=dt.date(YEAR, MONTH, 4), **record)
    recompute(year=YEAR, month=MONTH, village_ids=[village.pk])
    life, themed, score_before = _branch_row(village)
    # One meeting is under the threshold of 2; no themed party day at all is a missing value.
    assert (life["value"], Decimal(life["points"]), themed["value"], Decimal(themed["points"])) == ("1", 0, None, 0)

    meeting_save(type=MeetingType.GROUP_MEETING, date=dt.date(YEAR, MONTH, 8), **record)
    meeting_save(type=MeetingType.THEMED_PARTY_DAY, date=dt.date(YEAR, MONTH, 10), **record)
    recompute(year=YEAR, month=MONTH, village_ids=[village.pk])
    life, themed, score_after = _branch_row(village)
    assert (life["value"], themed["value"]) == ("2", "1")
    assert (life["met"], themed["met"]) == (True, True)
    assert score_after - score_before == Decimal(25)  # 15 for 三会一课, 10 for the themed party day
