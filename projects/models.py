"""The village collective economy: projects, cooperatives and their bindings, income by year and month.

Income is kept in two models, one rule tying them (the yearly figure and its band stay consistent):

- `CollectiveIncome` is the year's figure (one row per village and year); its `total` gives the
  income band, and every reader (metrics, village pages, API) reads it.
- A year is entered one of two ways, never both: as a whole (`source = yearly`, e.g. the audited
  year-end figure) or month by month in `CollectiveIncomeMonth`; then the year's row is the sum
  of its months (`source = monthly`), kept by `projects.services` on every monthly change, so the
  yearly figure and its band can never disagree with the months. The services refuse a yearly
  figure for a year that has months and a month for a year that was entered as a whole.
- A monthly year is *complete* once its twelve months are in; until then its figure is the
  year to date.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models

from villages.models import Level, Region

MSG_OPERATING_ABOVE_TOTAL = "经营性收入不能大于集体经济总收入"
MSG_INCOME_YEAR = "年度应在2000年至2100年之间"
MSG_INCOME_MONTH = "月份应为1至12之间的整数"
MSG_DISSOLVED_BEFORE_ESTABLISHED = "注销日期不能早于成立日期"
MSG_ENDED_BEFORE_STARTED = "解除日期不能早于签约日期"

VILLAGE_ONLY = {"level": Level.VILLAGE}


class ProjectType(models.TextChoices):
    PHOTOVOLTAIC = "photovoltaic", "光伏电站"
    WORKSHOP = "workshop", "帮扶车间"
    LIVESTOCK = "livestock", "养殖"
    PLANTING = "planting", "特色种植"
    HOMESTAY = "homestay", "民宿"
    LAND_TRANSFER = "land_transfer", "土地流转"
    TOURISM = "tourism", "乡村旅游"
    LABOUR = "labour", "劳务服务"
    PROPERTY = "property", "物业租赁"
    OTHER = "other", "其他"


class ProjectStatus(models.TextChoices):
    PLANNED = "planned", "谋划中"
    BUILDING = "building", "建设中"
    OPERATING = "operating", "运营中"
    SUSPENDED = "suspended", "已停运"


class Project(models.Model):
    village = models.ForeignKey(
        Region, verbose_name="村（社区）", on_delete=models.PROTECT, related_name="projects",
        limit_choices_to=VILLAGE_ONLY,
    )
    name = models.CharField("项目名称", max_length=100)
    project_type = models.CharField("项目类型", max_length=20, choices=ProjectType.choices)
    investment = models.DecimalField(
        "投资额（万元）", max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )
    started_on = models.DateField("开工日期", null=True, blank=True)
    status = models.CharField("状态", max_length=12, choices=ProjectStatus.choices, default=ProjectStatus.OPERATING)
    owner = models.CharField("负责人/经营主体", max_length=60, blank=True)
    annual_income = models.DecimalField(
        "年收益（万元）", max_digits=12, decimal_places=2, default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
    )
    households_benefiting = models.PositiveIntegerField("带动农户（户）", default=0)
    jobs_created = models.PositiveIntegerField("带动就业（人）", default=0)
    is_leading_industry = models.BooleanField("一村一品主导产业", default=False)
    description = models.TextField("简介", blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "集体经济项目"
        verbose_name_plural = "集体经济项目"
        ordering = ["village__code", "name"]

    def __str__(self) -> str:
        return self.name


class Cooperative(models.Model):
    village = models.ForeignKey(
        Region, verbose_name="村（社区）", on_delete=models.PROTECT, related_name="cooperatives",
        limit_choices_to=VILLAGE_ONLY,
    )
    name = models.CharField("合作社名称", max_length=100)
    led_by_branch = models.BooleanField("支部领办", default=True)
    established_on = models.DateField("成立日期", null=True, blank=True)
    dissolved_on = models.DateField("注销日期", null=True, blank=True, help_text="合作社注销或不再由支部领办的日期")
    members = models.PositiveIntegerField("成员数", default=0)
    business = models.CharField("主营业务", max_length=100, blank=True)

    class Meta:
        verbose_name = "合作社"
        verbose_name_plural = "合作社"
        ordering = ["village__code", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.established_on and self.dissolved_on and self.dissolved_on < self.established_on:
            raise ValidationError({"dissolved_on": MSG_DISSOLVED_BEFORE_ESTABLISHED})


class Binding(models.Model):
    """双绑: the collective and a cooperative bound to a leading enterprise and to farmers."""

    cooperative = models.ForeignKey(
        Cooperative, verbose_name="合作社", on_delete=models.CASCADE, related_name="bindings"
    )
    enterprise = models.CharField("龙头企业", max_length=100)
    farmers_bound = models.PositiveIntegerField("联结农户（户）", default=0)
    started_on = models.DateField("签约日期", null=True, blank=True)
    ended_on = models.DateField("解除日期", null=True, blank=True)
    terms = models.CharField("利益联结方式", max_length=200, blank=True)

    class Meta:
        verbose_name = "双绑联结"
        verbose_name_plural = "双绑联结"
        ordering = ["cooperative_id", "id"]

    def __str__(self) -> str:
        return f"{self.cooperative} — {self.enterprise}"

    def clean(self) -> None:
        if self.started_on and self.ended_on and self.ended_on < self.started_on:
            raise ValidationError({"ended_on": MSG_ENDED_BEFORE_STARTED})


class IncomeBand(models.TextChoices):
    """Bands used for targets (the campaign's default bounds, in yuan)."""

    NONE = "none", "空壳村（无收入）"
    WEAK = "weak", "薄弱村（5万元以下）"
    BASIC = "basic", "5万至10万元"
    TEN = "ten", "10万元以上"
    FIFTY = "fifty", "50万元以上"
    HUNDRED = "hundred", "100万元以上"


def income_band(total_yuan: Decimal | None) -> str:
    if not total_yuan or total_yuan <= 0:
        return IncomeBand.NONE
    if total_yuan < 50_000:
        return IncomeBand.WEAK
    if total_yuan < 100_000:
        return IncomeBand.BASIC
    if total_yuan < 500_000:
        return IncomeBand.TEN
    if total_yuan < 1_000_000:
        return IncomeBand.FIFTY
    return IncomeBand.HUNDRED


class IncomeSource(models.TextChoices):
    YEARLY = "yearly", "按年度填报"
    MONTHLY = "monthly", "按月汇总"


class CollectiveIncome(models.Model):
    """The collective's income of one year, in yuan (total and its operating part).

    With `source = monthly` the row is the sum of the year's `CollectiveIncomeMonth` rows.
    """

    village = models.ForeignKey(
        Region, verbose_name="村（社区）", on_delete=models.PROTECT, related_name="incomes",
        limit_choices_to=VILLAGE_ONLY,
    )
    year = models.PositiveSmallIntegerField("年度")
    total = models.DecimalField(
        "集体经济总收入（元）", max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )
    operating = models.DecimalField(
        "经营性收入（元）", max_digits=14, decimal_places=2, default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
    )
    note = models.CharField("备注", max_length=200, blank=True)
    source = models.CharField("填报方式", max_length=8, choices=IncomeSource.choices, default=IncomeSource.YEARLY)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="填报人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("填报时间", auto_now_add=True, null=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="最后修改人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "集体经济收入"
        verbose_name_plural = "集体经济收入"
        ordering = ["village__code", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["village", "year"], name="income_one_per_village_year"),
            models.CheckConstraint(condition=models.Q(operating__lte=models.F("total")), name="income_operating_le_total"),
        ]

    def __str__(self) -> str:
        return f"{self.village}{self.year}年"

    @property
    def band(self) -> str:
        return income_band(self.total)

    def get_band_display(self) -> str:
        return IncomeBand(self.band).label

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.year is not None and not 2000 <= self.year <= 2100:
            errors["year"] = MSG_INCOME_YEAR
        if self.total is not None and self.operating is not None and self.operating > self.total:
            errors["operating"] = MSG_OPERATING_ABOVE_TOTAL
        if errors:
            raise ValidationError(errors)


