"""This year's organisational life, decisions, postings and rectification progress of the demo county.

Most branches hold their meetings as the frequencies ask; some skip now and then, a few
(and every weak-and-lax branch) often. The engine then finds a realistic spread on the branch
star's meeting indicators. Every draw is made for every village whether or not its rows exist,
so a second run draws the same numbers and inserts nothing.
"""

from __future__ import annotations

import calendar
import datetime as dt
import random

from django.utils import timezone

from cadres.models import Post, Role
from villages.models import Level, Region

from .compliance import quarter_months
from .models import Branch, Rectification
from .models_records import (
    Decision,
    Frequency,
    Meeting,
    MeetingType,
    Posting,
    PostingCategory,
    RectificationUpdate,
    meeting_frequencies,
)

TOPICS = {
    MeetingType.MEMBERS_MEETING: ["讨论发展党员工作", "审议村级重大事项", "民主评议党员", "学习贯彻上级会议精神"],
    MeetingType.COMMITTEE_MEETING: ["研究本月重点工作", "研究五星支部创建推进措施", "研究集体经济项目", "研究人居环境整治"],
    MeetingType.GROUP_MEETING: ["学习党章党规", "交流联户走访情况", "讨论党员积分评定", "学习乡村振兴政策"],
    MeetingType.PARTY_LECTURE: ["书记讲党课：发挥战斗堡垒作用", "第一书记讲党课：抓党建促乡村振兴", "党课：学习新思想"],
    MeetingType.THEMED_PARTY_DAY: ["重温入党誓词", "志愿服务进农户", "参观红色教育基地", "人居环境集中整治"],
}
MATTERS = ["村集体光伏电站收益分配", "道路硬化工程建设", "土地流转合作方案", "村级帮扶车间租赁", "村规民约修订",
           "集体资产承包经营", "饮水安全改造工程"]
POSTINGS = {
    PostingCategory.PARTY: "党员发展、党费收缴、组织生活开展情况",
    PostingCategory.VILLAGE: "惠民政策落实、低保评定、项目建设情况",
    PostingCategory.FINANCIAL: "村集体收支明细、债权债务、资产资源情况",
}
PROGRESS_NOTES = ["调整充实支部班子，选优配强书记", "建立组织生活台账，按时开展三会一课", "乡镇包村干部驻村督导，逐项销号",
                  "化解历史遗留矛盾纠纷", "发展壮大集体经济，确定主导产业", "开展党员积分管理，激活党员队伍"]
# How often a branch misses a meeting it should hold: most regular, some patchy, a few lax
# (with the weak-and-lax ones, the branches that miss the prerequisite star in a month).
PROFILES = [(0.86, 0.0), (0.10, 0.15), (0.04, 0.6)]


def seed(*, rng: random.Random, county: Region, stdout=None) -> None:
    today = timezone.localdate()
    villages = list(Region.objects.filter(level=Level.VILLAGE, code__startswith=county.prefix).order_by("code"))
    branches = {b.village_id: b for b in Branch.objects.filter(village__in=villages)}
    recorders = _recorders(villages)
    have_meetings = set(Meeting.objects.filter(village__in=villages, date__year=today.year)
                        .values_list("village_id", flat=True).distinct())
    have_decisions = set(Decision.objects.filter(village__in=villages).values_list("village_id", flat=True).distinct())
    have_postings = set(Posting.objects.filter(village__in=villages, year=today.year)
                        .values_list("village_id", flat=True).distinct())
    meetings, decisions, postings = [], [], []
    for village in villages:
        branch = branches.get(village.pk)
        miss = _miss_rate(rng, branch)
        by = recorders.get(village.pk)
        rows = _meetings(rng, village, branch, miss, today, by)
        if village.pk not in have_meetings:
            meetings.extend(rows)
        rows = _decisions(rng, village, today, by)
        if village.pk not in have_decisions:
            decisions.extend(rows)
        rows = _postings(rng, village, miss, today, by)
        if village.pk not in have_postings:
            postings.extend(rows)
    Meeting.objects.bulk_create(meetings, batch_size=2000)
    Decision.objects.bulk_create(decisions, batch_size=2000)
    Posting.objects.bulk_create(postings, batch_size=2000)
    updates = _rectification_updates(rng, villages, today, recorders)
    if stdout:
        stdout.write(f"  组织生活：新增会议 {len(meetings)} 次，四议两公开 {len(decisions)} 项，三务公开 {len(postings)} 条，"
                     f"整顿进展 {updates} 条")


def _recorders(villages) -> dict:
    """Who recorded a village's records: its secretary, else its township's clerk."""
    posts = Post.objects.filter(role__in=[Role.VILLAGE_SECRETARY, Role.TOWNSHIP_STAFF]).order_by("id")
    secretary, clerk = {}, {}
    for post in posts.values("role", "region_id", "user_id"):
        target = secretary if post["role"] == Role.VILLAGE_SECRETARY else clerk
        target.setdefault(post["region_id"], post["user_id"])
    return {v.pk: secretary.get(v.pk) or clerk.get(v.parent_id) for v in villages}


