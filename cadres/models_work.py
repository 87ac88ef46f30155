"""First secretaries' daily work records: sign-ins, leave, monthly reports, spot checks, evaluations."""

from __future__ import annotations

from django.conf import settings
from django.db import models

__all__ = [
    "Evaluation", "EvaluationGrade", "LeaveRequest", "LeaveStatus", "MonthlyReport", "ReportStatus", "SignIn",
    "SpotCheck",
]


class SignIn(models.Model):
    """One daily sign-in of a first secretary in his village (at most one per day)."""

    first_secretary = models.ForeignKey(
        "cadres.FirstSecretary", verbose_name="第一书记", on_delete=models.CASCADE, related_name="sign_ins"
    )
    village = models.ForeignKey("villages.Region", verbose_name="村", on_delete=models.PROTECT, related_name="+")
    date = models.DateField("日期")
    time = models.TimeField("签到时间")
    note = models.CharField("备注", max_length=200, blank=True)
    photo = models.ImageField("照片", upload_to="sign_ins/%Y/%m/", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="记录人", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "驻村签到"
        verbose_name_plural = "驻村签到"
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(fields=["first_secretary", "date"], name="sign_in_one_per_day"),
        ]
        indexes = [models.Index(fields=["village", "date"])]

    def __str__(self) -> str:
        return f"{self.first_secretary_id} {self.date}"


class LeaveStatus(models.TextChoices):
    REQUESTED = "requested", "待审批"
    APPROVED = "approved", "已批准"
    REFUSED = "refused", "未批准"


class LeaveRequest(models.Model):
    first_secretary = models.ForeignKey(
        "cadres.FirstSecretary", verbose_name="第一书记", on_delete=models.CASCADE, related_name="leave_requests"
    )
    start = models.DateField("开始日期")
    end = models.DateField("结束日期")
    reason = models.CharField("事由", max_length=200)
    status = models.CharField("状态", max_length=10, choices=LeaveStatus.choices, default=LeaveStatus.REQUESTED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="审批人", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    decision_note = models.CharField("审批意见", max_length=200, blank=True)
    created_at = models.DateTimeField("申请时间", auto_now_add=True)

    class Meta:
        verbose_name = "请假"
        verbose_name_plural = "请假"
        ordering = ["-start"]
        constraints = [
            models.CheckConstraint(condition=models.Q(end__gte=models.F("start")), name="leave_end_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.start}–{self.end} {self.get_status_display()}"


class SpotCheck(models.Model):
    """A township's unannounced check that the first secretary is in the village."""

    first_secretary = models.ForeignKey(
        "cadres.FirstSecretary", verbose_name="第一书记", on_delete=models.CASCADE, related_name="spot_checks"
    )
    date = models.DateField("抽查日期")
    present = models.BooleanField("在岗")
    note = models.CharField("情况说明", max_length=200, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="抽查人", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "在岗抽查"
        verbose_name_plural = "在岗抽查"
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"{self.date} {'在岗' if self.present else '不在岗'}"


class ReportStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已提交"
    READ = "read", "已阅"


class MonthlyReport(models.Model):
    """The first secretary's monthly work report, read by the township."""

    first_secretary = models.ForeignKey(
        "cadres.FirstSecretary", verbose_name="第一书记", on_delete=models.CASCADE, related_name="monthly_reports"
    )
    year = models.PositiveSmallIntegerField("年度")
    month = models.PositiveSmallIntegerField("月份")
    work_done = models.TextField("本月工作")
    problems = models.TextField("存在问题", blank=True)
    next_steps = models.TextField("下步打算", blank=True)
    status = models.CharField("状态", max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    read_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="阅知人", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    read_at = models.DateTimeField("阅知时间", null=True, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "月度工作报告"
        verbose_name_plural = "月度工作报告"
        ordering = ["-year", "-month"]
        constraints = [
            models.UniqueConstraint(fields=["first_secretary", "year", "month"], name="monthly_report_one_per_month"),
        ]

    def __str__(self) -> str:
        return f"{self.year}年{self.month}月工作报告"


class EvaluationGrade(models.TextChoices):
    EXCELLENT = "excellent", "优秀"
    COMPETENT = "competent", "称职"
    BASIC = "basic", "基本称职"
    INCOMPETENT = "incompetent", "不称职"


class Evaluation(models.Model):
    """The county organisation department's yearly evaluation of a first secretary (one per year)."""

    first_secretary = models.ForeignKey(
        "cadres.FirstSecretary", verbose_name="第一书记", on_delete=models.CASCADE, related_name="evaluations"
    )
    year = models.PositiveSmallIntegerField("年度")
    grade = models.CharField("等次", max_length=12, choices=EvaluationGrade.choices)
    note = models.CharField("评语", max_length=300, blank=True)
    # The evidence as it stood when the grade was given, so a later correction of sign-ins does
    # not silently change what the grade was based on.
    days_present = models.PositiveSmallIntegerField("全年驻村天数", default=0)
    reports_submitted = models.PositiveSmallIntegerField("提交月报数", default=0)
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="评定人", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField("评定时间", auto_now_add=True)

    class Meta:
        verbose_name = "年度考核"
        verbose_name_plural = "年度考核"
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["first_secretary", "year"], name="evaluation_one_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.year}年度 {self.get_grade_display()}"
