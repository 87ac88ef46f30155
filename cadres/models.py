"""People and access: the custom user, their posts, first secretaries and work teams."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models

from villages.models import Level, Region

MSG_POST_REGION_LEVEL = "{role}的任职区划应为{level}"
MSG_POST_STAR_REQUIRED = "牵头部门岗位必须指定所牵头的星"
MSG_POST_STAR_FORBIDDEN = "只有牵头部门岗位指定星"
MSG_POST_STAR_KIND = "牵头部门岗位须指明牵头的是行政村的星还是社区的星"
MSG_STAR_KEY_UNKNOWN = "未知的星：{key}"
MSG_TERM_ORDER = "任期结束日期不能早于开始日期"
MSG_FS_VILLAGE_LEVEL = "第一书记只能派驻到村（社区）"
MSG_POST_DATES = "岗位结束日期不能早于开始日期"


class StarCode(models.TextChoices):
    """The five stars; urban communities use the same codes with their own names."""

    BRANCH = "branch", "支部过硬星"
    INDUSTRY = "industry", "产业兴旺星"
    ECOLOGY = "ecology", "生态宜居星"
    SAFETY = "safety", "平安法治星"
    CIVILITY = "civility", "文明幸福星"


# The urban standard's names for the three stars whose rural names do not fit a community.
URBAN_STAR_NAMES = {"industry": "宜业兴业星", "ecology": "共建共享星", "civility": "幸福和谐星"}
# The words a page about a community (or about a rural village) must never use: the other
# variant's own star names.
RURAL_ONLY_STAR_WORDS = ("产业兴旺", "生态宜居", "文明幸福")
URBAN_ONLY_STAR_WORDS = ("宜业兴业", "共建共享", "幸福和谐")


def region_kind(village_or_kind) -> str:
    """"urban" or "rural" for a region (its `kind`), a standard, or a kind given as text."""
    if isinstance(village_or_kind, str):
        return "urban" if village_or_kind == "urban" else "rural"
    return "urban" if getattr(village_or_kind, "kind", "") == "urban" else "rural"


# Each variant's five names by code, built once: a county page names a star per row and column
# (about 1,700 times), and `StarCode.values` builds its list anew at every call.
_RURAL_STAR_NAMES = {code.value: code.label for code in StarCode}
_URBAN_STAR_NAMES = {**_RURAL_STAR_NAMES, **URBAN_STAR_NAMES}


def star_label(code, village_or_kind="rural") -> str:
    """The one way a star is named: the variant of the village's standard decides (a community
    reads 宜业兴业星 where a rural village reads 产业兴旺星). Every page, PDF, Excel, form choice,
    chart and API label names a star through here."""
    code = getattr(code, "code", code)
    names = _URBAN_STAR_NAMES if region_kind(village_or_kind) == "urban" else _RURAL_STAR_NAMES
    return names.get(code) or (code or "—")


def star_choices(village_or_kind="rural") -> list[tuple[str, str]]:
    """A village's five stars, named in its variant, for a form that picks one of them."""
    return [(code, star_label(code, village_or_kind)) for code in StarCode.values]


def star_choices_for_kinds(kinds) -> list[tuple[str, str]]:
    """The five stars for a filter over villages of these kinds: named in the one variant when
    there is one, else with the community's name beside the rural one where they differ."""
    kinds = {region_kind(k) for k in kinds} or {"rural"}
    if len(kinds) == 1:
        return star_choices(next(iter(kinds)))
    return [(code, rural if rural == urban else f"{rural}（社区：{urban}）")
            for code, rural, urban in ((c, star_label(c), star_label(c, "urban")) for c in StarCode.values)]


STAR_KIND_CHOICES = [("rural", "行政村"), ("urban", "城市社区")]


# A post or task force of a lead department names a star with its variant: "industry" is the
# rural 产业兴旺星, "urban:industry" the community's 宜业兴业星 (its key).
def star_key(code: str, kind: str) -> str:
    return f"urban:{code}" if kind == "urban" and code else code


def split_star_key(key: str) -> tuple[str, str]:
    """(kind, code) of a star key; ("", "") for an empty one. Raises ValueError for an unknown."""
    if not key:
        return "", ""
    kind, _, code = key.rpartition(":")
    kind = kind or "rural"
    if kind not in ("rural", "urban") or code not in StarCode.values:
        raise ValueError(MSG_STAR_KEY_UNKNOWN.format(key=key))
    return kind, code


def variant_star_label(code: str, kind: str) -> str:
    """A star with its variant, for a department's post or task force: 宜业兴业星（社区）."""
    return f"{star_label(code, kind)}（{'社区' if kind == 'urban' else '村'}）"


def variant_star_choices() -> list[tuple[str, str]]:
    """The ten stars (five per variant) for a form that picks a star for a department."""
    return [(star_key(code, kind), variant_star_label(code, kind))
            for kind in ("rural", "urban") for code in StarCode.values]


def village_star_display(self) -> str:
    """`get_star_display` of a model with a `village` and a `star` (assigned in its class body,
    where Django leaves it alone): the star named in the village's variant."""
    return star_label(self.star, self.village)


