"""Star task forces (一星一专班) and the organisation department's monthly joint consultation
(联席会商), whose measures become tasks in the villages' task lists."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

# models.py imports this module last: these are defined by then.
from .models import STAR_KIND_CHOICES, StarCode, star_key, variant_star_label

__all__ = ["Consultation", "ConsultationProgress", "Department", "TaskForce", "TaskForceMember"]


class Department(models.Model):
    """A county's department or unit (县直部门和单位) that a task force may count among its member
    units: kept by the organisation department, picked from a list, never typed in a task force."""

    county = models.ForeignKey("villages.Region", verbose_name="所属县", on_delete=models.CASCADE,
                               related_name="departments")
    name = models.CharField("名称", max_length=60)
    order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "部门和单位"
        verbose_name_plural = "部门和单位"
        ordering = ["county_id", "order", "name"]
        constraints = [models.UniqueConstraint(fields=["county", "name"], name="department_name_unique_in_county")]

    def __str__(self) -> str:
        return self.name


class TaskForce(models.Model):
    """One task force per star for a county (or a township) and year: its lead department and
    member units, and the people in it."""

    region = models.ForeignKey("villages.Region", verbose_name="所属县或乡镇", on_delete=models.PROTECT,
                               related_name="task_forces")
    year = models.PositiveSmallIntegerField("年度")
    star = models.CharField("星", max_length=10, choices=StarCode.choices)
    # A community star has its own task force, led by the department the urban standard names.
    star_kind = models.CharField("星类别", max_length=5, choices=STAR_KIND_CHOICES, default="rural")
    lead_department = models.CharField("牵头部门", max_length=60)
    member_departments = models.ManyToManyField(Department, verbose_name="成员单位", blank=True,
                                                related_name="task_forces")
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="更新人", on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = "创星专班"
        verbose_name_plural = "创星专班"
        ordering = ["region__code", "year", "star"]
        constraints = [models.UniqueConstraint(fields=["region", "year", "star", "star_kind"],
                                               name="task_force_one_per_star")]

    def __str__(self) -> str:
        return f"{self.region.name}{self.get_star_display()}专班"

    def get_star_display(self) -> str:
        return variant_star_label(self.star, self.star_kind)

    @property
    def star_key(self) -> str:
        return star_key(self.star, self.star_kind)

    @property
    def units(self) -> list[str]:
        """The member units' names, in the county's order of its departments."""
        return [d.name for d in sorted(self.member_departments.all(), key=lambda d: (d.order, d.name))]

    @property
    def member_units(self) -> str:
        """The member units one a line, as the API and the forms read and write them."""
        return "\n".join(self.units)


class TaskForceMember(models.Model):
    task_force = models.ForeignKey(TaskForce, verbose_name="专班", on_delete=models.CASCADE, related_name="members")
    name = models.CharField("姓名", max_length=40)
    unit = models.CharField("单位", max_length=60, blank=True)
    role = models.CharField("专班职务", max_length=20, blank=True, default="成员")

    class Meta:
        verbose_name = "专班成员"
        verbose_name_plural = "专班成员"
        ordering = ["task_force_id", "id"]

    def __str__(self) -> str:
        return self.name


class Consultation(models.Model):
    """联席会商: the monthly joint meeting of the task forces — who came, progress by star, the
    problems judged and the measures decided (each a task item of the campaign: `measures`,
    declared on ChecklistItem)."""

    region = models.ForeignKey("villages.Region", verbose_name="组织单位", on_delete=models.PROTECT,
                               related_name="consultations")
    date = models.DateField("会商日期")
    title = models.CharField("会议名称", max_length=100)
    attendees = models.TextField("参会人员")
    problems = models.TextField("研判的问题", blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="记录人", on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+")
    created_at = models.DateTimeField("记录时间", default=timezone.now)

    class Meta:
        verbose_name = "联席会商"
        verbose_name_plural = "联席会商"
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.title}"


class ConsultationProgress(models.Model):
    consultation = models.ForeignKey(Consultation, verbose_name="会商", on_delete=models.CASCADE,
                                     related_name="progress")
    star = models.CharField("星", max_length=10, choices=StarCode.choices)
    text = models.TextField("推进情况")

    class Meta:
        verbose_name = "分星推进情况"
        verbose_name_plural = "分星推进情况"
        ordering = ["consultation_id", "id"]

    def __str__(self) -> str:
        return f"{self.get_star_display()}：{self.text[:20]}"
