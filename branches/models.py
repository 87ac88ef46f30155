"""Party organisations per village or community, and the weak-and-lax (软弱涣散) register."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from villages.models import Level, Region

MSG_BRANCH_VILLAGE_LEVEL = "党组织只能建在村（社区）一级"
MSG_MEMBER_COUNTS = "预备党员人数不能超过党员总数"
MSG_RECTIFICATION_DATES = "验收日期不能早于列入日期"


class OrgType(models.TextChoices):
    BRANCH = "branch", "党支部"
    GENERAL_BRANCH = "general_branch", "党总支"
    COMMITTEE = "committee", "党委"


class BranchQuerySet(models.QuerySet):
    def weak_lax(self) -> BranchQuerySet:
        return self.filter(is_weak_lax=True)


class Branch(models.Model):
    village = models.OneToOneField(
        Region, verbose_name="村（社区）", on_delete=models.PROTECT, related_name="branch",
        limit_choices_to={"level": Level.VILLAGE},
    )
    name = models.CharField("党组织名称", max_length=100)
    org_type = models.CharField("组织类型", max_length=20, choices=OrgType.choices, default=OrgType.BRANCH)
    secretary_name = models.CharField("书记姓名", max_length=40, blank=True)
    secretary_phone = models.CharField("书记电话", max_length=20, blank=True)
    secretary_is_head = models.BooleanField("书记兼村委会主任（一肩挑）", default=False)
    secretary_since = models.DateField("书记任职时间", null=True, blank=True)
    committee_size = models.PositiveSmallIntegerField("支委人数", default=3)
    member_count = models.PositiveIntegerField("党员人数", default=0)
    probationary_count = models.PositiveIntegerField("预备党员人数", default=0)
    established_on = models.DateField("成立时间", null=True, blank=True)
    is_weak_lax = models.BooleanField("软弱涣散", default=False, db_index=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = BranchQuerySet.as_manager()

    class Meta:
        verbose_name = "党组织"
        verbose_name_plural = "党组织"
        ordering = ["village__code"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.village_id and self.village.level != Level.VILLAGE:
            errors["village"] = MSG_BRANCH_VILLAGE_LEVEL
        if self.probationary_count > self.member_count:
            errors["probationary_count"] = MSG_MEMBER_COUNTS
        if errors:
            raise ValidationError(errors)


class CommitteeMember(models.Model):
    branch = models.ForeignKey(Branch, verbose_name="党组织", on_delete=models.CASCADE, related_name="committee")
    name = models.CharField("姓名", max_length=40)
    position = models.CharField("职务", max_length=40, help_text="如：书记、副书记、组织委员、宣传委员、纪检委员")
    gender = models.CharField("性别", max_length=2, choices=[("男", "男"), ("女", "女")], blank=True)
    birth_year = models.PositiveSmallIntegerField("出生年份", null=True, blank=True)
    education = models.CharField("学历", max_length=20, blank=True)

    class Meta:
        verbose_name = "支委成员"
        verbose_name_plural = "支委成员"
        ordering = ["branch_id", "id"]

    def __str__(self) -> str:
        return f"{self.name}（{self.position}）"


class RectificationStatus(models.TextChoices):
    LISTED = "listed", "已列入"
    RECTIFYING = "rectifying", "整顿中"
    ACCEPTED = "accepted", "已验收销号"


class Rectification(models.Model):
    """A weak-and-lax listing and its rectification (整顿), closed by an acceptance."""

    branch = models.ForeignKey(
        Branch, verbose_name="党组织", on_delete=models.CASCADE, related_name="rectifications"
    )
    year = models.PositiveSmallIntegerField("年度")
    reason = models.TextField("软弱涣散原因")
    plan = models.TextField("整顿方案", blank=True)
    progress = models.TextField("整顿进展", blank=True)
    status = models.CharField(
        "状态", max_length=12, choices=RectificationStatus.choices, default=RectificationStatus.LISTED
    )
    listed_on = models.DateField("列入日期")
    accepted_on = models.DateField("验收日期", null=True, blank=True)
    accepted_by = models.CharField("验收单位", max_length=60, blank=True)
    accepted_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="验收人", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    acceptance_note = models.TextField("验收意见", blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "软弱涣散整顿"
        verbose_name_plural = "软弱涣散整顿"
        ordering = ["-year", "branch_id"]

    def __str__(self) -> str:
        return f"{self.branch}（{self.year}年整顿）"

    def clean(self) -> None:
        if self.accepted_on and self.listed_on and self.accepted_on < self.listed_on:
            raise ValidationError({"accepted_on": MSG_RECTIFICATION_DATES})


from .models_community import *  # noqa: E402,F401,F403
from .models_members import *  # noqa: E402,F401,F403
from .models_pairing import *  # noqa: E402,F401,F403
from .models_records import *  # noqa: E402,F401,F403
