"""The monthly bulletin: one row per region × month × view, whose files are replaced on regeneration."""

import uuid

from django.conf import settings
from django.db import models

from villages.models import Region


def bulletin_path(instance: "Bulletin", filename: str) -> str:
    # A generated name: a bulletin is found through its record (and its scope), never by a path.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"bulletins/{instance.year}/{instance.month:02d}/{uuid.uuid4().hex}.{extension}"


class Bulletin(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "生成中"
        DONE = "done", "已生成"
        FAILED = "failed", "生成失败"

    class Kind(models.TextChoices):
        MONTHLY = "monthly", "月度通报"

    region = models.ForeignKey(Region, verbose_name="范围", on_delete=models.PROTECT, related_name="bulletins")
    year = models.PositiveSmallIntegerField("年度")
    month = models.PositiveSmallIntegerField("月份")
    view = models.CharField("口径", max_length=10, default="published")
    kind = models.CharField("类型", max_length=10, choices=Kind.choices, default=Kind.MONTHLY)
    xlsx = models.FileField("Excel 文件", upload_to=bulletin_path, blank=True)
    pdf = models.FileField("PDF 文件", upload_to=bulletin_path, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    generated_at = models.DateTimeField("生成时间", null=True, blank=True)
    generated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="生成人", on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="+")
    # Set when the month is reopened (its published figures are under revision); cleared when
    # the month is closed again and the bulletin is generated anew.
    superseded_at = models.DateTimeField("作废时间", null=True, blank=True)
    superseded_reason = models.TextField("作废原因", blank=True)

    class Meta:
        verbose_name = "月度通报"
        verbose_name_plural = "月度通报"
        ordering = ["-year", "-month", "region__code"]
        constraints = [models.UniqueConstraint(fields=["region", "year", "month", "view", "kind"],
                                               name="bulletin_unique")]

    def __str__(self) -> str:
        return f"{self.region} {self.year}年{self.month}月通报"
