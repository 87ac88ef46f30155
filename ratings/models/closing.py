"""The history of closed months: reopenings (who, when, why), the later months a re-close would
change (and what was decided), and runs of the figures check."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from villages.models import Level, Region


class MonthReopening(models.Model):
    """A closed month reopened by the county organisation department, with its reason.

    The MonthClose row goes while the month is open again (so every "is it closed?" reads
    no); this row keeps who had closed it and when, and when it was closed again."""

    county = models.ForeignKey(Region, verbose_name="县", on_delete=models.PROTECT, related_name="+",
                               limit_choices_to={"level": Level.COUNTY})
    year = models.PositiveSmallIntegerField("年度")
    month = models.PositiveSmallIntegerField("月份")
    reason = models.TextField("重新打开原因")
    reopened_at = models.DateTimeField("重新打开时间")
    reopened_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="重新打开人", on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+")
    previously_closed_at = models.DateTimeField("原关账时间", null=True, blank=True)
    previously_closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="原关账人",
                                             on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    closed_again_at = models.DateTimeField("再次关账时间", null=True, blank=True)
    figures_changed = models.PositiveIntegerField("再次关账时变动的村数", null=True, blank=True)
    # When the later closed months were compared after the month was closed again (a task after
    # the close): until then the page says the comparison is under way.
    later_months_checked_at = models.DateTimeField("后续月份核对时间", null=True, blank=True)

    class Meta:
        verbose_name = "关账月份重新打开记录"
        verbose_name_plural = "关账月份重新打开记录"
        ordering = ["-reopened_at"]

    def __str__(self) -> str:
        return f"{self.county} {self.year}年{self.month}月重新打开"


class MonthFollowUp(models.Model):
    """A later closed month whose published figures a re-closed month would change.

    Found when a reopened month is closed again (services/follow_ups.py). The later month keeps
    its published figures until the county organisation department reopens it too, in order,
    or records a decision to leave it as published (who, when, why); the figures check reports
    the differences such a decision left apart and does not fail on them."""

    class State(models.TextChoices):
        OPEN = "open", "待处理"
        REOPENED = "reopened", "已重新打开"
        LEFT = "left", "保留原发布结果"
        SETTLED = "settled", "已无差异"

    county = models.ForeignKey(Region, verbose_name="县", on_delete=models.PROTECT, related_name="+",
                               limit_choices_to={"level": Level.COUNTY})
    year = models.PositiveSmallIntegerField("年度")
    month = models.PositiveSmallIntegerField("月份")
    cause = models.ForeignKey(MonthReopening, verbose_name="引起差异的重新打开", on_delete=models.PROTECT,
                              related_name="follow_ups")
    found_at = models.DateTimeField("发现时间")
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.OPEN)
    # Every differing figure, as the check states it ({village, figure, stored, fresh, …}): a
    # decision to leave the month acknowledges exactly these.
    differences = models.JSONField("差异", default=list, blank=True)
    villages = models.PositiveIntegerField("涉及村（社区）数", default=0)
    decided_at = models.DateTimeField("处理时间", null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="处理人", on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    decision_reason = models.TextField("处理说明", blank=True)
    reopening = models.ForeignKey(MonthReopening, verbose_name="本月的重新打开", on_delete=models.SET_NULL,
                                  null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = "更正影响的后续月份"
        verbose_name_plural = "更正影响的后续月份"
        ordering = ["county__code", "year", "month", "-found_at"]
        constraints = [
            models.UniqueConstraint(fields=["county", "year", "month"], condition=models.Q(state="open"),
                                    name="month_follow_up_one_open"),
        ]

    def __str__(self) -> str:
        return f"{self.county} {self.year}年{self.month}月（{self.get_state_display()}）"


class MonthCheckRun(models.Model):
    """One run of the figures check of a county's closed months (the month-close page's button)."""

    class Status(models.TextChoices):
        RUNNING = "running", "核对中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    county = models.ForeignKey(Region, verbose_name="县", on_delete=models.CASCADE, related_name="+",
                               limit_choices_to={"level": Level.COUNTY})
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.RUNNING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="发起人", on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="+")
    requested_at = models.DateTimeField("发起时间")
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    months = models.PositiveIntegerField("核对月数", default=0)
    figures = models.PositiveIntegerField("核对数据项", default=0)
    differences = models.PositiveIntegerField("不一致项", default=0)
    acknowledged = models.PositiveIntegerField("已决定保留的差异项", default=0)
    first_differences = models.JSONField("前若干项不一致", default=list, blank=True)
    error = models.TextField("错误", blank=True)

    class Meta:
        verbose_name = "关账数据核对"
        verbose_name_plural = "关账数据核对"
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.county} 核对 {self.requested_at:%Y-%m-%d %H:%M}"
