"""The campaign's year in the demo county: targets, task lists from the gaps, this year's
quarterly inspections with the problems they found, and the award applications at every step.

Runs after the results (ratings.demo_results). Idempotent: a county that already has this
year's targets is left as it is. The demo secretary's own village gets a target but no
application, so the apply step can be tried in the browser.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from cadres.models import Post, Role, StarCode
from ratings.campaign.services.checklist import checklist_regenerate
from ratings.campaign.services.targets import record_created
from ratings.models import (
    Application,
    ApplicationStatus,
    ChecklistItem,
    ChecklistProgress,
    Inspection,
    InspectionScore,
    ItemOrigin,
    ItemStatus,
    Notice,
    Objection,
    StarReview,
    StarWithdrawal,
    TargetChangeSource,
    TargetLevel,
    VillageScore,
)
from villages.models import Level, Region

STARS = StarCode.values
APPLICATIONS = 36  # of the candidates, this many have applied
PROBLEMS = {
    "branch": ["三会一课记录不完整", "党员积分管理台账未按月更新", "无职党员设岗定责未落实到人"],
    "industry": ["支部领办合作社分红记录缺失", "村集体经营性收入台账不清", "帮扶车间用工登记不全"],
    "ecology": ["村内垃圾清运不及时", "坑塘沟渠存在积存垃圾", "户厕改造后管护不到位"],
    "safety": ["矛盾纠纷排查台账未按周更新", "网格员巡查记录缺失", "消防通道被杂物堵塞"],
    "civility": ["红白理事会章程未公示", "新时代文明实践站活动记录少", "道德评议结果未张榜"],
}
# How the problem items are spread over the ledger's steps.
PROBLEM_STEPS = [ItemStatus.COLLECTED, ItemStatus.REPORTED, ItemStatus.ASSIGNED, ItemStatus.ASSIGNED,
                 ItemStatus.FEEDBACK, ItemStatus.CLOSED, ItemStatus.CLOSED]
STEP_TRAIL = {  # the progress rows each state has behind it
    ItemStatus.COLLECTED: ["收集"],
    ItemStatus.REPORTED: ["收集", "上报"],
    ItemStatus.ASSIGNED: ["收集", "上报", "交办"],
    ItemStatus.FEEDBACK: ["收集", "上报", "交办", "反馈"],
    ItemStatus.CLOSED: ["收集", "上报", "交办", "反馈", "销号"],
}


def seed(*, rng: random.Random, county: Region, stdout=None) -> None:
    today = timezone.localdate()
    year = today.year
    villages = list(Region.objects.filter(code__startswith=county.prefix, level=Level.VILLAGE, is_active=True)
                    .order_by("code"))
    if TargetLevel.objects.filter(village__in=villages, year=year).exists():
        return
    users = _users(county)
    # Targets start from where villages stood at the last published month: early in a month the
    # running month's live figures are still nearly empty.
    published = (VillageScore.objects.filter(village__in=villages, year=year, view="published")
                 .order_by("-month").values_list("month", flat=True).first())
    view, month = ("published", published) if published else ("live", today.month)
    levels = dict(VillageScore.objects.filter(village__in=villages, year=year, month=month, view=view)
                  .values_list("village_id", "star_level"))
    targets = _targets(rng, villages, levels, year, users.get("org"))
    counts = checklist_regenerate(village_ids=[v.pk for v in villages], year=year, month=today.month, view="live")
    inspections, problems = _inspections(rng, county, villages, today, users)
    applications = _applications(rng, targets, today, users)
    if stdout:
        stdout.write(f"  创星：目标 {len(targets)} 个，差距任务 {counts['created']} 项，观摩 {inspections} 次，"
                     f"问题台账 {problems} 项，申报 {applications} 个")


def _users(county: Region) -> dict:
    """The demo's acting users: the organisation department, each township's staff, the lead departments."""
    users: dict = {"township": {}, "lead": {}}
    for post in Post.objects.active().filter(region__code__startswith=county.prefix).select_related("user", "region"):
        if post.role == Role.ORGANISATION:
            users.setdefault("org", post.user)
        elif post.role == Role.TOWNSHIP_STAFF:
            users["township"].setdefault(post.region_id, post.user)
        elif post.role == Role.LEAD_DEPARTMENT:
            users["lead"].setdefault(post.star, post.user)
    return users


def _targets(rng, villages, levels, year, org) -> list[TargetLevel]:
    """Targets a little above where each village stands now; four stars and up are candidates."""
    rows = [TargetLevel(village=v, year=year, level=min(5, levels.get(v.pk, 1) + rng.choice([0, 1, 1, 2])),
                        target_stars=[], set_by=org) for v in villages]
    TargetLevel.objects.bulk_create(rows)
    # Set at the start of the year (the demo's plan as of March shows them); their history says so.
    start = timezone.make_aware(dt.datetime(year, 1, 10, 9))
    record_created(rows, by=org, source=TargetChangeSource.SET, at=min(start, timezone.now()))
    return rows


def _inspections(rng, county, villages, today, users) -> tuple[int, int]:
    """One inspection per township for each quarter of the year so far, and the problems found."""
    year = today.year
    quarters = [q for q in range(1, 5) if dt.date(year, q * 3 - 2, 1) <= today]
    by_township: dict[int, list[Region]] = {}
    for v in villages:
        by_township.setdefault(v.parent_id, []).append(v)
    inspections, scores = [], []
    for township_id in by_township:
        for quarter in quarters:
            inspection = Inspection(region_id=township_id, year=year, quarter=quarter,
                                    date=min(today, dt.date(year, quarter * 3, rng.randint(10, 25))),
                                    inspected_by=users["township"].get(township_id))
            inspections.append(inspection)
    Inspection.objects.bulk_create(inspections)
    for inspection in inspections:
        for v in by_township[inspection.region_id]:
            base = rng.uniform(62, 92)
            for star in STARS:
                score = max(40.0, min(100.0, base + rng.uniform(-8, 8)))
                scores.append(InspectionScore(inspection=inspection, village=v, star=star,
                                              score=Decimal(f"{score:.1f}")))
    InspectionScore.objects.bulk_create(scores, batch_size=2000)
    # Problems found at the latest inspection, for the lowest-scoring villages and stars.
    items, trails = [], []
    latest = {i.pk for i in inspections if quarters and i.quarter == quarters[-1]}
    low = sorted((s for s in scores if s.inspection.pk in latest), key=lambda s: (s.score, s.village.code, s.star))[:60]
    for n, s in enumerate(low):
        state = PROBLEM_STEPS[n % len(PROBLEM_STEPS)]
        found = s.inspection.date
        due = found + dt.timedelta(days=rng.choice([20, 30, 45, 90]))
        clerk = users["township"].get(s.village.parent_id)
        item = ChecklistItem(
            village=s.village, year=year, star=s.star, origin=ItemOrigin.INSPECTION, status=state,
            title=rng.choice(PROBLEMS[s.star]), detail=f"第{s.inspection.quarter}季度观摩得分 {s.score}",
            due_date=due, created_by=clerk, owner_text="村党支部书记" if state != ItemStatus.COLLECTED else "",
            created_at=min(timezone.make_aware(dt.datetime.combine(found, dt.time(10))), timezone.now()))
        if state == ItemStatus.CLOSED:
            item.closed_at = min(timezone.make_aware(dt.datetime.combine(min(due, today), dt.time(16))),
                                 timezone.now())
            item.closed_reason, item.closed_by, item.verified_by = "核验销号", clerk, clerk
        items.append(item)
    ChecklistItem.objects.bulk_create(items)
    for item in items:
        for step, action in enumerate(STEP_TRAIL[item.status]):
            at = min(item.created_at + dt.timedelta(days=3 * step), timezone.now())
            note = {"反馈": "已按要求整改，附整改前后照片", "销号": "经实地核验，整改到位"}.get(action, "")
            trails.append(ChecklistProgress(item=item, by=item.created_by, at=at, action=action, note=note))
    ChecklistProgress.objects.bulk_create(trails)
    return len(inspections), len(items)


def _applications(rng, targets, today, users) -> int:
    """Candidates (four stars and up) apply; their applications stand at every step of the workflow."""
    year = today.year
    demo_village = Region.objects.filter(posts__user__username="secretary", posts__role=Role.VILLAGE_SECRETARY).first()
    candidates = [t for t in targets if t.level >= 4 and t.village_id != getattr(demo_village, "pk", None)]
    candidates = sorted(rng.sample(candidates, min(APPLICATIONS, len(candidates))), key=lambda t: t.village.code)
    steps = [ApplicationStatus.APPLIED, ApplicationStatus.TOWNSHIP_CHECKED, ApplicationStatus.REVIEWED,
             ApplicationStatus.PUBLIC_NOTICE, ApplicationStatus.NAMED, ApplicationStatus.NAMED]
    org = users.get("org")
    apps, reviews, objections = [], [], []
    for n, target in enumerate(candidates):
        status = steps[n % len(steps)]
        stars = ["branch", *[s for s in STARS if s != "branch"][: target.level - 1]]
        applied_at = timezone.now() - dt.timedelta(days=70 + n % 20)
        app = Application(village=target.village, year=year, stars=stars, status=status, applied_at=applied_at)
        past_check = status != ApplicationStatus.APPLIED
        if past_check:
            app.checked_by = users["township"].get(target.village.parent_id)
            app.checked_at = applied_at + dt.timedelta(days=5)
        if status in (ApplicationStatus.PUBLIC_NOTICE, ApplicationStatus.NAMED):
            app.notice_start = today - dt.timedelta(days=3 if status == ApplicationStatus.PUBLIC_NOTICE else 40)
            app.notice_end = app.notice_start + dt.timedelta(days=7)
        apps.append(app)
    Application.objects.bulk_create(apps)
    for app in apps:
        if app.status in (ApplicationStatus.APPLIED, ApplicationStatus.TOWNSHIP_CHECKED):
            continue
        approved = []
        for star in app.stars:
            ok = rng.random() > 0.15
            reviews.append(StarReview(application=app, star=star, approved=ok, by=users["lead"].get(star),
                                      reason="" if ok else "佐证材料不足，指标未达标",
                                      at=app.checked_at + dt.timedelta(days=7)))
            if ok:
                approved.append(star)
        if app.status == ApplicationStatus.NAMED:
            app.named_stars, app.named_by = sorted(approved), org
            app.named_at = timezone.make_aware(dt.datetime.combine(app.notice_end + dt.timedelta(days=2), dt.time(10)))
        if app.status == ApplicationStatus.PUBLIC_NOTICE and rng.random() < 0.5:
            objections.append(Objection(application=app, content="群众反映该村环境整治存在反弹", recorded_by=org))
    StarReview.objects.bulk_create(reviews)
    Objection.objects.bulk_create(objections)
    Application.objects.bulk_update([a for a in apps if a.status == ApplicationStatus.NAMED],
                                    ["named_stars", "named_by", "named_at"])
    # One named village lost a star during the year (降星), and its township was told.
    named = [a for a in apps if a.status == ApplicationStatus.NAMED and "safety" in a.named_stars]
    if named:
        app = named[0]
        reason = "发生重大安全生产事故，触及一票否决"
        app.named_stars = [s for s in app.named_stars if s != "safety"]
        app.save(update_fields=["named_stars"])
        StarWithdrawal.objects.create(village=app.village, year=year, star="safety", reason=reason,
                                      by=users["lead"].get("safety") or org, township_notified=True)
        Notice.objects.create(region=app.village.parent, text=f"{app.village.name}被摘除平安法治星：{reason}")
    return len(apps)
