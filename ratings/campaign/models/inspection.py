"""Quarterly inspections (观摩) with scores per village and star."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from cadres.models import StarCode, village_star_display
from villages.models import Region


class Inspection(models.Model):
    region = models.ForeignKey(Region, verbose_name="组织单位（乡镇或县）", on_delete=models.CASCADE, related_name="inspections")
    year = models.PositiveSmallIntegerField("年度")
    quarter = models.PositiveSmallIntegerField("季度")
    date = models.DateField("观摩日期")
    inspected_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="记录人", on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        verbose_name = "观摩"
        verbose_name_plural = "观摩"
        ordering = ["-date", "pk"]

    def __str__(self) -> str:
        return f"{self.year}Q{self.quarter}"


class InspectionScore(models.Model):
    inspection = models.ForeignKey(Inspection, verbose_name="观摩", on_delete=models.CASCADE, related_name="scores")
    village = models.ForeignKey(Region, verbose_name="村（社区）", on_delete=models.CASCADE, related_name="+")
    star = models.CharField("星", max_length=10, choices=StarCode.choices)
    get_star_display = village_star_display
    score = models.DecimalField("得分", max_digits=6, decimal_places=2)
    note = models.CharField("备注", max_length=200, blank=True)

    class Meta:
        verbose_name = "观摩得分"
        verbose_name_plural = "观摩得分"
        constraints = [models.UniqueConstraint(fields=["inspection", "village", "star"], name="inspection_score_unique")]

    def __str__(self) -> str:
        return f"{self.inspection_id}-{self.village_id}-{self.star}"
