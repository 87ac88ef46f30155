"""The first secretaries' demo records: every kind is there, and a second run adds nothing."""

import random
from io import StringIO

import pytest

from cadres import demo, demo_work
from cadres.models import Evaluation, FirstSecretary, LeaveRequest, MonthlyReport, SignIn, SpotCheck
from villages import demo as villages_demo

pytestmark = pytest.mark.django_db


def counts():
    return {model.__name__: model.objects.count()
            for model in (SignIn, SpotCheck, LeaveRequest, MonthlyReport, Evaluation)}


def test_demo_work_seeds_every_record_kind_once():
    county = villages_demo.seed(rng=random.Random("v"), county=None, stdout=StringIO())
    demo.seed(rng=random.Random("c"), county=county, stdout=StringIO())
    demo_work.seed(rng=random.Random("w"), county=county, stdout=StringIO())
    first = counts()
    assert all(first.values()), first
    assert set(LeaveRequest.objects.values_list("status", flat=True)) == {"requested", "approved", "refused"}
    assert set(MonthlyReport.objects.values_list("status", flat=True)) == {"draft", "submitted", "read"}
    recalled = FirstSecretary.objects.filter(status="recalled")
    assert recalled.exists() and not recalled.filter(recalled_by__isnull=True).exists()
    # Last year's grades rest on last year's records (the demo spot-checks this year only).
    evaluation = Evaluation.objects.order_by("pk").first()
    assert evaluation.days_present == SignIn.objects.filter(
        first_secretary=evaluation.first_secretary, date__year=evaluation.year).count() > 0
    assert evaluation.reports_submitted == MonthlyReport.objects.filter(
        first_secretary=evaluation.first_secretary, year=evaluation.year).exclude(status="draft").count() > 0
    demo_work.seed(rng=random.Random("w"), county=county, stdout=StringIO())
    assert counts() == first
