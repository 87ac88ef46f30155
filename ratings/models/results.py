"""What the scoring engine writes and every page reads: scores, levels, ranks per month.

Two views of a month (docs/architecture.md): live (submitted + approved entries) and published (approved
only, frozen at month close). Figures are stored rounded to two decimals, half up; ranks are
computed on the stored figures.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models

from cadres.models import StarCode, village_star_display
from config.fields import JSONTextField
from villages.models import Level, Region

from .standard import Standard


class View(models.TextChoices):
    LIVE = "live", "实时"
    PUBLISHED = "published", "已发布"


class VillageScore(models.Model):
    """One village × month × view: stars earned, star level, total, ranks and movement."""

    # No index of its own: the unique constraint below starts with the village (one index
    # less to maintain on every write of a recompute).
    village = models.ForeignKey(
        Region, verbose_name="村（社区）", on_delete=models.CASCADE, related_name="scores",
        limit_choices_to={"level": Level.VILLAGE}, db_index=False,
    )
    year = models.PositiveSmallIntegerField("年度")
    month = models.PositiveSmallIntegerField("月份")
    view = models.CharField("口径", max_length=10, choices=View.choices)
    standard = models.ForeignKey(Standard, verbose_name="标准", on_delete=models.PROTECT, related_name="+")
    # The township the village belonged to when it was ranked: a village moved or a township
    # merged later leaves closed months showing where it stood then.
    township = models.ForeignKey(
        Region, verbose_name="所属乡镇（排名时）", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
    )
    stars_earned = models.JSONField("已获星", default=list, help_text="已获星的代码列表")
    star_level = models.PositiveSmallIntegerField("星级", default=0)
    total = models.DecimalField("总分", max_digits=7, decimal_places=2, default=Decimal(0))
    tiebreak_score = models.DecimalField("产业星得分", max_digits=6, decimal_places=2, default=Decimal(0))
    county_rank = models.PositiveIntegerField("县内排名", null=True, blank=True)
    township_rank = models.PositiveIntegerField("乡镇内排名", null=True, blank=True)
    county_movement = models.IntegerField("县内升降", null=True, blank=True)
    township_movement = models.IntegerField("乡镇内升降", null=True, blank=True)
    computed_at = models.DateTimeField("计算时间")
    # A hash of the village's figures and star rows as last written (computed_at left out): a
    # recompute that arrives at the same figures writes nothing (see scoring.recompute).
    digest = models.CharField("结果摘要", max_length=16, blank=True, default="")
    # A hash of what the figures were computed from: the village's inputs (ledger values, provider
    # answers, weak-and-lax flag, township), the standard and the scoring code. A recompute that
    # gathers the same inputs leaves the village's rows as they are without running the engine
    # (see scoring.inputs_digest); empty means "compute again".
    inputs_digest = models.CharField("输入摘要", max_length=16, blank=True, default="")

    class Meta:
        verbose_name = "村评分结果"
        verbose_name_plural = "村评分结果"
        ordering = ["year", "month", "view", "county_rank", "village__code"]
        constraints = [
            models.UniqueConstraint(fields=["village", "year", "month", "view"], name="village_score_unique"),
        ]
        indexes = [models.Index(fields=["year", "month", "view", "county_rank"])]

    def __str__(self) -> str:
        return f"{self.village} {self.year}-{self.month:02d} {self.get_view_display()}"


class StarScore(models.Model):
    """One village × month × view × star: score, earned, reasons and the per-indicator detail.

    `indicators` keeps, per indicator: code, name, value, points, max points, met, veto, gap and
    the sources (ledger entry ids or provider name) — what the explain page shows.
    """

    # Indexed by the unique constraint below, which starts with it.
    village = models.ForeignKey(Region, verbose_name="村（社区）", on_delete=models.CASCADE, related_name="star_scores",
                                db_index=False)
    year = models.PositiveSmallIntegerField("年度")
    month = models.PositiveSmallIntegerField("月份")
    view = models.CharField("口径", max_length=10, choices=View.choices)
    star = models.CharField("星", max_length=10, choices=StarCode.choices)
    get_star_display = village_star_display
    score = models.DecimalField("得分", max_digits=6, decimal_places=2, default=Decimal(0))
    pass_mark = models.DecimalField("达标分", max_digits=6, decimal_places=2, default=Decimal(80))
    earned = models.BooleanField("已获星", default=False)
    reasons = models.JSONField("未获星原因", default=list)
    points_short = models.DecimalField("距达标差分", max_digits=6, decimal_places=2, default=Decimal(0))
    unmet = models.JSONField("未达标指标", default=list)
    # Written in bulk, read whole, never searched inside: kept as PostgreSQL `json` (config/fields.py).
    indicators = JSONTextField("指标明细", default=list)
    computed_at = models.DateTimeField("计算时间")

    class Meta:
        verbose_name = "星得分"
        verbose_name_plural = "星得分"
        ordering = ["year", "month", "view", "village__code", "star"]
        constraints = [
            models.UniqueConstraint(fields=["village", "year", "month", "view", "star"], name="star_score_unique"),
        ]
        indexes = [models.Index(fields=["year", "month", "view", "star"])]

    def __str__(self) -> str:
        return f"{self.village} {self.year}-{self.month:02d} {self.get_star_display()}"


class MonthClose(models.Model):
    """A county's month closed and published (frozen)."""

    county = models.ForeignKey(
        Region, verbose_name="县", on_delete=models.PROTECT, related_name="month_closes",
        limit_choices_to={"level": Level.COUNTY},
    )
    year = models.PositiveSmallIntegerField("年度")
    month = models.PositiveSmallIntegerField("月份")
    closed_at = models.DateTimeField("关账时间")
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", help_text="为空表示由定时任务关账",
    )
    # What was still waiting for review when the month closed, by star (each star's lead
    # department): those entries stay out of the published figures, and approving them later
    # lists them as late approvals.
    unreviewed = models.JSONField("关账时未审核台账数", default=dict, blank=True, help_text="按星：{星代码: 条数}")

    class Meta:
        verbose_name = "月度关账"
        verbose_name_plural = "月度关账"
        ordering = ["-year", "-month", "county__code"]
        constraints = [models.UniqueConstraint(fields=["county", "year", "month"], name="month_close_unique")]

    def __str__(self) -> str:
        return f"{self.county} {self.year}年{self.month}月"


