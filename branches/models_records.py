"""A branch's organisational life and its public accountability, recorded per village.

三会一课 and 主题党日 are `Meeting`s; 四议两公开 is a `Decision`; 三务公开 is a `Posting`; the
progress of a weak-and-lax branch's rectification is kept as `RectificationUpdate`s. Every
change to one of these records leaves a `RecordEvent` (who, when, what before/after).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

__all__ = [
    "DEFAULT_MEETING_FREQUENCIES", "Decision", "Frequency", "LIFE_MEETING_TYPES", "Meeting", "MeetingType",
    "Posting", "PostingCategory", "RecordEvent", "RectificationUpdate", "meeting_frequencies",
]

MSG_ATTENDANCE_OVER_EXPECTED = "实到人数不能超过应到人数"
MSG_DECISION_STEP_ORDER = "“{step}”的日期不能早于“{previous}”"
MSG_DECISION_STEP_MISSING = "请先填写“{previous}”的日期，再填写“{step}”"
MSG_POSTING_MONTH = "公开所属月份应在 1—12 之间"


class MeetingType(models.TextChoices):
    MEMBERS_MEETING = "members_meeting", "支部党员大会"
    COMMITTEE_MEETING = "committee_meeting", "支部委员会"
    GROUP_MEETING = "group_meeting", "党小组会"
    PARTY_LECTURE = "party_lecture", "党课"
    THEMED_PARTY_DAY = "themed_party_day", "主题党日"


class Frequency(models.TextChoices):
    MONTHLY = "monthly", "每月"
    QUARTERLY = "quarterly", "每季度"


# The campaign's defaults (the campaign's documents on organisational life). A county that
# sets other frequencies overrides them with settings.BRANCH_MEETING_FREQUENCIES.
DEFAULT_MEETING_FREQUENCIES: dict[str, str] = {
    MeetingType.MEMBERS_MEETING: Frequency.QUARTERLY,
    MeetingType.COMMITTEE_MEETING: Frequency.MONTHLY,
    MeetingType.GROUP_MEETING: Frequency.MONTHLY,
    MeetingType.PARTY_LECTURE: Frequency.QUARTERLY,
    MeetingType.THEMED_PARTY_DAY: Frequency.MONTHLY,
}

# 三会一课: the three meetings and the lecture (the themed party day is counted on its own).
LIFE_MEETING_TYPES = (
    MeetingType.MEMBERS_MEETING, MeetingType.COMMITTEE_MEETING, MeetingType.GROUP_MEETING, MeetingType.PARTY_LECTURE,
)


def meeting_frequencies() -> dict[str, str]:
    """The frequency of each meeting type: the defaults, overridden by the settings."""
    overrides = getattr(settings, "BRANCH_MEETING_FREQUENCIES", None) or {}
    frequencies = dict(DEFAULT_MEETING_FREQUENCIES)
    for kind, frequency in overrides.items():
        if kind not in MeetingType.values or frequency not in Frequency.values:
            raise ValueError(f"BRANCH_MEETING_FREQUENCIES: bad entry {kind!r}: {frequency!r}")
        frequencies[kind] = frequency
    return frequencies


class Tracked(models.Model):
    """Who created and last changed a record, and when."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="创建人", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="最后修改人", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField("最后修改时间", auto_now=True)

    class Meta:
        abstract = True


class Meeting(Tracked):
    """One meeting of 三会一课 or one 主题党日, held by a village's branch."""

    village = models.ForeignKey(
        "villages.Region", verbose_name="村（社区）", on_delete=models.PROTECT, related_name="branch_meetings"
    )
    type = models.CharField("类型", max_length=20, choices=MeetingType.choices)
    date = models.DateField("日期")
    topic = models.CharField("主题", max_length=200)
    members_expected = models.PositiveIntegerField("应到人数")
    attendance = models.PositiveIntegerField("实到人数")
    minutes = models.TextField("会议记录", blank=True)
    attachment = models.FileField("记录照片或附件", upload_to="branch_meetings/%Y/%m/", blank=True)

    class Meta:
        verbose_name = "组织生活记录"
        verbose_name_plural = "组织生活记录"
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["village", "date"]), models.Index(fields=["date", "type"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(attendance__lte=models.F("members_expected")),
                                   name="meeting_attendance_within_expected"),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.get_type_display()}：{self.topic}"

    @property
    def attendance_rate(self) -> float | None:
        return round(self.attendance * 100 / self.members_expected, 1) if self.members_expected else None

    def clean(self) -> None:
        if self.attendance is not None and self.members_expected is not None and self.attendance > self.members_expected:
            raise ValidationError({"attendance": MSG_ATTENDANCE_OVER_EXPECTED})


# 四议两公开: the four steps, in order, then the two publications.
DECISION_STEPS = [
    ("proposed_on", "党支部会议提议"),
    ("discussed_on", "“两委”联席会议商议"),
    ("reviewed_on", "党员大会审议"),
    ("resolved_on", "村民代表会议或村民会议决议"),
    ("resolution_published_on", "决议公开"),
    ("result_published_on", "实施结果公开"),
]


