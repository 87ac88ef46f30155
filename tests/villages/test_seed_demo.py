import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.utils import timezone

from branches.models import Branch, CommunityNeed, CommunityResource, NeedMatch
from cadres.models import FirstSecretary, Post, SignIn, User
from projects.models import CollectiveIncome, Cooperative, Project
from ratings.models import (
    Application,
    ChecklistItem,
    Commentary,
    Inspection,
    InspectionScore,
    MonthClose,
    MonthReopening,
    StarWithdrawal,
    TargetLevel,
    TargetLevelChange,
    TownshipPlan,
    VillageScore,
    WeeklyPhoto,
    WeeklyReport,
)
from reports.models import Bulletin
from villages.models import Region

MODELS = [Region, User, Post, FirstSecretary, SignIn, Branch, Project, Cooperative, CollectiveIncome,
          TargetLevel, TargetLevelChange, TownshipPlan, ChecklistItem, Inspection, InspectionScore, Application, StarWithdrawal,
          WeeklyReport, WeeklyPhoto, Commentary, CommunityNeed, CommunityResource, NeedMatch]


def _snapshot():
    return {
        "counts": {m.__name__: m.objects.count() for m in MODELS},
        "codes": list(Region.objects.order_by("code").values_list("code", "name", "kind")),
        "incomes": list(CollectiveIncome.objects.order_by("village__code", "year").values_list("village__code", "year", "total")),
        "secretaries": list(FirstSecretary.objects.order_by("village__code").values_list("village__code", "name", "status")),
    }


# Times that name a moment still to come by their nature, not a record of the past.
FUTURE_BY_NATURE = {("JobRun", "deadline"), ("LedgerWindow", "open_until")}


def _no_time_after(now):
    """The demo seeds no stored time after its own now (a report sent at an hour still to come
    reads as a bug), and every stored time is aware."""
    from django.apps import apps
    from django.db import models
    from django.db.models import Max

    late = []
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if not isinstance(field, models.DateTimeField) or (model.__name__, field.name) in FUTURE_BY_NATURE:
                continue
            latest = model.objects.aggregate(latest=Max(field.name))["latest"]
            assert latest is None or timezone.is_aware(latest), (model.__name__, field.name)
            if latest is not None and latest > now:
                late.append((model.__name__, field.name, timezone.localtime(latest)))
    assert late == []


def test_the_demo_county_has_the_promised_townships_and_villages(db):
    """The region tree of the whole county (its first step, a fraction of a second); what the
    other steps build is checked on the compact county below, which runs them all."""
    import random

    from villages import demo
    from villages.management.commands.seed_demo import SEED

    demo.seed(rng=random.Random(f"{SEED}-villages.demo"))
    tree = Region.objects.filter(level="village")
    assert Region.objects.filter(level="township").count() == 12
    assert 280 <= tree.count() <= 330
    assert 25 <= tree.filter(kind="urban").count() <= 35
    for region in Region.objects.all():
        region.full_clean()  # every demo code is valid and matches its parent


@pytest.fixture
def compact(monkeypatch):
    """The demo county cut to its first three townships (城关镇 with its communities, 东城街道,
    王庄乡), as the portal walk seeds it: every step of the demo runs, on a third of the villages."""
    import villages.demo

    monkeypatch.setattr(villages.demo, "TOWNSHIPS", villages.demo.TOWNSHIPS[:3])


