from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from ratings.models import View
from ratings.services.scoring import recompute
from villages.models import Region


class Command(BaseCommand):
    help = "重算某区划（默认全部）某月的实时评分结果"

    def add_arguments(self, parser):
        parser.add_argument("--region", help="区划代码（县、乡镇或村）；默认全部")
        parser.add_argument("--year", type=int)
        parser.add_argument("--month", type=int)
        parser.add_argument("--view", choices=[View.LIVE, View.PUBLISHED], default=View.LIVE)

    def handle(self, *args, region=None, year=None, month=None, view=View.LIVE, **options):
        today = timezone.localdate()
        year, month = year or today.year, month or today.month
        scope = None
        if region:
            scope = Region.objects.filter(code=region).first()
            if scope is None:
                raise CommandError(f"区划“{region}”不存在")
        count = recompute(year=year, month=month, view=view, region=scope)
        self.stdout.write(f"已重算 {count} 个村（社区）{year}年{month}月的{View(view).label}结果")