class Decision(Tracked):
    """A village matter decided through 四议两公开."""

    village = models.ForeignKey(
        "villages.Region", verbose_name="村（社区）", on_delete=models.PROTECT, related_name="branch_decisions"
    )
    matter = models.CharField("议题", max_length=200)
    proposed_on = models.DateField("党支部会议提议", null=True, blank=True)
    discussed_on = models.DateField("“两委”联席会议商议", null=True, blank=True)
    reviewed_on = models.DateField("党员大会审议", null=True, blank=True)
    resolved_on = models.DateField("村民代表会议决议", null=True, blank=True)
    resolution_published_on = models.DateField("决议公开", null=True, blank=True)
    result_published_on = models.DateField("实施结果公开", null=True, blank=True)
    note = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = "四议两公开"
        verbose_name_plural = "四议两公开"
        ordering = ["-proposed_on", "-id"]
        indexes = [models.Index(fields=["village", "proposed_on"])]

    def __str__(self) -> str:
        return self.matter

    @property
    def steps_done(self) -> int:
        return sum(1 for field, _ in DECISION_STEPS if getattr(self, field))

    @property
    def is_complete(self) -> bool:
        return self.steps_done == len(DECISION_STEPS)

    def clean(self) -> None:
        """Steps go in order: a step needs the previous one, and is not dated before it."""
        errors: dict[str, str] = {}
        previous_field, previous_label = None, None
        for field, label in DECISION_STEPS:
            value = getattr(self, field)
            if previous_field is not None and value:
                before = getattr(self, previous_field)
                if before is None:
                    errors[field] = MSG_DECISION_STEP_MISSING.format(previous=previous_label, step=label)
                elif value < before:
                    errors[field] = MSG_DECISION_STEP_ORDER.format(step=label, previous=previous_label)
            previous_field, previous_label = field, label
        if errors:
            raise ValidationError(errors)


class PostingCategory(models.TextChoices):
    PARTY = "party", "党务公开"
    VILLAGE = "village", "村务公开"
    FINANCIAL = "financial", "财务公开"


class Posting(Tracked):
    """One 三务公开 posting: party, village or financial affairs of a period, on the board."""

    village = models.ForeignKey(
        "villages.Region", verbose_name="村（社区）", on_delete=models.PROTECT, related_name="branch_postings"
    )
    category = models.CharField("公开类别", max_length=12, choices=PostingCategory.choices)
    year = models.PositiveSmallIntegerField("所属年度")
    month = models.PositiveSmallIntegerField("所属月份")
    posted_on = models.DateField("公开日期")
    content = models.TextField("公开内容")
    photo = models.FileField("公开栏照片", upload_to="branch_postings/%Y/%m/", blank=True)

    class Meta:
        verbose_name = "三务公开"
        verbose_name_plural = "三务公开"
        ordering = ["-year", "-month", "category", "-id"]
        indexes = [models.Index(fields=["village", "year", "month"])]

    def __str__(self) -> str:
        return f"{self.year}年{self.month}月{self.get_category_display()}"

    def clean(self) -> None:
        if self.month is not None and not 1 <= self.month <= 12:
            raise ValidationError({"month": MSG_POSTING_MONTH})


class RectificationUpdate(models.Model):
    """One progress report on a rectification; the history is kept, never overwritten."""

    rectification = models.ForeignKey(
        "branches.Rectification", verbose_name="整顿", on_delete=models.CASCADE, related_name="updates"
    )
    date = models.DateField("日期")
    note = models.TextField("进展情况")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="填报人", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField("填报时间", auto_now_add=True)

    class Meta:
        verbose_name = "整顿进展"
        verbose_name_plural = "整顿进展"
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.date} {self.note[:20]}"


class RecordEvent(models.Model):
    """The audit trail of the branch records: who did what to which record, before and after."""

    class Action(models.TextChoices):
        CREATE = "create", "新建"
        UPDATE = "update", "修改"
        DELETE = "delete", "删除"
        PLAN = "plan", "制定整顿方案"
        PROGRESS = "progress", "报告整顿进展"
        ACCEPT = "accept", "验收销号"
        LEAVE = "leave", "党员离开"

    record_type = models.CharField("记录类型", max_length=20)
    record_id = models.PositiveBigIntegerField("记录编号")
    village = models.ForeignKey("villages.Region", verbose_name="村（社区）", on_delete=models.PROTECT, related_name="+")
    action = models.CharField("操作", max_length=10, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField("时间", auto_now_add=True)
    changes = models.JSONField("变更内容", default=dict, blank=True)

    class Meta:
        verbose_name = "组织生活记录变更"
        verbose_name_plural = "组织生活记录变更"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["record_type", "record_id"])]

    def __str__(self) -> str:
        return f"{self.record_type}#{self.record_id} {self.get_action_display()}"
