"""The demo county's weekly progress of key villages for the last weeks (this one included), with
some villages missing some weeks, and the organisation department's commentary on every township
for last month (and this month for the first township).

Login added: `keysec` (村党支部书记 of the first key village of 城关镇), password as every demo
account; that village reports through the service with photos, and this week is left for him to
report on a phone. Idempotent: a county that already has weekly reports is left as it is."""

from __future__ import annotations

import datetime as dt
import io
import random

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cadres.models import StarCode, User
from ratings.models import Commentary, WeeklyReport, WeeklyReportStar
from villages.models import Level, Region

from .services.weekly import StarProgress, Week, key_villages, weekly_report_submit

WEEKS = 6
REPORT_RATE = 0.8  # about one key village in five misses a given week
PROGRESS = {
    "branch": ["召开支部委员会，研究创星推进措施", "开展主题党日活动，党员参与率九成以上", "更新党员积分公示栏"],
    "industry": ["合作社完成本周订单分拣发货", "对接龙头企业洽谈订单农业", "帮扶车间新增就业岗位"],
    "ecology": ["组织党员志愿者开展环境整治", "完成户厕改造验收", "清理房前屋后杂物，垃圾日产日清"],
    "safety": ["网格员入户排查矛盾纠纷，均已化解", "开展反电诈宣传进农户", "法治副书记开展法律咨询"],
    "civility": ["红白理事会修订章程并公示", "开展“五美庭院”评选", "老年食堂本周正常运行"],
}
COMMENTS = [
    "重点村周进展报送总体及时，产业、就业类指标推进较快；个别村连续两周未报送，乡镇要督促落实。",
    "本月各重点村围绕目标星扎实推进，照片佐证较充分；下月重点抓好支部过硬星的基础台账。",
    "部分村进展描述过于笼统，请写清本周具体做了什么、解决了什么问题。",
]


def _photo(rng: random.Random) -> SimpleUploadedFile:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (320, 240), (rng.randint(120, 200), rng.randint(150, 210), rng.randint(120, 190)))
    draw = ImageDraw.Draw(image)
    for _ in range(6):
        x, y = rng.randint(0, 280), rng.randint(0, 200)
        draw.rectangle([x, y, x + rng.randint(20, 60), y + rng.randint(20, 50)], fill=(rng.randint(60, 255), 90, 60))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return SimpleUploadedFile("现场照片.jpg", out.getvalue(), content_type="image/jpeg")


def _key_secretary(village: Region) -> User:
    from branches.models import Branch
    from cadres.demo import DEMO_PASSWORD
    from cadres.models import Post, Role

    branch = Branch.objects.filter(village=village).first()
    user, created = User.objects.get_or_create(username="keysec", defaults={
        "full_name": (branch.secretary_name if branch and branch.secretary_name else "郑书记"),
        "organisation": f"{village.name}党支部"})
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    Post.objects.get_or_create(user=user, role=Role.VILLAGE_SECRETARY, region=village)
    return user


def seed(*, rng: random.Random, county: Region, stdout=None) -> None:
    if WeeklyReport.objects.filter(village__code__startswith=county.prefix).exists():
        return
    now = timezone.now()
    today = timezone.localdate(now)
    villages = Region.objects.filter(code__startswith=county.prefix, level=Level.VILLAGE)
    keys = list(key_villages(villages, on=today).select_related("parent").order_by("code"))
    townships = list(Region.objects.filter(code__startswith=county.prefix, level=Level.TOWNSHIP).order_by("code"))
    demo_village = next((v for v in keys if v.parent.code == (townships[0].code if townships else "")), None)
    secretary = _key_secretary(demo_village) if demo_village else None
    this_week = Week.of(today)
    reports, entries, n_missing = [], [], 0
    for back in range(WEEKS - 1, -1, -1):
        week = this_week.shift(-back)
        day = min(week.start + dt.timedelta(days=4), today)
        for village in keys:
            if village == demo_village and secretary is not None:
                if back == 0:
                    continue  # this week is left for the demo secretary to report on a phone
                stars = rng.sample(list(StarCode.values), 2)
                try:
                    report = weekly_report_submit(by=secretary, village=village, on=day, entries=[
                        StarProgress(star=s, text=rng.choice(PROGRESS[s]), photos=[_photo(rng)] if k == 0 else [])
                        for k, s in enumerate(stars)])
                except ValidationError:  # not a key village yet that week (e.g. last year's weeks in January)
                    continue
                at = min(timezone.make_aware(dt.datetime.combine(day, dt.time(18, 30))), now)
                WeeklyReport.objects.filter(pk=report.pk).update(submitted_at=at, updated_at=at)
                continue
            if rng.random() > REPORT_RATE or (back == 0 and rng.random() < 0.4):
                n_missing += 1
                continue
            # Today's reports were sent before now, never at an hour still to come.
            at = min(timezone.make_aware(dt.datetime.combine(day, dt.time(rng.randint(8, 20), rng.randint(0, 59)))),
                     now)
            reports.append(WeeklyReport(village=village, iso_year=week.iso_year, week=week.week, week_start=week.start,
                                        submitted_at=at, updated_at=at))
            entries.append([(s, rng.choice(PROGRESS[s])) for s in rng.sample(list(StarCode.values), rng.randint(1, 3))])
    WeeklyReport.objects.bulk_create(reports)
    saved = {(r.village_id, r.iso_year, r.week): r for r in WeeklyReport.objects.filter(
        village__in=keys, week_start__gte=this_week.shift(-(WEEKS - 1)).start)}
    WeeklyReportStar.objects.bulk_create([
        WeeklyReportStar(report=saved[(r.village_id, r.iso_year, r.week)], star=star, text=text)
        for r, pairs in zip(reports, entries, strict=True) for star, text in pairs])
    org = User.objects.filter(username="org").first()
    last_month = (today.replace(day=1) - dt.timedelta(days=1))
    commentaries = [Commentary(township=t, year=last_month.year, month=last_month.month, text=rng.choice(COMMENTS),
                               written_by=org) for t in townships]
    if townships and today.day > 7:
        commentaries.append(Commentary(township=townships[0], year=today.year, month=today.month, text=COMMENTS[2],
                                       written_by=org))
    Commentary.objects.bulk_create(commentaries, ignore_conflicts=True)
    if stdout:
        stdout.write(f"  重点村周进展：{len(keys)} 个重点村，近 {WEEKS} 周报送 {len(saved)} 份，"
                     f"未报送 {n_missing} 村次；月度点评 {len(commentaries)} 条")