class CollectiveIncomeMonth(models.Model):
    """The collective's income earned in one month, in yuan; the year's row sums them."""

    village = models.ForeignKey(
        Region, verbose_name="村（社区）", on_delete=models.PROTECT, related_name="income_months",
        limit_choices_to=VILLAGE_ONLY,
    )
    year = models.PositiveSmallIntegerField("年度")
    month = models.PositiveSmallIntegerField("月份")
    total = models.DecimalField(
        "当月集体经济收入（元）", max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )
    operating = models.DecimalField(
        "当月经营性收入（元）", max_digits=14, decimal_places=2, default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="填报人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("填报时间", auto_now_add=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="最后修改人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "集体经济月度收入"
        verbose_name_plural = "集体经济月度收入"
        ordering = ["village__code", "-year", "month"]
        constraints = [
            models.UniqueConstraint(fields=["village", "year", "month"], name="income_month_one_per_village_month"),
            models.CheckConstraint(condition=models.Q(operating__lte=models.F("total")),
                                   name="income_month_operating_le_total"),
            models.CheckConstraint(condition=models.Q(month__gte=1, month__lte=12), name="income_month_in_range"),
        ]

    def __str__(self) -> str:
        return f"{self.village}{self.year}年{self.month}月"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.year is not None and not 2000 <= self.year <= 2100:
            errors["year"] = MSG_INCOME_YEAR
        if self.month is not None and not 1 <= self.month <= 12:
            errors["month"] = MSG_INCOME_MONTH
        if self.total is not None and self.operating is not None and self.operating > self.total:
            errors["operating"] = MSG_OPERATING_ABOVE_TOTAL
        if errors:
            raise ValidationError(errors)
