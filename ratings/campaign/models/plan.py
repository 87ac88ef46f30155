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
