"""Party members of a branch (党员分类管理) and what they do.

A `Member` belongs to one branch, in one category (在职 / 无职 / 流动 / 年老体弱), full or
probationary. Members leave (transfer, death) with a date and a reason and are never deleted, so
every past month can still be counted "as of its last day". Personal data is kept minimal: name,
gender, birth year, phone (masked outside the branch's township) — never an ID-card number.

Each category has its own record: a 无职 member holds a post (`MemberPost`, 设岗定责) with duty
logs; an 在职 member makes yearly pledges (`Pledge`, 承诺践诺) with quarterly progress and a
year-end outcome the branch confirms; a 流动 member has a contact person and `ContactRecord`s; a
年老体弱 member gets `CareVisit`s. Every member links with households (`LinkedHousehold`, 联户)
and visits them (`HouseholdVisit`). `Recognition` is a 好家风 (or other) recognition;
`MeetingAttendance` is the roll of one organisational-life meeting. Points come from these
records through the county's `PointsItem`s (see branches/points.py).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from .models_records import Tracked

__all__ = [
    "CareVisit", "ContactRecord", "ContactWay", "DutyLog", "HouseholdVisit", "LeaveReason", "LinkedHousehold",
    "MeetingAttendance", "Member", "MemberCategory", "MemberPost", "MemberStanding", "Pledge", "PledgeOutcome",
    "PledgeProgress", "PointsItem", "PointsSource", "PostKind", "Recognition",
]

MSG_LEFT_REASON = "请选择离开原因"
MSG_LEFT_BEFORE_JOINED = "离开日期不能早于入党日期"
MSG_BIRTH_YEAR = "出生年份应在 1900 年至今年之间"
MSG_POST_DATES = "结束日期不能早于开始日期"
MSG_QUARTER = "季度应在 1—4 之间"


class MemberCategory(models.TextChoices):
    IN_WORK = "in_work", "在职党员"
    NO_OFFICE = "no_office", "无职党员"
    AWAY = "away", "流动党员"
    ELDERLY = "elderly", "年老体弱党员"


class MemberStanding(models.TextChoices):
    FULL = "full", "正式党员"
    PROBATIONARY = "probationary", "预备党员"


class LeaveReason(models.TextChoices):
    TRANSFER = "transfer", "组织关系转出"
    DEATH = "death", "去世"
    OTHER = "other", "其他"


class MemberQuerySet(models.QuerySet):
    def current_on(self, day: dt.date) -> MemberQuerySet:
        """Members of the branch on `day`: joined on or before it and not left by then."""
        return self.filter(joined_on__lte=day).filter(models.Q(left_on__isnull=True) | models.Q(left_on__gt=day))

    def current(self) -> MemberQuerySet:
        return self.filter(left_on__isnull=True)


class Member(Tracked):
    branch = models.ForeignKey("branches.Branch", verbose_name="党组织", on_delete=models.PROTECT,
                               related_name="members")
    name = models.CharField("姓名", max_length=40)
    gender = models.CharField("性别", max_length=2, choices=[("男", "男"), ("女", "女")])
    birth_year = models.PositiveSmallIntegerField("出生年份")
    joined_on = models.DateField("入党日期")
    standing = models.CharField("党员类别", max_length=12, choices=MemberStanding.choices, default=MemberStanding.FULL)
    category = models.CharField("分类", max_length=12, choices=MemberCategory.choices)
    committee_role = models.CharField("支委职务", max_length=20, blank=True, help_text="不是支委成员的留空")
    phone = models.CharField("手机号", max_length=11, blank=True)
    contact_name = models.CharField("联系人", max_length=40, blank=True, help_text="流动党员的分包联系人")
    note = models.CharField("备注", max_length=200, blank=True)
    left_on = models.DateField("离开日期", null=True, blank=True)
    leave_reason = models.CharField("离开原因", max_length=12, choices=LeaveReason.choices, blank=True)

    objects = MemberQuerySet.as_manager()

    class Meta:
        verbose_name = "党员"
        verbose_name_plural = "党员"
        ordering = ["branch_id", "name", "id"]
        indexes = [models.Index(fields=["branch", "left_on"])]

    def __str__(self) -> str:
        return self.name

    @property
    def has_left(self) -> bool:
        return self.left_on is not None

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.birth_year is not None and not 1900 <= self.birth_year <= dt.date.today().year:
            errors["birth_year"] = MSG_BIRTH_YEAR
        if self.left_on and not self.leave_reason:
            errors["leave_reason"] = MSG_LEFT_REASON
        if self.left_on and self.joined_on and self.left_on < self.joined_on:
            errors["left_on"] = MSG_LEFT_BEFORE_JOINED
        if errors:
            raise ValidationError(errors)


class PostKind(models.Model):
    """One kind of post of the county's list (政策宣传岗, 环境卫生岗…): data, edited by the county."""

    county = models.ForeignKey("villages.Region", verbose_name="县", on_delete=models.PROTECT, related_name="+")
    name = models.CharField("岗位名称", max_length=30)
    order = models.PositiveSmallIntegerField("排序", default=0)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "党员岗位类型"
        verbose_name_plural = "党员岗位类型"
        ordering = ["county_id", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["county", "name"], name="post_kind_unique_per_county")]

    def __str__(self) -> str:
        return self.name


