"""Task items (任务清单) from the engine's gaps and problem items (问题台账) from inspections."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from cadres.models import StarCode, village_star_display
from villages.models import Region


class ItemOrigin(models.TextChoices):
    GAP = "gap", "差距任务"
    INSPECTION = "inspection", "问题台账"
    MEASURE = "measure", "会商措施"


class ItemStatus(models.TextChoices):
    OPEN = "open", "未完成"
    COLLECTED = "collected", "问题收集"
    REPORTED = "reported", "已上报"
    ASSIGNED = "assigned", "已交办"
    FEEDBACK = "feedback", "已反馈"
    CLOSED = "closed", "已销号"


OPEN_STATUSES = (ItemStatus.OPEN, ItemStatus.COLLECTED, ItemStatus.REPORTED, ItemStatus.ASSIGNED, ItemStatus.FEEDBACK)


class ChecklistItem(models.Model):
    village = models.ForeignKey(Region, verbose_name="村（社区）", on_delete=models.CASCADE, related_name="checklist_items")
    year = models.PositiveSmallIntegerField("年度")
    star = models.CharField("星", max_length=10, choices=StarCode.choices)
    get_star_display = village_star_display
    indicator_code = models.CharField("指标代码", max_length=40, null=True, blank=True)
    origin = models.CharField("来源", max_length=12, choices=ItemOrigin.choices)
    title = models.CharField("事项", max_length=200)
    detail = models.TextField("详情", blank=True)
    gap = models.JSONField("差距快照", default=dict, blank=True, help_text="value, needed, points, month")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="责任人", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    owner_text = models.CharField("责任人（文字）", max_length=60, blank=True)
    due_date = models.DateField("完成时限", null=True, blank=True)
    status = models.CharField("状态", max_length=10, choices=ItemStatus.choices)
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="记录人", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField("关闭时间", null=True, blank=True)
    closed_reason = models.CharField("关闭原因", max_length=200, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="核验人", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="销号人", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The contact visit (cadres) that raised a problem, the joint consultation (cadres) that
    # decided a measure: declared here, above the people's records, over the link tables they
    # always had (the visit's `problems`, the consultation's `measures`).
    visits = models.ManyToManyField("cadres.ContactVisit", verbose_name="提出问题的走访", blank=True,
                                    related_name="problems", db_table="cadres_contactvisit_problems")
    consultations = models.ManyToManyField("cadres.Consultation", verbose_name="议定措施的会商", blank=True,
                                           related_name="measures", db_table="cadres_consultation_measures")

    class Meta:
        verbose_name = "任务事项"
        verbose_name_plural = "任务事项"
        ordering = ["village__code", "star", "indicator_code", "pk"]
        constraints = [
            # Regeneration relies on this: at most one open gap item per village × year × indicator.
            models.UniqueConstraint(
                fields=["village", "year", "indicator_code"],
                condition=models.Q(origin="gap", status="open"),
                name="checklist_one_open_gap_item",
            )
        ]
        indexes = [models.Index(fields=["year", "status"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status != ItemStatus.CLOSED

    @property
    def overdue(self) -> bool:
        return self.is_open and self.due_date is not None and self.due_date < timezone.localdate()


class ChecklistProgress(models.Model):
    item = models.ForeignKey(ChecklistItem, verbose_name="事项", on_delete=models.CASCADE, related_name="progress")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField("时间", default=timezone.now)
    action = models.CharField("动作", max_length=20, blank=True)
    note = models.TextField("说明", blank=True)
    evidence = models.FileField("佐证材料", upload_to="checklist/%Y/%m/", null=True, blank=True)

    class Meta:
        verbose_name = "进展记录"
        verbose_name_plural = "进展记录"
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.item_id}-{self.action}"