class TargetLevel(models.Model):
    """创建目标: the star level a village aims for this year; 4 and 5 form the candidates list."""

    village = models.ForeignKey(Region, verbose_name="村（社区）", on_delete=models.CASCADE, related_name="targets")
    year = models.PositiveSmallIntegerField("年度")
    level = models.PositiveSmallIntegerField("目标星级")
    target_stars = models.JSONField("目标星", default=list, blank=True, help_text="为空表示按星级自动选择")
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="设定人", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    set_at = models.DateTimeField("设定时间", auto_now=True)
    proposed = models.BooleanField(
        "建议目标", default=False, help_text="年度交替时按上年结转的建议，确认后才成为创建目标",
    )

    class Meta:
        verbose_name = "创建目标"
        verbose_name_plural = "创建目标"
        ordering = ["year", "village__code"]
        constraints = [
            models.UniqueConstraint(fields=["village", "year"], name="target_one_per_village_year"),
            models.CheckConstraint(condition=models.Q(level__lte=5), name="target_level_max_5"),
        ]

    def __str__(self) -> str:
        return f"{self.village} {self.year}年目标{self.level}星"

    @property
    def is_candidate(self) -> bool:
        return self.level >= 4


class PendingRecompute(models.Model):
    """A village whose live results wait for a recompute.

    Approvals add rows (duplicates ignored); one task drains them all for a month, so a batch of
    approvals becomes one job. The drain deletes the rows in the same transaction that writes
    the results: a worker killed half-way leaves the rows, and the old results, as they were.
    """

    village = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()
    requested_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "待重算"
        verbose_name_plural = "待重算"
        constraints = [models.UniqueConstraint(fields=["village", "year", "month"], name="pending_recompute_unique")]

    def __str__(self) -> str:
        return f"{self.village_id} {self.year}-{self.month:02d}"
