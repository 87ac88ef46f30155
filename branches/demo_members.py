"""The member roster of every demo branch, with a year of records dated through the year.

Each branch gets as many members as its recorded count (probationary ones included), its
committee among them, in believable shares: about 30% in work (在职), 35% without an office
(无职), 20% working away (流动), 15% old or frail (年老体弱); a few leave during the year. Most
无职 members hold a post from the county's list and log their duty now and then; members in
work pledge in January and report each quarter; every member but the frail links with one to
three households and visits them; 流动 members are contacted most quarters (a few not: the
early warning); the frail are visited; a few families are recognised (好家风). Every branch
members' meeting and themed party day gets a roll matching its recorded attendance. A branch that already has a roster is left alone,
so a second run inserts nothing.
"""

from __future__ import annotations

import calendar
import datetime as dt
import random

from django.db import connection
from django.utils import timezone

from villages.models import Level, Region

from .models import Branch, CommitteeMember
from .models_members import (
    CareVisit,
    ContactRecord,
    DutyLog,
    HouseholdVisit,
    LinkedHousehold,
    MeetingAttendance,
    Member,
    MemberCategory,
    MemberPost,
    MemberStanding,
    Pledge,
    PledgeProgress,
    PostKind,
    Recognition,
)
from .models_records import Meeting, MeetingType
from .services_members import branch_counts_sync

POST_KINDS = [("政策宣传岗", "入户宣传惠民政策"), ("环境卫生岗", "负责责任区环境卫生"), ("矛盾调解岗", "调解邻里矛盾纠纷"),
              ("产业帮带岗", "帮带农户发展产业"), ("治安巡逻岗", "夜间治安巡逻"), ("关爱帮扶岗", "照顾留守老人儿童"),
              ("文明劝导岗", "劝导移风易俗"), ("护林防火岗", "护林防火巡查")]
PLEDGES = ["带动3户群众发展特色种植", "帮助5户群众解决就业", "参加志愿服务不少于6次", "为村里引进一个产业项目",
           "帮扶1户困难群众增收", "带头完成人居环境整治", "调解邻里纠纷不少于3起"]
GROUPS = ["第一村民小组", "第二村民小组", "第三村民小组", "第四村民小组", "第五村民小组"]
CATEGORY_SHARES = [(MemberCategory.IN_WORK, 0.30), (MemberCategory.NO_OFFICE, 0.35), (MemberCategory.AWAY, 0.20),
                   (MemberCategory.ELDERLY, 0.15)]


def _category(rng: random.Random, age: int) -> str:
    if age >= 82:
        return MemberCategory.ELDERLY
    roll, total = rng.random(), 0.0
    for category, share in CATEGORY_SHARES:
        total += share
        if roll < total:
            return category
    return MemberCategory.NO_OFFICE


def _insert(model, columns: tuple[str, ...], rows: list[tuple]) -> int:
    """Insert plain rows (the demo's records that nothing refers to): model instances and the
    ORM's per-value preparation would make seeding these hundreds of thousands of rows several
    times slower."""
    if rows:
        table = connection.ops.quote_name(model._meta.db_table)
        names = ", ".join(connection.ops.quote_name(c) for c in columns)
        with connection.cursor() as cursor:
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(columns))})", rows)
    return len(rows)


def _create(model, objs: list) -> None:
    """Insert model instances as plain rows and give them their ids (read back in id order:
    the demo seeds in one transaction, alone)."""
    if not objs:
        return
    now = timezone.now()
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    before = model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    _insert(model, tuple(f.column for f in fields),
            [tuple(now if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False) else getattr(o, f.attname)
                   for f in fields) for o in objs])
    ids = list(model.objects.filter(pk__gt=before).order_by("pk").values_list("pk", flat=True))
    for obj, pk in zip(objs, ids, strict=True):
        obj.pk = pk


def _day(rng: random.Random, year: int, month: int, today: dt.date) -> dt.date | None:
    day = dt.date(year, month, rng.randint(1, calendar.monthrange(year, month)[1]))
    return day if day <= today else None


