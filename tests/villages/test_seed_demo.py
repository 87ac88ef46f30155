from django.core.management import call_command

from branches.models import Branch, CommunityNeed, CommunityResource, NeedMatch
from cadres.models import FirstSecretary, Post, SignIn, User
from projects.models import CollectiveIncome, Cooperative, Project
from ratings.models import (
    Application,
    ChecklistItem,
    Commentary,
    Inspection,
    InspectionScore,
    StarWithdrawal,
    TargetLevel,
    TargetLevelChange,
    TownshipPlan,
    WeeklyPhoto,
    WeeklyReport,
)
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


def test_seed_demo_gives_the_promised_county_and_a_second_run_changes_nothing(db):
    # One test, so the suite seeds the county twice rather than three times (about 45 s each).
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    first = _snapshot()
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert _snapshot() == first

    villages = Region.objects.filter(level="village")
    assert Region.objects.filter(level="township").count() == 12
    assert 280 <= villages.count() <= 330
    assert 25 <= villages.filter(kind="urban").count() <= 35
    assert 90 <= FirstSecretary.objects.count() <= 110
    assert Branch.objects.count() == villages.count()
    for region in Region.objects.all():
        region.full_clean()  # every demo code is valid and matches its parent
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
    from django.utils import timezone

    from ratings.campaign.selectors_weekly import week_status
    from ratings.campaign.services.weekly import Week

    week = Week.of(timezone.localdate()).shift(-1)
    rows = [r for t in Region.objects.filter(level="township") for r in week_status(township=t, week=week)]
    assert any(r["report"] for r in rows) and any(r["report"] is None for r in rows)
    assert WeeklyPhoto.objects.filter(entry__report__village__posts__user__username="keysec").exists()
    assert Commentary.objects.count() >= 12
    assert set(CommunityNeed.objects.values_list("status", flat=True)) == {"open", "matched", "done", "cancelled"}
    assert NeedMatch.objects.filter(done_on__isnull=False).exists()
