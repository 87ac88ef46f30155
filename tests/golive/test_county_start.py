"""A county's start month: set by `setup_county --start`, changed by the organisation department;
no warning, ranking, bulletin, month close or trend for a month before it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from cadres.county_start import county_start_set
from ratings.campaign.services.warnings import warnings_find
from ratings.models import Indicator, LedgerEntry, LedgerStatus, View, VillageScore
from ratings.services.month_close import month_close
from ratings.services.scoring import recompute
from ratings.services.standard import standard_load_defaults
from reports.selectors_trends import first_month
from reports.services.bulletin import bulletin_generate
from villages.models import Region
from villages.start_month import before_start


def test_setup_county_records_the_start_month_and_says_so(db):
    out = StringIO()
    call_command("setup_county", "--code", "411421000000", "--name", "民权县", "--admin", "zzb", "--start", "2026-12",
                 stdout=out)
    county = Region.objects.get(code="411421000000")
    assert county.start_month == dt.date(2026, 12, 1)
    assert "自2026年12月起使用本平台" in out.getvalue()


def test_setup_county_refuses_a_start_it_cannot_read(db):
    with pytest.raises(CommandError, match="2026-12"):
        call_command("setup_county", "--code", "411421000000", "--name", "民权县", "--admin", "zzb",
                     "--start", "十二月", stdout=StringIO())
    assert not Region.objects.exists()


@pytest.fixture
def december_county(county, township, village, township_clerk):
    """A county that went live in December 2026, with a reported incident in November."""
    standard_load_defaults(year=2026)
    veto = Indicator.objects.get(code="branch.discipline_veto", star__standard__year=2026, star__standard__kind="rural")
    LedgerEntry.objects.create(village=village, indicator=veto, year=2026, month=11, value=D(1),
                               status=LedgerStatus.SUBMITTED, entered_by=township_clerk)
    return county


def test_no_warning_for_a_month_before_the_start(december_county):
    today = dt.date(2026, 12, 3)
    before = {(f.kind, f.month) for f in warnings_find(county=december_county, today=today)}
    # Without a start month November is owed (its ledger, the incident); with one it is not.
    assert {("ledger_late", 11), ("veto", 11)} <= before
    county_start_set(county=december_county, start=dt.date(2026, 12, 1))
    assert [f for f in warnings_find(county=december_county, today=today) if f.month == 11] == []


def test_no_ranking_before_the_start(client_for, december_county, village, county_admin):
    recompute(year=2026, month=11, view=View.LIVE, region=december_county)
    recompute(year=2026, month=12, view=View.LIVE, region=december_county)
    assert VillageScore.objects.filter(year=2026, month=11).exists()
    county_start_set(county=december_county, start=dt.date(2026, 12, 1), by=county_admin)
    client = client_for(county_admin)
    november = client.get(reverse("ratings:rankings"), {"year": 2026, "month": 11}).content.decode()
    assert "本县自2026年12月起使用本平台，2026年11月没有排名" in november and village.name not in november
    december = client.get(reverse("ratings:rankings"), {"year": 2026, "month": 12}).content.decode()
    assert village.name in december and "自2026年12月起" in december


def test_no_month_close_or_bulletin_before_the_start(december_county, county_admin):
    county_start_set(county=december_county, start=dt.date(2026, 12, 1))
    with pytest.raises(ValidationError, match="自2026年12月起使用本平台，2026年11月无需关账"):
        month_close(county=december_county, year=2026, month=11, by=county_admin)
    with pytest.raises(ValidationError, match="2026年11月没有通报"):
        bulletin_generate(region=december_county, year=2026, month=11)


def test_trends_start_at_the_start_month(december_county):
    assert first_month(december_county.code, 2026) == 1
    county_start_set(county=december_county, start=dt.date(2026, 12, 1))
    assert (first_month(december_county.code, 2025), first_month(december_county.code, 2026),
            first_month(december_county.code, 2027)) == (13, 12, 1)
    assert before_start(december_county, 2026, 11) and not before_start(december_county, 2026, 12)


def test_only_the_organisation_department_changes_the_start(december_county, township_clerk, county_admin):
    with pytest.raises(PermissionDenied):
        county_start_set(county=december_county, start=dt.date(2026, 10, 1), by=township_clerk)
    county_start_set(county=december_county, start=dt.date(2026, 10, 15), by=county_admin)
    december_county.refresh_from_db()
    assert december_county.start_month == dt.date(2026, 10, 1)