class Role(models.TextChoices):
    ORGANISATION = "organisation", "县委组织部"
    LEAD_DEPARTMENT = "lead_department", "星级牵头部门"
    TOWNSHIP_STAFF = "township_staff", "乡镇专干"
    VILLAGE_SECRETARY = "village_secretary", "村党支部书记"
    FIRST_SECRETARY = "first_secretary", "驻村第一书记"
    # County and township leaders hold a post so that they can sign in, see their region and
    # record their contact visits (包联); they change nothing else.
    COUNTY_LEADER = "county_leader", "县级领导"
    TOWNSHIP_LEADER = "township_leader", "乡镇领导"


# A role's title at a community (社区) where it differs from the village one.
COMMUNITY_ROLE_LABELS = {"village_secretary": "社区党组织书记", "first_secretary": "驻社区第一书记"}

# The level of region each role is posted to.
ROLE_REGION_LEVEL = {
    Role.ORGANISATION: Level.COUNTY,
    Role.LEAD_DEPARTMENT: Level.COUNTY,
    Role.TOWNSHIP_STAFF: Level.TOWNSHIP,
    Role.VILLAGE_SECRETARY: Level.VILLAGE,
    Role.FIRST_SECRETARY: Level.VILLAGE,
    Role.COUNTY_LEADER: Level.COUNTY,
    Role.TOWNSHIP_LEADER: Level.TOWNSHIP,
}


class User(AbstractUser):
    full_name = models.CharField("姓名", max_length=40, blank=True)
    phone = models.CharField("手机号", max_length=20, blank=True)
    organisation = models.CharField("工作单位", max_length=100, blank=True)
    must_change_password = models.BooleanField(
        "须修改密码", default=False, help_text="使用一次性密码登录后，须先修改密码才能使用系统"
    )

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        """The name a page shows: the full name, else the post held, never the login name."""
        from cadres.templatetags.people import person_name

        return person_name(self)


class PostQuerySet(models.QuerySet):
    def active(self) -> PostQuerySet:
        return self.filter(is_active=True)

    def held_on(self, day) -> PostQuerySet:
        """Posts held on `day`: started on or before it (or no start recorded) and not ended
        before it. An ended post without an end date is treated as over for every day."""
        return self.filter(
            models.Q(start_date__isnull=True) | models.Q(start_date__lte=day),
        ).filter(
            models.Q(end_date__gte=day) | models.Q(end_date__isnull=True, is_active=True),
        )