class MemberPost(Tracked):
    """设岗定责: a post held by a 无职 member, with its duty, from a date until a date."""

    member = models.ForeignKey(Member, verbose_name="党员", on_delete=models.PROTECT, related_name="posts")
    kind = models.ForeignKey(PostKind, verbose_name="岗位", on_delete=models.PROTECT, related_name="+")
    duty = models.CharField("岗位职责", max_length=200)
    started_on = models.DateField("上岗日期")
    ended_on = models.DateField("离岗日期", null=True, blank=True)

    class Meta:
        verbose_name = "党员岗位"
        verbose_name_plural = "党员岗位"
        ordering = ["-started_on", "-id"]

    def __str__(self) -> str:
        return f"{self.member}：{self.kind}"

    def clean(self) -> None:
        if self.ended_on and self.started_on and self.ended_on < self.started_on:
            raise ValidationError({"ended_on": MSG_POST_DATES})


class DutyLog(models.Model):
    """One day's work on a post (履职记录): the points item "post with duty logs" counts them."""

    post = models.ForeignKey(MemberPost, verbose_name="岗位", on_delete=models.CASCADE, related_name="logs")
    date = models.DateField("日期")
    note = models.CharField("履职内容", max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="填报人", on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = "履职记录"
        verbose_name_plural = "履职记录"
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["date"])]

    def __str__(self) -> str:
        return f"{self.date} {self.note}"


class PledgeOutcome(models.TextChoices):
    KEPT = "kept", "已践诺"
    NOT_KEPT = "not_kept", "未践诺"


class Pledge(Tracked):
    """承诺践诺: one yearly pledge of a member; the branch confirms the outcome at year end."""

    member = models.ForeignKey(Member, verbose_name="党员", on_delete=models.PROTECT, related_name="pledges")
    year = models.PositiveSmallIntegerField("年度")
    text = models.CharField("承诺内容", max_length=200)
    made_on = models.DateField("承诺日期")
    outcome = models.CharField("年终践诺", max_length=10, choices=PledgeOutcome.choices, blank=True)
    confirmed_on = models.DateField("支部确认日期", null=True, blank=True)

    class Meta:
        verbose_name = "党员承诺"
        verbose_name_plural = "党员承诺"
        ordering = ["-year", "-id"]
        indexes = [models.Index(fields=["year"])]

    def __str__(self) -> str:
        return f"{self.year}年：{self.text}"


class PledgeProgress(models.Model):
    """A quarter's progress on a pledge: on track (按进度推进) or behind."""

    pledge = models.ForeignKey(Pledge, verbose_name="承诺", on_delete=models.CASCADE, related_name="progress")
    quarter = models.PositiveSmallIntegerField("季度")
    on_track = models.BooleanField("按进度推进", default=True)
    note = models.CharField("进展情况", max_length=200)
    reported_on = models.DateField("报告日期")

    class Meta:
        verbose_name = "承诺进展"
        verbose_name_plural = "承诺进展"
        ordering = ["pledge_id", "quarter"]
        constraints = [models.UniqueConstraint(fields=["pledge", "quarter"], name="pledge_progress_once_a_quarter")]

    def __str__(self) -> str:
        return f"第{self.quarter}季度：{self.note}"

    def clean(self) -> None:
        if self.quarter is not None and not 1 <= self.quarter <= 4:
            raise ValidationError({"quarter": MSG_QUARTER})


class LinkedHousehold(Tracked):
    """联户: a household a member links with (党员联户 / 包户)."""

    member = models.ForeignKey(Member, verbose_name="党员", on_delete=models.PROTECT, related_name="households")
    head_name = models.CharField("户主姓名", max_length=40)
    group = models.CharField("村民小组", max_length=40, blank=True)
    people = models.PositiveSmallIntegerField("户人口数", default=1)
    since = models.DateField("联系起始日期")
    until = models.DateField("联系结束日期", null=True, blank=True)

    class Meta:
        verbose_name = "联系户"
        verbose_name_plural = "联系户"
        ordering = ["member_id", "id"]

    def __str__(self) -> str:
        return self.head_name