def seed(*, rng: random.Random, county: Region, stdout=None) -> None:
    from cadres.demo import person_name

    today = timezone.localdate()
    year = today.year
    kinds = []
    for order, (name, _) in enumerate(POST_KINDS):
        kinds.append(PostKind.objects.get_or_create(county=county, name=name, defaults={"order": order})[0])
    duties = dict(POST_KINDS)
    villages = Region.objects.filter(level=Level.VILLAGE, code__startswith=county.prefix)
    branches = list(Branch.objects.filter(village__in=villages).select_related("village").order_by("village__code"))
    done = set(Member.objects.filter(branch__in=branches).values_list("branch_id", flat=True).distinct())
    committees: dict[int, list] = {}
    for c in CommitteeMember.objects.filter(branch__in=branches).order_by("branch_id", "id"):
        committees.setdefault(c.branch_id, []).append(c)
    todo = [b for b in branches if b.pk not in done]
    members: list[Member] = []
    for branch in todo:
        committee = committees.get(branch.pk, [])
        for index in range(branch.member_count):
            birth = rng.randint(year - 88, year - 24)
            name = committee[index].name if index < len(committee) else person_name(rng)
            category = MemberCategory.IN_WORK if index < len(committee) else _category(rng, year - birth)
            probationary = index >= branch.member_count - branch.probationary_count
            joined = (dt.date(year - 1, rng.randint(1, 11), rng.randint(1, 28)) if probationary else
                      dt.date(rng.randint(max(birth + 20, 1950), year - 2), rng.randint(1, 12), rng.randint(1, 28)))
            leaves = index >= len(committee) and rng.random() < 0.015
            left_on = _day(rng, year, rng.randint(1, today.month), today) if leaves else None
            members.append(Member(
                branch=branch, name=name, gender="男" if rng.random() < 0.72 else "女", birth_year=birth, joined_on=joined,
                standing=MemberStanding.PROBATIONARY if probationary else MemberStanding.FULL, category=category,
                committee_role=committee[index].position if index < len(committee) else "",
                phone=f"13{rng.randint(0, 9)}{rng.randint(10000000, 99999999)}",
                contact_name=person_name(rng) if category == MemberCategory.AWAY else "",
                left_on=left_on, leave_reason=(rng.choice(["transfer", "death"]) if left_on else ""),
            ))
    _create(Member, members)
    counts = _records(rng, members, kinds, duties, today)
    counts["出席登记"] = _rolls(rng, todo, members, today)
    branch_counts_sync([b.pk for b in todo])
    if stdout:
        stdout.write(f"  党员：新增 {len(members)} 名；" + "，".join(f"{k} {v}" for k, v in counts.items()))


