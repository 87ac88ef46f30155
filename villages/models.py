"""The administrative tree: province → city → county → township → village/community.

A region's subtree is every region whose 12-digit statistical division code starts with its
prefix (docs/architecture.md, "The region tree"), so scope filters are one indexed `code__startswith`.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import models

CODE_RE = re.compile(r"^\d{12}$")

# How many leading digits identify a region of each level (2 province, 2 city, 2 county,
# 3 township, 3 village).
PREFIX_LENGTH = {"province": 2, "city": 4, "county": 6, "township": 9, "village": 12}

MSG_CODE_FORMAT = "区划代码必须是12位数字"
MSG_CODE_LEVEL = "区划代码与层级不符：{level}的代码应为前{length}位有效、其余位为0"
MSG_CODE_PARENT = "区划代码与上级不符：应以上级代码前缀“{prefix}”开头"
MSG_PARENT_LEVEL = "上级区划层级不正确：{level}的上级应为{parent_level}"
MSG_CODE_DUPLICATE = "区划代码“{code}”已存在"
MSG_KIND_ONLY_VILLAGE = "只有村（社区）一级区分农村与城市社区"


class Level(models.TextChoices):
    PROVINCE = "province", "省"
    CITY = "city", "市"
    COUNTY = "county", "县（区）"
    TOWNSHIP = "township", "乡镇（街道）"
    VILLAGE = "village", "村（社区）"


PARENT_LEVEL = {
    Level.CITY: Level.PROVINCE,
    Level.COUNTY: Level.CITY,
    Level.TOWNSHIP: Level.COUNTY,
    Level.VILLAGE: Level.TOWNSHIP,
}


class Kind(models.TextChoices):
    RURAL = "rural", "行政村"
    URBAN = "urban", "城市社区"


class RegionQuerySet(models.QuerySet):
    def within(self, prefixes) -> RegionQuerySet:
        """Regions in the subtree of any of the given division-code prefixes."""
        prefixes = list(prefixes)
        if not prefixes:
            return self.none()
        condition = models.Q()
        for prefix in prefixes:
            condition |= models.Q(code__startswith=prefix)
        return self.filter(condition)

    def villages(self) -> RegionQuerySet:
        return self.filter(level=Level.VILLAGE)

    def townships(self) -> RegionQuerySet:
        return self.filter(level=Level.TOWNSHIP)

    def counties(self) -> RegionQuerySet:
        return self.filter(level=Level.COUNTY)


def validate_code_format(code: str) -> None:
    if not CODE_RE.match(code or ""):
        raise ValidationError(MSG_CODE_FORMAT, code="code_format")


class Region(models.Model):
    code = models.CharField(
        "区划代码", max_length=12, unique=True, validators=[validate_code_format],
        error_messages={"unique": "该区划代码已存在"},
    )
    name = models.CharField("名称", max_length=60)
    level = models.CharField("层级", max_length=10, choices=Level.choices, db_index=True)
    kind = models.CharField(
        "类别", max_length=10, choices=Kind.choices, blank=True, default="",
        help_text="村一级：行政村或城市社区，两类分别评星、分别排名",
    )
    parent = models.ForeignKey(
        "self", verbose_name="上级", on_delete=models.PROTECT, null=True, blank=True,
        related_name="children",
    )
    households = models.PositiveIntegerField("户数", null=True, blank=True)
    population = models.PositiveIntegerField("人口", null=True, blank=True)
    area_km2 = models.DecimalField("面积（平方公里）", max_digits=9, decimal_places=2, null=True, blank=True)
    natural_villages = models.PositiveSmallIntegerField("自然村数", null=True, blank=True)
    cultivated_mu = models.DecimalField("耕地面积（亩）", max_digits=10, decimal_places=1, null=True, blank=True)
    address = models.CharField("地址", max_length=200, blank=True)
    contact_phone = models.CharField("联系电话", max_length=30, blank=True)
    is_active = models.BooleanField("有效", default=True)
    # A county's first month on the portal (the first day of that month): nothing is warned,
    # ranked, published or charted for a month before it, since nothing was recorded then.
    start_month = models.DateField("起始月份", null=True, blank=True,
                                   help_text="县（区）开始使用本平台的月份；此前各月不预警、不排名、不发通报")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = "行政区划"
        verbose_name_plural = "行政区划"
        ordering = ["code"]
        indexes = [
            models.Index(fields=["level", "code"]),
            models.Index(fields=["parent", "code"]),
            # Subtree filters are `code LIKE 'prefix%'`; PostgreSQL uses an index for that only
            # with the pattern operator class (ignored on SQLite, whose LIKE index rules differ).
            models.Index(fields=["code"], name="region_code_prefix", opclasses=["varchar_pattern_ops"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="") | models.Q(level="village"), name="region_kind_only_village"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def prefix(self) -> str:
        """The leading digits that every region of this subtree shares."""
        return self.code[: PREFIX_LENGTH[self.level]]

    @property
    def is_county(self) -> bool:
        return self.level == Level.COUNTY

    @property
    def is_township(self) -> bool:
        return self.level == Level.TOWNSHIP

    @property
    def is_village(self) -> bool:
        return self.level == Level.VILLAGE

    @property
    def is_urban(self) -> bool:
        return self.kind == Kind.URBAN

    @property
    def township_code(self) -> str:
        return self.code[:9] + "000"

    @property
    def county_code(self) -> str:
        return self.code[:6] + "000000"

    @property
    def start_words(self) -> str:
        """"自2026年12月起" for a county with a start month, else ""."""
        start = self.start_month
        return f"自{start.year}年{start.month}月起" if start else ""

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        code = self.code or ""
        if not CODE_RE.match(code):
            errors.setdefault("code", []).append(MSG_CODE_FORMAT)
        elif self.level in PREFIX_LENGTH:
            length = PREFIX_LENGTH[self.level]
            rest = code[length:]
            significant = code[PREFIX_LENGTH.get(self._previous_level(), 0):length]
            if (rest and set(rest) != {"0"}) or set(significant) == {"0"}:
                errors.setdefault("code", []).append(
                    MSG_CODE_LEVEL.format(level=self.get_level_display(), length=length)
                )
        if self.level != Level.VILLAGE and self.kind:
            errors.setdefault("kind", []).append(MSG_KIND_ONLY_VILLAGE)
        if self.level == Level.VILLAGE and not self.kind:
            self.kind = Kind.RURAL
        expected_parent = PARENT_LEVEL.get(self.level)
        if self.parent_id and expected_parent:
            parent = self.parent
            # Counties may hang directly under a province-less root in a one-county install.
            if parent.level != expected_parent:
                errors.setdefault("parent", []).append(
                    MSG_PARENT_LEVEL.format(
                        level=self.get_level_display(), parent_level=Level(expected_parent).label
                    )
                )
            elif CODE_RE.match(code) and not code.startswith(parent.prefix):
                errors.setdefault("code", []).append(MSG_CODE_PARENT.format(prefix=parent.prefix))
        elif expected_parent and self.level in (Level.TOWNSHIP, Level.VILLAGE):
            errors.setdefault("parent", []).append(
                MSG_PARENT_LEVEL.format(level=self.get_level_display(), parent_level=Level(expected_parent).label)
            )
        if errors:
            raise ValidationError(errors)

    def _previous_level(self) -> str:
        order = list(PREFIX_LENGTH)
        index = order.index(self.level)
        return order[index - 1] if index else ""
