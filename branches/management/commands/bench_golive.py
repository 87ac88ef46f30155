"""Time the going-live imports on a county of realistic size, and count their queries.

Builds the files in memory (by default 25 townships × 24 villages = 600 villages, a branch
each, 1,000 people and posts, 370 first secretaries), imports each twice (the second run must
change nothing) inside a transaction that is rolled back at the end, so the database is left
as it was.
"""

from __future__ import annotations

import io
import time

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook

from branches import branch_import
from cadres import first_secretary_import, people_import
from cadres.models import Post, Role, User
from villages import region_import
from villages.models import Level, Region

COUNTY = "419801000000"


class Rollback(Exception):
    pass


def _file(sheet, rows) -> SimpleUploadedFile:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet.name)
    ws.append(sheet.headers)
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile("bench.xlsx", buffer.getvalue())


class Command(BaseCommand):
    help = "测量上线导入（区划、党组织、人员岗位、第一书记）的耗时和查询次数（在回滚的事务中进行）"

    def add_arguments(self, parser):
        parser.add_argument("--townships", type=int, default=25)
        parser.add_argument("--villages-per-township", type=int, default=24)
        parser.add_argument("--people", type=int, default=1000)

    def handle(self, *args, townships, villages_per_township, people, **options):
        try:
            with transaction.atomic():
                self._run(townships, villages_per_township, people)
                raise Rollback
        except Rollback:
            self.stdout.write("（已回滚，数据库未改变）")

    def _run(self, n_townships: int, per_township: int, n_people: int) -> None:
        province = Region.objects.get_or_create(code="410000000000", defaults={"name": "河南省", "level": Level.PROVINCE})[0]
        city = Region.objects.get_or_create(code="419800000000", defaults={"name": "测试市", "level": Level.CITY,
                                                                           "parent": province})[0]
        county = Region.objects.create(code=COUNTY, name="测试县", level=Level.COUNTY, parent=city)
        admin = User.objects.create(username="bench_golive_admin", full_name="测试组织部")
        Post.objects.create(user=admin, role=Role.ORGANISATION, region=county)
        regions, villages = [], []
        for t in range(1, n_townships + 1):
            township = f"419801{t:03d}000"
            regions.append([township, f"第{t}镇", None, None, None])
            for v in range(1, per_township + 1):
                code = f"419801{t:03d}{v:03d}"
                villages.append(code)
                regions.append([code, f"第{t}镇{v}村", "城市社区" if v % 10 == 0 else "行政村", 300 + v, 1200 + v])
        branches = [[code, None, f"{code}党支部", "党支部", "张书记", "13800000000", "是", "2021-01-05", 30, 2, 5,
                     "张书记（书记）、李委员（组织委员）"] for code in villages]
        people_rows = []
        for t in range(1, n_townships + 1):
            people_rows.append([f"专干{t}", f"139{t:08d}", "乡镇专干", f"419801{t:03d}000", None, None, None, None, None])
        for star in ("支部过硬星", "产业兴旺星", "生态宜居星", "平安法治星", "文明幸福星"):
            people_rows.append([f"{star}牵头人", None, "星级牵头部门", COUNTY, star, "牵头部门", None, None, None])
        for i, code in enumerate(villages):
            people_rows.append([f"书记{i}", f"137{i:08d}", "村党支部书记", code, None, None, None, None, None])
        first_secretaries = []
        for i, code in enumerate(villages[: max(0, n_people - len(people_rows))]):
            people_rows.append([f"第一书记{i}", f"136{i:08d}", "驻村第一书记", code, None, None, None, None, None])
            first_secretaries.append([f"第一书记{i}", "男", f"136{i:08d}", "省直单位", "省派", "干部", code,
                                      "2025-03-01", "2027-02-28", "王队员（县农业农村局）、赵队员（县财政局）"])
        runs = [
            ("乡镇和村（社区）", region_import, regions, {"county": county, "complete": True}),
            ("村党组织", branch_import, branches, {"county": county}),
            ("人员和岗位", people_import, people_rows, {"county": county, "by": admin}),
            ("第一书记和工作队", first_secretary_import, first_secretaries, {"county": county}),
        ]
        self.stdout.write(f"{connection.vendor}：{n_townships} 个乡镇、{len(villages)} 个村、{len(people_rows)} 个岗位、"
                          f"{len(first_secretaries)} 名第一书记")
        for label, module, rows, kwargs in runs:
            for attempt in ("首次", "再次"):
                upload = _file(module.SHEET, rows)
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    result = module.import_apply(file=upload, **kwargs)
                    elapsed = time.perf_counter() - started
                status = "成功" if result.ok else f"失败 {result.messages()[:3]}"
                self.stdout.write(f"  {label}（{len(rows)} 行）{attempt}：{elapsed:.2f} 秒，{len(queries)} 次查询，{status}，"
                                  f"新增 {result.created}、更新 {result.updated}、未变化 {result.unchanged}")
