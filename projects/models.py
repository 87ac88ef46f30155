"""The village collective economy: projects, cooperatives and their bindings, yearly income."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models

from villages.models import Level, Region

MSG_OPERATING_ABOVE_TOTAL = "经营性收入不能大于集体经济总收入"
MSG_INCOME_YEAR = "年度应在2000年至2100年之间"

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
    members = models.PositiveIntegerField("成员数", default=0)
    business = models.CharField("主营业务", max_length=100, blank=True)

    class Meta:
        verbose_name = "合作社"
        verbose_name_plural = "合作社"
        ordering = ["village__code", "name"]

    def __str__(self) -> str:
        return self.name


class Binding(models.Model):
    """双绑: the collective and a cooperative bound to a leading enterprise and to farmers."""

    cooperative = models.ForeignKey(
        Cooperative, verbose_name="合作社", on_delete=models.CASCADE, related_name="bindings"
    )
    enterprise = models.CharField("龙头企业", max_length=100)
    farmers_bound = models.PositiveIntegerField("联结农户（户）", default=0)
    started_on = models.DateField("签约日期", null=True, blank=True)
    terms = models.CharField("利益联结方式", max_length=200, blank=True)

    class Meta:
        verbose_name = "双绑联结"
        verbose_name_plural = "双绑联结"
        ordering = ["cooperative_id", "id"]

    def __str__(self) -> str:
        return f"{self.cooperative} — {self.enterprise}"


class IncomeBand(models.TextChoices):
    """Bands used for targets (DOMAIN.md, *default* bounds in yuan)."""

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


class CollectiveIncome(models.Model):
    """The collective's income of one year, in yuan (total and its operating part)."""

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
