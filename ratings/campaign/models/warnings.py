"""Early warnings (预警): what will go wrong this month if nothing is done.

Computed after each recompute and each night (ratings/campaign/services/warnings.py) from the
records as they stand; a warning whose condition no longer holds is cleared, never deleted, so
the list keeps who acknowledged what and when.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from villages.models import Region


class WarningKind(models.TextChoices):
    STAR_MISSED = "star_missed", "已获星当前未达标"
    STAR_MARGIN = "star_margin", "已获星接近达标线"
    LEDGER_LATE = "ledger_late", "台账临近截止未提交"
    ATTENDANCE = "attendance", "第一书记在村天数不足"
    VETO = "veto", "一票否决事件"
    WEAK_LAX = "weak_lax", "软弱涣散"
    TASK_OVERDUE = "task_overdue", "任务逾期"
    PROBLEM_OVERDUE = "problem_overdue", "问题逾期"


class WarningState(models.TextChoices):
    OPEN = "open", "未处理"
    ACKNOWLEDGED = "acknowledged", "已确认"
    CLEARED = "cleared", "已解除"


ACTIVE_STATES = (WarningState.OPEN, WarningState.ACKNOWLEDGED)


class EarlyWarning(models.Model):
    """One condition found for a village or a township: raised once, kept while it holds.

    `key` names the condition within its region and kind (a star and month, a task item, a
    first secretary…): a refresh finds the same warning again instead of raising a new one.
    """

    kind = models.CharField("预警类型", max_length=20, choices=WarningKind.choices)
    region = models.ForeignKey(Region, verbose_name="村（社区）或乡镇", on_delete=models.CASCADE, related_name="+")
    township = models.ForeignKey(Region, verbose_name="乡镇", on_delete=models.CASCADE, related_name="+")
    key = models.CharField("条件标识", max_length=80)
    year = models.PositiveSmallIntegerField("年度")
    month = models.PositiveSmallIntegerField("月份")
    text = models.CharField("内容", max_length=300)
    # Where the warning is acted upon: a URL name and its arguments (resolved by the model).
    link_name = models.CharField("处理页面", max_length=60, blank=True)
    link_args = models.JSONField("处理页面参数", default=list, blank=True)
    link_query = models.CharField("处理页面查询", max_length=120, blank=True)
    state = models.CharField("状态", max_length=15, choices=WarningState.choices, default=WarningState.OPEN)
    raised_at = models.DateTimeField("发现时间", default=timezone.now)
    seen_at = models.DateTimeField("最近确认存在", default=timezone.now)
    cleared_at = models.DateTimeField("解除时间", null=True, blank=True)
    acknowledged_at = models.DateTimeField("确认时间", null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="确认人", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    notified_at = models.DateTimeField("已通知", null=True, blank=True)

    class Meta:
        verbose_name = "预警"
        verbose_name_plural = "预警"
        ordering = ["state", "-raised_at", "pk"]
        constraints = [
            # A refresh relies on this: one active warning per condition.
            models.UniqueConstraint(
                fields=["kind", "region", "key"], condition=models.Q(state__in=["open", "acknowledged"]),
                name="warning_one_active_per_condition",
            ),
        ]
        indexes = [
            models.Index(fields=["township", "state"], name="warning_township_state"),
            models.Index(fields=["state", "notified_at"], name="warning_state_notified"),
        ]

    def __str__(self) -> str:
        return self.text[:40]

    @property
    def is_active(self) -> bool:
        return self.state in ACTIVE_STATES

    @property
    def link(self) -> str:
        from django.urls import NoReverseMatch, reverse

        if not self.link_name:
            return ""
        try:
            url = reverse(self.link_name, args=self.link_args or [])
        except NoReverseMatch:
            return ""
        return f"{url}?{self.link_query}" if self.link_query else url
