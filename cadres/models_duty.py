"""The responsibility system (责任体系): who is assigned to which township or village (包联),
each village's responsibility group (责任组), and the contact visits (双包双联) the assigned
people record."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

__all__ = ["Assignment", "ContactVisit", "Duty", "DutyTier"]


class DutyTier(models.TextChoices):
    """Who the person is in the campaign's three levels of responsibility."""

    COUNTY_LEADER = "county_leader", "县级领导"
    ORG_STAFF = "org_staff", "组织部干部"
    TOWNSHIP_LEADER = "township_leader", "乡镇领导"
    VILLAGE_SECRETARY = "village_secretary", "村党支部书记"
    MEMBER = "member", "其他成员"


class Duty(models.TextChoices):
    CONTACT = "contact", "分包联系"
    GROUP_LEADER = "group_leader", "责任组组长（包村干部）"
    GROUP_DEPUTY = "group_deputy", "责任组副组长"
    GROUP_MEMBER = "group_member", "责任组成员"


class AssignmentQuerySet(models.QuerySet):
    def active_on(self, day) -> AssignmentQuerySet:
        return self.filter(start_date__lte=day).filter(models.Q(end_date__isnull=True) | models.Q(end_date__gte=day))

    def active_between(self, first, last) -> AssignmentQuerySet:
        return self.filter(start_date__lte=last).filter(models.Q(end_date__isnull=True) | models.Q(end_date__gte=first))


class Assignment(models.Model):
    """One person answering for one township or village in one year, from a date (to a date)."""

    year = models.PositiveSmallIntegerField("年度")
    duty = models.CharField("职责", max_length=15, choices=Duty.choices)
    tier = models.CharField("人员类别", max_length=20, choices=DutyTier.choices)
    person = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="责任人账号", on_delete=models.PROTECT,
                               null=True, blank=True, related_name="assignments")
    person_name = models.CharField("责任人", max_length=40)
    person_title = models.CharField("职务", max_length=60, blank=True)
    region = models.ForeignKey("villages.Region", verbose_name="分包区划", on_delete=models.PROTECT,
                               related_name="assignments")
    start_date = models.DateField("开始日期")
    end_date = models.DateField("结束日期", null=True, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField("登记时间", default=timezone.now)
    ended_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="结束登记人", on_delete=models.SET_NULL,
                                 null=True, blank=True, related_name="+")

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = "包联责任"
        verbose_name_plural = "包联责任"
        ordering = ["region__code", "duty", "start_date", "id"]
        indexes = [models.Index(fields=["year", "duty"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True) | models.Q(end_date__gte=models.F("start_date")),
                name="assignment_date_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_name} {self.get_duty_display()} {self.region.name}"


class ContactVisit(models.Model):
    """A contact visit (走访) by an assigned person to a village, recorded from the field. The
    problems it raised are the campaign's items (`problems`, declared on ChecklistItem)."""

    assignment = models.ForeignKey(Assignment, verbose_name="包联责任", on_delete=models.PROTECT, related_name="visits")
    visitor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="走访人", on_delete=models.PROTECT,
                                related_name="contact_visits")
    village = models.ForeignKey("villages.Region", verbose_name="走访村（社区）", on_delete=models.PROTECT,
                                related_name="contact_visits")
    date = models.DateField("走访日期")
    findings = models.TextField("发现情况")
    created_at = models.DateTimeField("记录时间", default=timezone.now)

    class Meta:
        verbose_name = "走访记录"
        verbose_name_plural = "走访记录"
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["date"])]

    def __str__(self) -> str:
        return f"{self.visitor} {self.date:%Y-%m-%d} {self.village.name}"
