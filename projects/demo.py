"""Collective-economy demo data: projects, cooperatives with bindings, and the income of the year
before last, entered as whole years (the audited figures). The two later years are entered month
by month in `projects.demo_economy`."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from villages.models import Level, Region

from .models import Binding, CollectiveIncome, Cooperative, Project, ProjectStatus, ProjectType

ENTERPRISES = ["豫丰农业发展有限公司", "中原牧业集团", "绿源食品有限公司", "华夏面业有限公司",
               "金穗种业公司", "康源菌业有限公司", "百果园果业合作联社", "天绿蔬菜有限公司"]
PRODUCTS = ["小麦", "花生", "蔬菜", "香菇", "艾草", "中药材", "红薯", "桃", "葡萄", "辣椒", "肉牛", "生猪"]


def _income_total(rng: random.Random) -> Decimal:
    """A spread over the bands: a few empty shells, many weak, some above a million."""
    roll = rng.random()
    if roll < 0.04:
        return Decimal(0)
    if roll < 0.20:
        amount = rng.uniform(10_000, 49_999)
    elif roll < 0.45:
        amount = rng.uniform(50_000, 99_999)
    elif roll < 0.85:
        amount = rng.uniform(100_000, 499_999)
    elif roll < 0.96:
        amount = rng.uniform(500_000, 999_999)
    else:
        amount = rng.uniform(1_000_000, 2_600_000)
    return Decimal(f"{amount:.2f}")


def seed(*, rng: random.Random, county: Region, stdout=None) -> None:
    villages = list(Region.objects.filter(level=Level.VILLAGE, code__startswith=county.prefix).order_by("code"))
    year = timezone.localdate().year
    # Cooperatives founded this year are founded by now: the demo has no future dates.
    latest_day = timezone.localdate() - dt.timedelta(days=1)
    have_projects = set(Project.objects.filter(village__in=villages).values_list("village_id", flat=True))
    have_coops = set(Cooperative.objects.filter(village__in=villages).values_list("village_id", flat=True))
    have_income = set(CollectiveIncome.objects.filter(village__in=villages).values_list("village_id", "year"))
    projects, coops, bindings, incomes = [], [], [], []
    for village in villages:
        product = rng.choice(PRODUCTS)
        planned = []
        for index in range(rng.randint(0, 3)):
            kind = rng.choice([ProjectType.PHOTOVOLTAIC, ProjectType.WORKSHOP, ProjectType.LIVESTOCK,
                               ProjectType.PLANTING, ProjectType.HOMESTAY, ProjectType.LAND_TRANSFER,
                               ProjectType.TOURISM, ProjectType.LABOUR, ProjectType.PROPERTY])
            investment = Decimal(f"{rng.uniform(20, 600):.2f}")
            planned.append(Project(
                village=village, name=f"{village.name}{product if kind == ProjectType.PLANTING else ''}{kind.label}项目" + (f"{index + 1}期" if index else ""),
                project_type=kind, investment=investment, started_on=dt.date(rng.randint(2018, year), rng.randint(1, 12), 1),
                status=rng.choices(list(ProjectStatus), weights=[1, 2, 10, 1])[0], owner=f"{village.name}股份经济合作社",
                annual_income=(investment * Decimal(f"{rng.uniform(0.03, 0.12):.3f}")).quantize(Decimal("0.01")),
                households_benefiting=rng.randint(10, 300), jobs_created=rng.randint(0, 60),
                is_leading_industry=index == 0 and kind == ProjectType.PLANTING,
            ))
        coop = None
        if rng.random() < 0.6:
            coop = Cooperative(village=village, name=f"{village.name.removesuffix('村')}{product}种植专业合作社",
                               led_by_branch=rng.random() < 0.8, members=rng.randint(12, 260), business=f"{product}种植与销售",
                               established_on=min(dt.date(rng.randint(2016, year), rng.randint(1, 12), 1),
                                                  latest_day))
        coop_binding = (rng.choice(ENTERPRISES), rng.randint(20, 400)) if coop and rng.random() < 0.5 else None
        previous = _income_total(rng)
        current = (previous * Decimal(f"{rng.uniform(0.85, 1.35):.3f}")).quantize(Decimal("0.01"))
        if village.pk not in have_projects:
            projects += planned
        if coop and village.pk not in have_coops:
            coops.append(coop)
            if coop_binding:
                bindings.append((coop, coop_binding))
        # Only the year before last is a whole year; the draws of the two later years are kept so
        # the generator's sequence (and so every other figure) stays as it was.
        for y, total in ((year - 2, previous), (None, current)):
            # Draw before deciding, so a rerun consumes the generator exactly like the first run.
            share = Decimal(f"{rng.uniform(0.3, 0.9):.2f}") if total else Decimal(0)
            if y is not None and (village.pk, y) not in have_income:
                incomes.append(CollectiveIncome(village=village, year=y, total=total,
                                                operating=(total * share).quantize(Decimal("0.01"))))
    Project.objects.bulk_create(projects, batch_size=500)
    Cooperative.objects.bulk_create(coops, batch_size=500)
    # A binding is signed after its cooperative is founded (a few weeks on), never after today.
    Binding.objects.bulk_create(
        Binding(cooperative=c, enterprise=e, farmers_bound=n, terms="保底收益+按股分红",
                started_on=min(c.established_on + dt.timedelta(days=20 + n % 60), latest_day))
        for c, (e, n) in bindings
    )
    CollectiveIncome.objects.bulk_create(incomes, batch_size=500)
    if stdout:
        stdout.write(f"  集体经济：{Project.objects.filter(village__in=villages).count()} 个项目，"
                     f"{Cooperative.objects.filter(village__in=villages).count()} 个合作社，"
                     f"{CollectiveIncome.objects.filter(village__in=villages).count()} 条年度收入")
