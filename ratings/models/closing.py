"""The history of closed months: reopenings (who, when, why) and runs of the figures check."""

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

    class Meta:
        verbose_name = "关账月份重新打开记录"
        verbose_name_plural = "关账月份重新打开记录"
        ordering = ["-reopened_at"]

    def __str__(self) -> str:
        return f"{self.county} {self.year}年{self.month}月重新打开"


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
    first_differences = models.JSONField("前若干项不一致", default=list, blank=True)
    error = models.TextField("错误", blank=True)

    class Meta:
        verbose_name = "关账数据核对"
        verbose_name_plural = "关账数据核对"
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.county} 核对 {self.requested_at:%Y-%m-%d %H:%M}"
