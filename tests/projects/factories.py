"""Factories for the collective economy's records (the shared ones are in tests/factories.py)."""

from __future__ import annotations

from decimal import Decimal

import factory

from projects.models import Binding, CollectiveIncomeMonth, Cooperative
from tests.factories import VillageFactory


class CooperativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cooperative

    village = factory.SubFactory(VillageFactory)
    name = factory.Sequence(lambda n: f"香菇种植专业合作社{n}")
    members = 40


class BindingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Binding

    cooperative = factory.SubFactory(CooperativeFactory)
    enterprise = factory.Sequence(lambda n: f"龙头企业{n}")
    farmers_bound = 30


class IncomeMonthFactory(factory.django.DjangoModelFactory):
    """A raw month row; tests that need the year's sum go through the services."""

    class Meta:
        model = CollectiveIncomeMonth

    village = factory.SubFactory(VillageFactory)
    year = 2026
    month = 1
    total = Decimal("10000")
    operating = Decimal("6000")