def _miss_rate(rng: random.Random, branch: Branch | None) -> float:
    roll, total = rng.random(), 0.0
    rate = PROFILES[-1][1]
    for share, miss in PROFILES:
        total += share
        if roll < total:
            rate = miss
            break
    return PROFILES[-1][1] if branch is not None and branch.is_weak_lax else rate


def _day(rng: random.Random, year: int, month: int, first: int, last: int) -> dt.date:
    return dt.date(year, month, min(rng.randint(first, last), calendar.monthrange(year, month)[1]))


def _meetings(rng, village, branch, miss, today, by) -> list[Meeting]:
    members = branch.member_count if branch else 30
    committee = branch.committee_size if branch else 3
    frequencies = meeting_frequencies()
    rows = []
    for month in range(1, today.month + 1):
        for kind in MeetingType.values:
            if frequencies[kind] == Frequency.QUARTERLY:
                quarter = quarter_months((month - 1) // 3 + 1)
                if month != quarter[0]:
                    continue  # one per quarter, in a month of the quarter
                month_of = quarter[rng.randrange(3)]
            else:
                month_of = month
            date = _day(rng, today.year, month_of, 2, 20)
            skipped = rng.random() < miss
            expected = {MeetingType.COMMITTEE_MEETING: committee,
                        MeetingType.GROUP_MEETING: max(5, members // 4)}.get(kind, members)
            attendance = max(1, round(expected * rng.uniform(0.7, 1.0)))
            topic = rng.choice(TOPICS[kind])
            if skipped or date > today:
                continue
            rows.append(Meeting(
                village=village, type=kind, date=date, topic=topic, members_expected=expected,
                attendance=min(attendance, expected), minutes=f"会议围绕“{topic}”进行了学习讨论，形成一致意见。",
                created_by_id=by, updated_by_id=by,
            ))
    return rows


def _decisions(rng, village, today, by) -> list[Decision]:
    rows = []
    for _ in range(rng.randint(1, 3)):
        start = dt.date(today.year, rng.randint(1, today.month), rng.randint(1, 20))
        steps, day = [], start
        for _step in range(6):
            day = day + dt.timedelta(days=rng.randint(2, 15))
            steps.append(day)
        matter = rng.choice(MATTERS)
        dates = [start, *steps[:5]]
        done = [d if d <= today else None for d in dates]
        for index in range(1, 6):  # a step not yet taken leaves every later step empty
            if done[index - 1] is None:
                done[index] = None
        rows.append(Decision(
            village=village, matter=matter, proposed_on=done[0], discussed_on=done[1], reviewed_on=done[2],
            resolved_on=done[3], resolution_published_on=done[4], result_published_on=done[5],
            created_by_id=by, updated_by_id=by,
        ))
    return rows


def _postings(rng, village, miss, today, by) -> list[Posting]:
    rows = []
    for quarter in range(1, (today.month - 1) // 3 + 2):
        month = quarter_months(quarter)[-1]
        for category, content in POSTINGS.items():
            posted = dt.date(today.year, month, 1) + dt.timedelta(days=27 + rng.randint(0, 8))
            skipped = rng.random() < miss
            if skipped or posted > today:
                continue
            rows.append(Posting(village=village, category=category, year=today.year, month=month, posted_on=posted,
                                content=f"{today.year}年第{quarter}季度{content}", created_by_id=by, updated_by_id=by))
    return rows


def _rectification_updates(rng, villages, today, recorders) -> int:
    rectifications = list(Rectification.objects.filter(branch__village__in=villages, year=today.year)
                          .select_related("branch").order_by("id"))
    have = set(RectificationUpdate.objects.filter(rectification__in=rectifications)
               .values_list("rectification_id", flat=True))
    rows = []
    for r in rectifications:
        end = r.accepted_on or today
        count = rng.randint(2, 5)
        notes = rng.sample(PROGRESS_NOTES, count)
        if r.pk in have:
            continue
        span = max((end - r.listed_on).days, count)
        for index, note in enumerate(notes, start=1):
            date = min(r.listed_on + dt.timedelta(days=span * index // (count + 1)), today)
            rows.append(RectificationUpdate(rectification=r, date=date, note=note,
                                            created_by_id=recorders.get(r.branch.village_id)))
    RectificationUpdate.objects.bulk_create(rows)
    # The latest progress shows on the rectification; only those without history get it now.
    latest = {}
    for row in rows:
        latest[row.rectification_id] = row.note
    for r in rectifications:
        if r.pk in latest:
            Rectification.objects.filter(pk=r.pk).update(progress=latest[r.pk])
    return len(rows)
