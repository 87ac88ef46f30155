"""Branches lifting branches: pairings (结对共建) and the service centre (党群服务中心).

A **pairing** puts a strong branch (帮扶方, a starred village or a 最强党支部) beside a weak-and-lax
or low-income one, or a rural village beside an urban community (受援方), from a start date to an
end date, under an agreement (PDF), with yearly targets for the weaker partner (a star level, a
collective income) and joint activities (dated, with who took part and what resources were passed
on, valued). A pairing is created by the county or by a township for two branches of its own.

The **service centre** of a village posts who of its cadres is on duty which weekday (挂牌值班),
published as a phone page a villager opens from a printed QR code, and keeps an errands ledger
(代办制, "变群众跑为干部跑"): a resident's request, its category, who runs it, the promised days,
the day it was done, and the resident's satisfaction mark given on a QR page without an account.
Every record is dated, so the providers read a month as it stood on its last day.
"""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

__all__ = [
    "DutyShift", "Errand", "ErrandCategory", "Pairing", "PairingActivity", "PairingKind", "PairingTarget",
    "Satisfaction", "Weekday",
]


class PairingKind(models.TextChoices):
    STRONG_WEAK = "strong_weak", "强村带弱村"
    INCOME = "income", "强村带收入薄弱村"
    VILLAGE_COMMUNITY = "village_community", "村社结对"


