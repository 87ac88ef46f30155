"""一乡一方案: a township's plan for the year, kept as dated versions so that "the plan as of
March" shows what was decided then, not today's state."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from villages.models import Region


class TownshipPlan(models.Model):
    township = models.ForeignKey(Region, verbose_name="乡镇", on_delete=models.CASCADE, related_name="plans")
    year = models.PositiveSmallIntegerField("年度")
    as_of = models.DateField("方案日期")
    content = models.JSONField("方案内容", default=dict, help_text="目标、备选村、一星一清单、包联责任的快照")
    note = models.CharField("修订说明", max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="制定人", on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField("保存时间", default=timezone.now)

    class Meta:
        verbose_name = "一乡一方案"
        verbose_name_plural = "一乡一方案"
        ordering = ["township__code", "year", "-as_of", "-id"]
        indexes = [models.Index(fields=["township", "year", "as_of"])]

    def __str__(self) -> str:
        return f"{self.township.name}{self.year}年方案（{self.as_of:%Y-%m-%d}）"


class TargetChangeSource(models.TextChoices):
    SET = "set", "设定或调整"
    PROPOSAL = "proposal", "年度结转建议"
    BACKFILL = "backfill", "按原设定时间补录"


class TargetLevelChange(models.Model):
    """One setting or change of a village's target (创建目标): who, when, before and after.

    TargetLevel stays the one current row per village and year (every reader keeps working);
    this append-only log is its history, so "the plan as of March" reads the target in force
    then: the latest change at or before that day."""

    village = models.ForeignKey(Region, verbose_name="村（社区）", on_delete=models.CASCADE,
                                related_name="target_changes")
    year = models.PositiveSmallIntegerField("年度")
    level_before = models.PositiveSmallIntegerField("原目标星级", null=True, blank=True)
    stars_before = models.JSONField("原目标星", null=True, blank=True)
    level = models.PositiveSmallIntegerField("目标星级")
    target_stars = models.JSONField("目标星", default=list, blank=True)
    proposed = models.BooleanField("建议目标", default=False)
    source = models.CharField("来源", max_length=10, choices=TargetChangeSource.choices,
                              default=TargetChangeSource.SET)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", on_delete=models.SET_NULL,
                           null=True, blank=True, related_name="+")
    at = models.DateTimeField("时间", default=timezone.now)

    class Meta:
        verbose_name = "创建目标变更"
        verbose_name_plural = "创建目标变更"
        ordering = ["village__code", "year", "at", "id"]
        indexes = [models.Index(fields=["village", "year", "at"])]

    def __str__(self) -> str:
        return f"{self.village_id}-{self.year}: {self.level_before}→{self.level}"
