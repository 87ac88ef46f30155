from django.core.management.base import BaseCommand
from django.utils import timezone

from ratings.services.standard import standard_load_defaults


class Command(BaseCommand):
    help = "载入默认的五星支部创建标准（农村、城市社区两类）；已存在的年度不变"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, default=None, help="年度，默认今年")

    def handle(self, *args, year=None, **options):
        year = year or timezone.localdate().year
        created = standard_load_defaults(year=year)
        if created:
            self.stdout.write(self.style.SUCCESS(f"已载入 {year} 年标准：{'、'.join(s.name for s in created)}"))
        else:
            self.stdout.write(f"{year} 年标准已存在，未作改动")