class Pairing(models.Model):
    helper = models.ForeignKey("villages.Region", verbose_name="帮扶方", on_delete=models.PROTECT,
                               related_name="pairings_helping")
    receiver = models.ForeignKey("villages.Region", verbose_name="受援方", on_delete=models.PROTECT,
                                 related_name="pairings_received")
    kind = models.CharField("结对类型", max_length=20, choices=PairingKind.choices, default=PairingKind.STRONG_WEAK)
    # The county or the township that set the pairing up: its staff keep it.
    region = models.ForeignKey("villages.Region", verbose_name="建立单位", on_delete=models.PROTECT,
                               related_name="+")
    started_on = models.DateField("开始日期")
    ended_on = models.DateField("结束日期", null=True, blank=True)
    agreement = models.FileField("共建协议（PDF）", upload_to="pairing_agreements/%Y/", blank=True)
    content = models.TextField("共建内容", blank=True, help_text="资源共享、优势互补的具体安排")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField("登记时间", default=timezone.now)

    class Meta:
        verbose_name = "结对共建"
        verbose_name_plural = "结对共建"
        ordering = ["-started_on", "id"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(helper=models.F("receiver")), name="pairing_two_partners"),
            models.CheckConstraint(condition=models.Q(ended_on__isnull=True) | models.Q(ended_on__gte=models.F("started_on")),
                                   name="pairing_end_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.helper.name} — {self.receiver.name}"

    def is_running_on(self, day) -> bool:
        return self.started_on <= day and (self.ended_on is None or day <= self.ended_on)


class PairingTarget(models.Model):
    """The weaker partner's target for one year of the pairing: a star level and a collective income."""

    pairing = models.ForeignKey(Pairing, verbose_name="结对", on_delete=models.CASCADE, related_name="targets")
    year = models.PositiveSmallIntegerField("年度")
    star_level = models.PositiveSmallIntegerField("目标星级", validators=[MaxValueValidator(5)])
    income = models.DecimalField("目标集体经济收入（元）", max_digits=12, decimal_places=2, default=Decimal(0),
                                 validators=[MinValueValidator(Decimal(0))])

    class Meta:
        verbose_name = "结对年度目标"
        verbose_name_plural = "结对年度目标"
        ordering = ["pairing_id", "year"]
        constraints = [
            models.UniqueConstraint(fields=["pairing", "year"], name="pairing_target_unique"),
            models.CheckConstraint(condition=models.Q(star_level__lte=5), name="pairing_target_level_0_5"),
        ]

    def __str__(self) -> str:
        return f"{self.pairing_id}-{self.year}"


class PairingActivity(models.Model):
    """A joint activity (共建活动): what was done together, who took part, resources passed on."""

    pairing = models.ForeignKey(Pairing, verbose_name="结对", on_delete=models.CASCADE, related_name="activities")
    held_on = models.DateField("活动日期", db_index=True)
    title = models.CharField("活动内容", max_length=120)
    participants = models.CharField("参加人员", max_length=200, blank=True)
    resources = models.CharField("传递的资源", max_length=200, blank=True,
                                 help_text="如：项目、市场渠道、电商技能培训")
    resource_value = models.DecimalField("资源价值（元）", max_digits=12, decimal_places=2, default=Decimal(0),
                                         validators=[MinValueValidator(Decimal(0))])
    photo = models.FileField("活动照片", upload_to="pairing_activities/%Y/%m/", blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+")
    created_at = models.DateTimeField("登记时间", default=timezone.now)

    class Meta:
        verbose_name = "共建活动"
        verbose_name_plural = "共建活动"
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return self.title


class Weekday(models.IntegerChoices):
    MONDAY = 1, "星期一"
    TUESDAY = 2, "星期二"
    WEDNESDAY = 3, "星期三"
    THURSDAY = 4, "星期四"
    FRIDAY = 5, "星期五"
    SATURDAY = 6, "星期六"
    SUNDAY = 7, "星期日"


class DutyShift(models.Model):
    """One cadre on duty at the village's service centre on one weekday (挂牌值班), from a date
    until another: a roster change ends the old rows and starts new ones, so a past month keeps
    the roster it had."""

    village = models.ForeignKey("villages.Region", verbose_name="村（社区）", on_delete=models.PROTECT,
                                related_name="duty_shifts")
    weekday = models.PositiveSmallIntegerField("值班日", choices=Weekday.choices)
    person = models.CharField("值班干部", max_length=40)
    title = models.CharField("职务", max_length=40, blank=True)
    phone = models.CharField("值班电话", max_length=20)
    hours = models.CharField("值班时间", max_length=40, default="8:30—17:30")
    valid_from = models.DateField("起始日期")
    valid_to = models.DateField("截止日期", null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = "值班安排"
        verbose_name_plural = "值班安排"
        ordering = ["village__code", "weekday", "person", "id"]
        indexes = [models.Index(fields=["village", "valid_from"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(weekday__gte=1, weekday__lte=7), name="duty_weekday_1_7"),
            models.CheckConstraint(condition=models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=models.F("valid_from")),
                                   name="duty_valid_to_after_from"),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.person}"


class ErrandCategory(models.TextChoices):
    SOCIAL_SECURITY = "social_security", "社保医保"
    CERTIFICATE = "certificate", "证照办理"
    CIVIL_AFFAIRS = "civil_affairs", "民政救助"
    LAND = "land", "土地房屋"
    AGRICULTURE = "agriculture", "农业补贴"
    OTHER = "other", "其他"


class Satisfaction(models.IntegerChoices):
    UNSATISFIED = 1, "不满意"
    FAIR = 2, "基本满意"
    SATISFIED = 3, "满意"


def _new_token() -> str:
    return secrets.token_urlsafe(16)


class Errand(models.Model):
    """An errand run for a resident (代办). The resident's name and phone are for the cadres who
    run it; the QR page the resident marks it on (by its random token) never shows them."""

    village = models.ForeignKey("villages.Region", verbose_name="村（社区）", on_delete=models.PROTECT,
                                related_name="errands")
    request = models.CharField("代办事项", max_length=120)
    category = models.CharField("类别", max_length=20, choices=ErrandCategory.choices)
    resident_name = models.CharField("群众姓名", max_length=40)
    resident_phone = models.CharField("群众电话", max_length=20, blank=True)
    runner = models.CharField("代办干部", max_length=40)
    requested_on = models.DateField("受理日期", db_index=True)
    promised_days = models.PositiveSmallIntegerField("承诺办结天数", default=7,
                                                     validators=[MinValueValidator(1), MaxValueValidator(90)])
    done_on = models.DateField("办结日期", null=True, blank=True, db_index=True)
    result = models.CharField("办理结果", max_length=200, blank=True)
    token = models.CharField("评价码", max_length=32, unique=True, default=_new_token, editable=False)
    satisfaction = models.PositiveSmallIntegerField("群众评价", choices=Satisfaction.choices, null=True, blank=True)
    rated_at = models.DateTimeField("评价时间", null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+")
    created_at = models.DateTimeField("登记时间", default=timezone.now)

    class Meta:
        verbose_name = "代办事项"
        verbose_name_plural = "代办台账"
        ordering = ["-requested_on", "-id"]
        indexes = [models.Index(fields=["village", "requested_on"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(done_on__isnull=True) | models.Q(done_on__gte=models.F("requested_on")),
                                   name="errand_done_after_requested"),
        ]

    def __str__(self) -> str:
        return self.request

    @property
    def due_on(self) -> dt.date:
        return self.requested_on + dt.timedelta(days=self.promised_days)

    @property
    def done_in_time(self) -> bool:
        return self.done_on is not None and self.done_on <= self.due_on