def _records(rng: random.Random, members: list[Member], kinds, duties, today: dt.date) -> dict[str, int]:
    year, months = today.year, range(1, today.month + 1)
    posts, pledges, households, contacts, care, recognitions = [], [], [], [], [], []
    for m in members:
        end = m.left_on or today
        if m.category == MemberCategory.NO_OFFICE and rng.random() < 0.85:
            kind = rng.choice(kinds)
            posts.append(MemberPost(member=m, kind=kind, duty=duties[kind.name],
                                    started_on=min(today, dt.date(year, rng.randint(1, 3), rng.randint(1, 28)))))
        if m.category == MemberCategory.IN_WORK or (m.category == MemberCategory.NO_OFFICE and rng.random() < 0.3):
            pledges.append(Pledge(member=m, year=year, text=rng.choice(PLEDGES),
                                  made_on=min(today, dt.date(year, 1, rng.randint(5, 25)))))
        if m.category != MemberCategory.ELDERLY:
            for _ in range(rng.choice([1, 1, 2])):
                households.append(LinkedHousehold(member=m, head_name=_head(rng), group=rng.choice(GROUPS),
                                                  people=rng.randint(1, 6),
                                                  since=min(today, dt.date(year, 1, rng.randint(1, 20)))))
        if m.category == MemberCategory.AWAY:
            for month in (2, 5, 8, 11):
                if month <= today.month and rng.random() < 0.88:
                    day = _day(rng, year, month, min(today, end))
                    if day:
                        contacts.append((m.pk, day, rng.choice(["phone", "message", "visit"]), m.contact_name,
                                         "了解在外务工情况，传达学习要求"))
        if m.category == MemberCategory.ELDERLY:
            for month in (3, 9):
                day = _day(rng, year, month, min(today, end)) if month <= today.month else None
                if day:
                    care.append((m.pk, day, rng.choice(["村党支部书记", "驻村第一书记", "支部组织委员"]),
                                 "走访慰问，了解身体和生活情况"))
        if rng.random() < 0.03:
            day = _day(rng, year, rng.choice(list(months)), min(today, end))
            if day:
                recognitions.append((m.pk, day, "好家风"))
    _create(MemberPost, posts)
    _create(Pledge, pledges)
    _create(LinkedHousehold, households)
    _insert(ContactRecord, ("member_id", "date", "way", "by_name", "note"), contacts)
    _insert(CareVisit, ("member_id", "date", "visitor", "note"), care)
    _insert(Recognition, ("member_id", "date", "title"), recognitions)
    logs, progress, visits = [], [], []
    for post in posts:
        end = post.member.left_on or today
        for month in months:
            if month >= post.started_on.month and rng.random() < 0.35:
                day = _day(rng, year, month, end)
                if day and day >= post.started_on:
                    logs.append((post.pk, day, rng.choice(["入户宣传政策", "清理责任区垃圾", "调解邻里纠纷",
                                                           "走访帮带农户"])))
    for pledge in pledges:
        for quarter in range(1, (today.month - 1) // 3 + 1):  # the quarters already over
            progress.append((pledge.pk, quarter, rng.random() < 0.82,
                             "按计划推进" if rng.random() < 0.8 else "进度有所滞后", dt.date(year, 3 * quarter, 28)))
        if today.month == 12 and today.day > 1 and rng.random() < 0.3:  # early year-end confirmations
            pledge.outcome = "kept" if rng.random() < 0.85 else "not_kept"
            pledge.confirmed_on = dt.date(year, 12, rng.randint(1, today.day - 1))
    Pledge.objects.bulk_update([p for p in pledges if p.outcome], ["outcome", "confirmed_on"], batch_size=2000)
    _insert(PledgeProgress, ("pledge_id", "quarter", "on_track", "note", "reported_on"), progress)
    for household in households:
        end = household.member.left_on or today
        for month in months:
            if rng.random() < 0.12:
                day = _day(rng, year, month, end)
                if day and day >= household.since:
                    visits.append((household.pk, day, "入户走访，听取意见"))
    _insert(DutyLog, ("post_id", "date", "note"), logs)
    _insert(HouseholdVisit, ("household_id", "date", "note"), visits)
    return {"岗位": len(posts), "履职记录": len(logs), "承诺": len(pledges), "季度进展": len(progress),
            "联系户": len(households), "走访": len(visits), "流动党员联系": len(contacts), "关爱走访": len(care),
            "好家风": len(recognitions)}


def _head(rng: random.Random) -> str:
    from cadres.demo import person_name

    return person_name(rng)


def _rolls(rng: random.Random, branches: list[Branch], members: list[Member], today: dt.date) -> int:
    """A roll for each branch members' meeting (支部党员大会) and themed party day (主题党日) of
    the year, the meetings every member is expected at: as many present as its recorded
    attendance (among the members in the branch that day), the others absent, about half of
    them excused. Committee and group meetings and lectures have no roll in the demo."""
    by_village: dict[int, list[Member]] = {}
    for m in members:
        by_village.setdefault(m.branch.village_id, []).append(m)
    meetings = Meeting.objects.filter(village_id__in=list(by_village), type__in=[MeetingType.MEMBERS_MEETING, MeetingType.THEMED_PARTY_DAY],
                                      date__year=today.year).order_by("village_id", "date", "id")
    rows = []
    for meeting in meetings:
        present = [m for m in by_village[meeting.village_id]
                   if m.joined_on <= meeting.date and (m.left_on is None or m.left_on > meeting.date)]
        rng.shuffle(present)
        attending = min(meeting.attendance, len(present))
        for index, member in enumerate(present):
            here = index < attending
            rows.append((meeting.pk, member.pk, here, not here and rng.random() < 0.5))
    return _insert(MeetingAttendance, ("meeting_id", "member_id", "present", "excused"), rows)
