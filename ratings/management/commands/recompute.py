from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from ratings.models import View
from ratings.services.month_check import SHOWN_DIFFERENCES, month_check
from ratings.services.scoring import recompute
from villages.models import Level, Region


class Command(BaseCommand):
    help = ("重算某区划（默认全部）某月的实时评分结果；--check 只核对已关账月份："
            "按原始记录（关账时已审核的台账）在内存中重算并与已发布数据逐项比较，有不一致时以非零状态退出；"
            "组织部已决定保留原发布结果的差异另行列出，不算不一致")

    def add_arguments(self, parser):
        parser.add_argument("--region", help="区划代码（县、乡镇或村）；默认全部")
        parser.add_argument("--year", type=int)
        parser.add_argument("--month", type=int)
        parser.add_argument("--view", choices=[View.LIVE, View.PUBLISHED], default=View.LIVE)
        parser.add_argument("--check", action="store_true",
                            help="核对已关账月份（不写入）：打印“N months, M figures, K differences”")
        parser.add_argument("--county", help="--check 时只核对该县（区划代码）")
        parser.add_argument("--resend-failed", type=int, metavar="RUN_ID",
                            help="只重新计算某批次（后台任务编号）中失败的县")

    def handle(self, *args, region=None, year=None, month=None, view=View.LIVE, check=False, county=None, **options):
        if check:
            return self._check(county=county, year=year, month=month)
        if options.get("resend_failed"):
            return self._resend_failed(options["resend_failed"])
        today = timezone.localdate()
        year, month = year or today.year, month or today.month
        scope = None
        if region:
            scope = Region.objects.filter(code=region).first()
            if scope is None:
                raise CommandError(f"区划“{region}”不存在")
        if scope is not None and scope.level in (Level.PROVINCE, Level.CITY):
            return self._fan_out(scope, year, month, view)
        count = recompute(year=year, month=month, view=view, region=scope)
        self.stdout.write(f"已重算 {count} 个村（社区）{year}年{month}月的{View(view).label}结果")

    def _fan_out(self, region, year, month, view):
        """A province or city: county by county on the workers, as the month close runs, as a
        batch the job page follows."""
        from ratings.tasks import recompute_counties_start

        run = recompute_counties_start(region=region, year=year, month=month, view=view)
        run.refresh_from_db()
        self.stdout.write(f"已发送{region.name} {run.children.count()} 个县{year}年{month}月的{View(view).label}重新计算"
                          f"（后台任务 #{run.pk}，当前状态：{run.get_state_display()}），进度见“后台任务”页")

    def _resend_failed(self, run_id):
        from config.models import JobRun
        from ratings.tasks import job_run_resend_failed_counties

        run = JobRun.objects.filter(pk=run_id, parent=None).first()
        if run is None:
            raise CommandError(f"后台任务 #{run_id} 不存在或不是批量任务")
        sent = job_run_resend_failed_counties(run=run)
        if not sent:
            raise CommandError(f"后台任务 #{run_id} 没有失败的县")
        run.refresh_from_db()
        self.stdout.write(f"已重新发送后台任务 #{run_id} 中失败的 {sent} 个县（当前状态：{run.get_state_display()}）")

    def _check(self, *, county, year, month):
        scope = None
        if county:
            scope = Region.objects.filter(code=county, level=Level.COUNTY).first()
            if scope is None:
                raise CommandError(f"县“{county}”不存在")
        if month is not None and not 1 <= month <= 12:
            raise CommandError("月份应为1至12")
        result = month_check(county=scope, year=year, month=month)
        self.stdout.write(result.summary)
        for difference in result.differences[:SHOWN_DIFFERENCES]:
            self.stdout.write(f"  {difference}")
        if result.acknowledged:
            # Apart, and no failure: a later month a correction would change, which the
            # organisation department decided to leave as published (who, when, why).
            self.stdout.write(f"acknowledged: {len(result.acknowledged)} differences left as published by decision")
            for acknowledged in result.acknowledged[:SHOWN_DIFFERENCES]:
                self.stdout.write(f"  {acknowledged}")
        if result.differences:
            raise CommandError(f"{len(result.differences)} differences", returncode=1)
