"""The year's award workflow: application → township check → star review → public notice → naming; withdrawals."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from cadres.models import StarCode, star_label, village_star_display
from villages.models import Region


class ApplicationStatus(models.TextChoices):
    APPLIED = "applied", "已申报"
    TOWNSHIP_CHECKED = "township_checked", "乡镇已审核"
    REVIEWED = "reviewed", "部门已评审"
    PUBLIC_NOTICE = "public_notice", "公示中"
    NAMED = "named", "已命名"


class Application(models.Model):
    village = models.ForeignKey(Region, verbose_name="村（社区）", on_delete=models.CASCADE, related_name="award_applications")
    year = models.PositiveSmallIntegerField("年度")
    stars = models.JSONField("申报星", default=list)
    status = models.CharField("状态", max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.APPLIED)
    applied_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="申报人", on_delete=models.SET_NULL, null=True, related_name="+")
    applied_at = models.DateTimeField("申报时间", default=timezone.now)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="乡镇审核人", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    checked_at = models.DateTimeField("乡镇审核时间", null=True, blank=True)
    notice_start = models.DateField("公示开始", null=True, blank=True)
    notice_end = models.DateField("公示结束", null=True, blank=True)
    named_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="命名人", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    named_at = models.DateTimeField("命名时间", null=True, blank=True)
    named_stars = models.JSONField("命名星", default=list, blank=True)

    class Meta:
        verbose_name = "星级申报"
        verbose_name_plural = "星级申报"
        ordering = ["village__code"]
        constraints = [models.UniqueConstraint(fields=["village", "year"], name="award_application_unique")]

    def __str__(self) -> str:
        return f"{self.village_id}-{self.year}"


class StarReview(models.Model):
    application = models.ForeignKey(Application, verbose_name="申报", on_delete=models.CASCADE, related_name="reviews")
    star = models.CharField("星", max_length=10, choices=StarCode.choices)
    approved = models.BooleanField("通过")
    reason = models.CharField("理由", max_length=200, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="评审人", on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField("评审时间", default=timezone.now)

    class Meta:
        verbose_name = "星级评审"
        verbose_name_plural = "星级评审"
        constraints = [models.UniqueConstraint(fields=["application", "star"], name="star_review_unique")]

    def __str__(self) -> str:
        return f"{self.application_id}-{self.star}"

    def get_star_display(self) -> str:
        return star_label(self.star, self.application.village)


class ObjectionSource(models.TextChoices):
    HAND = "hand", "组织部记录"
    PUBLIC = "public", "群众扫码提交"


class Objection(models.Model):
    """An objection to a public notice: recorded by hand by the organisation department, or sent
    by a villager from the notice's public page (name and phone optional, shown to the
    organisation department only)."""

    application = models.ForeignKey(Application, verbose_name="申报", on_delete=models.CASCADE, related_name="objections")
    content = models.TextField("异议内容")
    handling = models.TextField("处理情况", blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="记录人", on_delete=models.SET_NULL, null=True, related_name="+")
    recorded_at = models.DateTimeField("记录时间", default=timezone.now)
    source = models.CharField("来源", max_length=10, choices=ObjectionSource.choices, default=ObjectionSource.HAND)
    submitter_name = models.CharField("反映人姓名", max_length=40, blank=True)
    submitter_phone = models.CharField("反映人电话", max_length=20, blank=True)

    class Meta:
        verbose_name = "公示异议"
        verbose_name_plural = "公示异议"

    def __str__(self) -> str:
        return self.content[:30]

    @property
    def handled(self) -> bool:
        return bool(self.handling.strip())


class StarWithdrawal(models.Model):
    village = models.ForeignKey(Region, verbose_name="村（社区）", on_delete=models.CASCADE, related_name="star_withdrawals")
    year = models.PositiveSmallIntegerField("年度")
    star = models.CharField("星", max_length=10, choices=StarCode.choices)
    get_star_display = village_star_display
    reason = models.CharField("降星原因", max_length=300)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField("时间", default=timezone.now)
    township_notified = models.BooleanField("已通知乡镇", default=False)

    class Meta:
        verbose_name = "降星记录"
        verbose_name_plural = "降星记录"
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.village_id}-{self.year}-{self.star}"


class Notice(models.Model):
    """A message for a region's users, e.g. a township told that one of its villages lost a star."""

    region = models.ForeignKey(Region, verbose_name="区域", on_delete=models.CASCADE, related_name="notices")
    text = models.CharField("内容", max_length=300)
    read = models.BooleanField("已读", default=False)
    created_at = models.DateTimeField("时间", default=timezone.now)

    class Meta:
        verbose_name = "通知"
        verbose_name_plural = "通知"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.text[:30]
