"""奖优罚劣: the county's reward amounts for the year (per named star level, and for the
townships by their results) and the decisions that adopted a reward table."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from villages.models import Region


class RewardScheme(models.Model):
    county = models.ForeignKey(Region, verbose_name="县", on_delete=models.CASCADE, related_name="reward_schemes")
    year = models.PositiveSmallIntegerField("年度")
    level_amounts = models.JSONField("各星级奖励金额（元）", default=dict, help_text='如 {"3": 30000, "4": 50000, "5": 100000}')
    township_amounts = models.JSONField("乡镇奖励金额（按名次，元）", default=list, help_text="第1名、第2名……的金额")
    township_min_level = models.PositiveSmallIntegerField("乡镇成绩按几星及以上计", default=3)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="设定人", on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    updated_at = models.DateTimeField("设定时间", auto_now=True)

    class Meta:
        verbose_name = "奖励标准"
        verbose_name_plural = "奖励标准"
        constraints = [models.UniqueConstraint(fields=["county", "year"], name="reward_scheme_one_per_year")]

    def __str__(self) -> str:
        return f"{self.county.name}{self.year}年奖励标准"


class RewardDecision(models.Model):
    """A decision adopting the year's reward table; the totals are kept as decided, so a later
    withdrawal shows as a difference against the table it changed."""

    scheme = models.ForeignKey(RewardScheme, verbose_name="奖励标准", on_delete=models.PROTECT, related_name="decisions")
    decision_no = models.CharField("决定文号", max_length=60)
    decided_on = models.DateField("决定日期")
    note = models.CharField("说明", max_length=200, blank=True)
    village_total = models.DecimalField("村级奖励合计", max_digits=14, decimal_places=2)
    township_total = models.DecimalField("乡镇奖励合计", max_digits=14, decimal_places=2)
    rows = models.JSONField("决定时的奖励表", default=dict)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="记录人", on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField("记录时间", default=timezone.now)

    class Meta:
        verbose_name = "奖励决定"
        verbose_name_plural = "奖励决定"
        ordering = ["-decided_on", "-id"]

    def __str__(self) -> str:
        return self.decision_no
