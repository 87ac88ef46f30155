from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from ratings.models import MonthClose
from ratings.services.late_approvals import unreviewed_summary
from ratings.services.month_close import month_close
from villages.models import Level, Region


class Command(BaseCommand):
    help = "关账发布某月（默认上月）：按已审核台账重算并冻结为已发布口径；已关账的月份不变"

    def add_arguments(self, parser):
        parser.add_argument("--county", help="县的区划代码；默认全部县")
        parser.add_argument("--year", type=int)
        parser.add_argument("--month", type=int)

    def handle(self, *args, county=None, year=None, month=None, **options):
        today = timezone.localdate()
        if not year or not month:
            year, month = (today.year - 1, 12) if today.month == 1 else (today.year, today.month - 1)
        counties = Region.objects.filter(level=Level.COUNTY)
        if county:
            counties = counties.filter(code=county)
            if not counties.exists():
                raise CommandError(f"县“{county}”不存在")
        for region in counties:
            # Before it runs: what the close leaves out, per star and its lead department.
            if not MonthClose.objects.filter(county=region, year=year, month=month).exists():
                waiting = unreviewed_summary(county=region, year=year, month=month)
                if waiting:
                    self.stdout.write(self.style.WARNING(
                        f"{region.name} {year}年{month}月仍有 {sum(u.count for u in waiting)} 条台账待审核，"
                        "不计入已发布结果：" + "；".join(
                            f"{u.star_names}（{u.departments or '未设牵头部门'}）{u.count} 条" for u in waiting)))
            closed = month_close(county=region, year=year, month=month)
            self.stdout.write(f"{region.name} {year}年{month}月 已关账（{timezone.localtime(closed.closed_at):%Y-%m-%d %H:%M}）")
