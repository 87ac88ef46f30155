"""Factories for first secretaries' work records (sign-ins, spot checks, leave, reports)."""

import datetime as dt

import factory

from cadres.models import LeaveRequest, MonthlyReport, SignIn, SpotCheck
from tests.factories import FirstSecretaryFactory


class SignInFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SignIn

    first_secretary = factory.SubFactory(FirstSecretaryFactory)
    village = factory.SelfAttribute("first_secretary.village")
    date = dt.date(2026, 3, 2)
    time = dt.time(8, 30)


class SpotCheckFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SpotCheck

    first_secretary = factory.SubFactory(FirstSecretaryFactory)
    date = dt.date(2026, 3, 2)
    present = True


class LeaveRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LeaveRequest

    first_secretary = factory.SubFactory(FirstSecretaryFactory)
    start = dt.date(2026, 3, 10)
    end = dt.date(2026, 3, 11)
    reason = "体检"


class MonthlyReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MonthlyReport

    first_secretary = factory.SubFactory(FirstSecretaryFactory)
    year = 2026
    month = 3
    work_done = "走访农户 20 户"
    status = "submitted"
