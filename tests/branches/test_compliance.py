"""Compliance per meeting type against its frequency (the pure rules and the settings override)."""

import datetime as dt

import pytest

from branches.compliance import MET, MISSED, PENDING, compliance, overall_status, type_compliance
from branches.models import DEFAULT_MEETING_FREQUENCIES, Frequency, MeetingType, meeting_frequencies

LATE = dt.date(2027, 1, 15)  # every period of 2026 is over


def row(rows, kind):
    return next(r for r in rows if r.type == kind)


def test_defaults_follow_the_campaign_frequencies():
    assert DEFAULT_MEETING_FREQUENCIES == {
        "members_meeting": "quarterly", "committee_meeting": "monthly", "group_meeting": "monthly",
        "party_lecture": "quarterly", "themed_party_day": "monthly",
    }


def test_a_quarter_with_the_members_meeting_is_met():
    counts = {MeetingType.MEMBERS_MEETING: {2: 1}}
    result = row(compliance(counts, frequencies=meeting_frequencies(), year=2026, as_of=LATE, quarter=1),
                 MeetingType.MEMBERS_MEETING)
    assert (result.required, result.done, result.held, result.status) == (1, 1, 1, MET)


def test_a_quarter_without_the_members_meeting_is_missed():
    counts = {MeetingType.MEMBERS_MEETING: {4: 1}}  # held in the next quarter
    result = row(compliance(counts, frequencies=meeting_frequencies(), year=2026, as_of=LATE, quarter=1),
                 MeetingType.MEMBERS_MEETING)
    assert (result.done, result.held, result.status) == (0, 0, MISSED)


def test_two_committee_meetings_in_one_month_do_not_make_up_for_another_month():
    counts = {MeetingType.COMMITTEE_MEETING: {1: 2, 3: 1}}
    result = row(compliance(counts, frequencies=meeting_frequencies(), year=2026, as_of=LATE, quarter=1),
                 MeetingType.COMMITTEE_MEETING)
    assert (result.required, result.done, result.held, result.status) == (3, 2, 3, MISSED)


def test_a_month_with_two_committee_meetings_is_met_once():
    counts = {MeetingType.COMMITTEE_MEETING: {5: 2}}
    result = type_compliance(counts[MeetingType.COMMITTEE_MEETING], type=MeetingType.COMMITTEE_MEETING,
                             frequency=Frequency.MONTHLY, year=2026, as_of=LATE, month=5)
    assert (result.required, result.done, result.held, result.status) == (1, 1, 2, MET)


def test_a_quarterly_type_seen_in_a_month_counts_the_quarter_so_far():
    # The lecture held in April counts for May (same quarter); June's isn't looked at.
    lecture = type_compliance({4: 1, 6: 1}, type=MeetingType.PARTY_LECTURE, frequency=Frequency.QUARTERLY,
                              year=2026, as_of=LATE, month=5)
    assert (lecture.done, lecture.held, lecture.status) == (1, 1, MET)


def test_a_quarterly_type_not_yet_held_is_pending_until_the_quarter_ends():
    kwargs = dict(type=MeetingType.MEMBERS_MEETING, frequency=Frequency.QUARTERLY, year=2026, month=5)
    assert type_compliance({}, as_of=dt.date(2026, 5, 31), **kwargs).status == PENDING
    # May is over, but the quarter is not: still pending.
    assert type_compliance({}, as_of=dt.date(2026, 6, 10), **kwargs).status == PENDING
    assert type_compliance({}, as_of=dt.date(2026, 7, 1), **kwargs).status == MISSED


def test_the_running_month_is_pending_not_missed():
    running = type_compliance({}, type=MeetingType.THEMED_PARTY_DAY, frequency=Frequency.MONTHLY, year=2026,
                              as_of=dt.date(2026, 3, 12), month=3)
    assert running.status == PENDING
    over = type_compliance({}, type=MeetingType.THEMED_PARTY_DAY, frequency=Frequency.MONTHLY, year=2026,
                           as_of=dt.date(2026, 4, 1), month=3)
    assert over.status == MISSED


def test_overall_status_is_the_worst_of_the_types():
    full = {kind: {1: 1, 2: 1, 3: 1} for kind in MeetingType.values}
    rows = compliance(full, frequencies=meeting_frequencies(), year=2026, as_of=LATE, quarter=1)
    assert overall_status(rows) == MET
    del full[MeetingType.GROUP_MEETING][2]
    rows = compliance(full, frequencies=meeting_frequencies(), year=2026, as_of=LATE, quarter=1)
    assert overall_status(rows) == MISSED


def test_a_county_may_set_another_frequency_in_the_settings(settings):
    settings.BRANCH_MEETING_FREQUENCIES = {"members_meeting": "monthly"}
    assert meeting_frequencies()[MeetingType.MEMBERS_MEETING] == Frequency.MONTHLY
    counts = {MeetingType.MEMBERS_MEETING: {2: 1}}
    result = row(compliance(counts, frequencies=meeting_frequencies(), year=2026, as_of=LATE, quarter=1),
                 MeetingType.MEMBERS_MEETING)
    assert (result.required, result.done, result.status) == (3, 1, MISSED)


def test_a_bad_frequency_setting_fails_loudly(settings):
    settings.BRANCH_MEETING_FREQUENCIES = {"members_meeting": "weekly"}
    with pytest.raises(ValueError):
        meeting_frequencies()
