"""Ledger entries (台账) and their life: draft → submitted → approved / returned → …

An approved entry is locked; a correction is a new entry that supersedes it. Every change is an
event (who, when, before, after). `version` is what an edit was based on: a stale save is a
conflict, never an overwrite.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from villages.models import Level, Region

from .standard import Indicator


class LedgerStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已提交"
    APPROVED = "approved", "已通过"
    RETURNED = "returned", "已退回"
    SUPERSEDED = "superseded", "已更正"


class LedgerEntryQuerySet(models.QuerySet):
    def current(self) -> LedgerEntryQuerySet:
        """Entries that count: everything but those superseded by a correction."""
        return self.exclude(status=LedgerStatus.SUPERSEDED)

    def live(self) -> LedgerEntryQuerySet:
        return self.filter(status__in=[LedgerStatus.SUBMITTED, LedgerStatus.APPROVED])

    def approved(self) -> LedgerEntryQuerySet:
        return self.filter(status=LedgerStatus.APPROVED)

    def for_month(self, year: int, month: int) -> LedgerEntryQuerySet:
        return self.filter(year=year, month=month)


class LedgerEntry(models.Model):
    village = models.ForeignKey(
        Region, verbose_name="村（社区）", on_delete=models.PROTECT, related_name="ledger_entries",
        limit_choices_to={"level": Level.VILLAGE},
    )
    indicator = models.ForeignKey(Indicator, verbose_name="指标", on_delete=models.PROTECT, related_name="entries")
    year = models.PositiveSmallIntegerField("年度")
    month = models.PositiveSmallIntegerField("月份")
    # Numbers, percents, counts and yes/no (1/0) share one column so the engine reads one value.
    value = models.DecimalField("填报值", max_digits=16, decimal_places=4, null=True, blank=True)
    text_value = models.TextField("文字说明", blank=True)
    note = models.CharField("备注", max_length=500, blank=True)
    status = models.CharField("状态", max_length=12, choices=LedgerStatus.choices, default=LedgerStatus.DRAFT)
    version = models.PositiveIntegerField("版本", default=1)
    plausibility_flag = models.CharField("异常提示", max_length=300, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="填报人", on_delete=models.PROTECT, related_name="ledger_entries"
    )
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="审核人", on_delete=models.PROTECT, null=True, blank=True,
        related_name="reviewed_ledger_entries",
    )
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    return_reason = models.TextField("退回原因", blank=True)
    supersedes = models.OneToOneField(
        "self", verbose_name="更正的原台账", on_delete=models.PROTECT, null=True, blank=True,
        related_name="superseded_by",
    )
    correction_reason = models.TextField("更正原因", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = LedgerEntryQuerySet.as_manager()

    class Meta:
        verbose_name = "台账"
        verbose_name_plural = "台账"
        ordering = ["year", "month", "village__code", "indicator__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["village", "indicator", "year", "month"],
                condition=~models.Q(status="superseded"),
                name="ledger_one_current_entry",
            ),
            models.CheckConstraint(condition=models.Q(month__gte=1, month__lte=12), name="ledger_month_range"),
        ]
        indexes = [
            models.Index(fields=["year", "month", "status"]),
            models.Index(fields=["village", "year", "month"]),
        ]

    def __str__(self) -> str:
        return f"{self.village} {self.year}年{self.month}月 {self.indicator}"

    @property
    def is_locked(self) -> bool:
        return self.status in (LedgerStatus.APPROVED, LedgerStatus.SUPERSEDED)

    @property
    def is_editable(self) -> bool:
        return self.status in (LedgerStatus.DRAFT, LedgerStatus.RETURNED)


def evidence_path(instance: Evidence, filename: str) -> str:
    entry = instance.entry
    return f"evidence/{entry.year}/{entry.month:02d}/{entry.village.code}/{filename}"


class Evidence(models.Model):
    entry = models.ForeignKey(LedgerEntry, verbose_name="台账", on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField("文件", upload_to=evidence_path)
    original_name = models.CharField("原文件名", max_length=200)
    content_type = models.CharField("文件类型", max_length=50)
    size = models.PositiveIntegerField("大小（字节）")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT)
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "佐证材料"
        verbose_name_plural = "佐证材料"
        ordering = ["entry_id", "uploaded_at"]

    def __str__(self) -> str:
        return self.original_name


class LedgerEvent(models.Model):
    """The audit trail of one entry: every create, change, submit, approve, return, correction."""

    class Action(models.TextChoices):
        CREATE = "create", "创建"
        UPDATE = "update", "修改"
        SUBMIT = "submit", "提交"
        APPROVE = "approve", "审核通过"
        RETURN = "return", "退回"
        CORRECT = "correct", "更正"
        EVIDENCE = "evidence", "上传佐证"
        IMPORT = "import", "Excel导入"

    entry = models.ForeignKey(LedgerEntry, verbose_name="台账", on_delete=models.CASCADE, related_name="events")
    action = models.CharField("操作", max_length=10, choices=Action.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", on_delete=models.PROTECT)
    at = models.DateTimeField("时间", auto_now_add=True)
    before = models.JSONField("修改前", null=True, blank=True)
    after = models.JSONField("修改后", null=True, blank=True)
    note = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = "台账操作记录"
        verbose_name_plural = "台账操作记录"
        ordering = ["entry_id", "at", "id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.at:%Y-%m-%d %H:%M}"


class LedgerWindow(models.Model):
    """A township-month reopened by the county organisation department after its deadline."""

    township = models.ForeignKey(
        Region, verbose_name="乡镇", on_delete=models.PROTECT, related_name="ledger_windows",
        limit_choices_to={"level": Level.TOWNSHIP},
    )
    year = models.PositiveSmallIntegerField("年度")
    month = models.PositiveSmallIntegerField("月份")
    open_until = models.DateTimeField("开放至")
    reason = models.TextField("重新开放原因")
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", on_delete=models.PROTECT)
    opened_at = models.DateTimeField("操作时间", auto_now_add=True)

    class Meta:
        verbose_name = "填报期重新开放"
        verbose_name_plural = "填报期重新开放"
        ordering = ["-year", "-month", "township__code"]

    def __str__(self) -> str:
        return f"{self.township} {self.year}年{self.month}月"
