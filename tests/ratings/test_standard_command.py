"""`load_standard` works on its own, for any year, and a second run changes nothing."""

from io import StringIO

import pytest
from django.core.management import call_command

from ratings.models import Indicator, Standard


@pytest.mark.django_db
def test_load_standard_creates_both_kinds_published_for_the_given_year():
    out = StringIO()
    call_command("load_standard", "--year", "2031", stdout=out)
    standards = Standard.objects.filter(year=2031)
    assert sorted(s.kind for s in standards) == ["rural", "urban"]
    assert {s.status for s in standards} == {"published"}
    assert "2031" in out.getvalue()


@pytest.mark.django_db
def test_load_standard_twice_duplicates_nothing():
    call_command("load_standard", "--year", "2031", stdout=StringIO())
    before = (Standard.objects.count(), Indicator.objects.count())
    out = StringIO()
    call_command("load_standard", "--year", "2031", stdout=out)
    assert (Standard.objects.count(), Indicator.objects.count()) == before
    assert "已存在" in out.getvalue()


@pytest.mark.django_db
def test_provider_indicators_name_a_known_provider():
    from ratings import metrics

    call_command("load_standard", "--year", "2031", stdout=StringIO())
    providers = set(Indicator.objects.filter(star__standard__year=2031, source="provider")
                    .values_list("provider", flat=True))
    assert {"collective_income", "weak_lax", "first_secretary_days_present"} <= providers
    for name in providers:
        assert metrics.get_provider(name) is not None
