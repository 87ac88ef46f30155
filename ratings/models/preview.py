"""Impact preview of a draft standard (预览影响): the draft run through the engine on a year's
real inputs, nothing written but this report.

A report belongs to one draft and is kept with the fingerprint of the draft's content when it
ran: after an edit the fingerprint differs and the report is shown as out of date.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from villages.models import Level, Region

from .standard import Standard


class PreviewState(models.TextChoices):
    PENDING = "pending", "排队中"
    RUNNING = "running", "计算中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"


class StandardPreview(models.Model):
    standard = models.ForeignKey(Standard, verbose_name="草稿标准", on_delete=models.CASCADE, related_name="previews")
    base_standard = models.ForeignKey(
        Standard, verbose_name="对比的已发布标准", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
    )
    county = models.ForeignKey(Region, verbose_name="县", on_delete=models.CASCADE, related_name="+",
                               limit_choices_to={"level": Level.COUNTY})
    year = models.PositiveSmallIntegerField("数据年度")
    month = models.PositiveSmallIntegerField("数据月份")
    view = models.CharField("口径", max_length=10)
    fingerprint = models.CharField("草稿内容指纹", max_length=64)
    state = models.CharField("状态", max_length=10, choices=PreviewState.choices, default=PreviewState.PENDING)
    progress = models.PositiveSmallIntegerField("进度（%）", default=0)
    step = models.CharField("当前步骤", max_length=60, blank=True)
    result = models.JSONField("结果", default=dict, blank=True)
    error = models.TextField("错误", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="发起人", on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField("发起时间", default=timezone.now)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "标准影响预览"
        verbose_name_plural = "标准影响预览"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.standard} {self.year}年{self.month}月"

    @property
    def is_open(self) -> bool:
        return self.state in (PreviewState.PENDING, PreviewState.RUNNING)

    @property
    def duration_seconds(self) -> float | None:
        if self.started_at is None or self.finished_at is None:
            return None
        return (self.finished_at - self.started_at).total_seconds()
