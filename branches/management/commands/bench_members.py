"""Time the member roster of a whole county imported in one file, and a county month's points.

Builds a county of 25 townships × 24 villages (600 branches) and an Excel roster of about
20,000 members (by default 33 or 34 per branch) in memory, imports it (then again: the second
run must change nothing), adds a month of records (a themed party day's roll for every member,
duty logs, household visits, recognitions) and computes that month's points for every member of
the county, then the branch averages. Each step reports wall time, CPU time of this process
and its number of queries; everything happens in a transaction that is rolled back at the end,
so the database is left as it was. On a shared, loaded machine read CPU time and queries first.
"""

from __future__ import annotations

import datetime as dt
import random
import time

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from branches import member_import
from branches import points as member_points
from branches.models import (
    Branch,
    DutyLog,
    HouseholdVisit,
    LinkedHousehold,
    Meeting,
    MeetingAttendance,
    MeetingType,
    Member,
    MemberCategory,
    MemberPost,
    PostKind,
    Recognition,
)
from cadres.models import Post, Role, User
from villages.models import Level, Region

from .bench_golive import _file as _sheet_file

COUNTY = "419802000000"
CATEGORY_LABELS = [label for _, label in MemberCategory.choices]


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "测量全县党员名册一次导入（约2万名党员）和全县一个月党员积分计算的耗时与查询次数（在回滚的事务中进行）"

    def add_arguments(self, parser):
        parser.add_argument("--townships", type=int, default=25)
        parser.add_argument("--villages-per-township", type=int, default=24)
        parser.add_argument("--members", type=int, default=20_000)

    def handle(self, *args, townships, villages_per_township, members, **options):
        try:
            with transaction.atomic():
                self._run(townships, villages_per_township, members)
                raise Rollback
        except Rollback:
            self.stdout.write("（已回滚，数据库未改变）")

    def _measure(self, label: str, work):
        with CaptureQueriesContext(connection) as queries:
            wall, cpu = time.perf_counter(), time.process_time()
            result = work()
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        self.stdout.write(f"{label}：用时 {wall:.2f} 秒（本进程 CPU {cpu:.2f} 秒），查询 {len(queries)} 次")
        return result

    def _run(self, n_townships: int, per_township: int, n_members: int) -> None:
        rng = random.Random(20260101)
        province = Region.objects.get_or_create(code="410000000000", defaults={"name": "河南省", "level": Level.PROVINCE})[0]
        city = Region.objects.get_or_create(code="419800000000", defaults={"name": "测试市", "level": Level.CITY,
                                                                           "parent": province})[0]
        county = Region.objects.create(code=COUNTY, name="测试县", level=Level.COUNTY, parent=city)
        admin = User.objects.create(username="bench_members_admin", full_name="测试组织部")
        Post.objects.create(user=admin, role=Role.ORGANISATION, region=county)
        villages = []
        for t in range(1, n_townships + 1):
            township = Region.objects.create(code=f"419802{t:03d}000", name=f"第{t}镇", level=Level.TOWNSHIP, parent=county)
            villages += Region.objects.bulk_create([
                Region(code=f"419802{t:03d}{v:03d}", name=f"第{t}镇{v}村", level=Level.VILLAGE, parent=township)
                for v in range(1, per_township + 1)])
        Branch.objects.bulk_create([Branch(village=v, name=f"{v.name}党支部") for v in villages])
        rows = []
        for i in range(n_members):
            village = villages[i % len(villages)]
            category = CATEGORY_LABELS[rng.randrange(4)]
            rows.append([village.code, village.name, f"党员{i:05d}", "男" if i % 3 else "女", 1950 + i % 50,
                         f"{min(2025, 1950 + i % 50 + 20 + i % 17)}-07-01", "预备党员" if i % 40 == 0 else "正式党员", category, "",
                         f"139{i:08d}", "张联系" if category == "流动党员" else "", ""])
        upload, second = _sheet_file(member_import.SHEET, rows), _sheet_file(member_import.SHEET, rows)
        self.stdout.write(f"名册文件：{len(rows)} 行，{len(villages)} 个村，{upload.size / 1024:.0f} KB")
        result = self._measure("首次导入", lambda: member_import.import_apply(file=upload, region=county, by=admin))
        if result.errors:
            self.stdout.write(f"导入出错：{result.messages()[:5]}")
            return
        self.stdout.write(f"  新增 {result.created} 名")
        again = self._measure("再次导入同一文件", lambda: member_import.import_apply(file=second, region=county, by=admin))
        self.stdout.write(f"  新增 {again.created}，更新 {again.updated}，未变化 {again.unchanged}")

        year, month = 2026, 5
        members = list(Member.objects.filter(branch__village__code__startswith=county.prefix).values_list(
            "pk", "branch__village_id", "category"))
        day = dt.date(year, month, 15)
        meetings = Meeting.objects.bulk_create([Meeting(village=v, type=MeetingType.THEMED_PARTY_DAY, date=day,
                                                        topic="主题党日", members_expected=40, attendance=30)
                                                for v in villages])
        meeting_of = {m.village_id: m.pk for m in meetings}
        MeetingAttendance.objects.bulk_create([MeetingAttendance(meeting_id=meeting_of[v], member_id=pk,
                                                                 present=rng.random() < 0.85)
                                               for pk, v, _ in members], batch_size=5000)
        kind = PostKind.objects.create(county=county, name="政策宣传岗")
        posts = MemberPost.objects.bulk_create([MemberPost(member_id=pk, kind=kind, duty="宣传",
                                                           started_on=dt.date(year, 1, 5))
                                                for pk, _, c in members if c == MemberCategory.NO_OFFICE], batch_size=5000)
        DutyLog.objects.bulk_create([DutyLog(post=p, date=day, note="入户宣传") for p in posts for _ in range(2)],
                                    batch_size=5000)
        households = LinkedHousehold.objects.bulk_create([LinkedHousehold(member_id=pk, head_name="户主",
                                                                           since=dt.date(year, 1, 1))
                                                          for pk, _, _ in members], batch_size=5000)
        HouseholdVisit.objects.bulk_create([HouseholdVisit(household=h, date=day, note="走访") for h in households],
                                           batch_size=5000)
        Recognition.objects.bulk_create([Recognition(member_id=pk, date=day) for pk, _, _ in members[::30]])
        points = self._measure(f"全县 {year}年{month}月 党员积分", lambda: member_points.month_points(
            prefix=county.prefix, year=year, month=month, county=county))
        self.stdout.write(f"  {len(points)} 名党员，合计 {sum(p.total for p in points.values())} 分")
        averages = self._measure("全县各支部人均积分", lambda: member_points.branch_averages(
            prefix=county.prefix, year=year, month=month, county=county))
        self.stdout.write(f"  {len(averages)} 个支部")
