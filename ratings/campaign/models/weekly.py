"""Weekly progress of key villages (重点村周进展) and the organisation department's monthly
commentary (点评) per township.

Key villages (four stars and up, and the candidates 备选村) report once per ISO week (Asia/Shanghai):
a short text per star worked on, with photos. This replaces the chat-group reporting the counties
describe; the township sees who has not reported, the county comments each month."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from cadres.models import StarCode, star_label
from villages.models import Region


class WeeklyReport(models.Model):
    """One key village's report for one ISO week; reporting again in the same week adds to it."""

    village = models.ForeignKey(Region, verbose_name="村（社区）", on_delete=models.CASCADE, related_name="weekly_reports")
    iso_year = models.PositiveSmallIntegerField("年度（按周）")
    week = models.PositiveSmallIntegerField("周次")
    week_start = models.DateField("周一日期")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="报送人", on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="+")
    submitted_at = models.DateTimeField("报送时间", default=timezone.now)
    updated_at = models.DateTimeField("最后补充时间", default=timezone.now)

    class Meta:
        verbose_name = "重点村周进展"
        verbose_name_plural = "重点村周进展"
        ordering = ["-week_start", "village__code"]
        constraints = [models.UniqueConstraint(fields=["village", "iso_year", "week"], name="weekly_report_one_per_week")]
        indexes = [models.Index(fields=["iso_year", "week"])]

    def __str__(self) -> str:
        return f"{self.village.name} {self.iso_year}年第{self.week}周"


class WeeklyReportStar(models.Model):
    """The progress on one star in a weekly report."""

    report = models.ForeignKey(WeeklyReport, verbose_name="周进展", on_delete=models.CASCADE, related_name="entries")
    star = models.CharField("星", max_length=10, choices=StarCode.choices)
    text = models.CharField("进展情况", max_length=500)

    class Meta:
        verbose_name = "周进展（分星）"
        verbose_name_plural = "周进展（分星）"
        ordering = ["report", "star"]
        constraints = [models.UniqueConstraint(fields=["report", "star"], name="weekly_report_one_entry_per_star")]

    def __str__(self) -> str:
        return f"{self.report} {self.get_star_display()}"

    def get_star_display(self) -> str:
        return star_label(self.star, self.report.village)


class WeeklyPhoto(models.Model):
    """A photo of a star's progress, verified by content (config.uploads) and served only to those
    who may see the report (config.files)."""

    entry = models.ForeignKey(WeeklyReportStar, verbose_name="分星进展", on_delete=models.CASCADE, related_name="photos")
    image = models.FileField("照片", upload_to="weekly/%Y/%m/")
    original_name = models.CharField("原文件名", max_length=200, blank=True)
    uploaded_at = models.DateTimeField("上传时间", default=timezone.now)

    class Meta:
        verbose_name = "周进展照片"
        verbose_name_plural = "周进展照片"
        ordering = ["entry", "uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name or self.image.name


class Commentary(models.Model):
    """The organisation department's monthly commentary (点评) on a township's key villages,
    seen by the township and its villages."""

    township = models.ForeignKey(Region, verbose_name="乡镇", on_delete=models.CASCADE, related_name="commentaries")
    year = models.PositiveSmallIntegerField("年度")
    month = models.PositiveSmallIntegerField("月份")
    text = models.TextField("点评内容")
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="点评人", on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    written_at = models.DateTimeField("点评时间", default=timezone.now)
    updated_at = models.DateTimeField("修改时间", default=timezone.now)

    class Meta:
        verbose_name = "月度点评"
        verbose_name_plural = "月度点评"
        ordering = ["-year", "-month", "township__code"]
        constraints = [
            models.UniqueConstraint(fields=["township", "year", "month"], name="commentary_one_per_township_month"),
            models.CheckConstraint(condition=models.Q(month__gte=1, month__lte=12), name="commentary_month_range"),
        ]

    def __str__(self) -> str:
        return f"{self.township.name}{self.year}年{self.month}月点评"
