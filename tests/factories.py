"""factory-boy factories shared by every test module."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from django.conf import settings
from django.contrib.auth.hashers import make_password

from branches.models import Branch
from cadres.models import FirstSecretary, Post, Role, User
from projects.models import CollectiveIncome, Project
from villages.models import Kind, Level, Region


class CountyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = "419901000000"
    name = "示范县"
    level = Level.COUNTY


class TownshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region

    parent = factory.SubFactory(CountyFactory)
    level = Level.TOWNSHIP
    code = factory.LazyAttributeSequence(lambda o, n: f"{o.parent.code[:6]}{(n % 999) + 1:03d}000")
    name = factory.Sequence(lambda n: f"测试镇{n}")


class VillageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region

    parent = factory.SubFactory(TownshipFactory)
    level = Level.VILLAGE
    kind = Kind.RURAL
    code = factory.LazyAttributeSequence(lambda o, n: f"{o.parent.code[:9]}{(n % 999) + 1:03d}")
    name = factory.Sequence(lambda n: f"测试村{n}")
    households = 400
    population = 1500


_HASHES: dict[tuple, str] = {}


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"用户{n}")

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        raw = extracted or "Test-pass-2026"
        # The same hash as set_password gives (the hashers in force, Argon2 in the settings), made
        # once per password and hashers rather than once per user: one Argon2 hash costs about a
        # quarter of a second, and the suite creates thousands of users. Each user's hash still
        # verifies through the real hasher at login; only the salt is shared between test users.
        key = (raw, tuple(settings.PASSWORD_HASHERS))
        if key not in _HASHES:
            _HASHES[key] = make_password(raw)
        obj.password, obj._password = _HASHES[key], raw
        if create:
            obj.save(update_fields=["password"])


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Post

    user = factory.SubFactory(UserFactory)
    role = Role.TOWNSHIP_STAFF
    region = factory.SubFactory(TownshipFactory)


class BranchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Branch

    village = factory.SubFactory(VillageFactory)
    name = factory.LazyAttribute(lambda o: f"{o.village.name}党支部")
    secretary_name = "张书记"
    member_count = 40
    probationary_count = 2


class FirstSecretaryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FirstSecretary

    name = factory.Sequence(lambda n: f"第一书记{n}")
    dispatch_unit = "县农业农村局"
    dispatch_level = "county"
    village = factory.SubFactory(VillageFactory)
    term_start = dt.date(2025, 3, 1)


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    village = factory.SubFactory(VillageFactory)
    name = factory.Sequence(lambda n: f"光伏项目{n}")
    project_type = "photovoltaic"
    investment = Decimal("120.00")
    annual_income = Decimal("8.50")


class CollectiveIncomeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CollectiveIncome

    village = factory.SubFactory(VillageFactory)
    year = 2026
    total = Decimal("150000")
    operating = Decimal("90000")


# --- reports: stored results (engineer D) ----------------------------------------------------


class ResultStandardFactory(factory.django.DjangoModelFactory):
    """A bare standard row that result rows can point at (no stars or indicators)."""

    class Meta:
        model = "ratings.Standard"
        django_get_or_create = ("year", "kind")

    year = 2026
    kind = "rural"
    name = factory.LazyAttribute(lambda o: f"{o.year}年测试标准")


class VillageScoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "ratings.VillageScore"

    village = factory.SubFactory(VillageFactory)
    year = 2026
    month = 5
    view = "published"
    standard = factory.LazyAttribute(lambda o: ResultStandardFactory(year=o.year))
    stars_earned = factory.LazyFunction(list)
    star_level = factory.LazyAttribute(lambda o: len(o.stars_earned))
    total = Decimal("300")
    computed_at = factory.LazyFunction(lambda: dt.datetime(2026, 5, 31, tzinfo=dt.UTC))


class StarScoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "ratings.StarScore"

    village = factory.SubFactory(VillageFactory)
    year = 2026
    month = 5
    view = "published"
    star = "branch"
    score = Decimal("85")
    pass_mark = Decimal("80")
    earned = factory.LazyAttribute(lambda o: o.score >= o.pass_mark)
    computed_at = factory.LazyFunction(lambda: dt.datetime(2026, 5, 31, tzinfo=dt.UTC))
