"""The demo county's responsibility system: a county leader per township (also on two key
villages), the organisation department's staff on the first township's candidates, a
responsibility group in every village (a township leader as 包村干部, the secretary as deputy),
and this year's contact visits month by month, a few with problems raised.

Logins added: `leader` (县级领导, on the first township) and `tleader` (乡镇领导, 包村干部 of the
demo secretary's village), password as every demo account. Idempotent: a county that already
has this year's assignments is left as it is. Runs after the campaign's year (reports.demo),
whose targets name the key villages.
"""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from cadres.demo import DEMO_PASSWORD, person_name
from cadres.models import Post, Role, User
from cadres.models_duty import Assignment, ContactVisit, Duty, DutyTier
from cadres.services_duty import contact_visit_record
from villages.models import Level, Region

FINDINGS = [
    "查看三会一课记录，会议按月召开，记录较完整。", "走访农户5户，群众对村内环境整治满意。",
    "调研支部领办合作社，分红方案已公示。", "察看党群服务中心，周末值班制度落实。",
    "与村两委座谈，研究下一步创星任务。", "检查矛盾纠纷排查台账，按周更新。",
]
PROBLEMS = [("branch", "党员积分管理未按月公示"), ("industry", "合作社财务台账不规范"),
            ("ecology", "村内部分路段垃圾清运不及时"), ("safety", "网格员巡查记录缺失"),
            ("civility", "红白理事会章程未上墙")]
LEADER_TITLES = ["副县长", "县委常委", "县人大副主任", "县政协副主席"]
TOWNSHIP_TITLES = ["党委副书记", "组织委员", "宣传委员", "纪委书记", "副镇长"]
TOWNSHIP_LEADERS_PER_TOWNSHIP = 3


def _user(username: str, full_name: str, organisation: str, password: str) -> User:
    user, created = User.objects.get_or_create(username=username, defaults={
        "full_name": full_name, "organisation": organisation, "password": password})
    return user


def seed(*, rng: random.Random, county: Region, stdout=None) -> None:
    from ratings.models import TargetLevel

    today = timezone.localdate()
    year = today.year
    if Assignment.objects.filter(region__code__startswith=county.prefix, year=year).exists():
        return
    jan1 = dt.date(year, 1, 1)
    password = make_password(DEMO_PASSWORD)  # hashed once: forty accounts stay quick
    townships = list(Region.objects.filter(level=Level.TOWNSHIP, code__startswith=county.prefix).order_by("code"))
    villages = list(Region.objects.filter(level=Level.VILLAGE, code__startswith=county.prefix, is_active=True)
                    .select_related("parent").order_by("code"))
    candidates = set(TargetLevel.objects.filter(village__in=villages, year=year, level__gte=4)
                     .values_list("village_id", flat=True))
    secretary_village = Region.objects.filter(posts__user__username="secretary").first()
    org = User.objects.filter(username="org").first()
    rows: list[Assignment] = []
    leaders: dict[int, User] = {}
    for n, township in enumerate(townships):
        name = "王建国" if n == 0 else person_name(rng)
        user = _user("leader" if n == 0 else f"leader{n + 1:02d}", name, "县委", password)
        Post.objects.get_or_create(user=user, role=Role.COUNTY_LEADER, region=county)
        leaders[township.pk] = user
        title = LEADER_TITLES[n % len(LEADER_TITLES)]
        rows.append(Assignment(year=year, duty=Duty.CONTACT, tier=DutyTier.COUNTY_LEADER, person=user,
                               person_name=user.full_name, person_title=title, region=township, start_date=jan1,
                               created_by=org))
        keys = [v for v in villages if v.parent_id == township.pk and v.pk in candidates][:2]
        rows += [Assignment(year=year, duty=Duty.CONTACT, tier=DutyTier.COUNTY_LEADER, person=user,
                            person_name=user.full_name, person_title=title, region=v, start_date=jan1,
                            created_by=org) for v in keys]
        if n == 0 and org:
            rows += [Assignment(year=year, duty=Duty.CONTACT, tier=DutyTier.ORG_STAFF, person=org,
                                person_name=org.full_name, person_title="组织部干部", region=v, start_date=jan1,
                                created_by=org) for v in keys]
    group_users: dict[int, list[User]] = {}
    for n, township in enumerate(townships):
        people = []
        for k in range(TOWNSHIP_LEADERS_PER_TOWNSHIP):
            username = "tleader" if (n, k) == (0, 0) else f"tleader{n + 1:02d}{k + 1}"
            user = _user(username, "吴振华" if username == "tleader" else person_name(rng), f"{township.name}党委",
                         password)
            Post.objects.get_or_create(user=user, role=Role.TOWNSHIP_LEADER, region=township)
            people.append(user)
        group_users[township.pk] = people
    secretaries = _secretary_names(villages)
    for i, village in enumerate(villages):
        people = group_users[village.parent_id]
        leader = people[0] if village == secretary_village else people[i % len(people)]
        rows.append(Assignment(year=year, duty=Duty.GROUP_LEADER, tier=DutyTier.TOWNSHIP_LEADER, person=leader,
                               person_name=leader.full_name, region=village, start_date=jan1,
                               person_title=TOWNSHIP_TITLES[people.index(leader) % len(TOWNSHIP_TITLES)]))
        rows.append(Assignment(year=year, duty=Duty.GROUP_DEPUTY, tier=DutyTier.VILLAGE_SECRETARY,
                               person_name=secretaries.get(village.pk) or "村党支部书记", person_title="村党支部书记",
                               region=village, start_date=jan1))
    Assignment.objects.bulk_create(rows)
    visits = _visits(rng, today, villages)
    if stdout:
        stdout.write(f"  包联责任：{len(rows)} 条，走访记录 {visits} 次")


def _secretary_names(villages) -> dict[int, str]:
    from branches.models import Branch

    return dict(Branch.objects.filter(village__in=villages).values_list("village_id", "secretary_name"))


def _visits(rng: random.Random, today: dt.date, villages) -> int:
    """Month by month up to today: most assignments visited, a recent few raising problems."""
    by_id = {v.pk: v for v in villages}
    children: dict[int, list[Region]] = {}
    for v in villages:
        children.setdefault(v.parent_id, []).append(v)
    rows = []
    assignments = list(Assignment.objects.select_related("region").filter(year=today.year, person__isnull=False,
                                                 duty__in=[Duty.CONTACT, Duty.GROUP_LEADER],
                                                 region__code__startswith=villages[0].code[:6]))
    for month in range(1, today.month + 1):
        last_day = today.day if month == today.month else 28
        chance = 0.45 if month == today.month else 0.85
        for a in assignments:
            if rng.random() > chance:
                continue
            village = by_id.get(a.region_id) or rng.choice(children.get(a.region_id, villages))
            rows.append(ContactVisit(assignment=a, visitor_id=a.person_id, village=village,
                                     date=dt.date(today.year, month, rng.randint(1, max(1, last_day))),
                                     findings=rng.choice(FINDINGS)))
    ContactVisit.objects.bulk_create(rows)
    # A few of this month's visits by the first township's county leader raise problems, through
    # the service, so they join the problem ledger as the pages would make them.
    leader = User.objects.filter(username="leader").first()
    mine = [a for a in assignments if a.person_id == getattr(leader, "pk", None) and a.region.level == Level.VILLAGE]
    for a, (star, title) in zip(mine, PROBLEMS[:2], strict=False):
        contact_visit_record(by=leader, village=a.region, date=today, findings="走访重点村，查看创星进展。",
                             problems=[(star, title)])
    return len(rows) + min(len(mine), 2)
