"""Go live: the county, this year's default standards and the first account, on an empty database."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from cadres.accounts import county_admin_create
from ratings.services.standard import standard_load_defaults
from villages.services import county_setup
from villages.start_month import parse_start


class Command(BaseCommand):
    help = "首次上线：按12位区划代码建立省、市、县，载入本年度默认评星标准，建立县委组织部的首个账号（一次性密码只显示一次）"

    def add_arguments(self, parser):
        parser.add_argument("--code", required=True, help="县（区）的12位统计用区划代码，如 411421000000")
        parser.add_argument("--name", required=True, help="县（区）名称，如 民权县")
        parser.add_argument("--admin", required=True, help="县委组织部首个账号的用户名")
        parser.add_argument("--admin-name", default="", help="该账号使用人的姓名（可在账号管理中修改）")
        parser.add_argument("--province-name", default="", help="省名称（河南省以外须指定）")
        parser.add_argument("--city-name", default="", help="市名称（河南省以外须指定）")
        parser.add_argument("--year", type=int, default=None, help="载入标准的年度，默认今年")
        parser.add_argument("--start", default="", help="起始月份，如 2026-12（默认本月）：此前各月不预警、不排名、不发通报")

    def handle(self, *args, code, name, admin, admin_name, province_name, city_name, year, start, **options):
        today = timezone.localdate()
        try:
            start_month = parse_start(start) if start else today.replace(day=1)
        except ValueError:
            raise CommandError(f"起始月份“{start}”格式不对，应写作 2026-12") from None
        year = year or start_month.year
        try:
            with transaction.atomic():
                county = county_setup(code=code, name=name, province_name=province_name, city_name=city_name,
                                      start=start_month)
                standards = standard_load_defaults(year=year)
                user, password = county_admin_create(county=county, username=admin, full_name=admin_name)
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from None
        chain = [county.parent.parent.name, county.parent.name, county.name]
        self.stdout.write(self.style.SUCCESS(f"已建立区划：{' → '.join(chain)}（{county.code}），{county.start_words}使用本平台"))
        if standards:
            self.stdout.write(self.style.SUCCESS(f"已载入 {year} 年标准：{'、'.join(s.name for s in standards)}"))
        self.stdout.write(self.style.SUCCESS(f"已建立县委组织部账号：{user.username}"))
        self.stdout.write(f"一次性密码：{password}")
        self.stdout.write("该密码只显示这一次，首次登录后须立即修改。请登录后在“账号管理”中导入乡镇、村和人员。")