class HouseholdVisit(models.Model):
    household = models.ForeignKey(LinkedHousehold, verbose_name="联系户", on_delete=models.CASCADE,
                                  related_name="visits")
    date = models.DateField("走访日期")
    note = models.CharField("走访情况", max_length=200)

    class Meta:
        verbose_name = "联户走访"
        verbose_name_plural = "联户走访"
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["date"])]

    def __str__(self) -> str:
        return f"{self.date} {self.note}"


class ContactWay(models.TextChoices):
    PHONE = "phone", "电话"
    MESSAGE = "message", "微信或短信"
    VISIT = "visit", "见面"
    OTHER = "other", "其他"


class ContactRecord(models.Model):
    """流动党员联系: one contact with a member working away."""

    member = models.ForeignKey(Member, verbose_name="党员", on_delete=models.PROTECT, related_name="contacts")
    date = models.DateField("联系日期")
    way = models.CharField("联系方式", max_length=10, choices=ContactWay.choices)
    by_name = models.CharField("联系人", max_length=40)
    note = models.CharField("联系情况", max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="填报人", on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = "流动党员联系记录"
        verbose_name_plural = "流动党员联系记录"
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["date"])]

    def __str__(self) -> str:
        return f"{self.date} {self.get_way_display()}"


class CareVisit(models.Model):
    """帮扶关爱: a visit to an old or frail member."""

    member = models.ForeignKey(Member, verbose_name="党员", on_delete=models.PROTECT, related_name="care_visits")
    date = models.DateField("走访日期")
    visitor = models.CharField("走访人", max_length=40)
    note = models.CharField("关爱情况", max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="填报人", on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = "关爱走访"
        verbose_name_plural = "关爱走访"
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.date} {self.visitor}"


class Recognition(models.Model):
    """A recognition the member's family or the member earned (好家风, 示范户…), one points item."""

    member = models.ForeignKey(Member, verbose_name="党员", on_delete=models.PROTECT, related_name="recognitions")
    date = models.DateField("日期")
    title = models.CharField("荣誉名称", max_length=60, default="好家风")

    class Meta:
        verbose_name = "好家风等表彰"
        verbose_name_plural = "好家风等表彰"
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.date} {self.title}"


class MeetingAttendance(models.Model):
    """The roll of one organisational-life meeting: each member present or absent (excused or
    not). Only meetings with a roll give members points or deductions."""

    meeting = models.ForeignKey("branches.Meeting", verbose_name="会议", on_delete=models.CASCADE,
                                related_name="roll")
    member = models.ForeignKey(Member, verbose_name="党员", on_delete=models.PROTECT, related_name="attendance")
    present = models.BooleanField("出席", default=True)
    excused = models.BooleanField("请假", default=False)

    class Meta:
        verbose_name = "会议出席"
        verbose_name_plural = "会议出席"
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="attendance_once_per_meeting")]

    def __str__(self) -> str:
        return "出席" if self.present else ("请假" if self.excused else "缺席")


class PointsSource(models.TextChoices):
    """What a points item counts in a month (each a kind of record above)."""

    ATTENDANCE = "attendance", "参加三会一课、主题党日"
    DUTY_LOG = "duty_log", "设岗定责履职"
    PLEDGE_KEPT = "pledge_kept", "承诺已践诺"
    HOUSEHOLD_VISIT = "household_visit", "联户走访"
    RECOGNITION = "recognition", "好家风等表彰"
    MISSED_MEETING = "missed_meeting", "无故缺席组织生活（扣分）"


class PointsItem(models.Model):
    """One item of a county's points scheme (党员积分): points per counted record, a monthly cap
    (absolute: a deduction's cap bounds how much it takes). Deductions carry negative points."""

    county = models.ForeignKey("villages.Region", verbose_name="县", on_delete=models.PROTECT, related_name="+")
    source = models.CharField("积分项目", max_length=20, choices=PointsSource.choices)
    points = models.DecimalField("每次分值", max_digits=5, decimal_places=2)
    monthly_cap = models.DecimalField("每月上限", max_digits=6, decimal_places=2)

    class Meta:
        verbose_name = "党员积分项目"
        verbose_name_plural = "党员积分项目"
        ordering = ["county_id", "source"]
        constraints = [models.UniqueConstraint(fields=["county", "source"], name="points_item_unique_per_county")]

    def __str__(self) -> str:
        return self.get_source_display()