class Post(models.Model):
    """A role held by a user over a region (and a star, for a lead department)."""

    user = models.ForeignKey(User, verbose_name="用户", on_delete=models.CASCADE, related_name="posts")
    role = models.CharField("角色", max_length=20, choices=Role.choices)
    region = models.ForeignKey(Region, verbose_name="区划", on_delete=models.PROTECT, related_name="posts")
    star = models.CharField("牵头星", max_length=10, choices=StarCode.choices, blank=True, default="")
    # The variant of the star a lead department reviews: the community's 宜业兴业星 is led by
    # another department (the urban standard names it) than the rural 产业兴旺星.
    star_kind = models.CharField("牵头星类别", max_length=5, choices=STAR_KIND_CHOICES, blank=True, default="")
    department = models.CharField("部门名称", max_length=60, blank=True, help_text="如：农业农村局、政法委")
    is_active = models.BooleanField("在岗", default=True)
    start_date = models.DateField("任职开始", null=True, blank=True)
    end_date = models.DateField("任职结束", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = PostQuerySet.as_manager()

    class Meta:
        verbose_name = "岗位"
        verbose_name_plural = "岗位"
        ordering = ["user_id", "role"]
        constraints = [
            # Only one running post per user, role, region and star; ended ones stay as history.
            models.UniqueConstraint(
                fields=["user", "role", "region", "star", "star_kind"], condition=models.Q(is_active=True),
                name="post_unique_active_per_user",
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True) | models.Q(start_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="post_dates_order",
            ),
        ]

    def __str__(self) -> str:
        star = f"·{self.get_star_display()}" if self.star else ""
        return f"{self.region.name}{self.get_role_display()}{star}"

    def get_star_display(self) -> str:
        return variant_star_label(self.star, self.star_kind) if self.star else ""

    @property
    def star_key(self) -> str:
        """The star with its variant, as a form or an import names it ("urban:industry")."""
        return star_key(self.star, self.star_kind)

    def get_role_display(self) -> str:
        """The post's title; a community's secretary is 社区党组织书记, not 村党支部书记."""
        if self.region_id and region_kind(self.region) == "urban" and self.role in COMMUNITY_ROLE_LABELS:
            return COMMUNITY_ROLE_LABELS[self.role]
        return Role(self.role).label if self.role in Role.values else self.role

    def clean(self) -> None:
        errors: dict[str, str] = {}
        level = ROLE_REGION_LEVEL.get(self.role)
        if level and self.region_id and self.region.level != level:
            errors["region"] = MSG_POST_REGION_LEVEL.format(
                role=self.get_role_display(), level=Level(level).label
            )
        if self.role == Role.LEAD_DEPARTMENT and not self.star:
            errors["star"] = MSG_POST_STAR_REQUIRED
        if self.role != Role.LEAD_DEPARTMENT and (self.star or self.star_kind):
            errors["star"] = MSG_POST_STAR_FORBIDDEN
        if self.role == Role.LEAD_DEPARTMENT and self.star_kind not in ("rural", "urban"):
            errors["star"] = MSG_POST_STAR_KIND
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = MSG_POST_DATES
        if errors:
            raise ValidationError(errors)


class DispatchLevel(models.TextChoices):
    PROVINCE = "province", "省派"
    CITY = "city", "市派"
    COUNTY = "county", "县派"


class FirstSecretaryStatus(models.TextChoices):
    SERVING = "serving", "在岗"
    RECALLED = "recalled", "召回"
    ENDED = "ended", "期满离任"


class FirstSecretaryQuerySet(models.QuerySet):
    def serving(self) -> FirstSecretaryQuerySet:
        return self.filter(status=FirstSecretaryStatus.SERVING)


class FirstSecretary(models.Model):
    """A first secretary (驻村第一书记) dispatched to a village for a term."""

    user = models.OneToOneField(
        User, verbose_name="登录账号", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="first_secretary",
    )
    name = models.CharField("姓名", max_length=40)
    gender = models.CharField("性别", max_length=2, choices=[("男", "男"), ("女", "女")], blank=True)
    phone = models.CharField("手机号", max_length=20, blank=True)
    dispatch_unit = models.CharField("派出单位", max_length=100)
    dispatch_level = models.CharField("派出层级", max_length=10, choices=DispatchLevel.choices)
    position = models.CharField("原单位职务", max_length=60, blank=True)
    village = models.ForeignKey(
        Region, verbose_name="驻村", on_delete=models.PROTECT, related_name="first_secretaries",
        limit_choices_to={"level": Level.VILLAGE},
    )
    term_start = models.DateField("任期开始")
    term_end = models.DateField("任期结束", null=True, blank=True)
    status = models.CharField(
        "状态", max_length=10, choices=FirstSecretaryStatus.choices, default=FirstSecretaryStatus.SERVING
    )
    recall_reason = models.TextField("召回原因", blank=True)
    recalled_by = models.ForeignKey(
        User, verbose_name="召回人", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recalled_at = models.DateTimeField("召回时间", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = FirstSecretaryQuerySet.as_manager()

    class Meta:
        verbose_name = "驻村第一书记"
        verbose_name_plural = "驻村第一书记"
        ordering = ["village__code", "-term_start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(term_end__isnull=True) | models.Q(term_end__gte=models.F("term_start")),
                name="first_secretary_term_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.village.name}）"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.term_start and self.term_end and self.term_end < self.term_start:
            errors["term_end"] = MSG_TERM_ORDER
        if self.village_id and self.village.level != Level.VILLAGE:
            errors["village"] = MSG_FS_VILLAGE_LEVEL
        if errors:
            raise ValidationError(errors)


class WorkTeamMember(models.Model):
    """A member of the village work team (驻村工作队) led by the first secretary."""

    first_secretary = models.ForeignKey(
        FirstSecretary, verbose_name="第一书记", on_delete=models.CASCADE, related_name="team_members"
    )
    name = models.CharField("姓名", max_length=40)
    unit = models.CharField("派出单位", max_length=100, blank=True)
    role = models.CharField("队内职务", max_length=40, blank=True, default="队员")
    phone = models.CharField("手机号", max_length=20, blank=True)

    class Meta:
        verbose_name = "工作队员"
        verbose_name_plural = "工作队员"
        ordering = ["first_secretary_id", "id"]

    def __str__(self) -> str:
        return self.name
class AccountEvent(models.Model):
    """One change to a login or its posts: who did it, when, and the state before and after."""

    class Action(models.TextChoices):
        CREATE = "create", "创建账号"
        UPDATE = "update", "修改信息"
        POST_ADD = "post_add", "新增岗位"
        POST_END = "post_end", "结束岗位"
        DISABLE = "disable", "停用账号"
        ENABLE = "enable", "启用账号"
        PASSWORD_RESET = "password_reset", "重置密码"
        PASSWORD_CHANGE = "password_change", "本人修改密码"
        IMPORT = "import", "批量导入"

    user = models.ForeignKey(User, verbose_name="账号", on_delete=models.CASCADE, related_name="account_events")
    action = models.CharField("操作", max_length=20, choices=Action.choices)
    actor = models.ForeignKey(
        User, verbose_name="操作人", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        help_text="为空表示由系统命令执行",
    )
    at = models.DateTimeField("时间", auto_now_add=True)
    before = models.JSONField("修改前", default=dict, blank=True)
    after = models.JSONField("修改后", default=dict, blank=True)

    class Meta:
        verbose_name = "账号操作记录"
        verbose_name_plural = "账号操作记录"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["user", "-at"])]

    def __str__(self) -> str:
        return f"{self.user} {self.get_action_display()}"


from .models_duty import *  # noqa: E402,F401,F403
from .models_taskforce import *  # noqa: E402,F401,F403
from .models_work import *  # noqa: E402,F401,F403