def test_seed_demo_gives_the_promised_county_and_a_second_run_changes_nothing(db, compact):
    # One test, so the suite seeds the county twice rather than three times.
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    first = _snapshot()
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert _snapshot() == first

    _no_time_after(timezone.now())

    villages = Region.objects.filter(level="village")
    assert Region.objects.filter(level="township").count() == 3
    assert villages.filter(kind="urban").exists() and villages.filter(kind="rural").exists()
    # A first secretary in 100 rural villages (every one when there are fewer), a few replaced.
    sent = min(100, villages.filter(kind="rural").count())
    assert sent <= FirstSecretary.objects.count() <= sent + 10
    assert Branch.objects.count() == villages.count()
    roles = set(Post.objects.filter(user__username__in=["org", "clerk", "secretary", "first", "lead_industry"]).values_list("role", flat=True))
    assert roles == {"organisation", "township_staff", "village_secretary", "first_secretary", "lead_department"}
    # The campaign's year: a target for every village, task lists, inspections with problems,
    # applications at every step, and one star withdrawn.
    assert TargetLevel.objects.count() == villages.count()
    # Targets were set early in the year (their history says so): the plan as of March has them.
    assert TargetLevelChange.objects.count() == villages.count()
    first_version = TownshipPlan.objects.order_by("as_of", "id").first()
    assert first_version.content["targeted"] > 0 and first_version.content["candidates"]
    assert ChecklistItem.objects.filter(origin="gap").exists()
    assert ChecklistItem.objects.filter(origin="inspection").values("status").distinct().count() == 5
    assert InspectionScore.objects.exists()
    assert set(Application.objects.values_list("status", flat=True)) == {
        "applied", "township_checked", "reviewed", "public_notice", "named"}
    assert StarWithdrawal.objects.count() == 1
    secretary_village = Region.objects.get(posts__user__username="secretary")
    assert not Application.objects.filter(village=secretary_village).exists()
    # Weekly progress of key villages: a few weeks, some missing, and last month's commentaries;
    # the communities' needs, some matched and some done.
    from ratings.campaign.selectors_weekly import week_status
    from ratings.campaign.services.weekly import Week

    week = Week.of(timezone.localdate()).shift(-1)
    rows = [r for t in Region.objects.filter(level="township") for r in week_status(township=t, week=week)]
    assert any(r["report"] for r in rows) and any(r["report"] is None for r in rows)
    assert WeeklyPhoto.objects.filter(entry__report__village__posts__user__username="keysec").exists()
    # Last month's commentary of every township.
    assert Commentary.objects.count() >= Region.objects.filter(level="township").count()
    assert set(CommunityNeed.objects.values_list("status", flat=True)) == {"open", "matched", "done", "cancelled"}
    assert NeedMatch.objects.filter(done_on__isnull=False).exists()

    # The year was closed month by month: every ended month is closed, none of its figures
    # moved since (the check recomputes each from the raw records), one was reopened for a
    # correction and closed again, and its bulletin is marked superseded.
    _assert_closed_months_hold_and_look_like_a_campaign()


def _assert_closed_months_hold_and_look_like_a_campaign():
    today = timezone.localdate()
    county = Region.objects.get(level="county", name="示范县")
    closed = sorted(MonthClose.objects.filter(county=county, year=today.year).values_list("month", flat=True))
    assert closed == list(range(1, today.month))

    out = io.StringIO()
    call_command("recompute", "--check", "--county", county.code, stdout=out)  # raises on any difference
    months, figures, differences = (int(part.split()[0]) for part in out.getvalue().splitlines()[0].split(", "))
    assert (months, differences) == (len(closed), 0)
    assert figures > len(closed) * Region.objects.filter(level="village").count() * 50

    previous = None
    for month in closed:
        levels = dict(VillageScore.objects.filter(village__code__startswith=county.prefix, year=today.year,
                                                  month=month, view="published").values_list("village_id", "star_level"))
        counts, total = Counter(levels.values()), len(levels)
        assert counts[0] <= 0.15 * total, f"{month}月 0星 {counts[0]}/{total}"
        assert counts[2] + counts[3] + counts[4] > total / 2, f"{month}月 2—4星 不过半：{counts}"
        assert 1 <= counts[5] <= 0.1 * total, f"{month}月 五星村 {counts[5]}"
        if previous is not None:
            assert any(levels[v] > previous[v] for v in levels), f"{month}月没有升星的村"
            assert any(levels[v] < previous[v] for v in levels), f"{month}月没有降星的村"
        previous = levels

    if len(closed) >= 2:
        reopening = MonthReopening.objects.get(county=county, year=today.year)
        assert reopening.reason and reopening.closed_again_at > reopening.reopened_at
        superseded = Bulletin.objects.filter(year=today.year, month=reopening.month, superseded_at__isnull=False)
        assert superseded.exists() and all(b.superseded_reason == reopening.reason for b in superseded)
