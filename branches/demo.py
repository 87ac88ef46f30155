"""One party organisation per demo village, about 5% weak-and-lax with their rectifications.

The listings happened during the campaign, as a county's would: listed in the first half of the
year (a few already last autumn), about 40% accepted in the second half, so the published months
show branches becoming weak-and-lax and leaving it. Dates never lie after today.
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from villages.models import Level, Region

from .models import Branch, CommitteeMember, OrgType, Rectification, RectificationStatus
from .selectors import secretary_holders

POSITIONS = ["书记", "副书记", "组织委员", "宣传委员", "纪检委员", "青年委员", "妇女委员"]
WEAK_REASONS = [
    "班子不团结，软弱无力", "组织生活不经常、不规范", "集体经济薄弱，带富能力不强",
    "矛盾纠纷突出，信访问题较多", "党员队伍老化，发展党员工作滞后",
]


def seed(*, rng: random.Random, county: Region, stdout=None) -> None:
    from cadres.demo import person_name

    villages = list(Region.objects.filter(level=Level.VILLAGE, code__startswith=county.prefix).order_by("code"))
    existing = set(Branch.objects.filter(village__in=villages).values_list("village_id", flat=True))
    # One person per post: a village whose secretary already has a login is led by that person.
    holders = secretary_holders([v.pk for v in villages])
    year = timezone.localdate().year
    branches, committees, weak = [], [], []
    for village in villages:
        members = rng.randint(20, 120)
        org_type = OrgType.GENERAL_BRANCH if members > 90 else OrgType.BRANCH
        committee_size = rng.choice([3, 5, 5, 7]) if members > 50 else rng.choice([3, 3, 5])
        secretary = person_name(rng)
        secretary = holders.get(village.pk, secretary)
        is_weak = rng.random() < 0.05
        committee = [(secretary, "书记")] + [(person_name(rng), p) for p in POSITIONS[1:committee_size]]
        reason = rng.choice(WEAK_REASONS)
        accepted = rng.random() < 0.4
        if village.pk in existing:
            continue
        branch = Branch(
            village=village, name=f"{village.name}{org_type.label}" if org_type != OrgType.BRANCH else f"{village.name}党支部",
            org_type=org_type, secretary_name=secretary, secretary_phone=f"138{rng.randint(10000000, 99999999)}",
            secretary_is_head=rng.random() < 0.85, secretary_since=dt.date(rng.randint(2015, 2024), rng.randint(1, 12), 1),
            committee_size=committee_size, member_count=members, probationary_count=rng.randint(0, 4),
            established_on=dt.date(rng.randint(1950, 1990), 7, 1), is_weak_lax=is_weak and not accepted,
        )
        branches.append(branch)
        committees.append(committee)
        if is_weak:
            weak.append((branch, reason, accepted))
    Branch.objects.bulk_create(branches, batch_size=500)
    CommitteeMember.objects.bulk_create(
        (CommitteeMember(branch=b, name=n, position=p) for b, c in zip(branches, committees, strict=True) for n, p in c),
        batch_size=1000,
    )
    today = timezone.localdate()
    rectifications = []
    for b, reason, accepted in weak:
        # A generator per branch, so these dates never shift the rest of the demo's draws.
        dates = random.Random(f"{b.village.code}-listing")
        listed_on = min(today, dt.date(year - 1, 10, 15) if dates.random() < 0.2
                        else dt.date(year, dates.randint(1, 6), dates.randint(1, 28)))
        accepted_on = min(today - dt.timedelta(days=1), dt.date(year, dates.randint(7, 10), dates.randint(1, 28)))
        rectifications.append(Rectification(
            branch=b, year=listed_on.year, reason=reason, listed_on=listed_on,
            plan="选优配强班子，规范组织生活，逐月跟踪销号",
            progress="已调整充实班子成员，组织生活逐步规范" if accepted else "正在整顿中",
            status=RectificationStatus.ACCEPTED if accepted else RectificationStatus.RECTIFYING,
            accepted_on=accepted_on if accepted and accepted_on > listed_on else None,
            accepted_by="县委组织部" if accepted else "",
        ))
    Rectification.objects.bulk_create(rectifications)
    if stdout:
        stdout.write(f"  党组织：{Branch.objects.filter(village__in=villages).count()} 个，软弱涣散 {Branch.objects.filter(village__in=villages, is_weak_lax=True).count()} 个")
