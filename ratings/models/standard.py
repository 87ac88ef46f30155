"""The rating standard as data: one Standard per year and kind, five Stars, their Indicators.

A published standard is read-only: last year's results keep meaning what they meant, and a new
year starts from a copy.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models

from cadres.models import StarCode


class StandardKind(models.TextChoices):
    RURAL = "rural", "农村（行政村）"
    URBAN = "urban", "城市社区"


class StandardStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    PUBLISHED = "published", "已发布"


class Standard(models.Model):
    year = models.PositiveSmallIntegerField("年度")
    kind = models.CharField("适用类别", max_length=10, choices=StandardKind.choices)
    name = models.CharField("标准名称", max_length=100)
    status = models.CharField("状态", max_length=10, choices=StandardStatus.choices, default=StandardStatus.DRAFT)
    prerequisite_from_level = models.PositiveSmallIntegerField(
        "支部过硬星先决条件起始星级", default=1,
        help_text="从该星级起，未获支部过硬星的村不得评定；默认 1，即任何星级都以支部过硬星为前提",
    )
    copied_from = models.ForeignKey(
        "self", verbose_name="复制自", on_delete=models.SET_NULL, null=True, blank=True, related_name="copies"
    )
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发布人", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "评星标准"
        verbose_name_plural = "评星标准"
        ordering = ["-year", "kind"]
        constraints = [models.UniqueConstraint(fields=["year", "kind"], name="standard_one_per_year_kind")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_published(self) -> bool:
        return self.status == StandardStatus.PUBLISHED


class Star(models.Model):
    standard = models.ForeignKey(Standard, verbose_name="标准", on_delete=models.CASCADE, related_name="stars")
    code = models.CharField("星代码", max_length=10, choices=StarCode.choices)
    name = models.CharField("星名称", max_length=20, help_text="城市社区的星名与农村不同，如“宜业兴业星”")
    lead_department = models.CharField("牵头部门", max_length=60)
    order = models.PositiveSmallIntegerField("排序", default=0)
    pass_mark = models.DecimalField("达标分", max_digits=6, decimal_places=2, default=Decimal("80"))
    max_score = models.DecimalField("满分", max_digits=6, decimal_places=2, default=Decimal("100"))
    is_prerequisite = models.BooleanField("先决条件星", default=False)

    class Meta:
        verbose_name = "星"
        verbose_name_plural = "星"
        ordering = ["standard_id", "order"]
        constraints = [models.UniqueConstraint(fields=["standard", "code"], name="star_code_unique_in_standard")]

    def __str__(self) -> str:
        return self.name


class Source(models.TextChoices):
    LEDGER = "ledger", "台账填报"
    PROVIDER = "provider", "系统数据（自动计算）"


class ValueType(models.TextChoices):
    NUMBER = "number", "数值"
    PERCENT = "percent", "百分比"
    BOOLEAN = "boolean", "是/否"
    COUNT = "count", "次数/个数"
    TEXT = "text", "文字"


class Aggregation(models.TextChoices):
    LATEST = "latest", "取最新一期"
    SUM = "sum", "累计求和"
    MAX = "max", "取最大值"
    COUNT = "count", "累计次数"


class Frequency(models.TextChoices):
    MONTHLY = "monthly", "每月"
    QUARTERLY = "quarterly", "每季度"
    YEARLY = "yearly", "每年"

    @classmethod
    def due_in(cls, month: int) -> list[str]:
        """Frequencies whose ledger is due in this month: quarterly ones only at a quarter's end.
        A yearly figure may be entered (and updated) any month, so it counts as due every month."""
        return [cls.MONTHLY, cls.YEARLY, *([cls.QUARTERLY] if month % 3 == 0 else [])]


class Rule(models.TextChoices):
    PASS_FAIL = "pass_fail", "达标/不达标"
    THRESHOLD = "threshold", "阈值"
    BANDED = "banded", "分档计分"
    RATIO = "ratio", "按比例计分"
    DEDUCTION = "deduction", "按次扣分"
    VETO = "veto", "一票否决"


class Direction(models.TextChoices):
    HIGHER = "higher", "越高越好"
    LOWER = "lower", "越低越好"


class Indicator(models.Model):
    star = models.ForeignKey(Star, verbose_name="星", on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField("指标代码", max_length=40, help_text="在同一标准内唯一，如 branch.life_meetings")
    name = models.CharField("指标名称", max_length=100)
    guidance = models.TextField("填报说明", blank=True)
    source = models.CharField("数据来源", max_length=10, choices=Source.choices, default=Source.LEDGER)
    provider = models.CharField("系统数据来源", max_length=60, blank=True, help_text="数据来源为系统数据时的提供者名称")
    value_type = models.CharField("值类型", max_length=10, choices=ValueType.choices, default=ValueType.NUMBER)
    unit = models.CharField("单位", max_length=20, blank=True)
    min_value = models.DecimalField("最小值", max_digits=16, decimal_places=4, null=True, blank=True)
    max_value = models.DecimalField("最大值", max_digits=16, decimal_places=4, null=True, blank=True)
    aggregation = models.CharField("多期合并方式", max_length=10, choices=Aggregation.choices, default=Aggregation.LATEST)
    frequency = models.CharField("填报频次", max_length=10, choices=Frequency.choices, default=Frequency.MONTHLY)
    rule = models.CharField("计分规则", max_length=10, choices=Rule.choices)
    params = models.JSONField("规则参数", default=dict, blank=True)
    direction = models.CharField("方向", max_length=10, choices=Direction.choices, default=Direction.HIGHER)
    points = models.DecimalField(
        "分值", max_digits=6, decimal_places=2, default=Decimal("0"), validators=[MinValueValidator(Decimal(0))]
    )
    required = models.BooleanField("必达指标", default=False)
    evidence_required = models.BooleanField("须附佐证材料", default=False)
    # An incident count of 0 (no breach, no petition) has nothing to prove: such an indicator
    # asks for evidence only when an event is reported.
    evidence_only_nonzero = models.BooleanField(
        "仅数值不为零时须附佐证", default=False, help_text="勾选后，数值为0（如未发生事件）时无需上传佐证材料")
    order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "指标"
        verbose_name_plural = "指标"
        ordering = ["star__order", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["star", "code"], name="indicator_code_unique_in_star")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_ledger(self) -> bool:
        return self.source == Source.LEDGER

    def needs_evidence(self, value) -> bool:
        """Whether an entry of this value needs an evidence file before it is submitted."""
        if not self.evidence_required:
            return False
        return not (self.evidence_only_nonzero and value is not None and value == 0)

    @property
    def rule_words(self) -> str:
        """The scoring rule in a sentence, as the editor preview and the explain page show it."""
        p = self.params or {}
        words = {
            Rule.PASS_FAIL: "达标得满分，否则0分",
            Rule.THRESHOLD: f"达到{p.get('threshold')}得满分，否则0分",
            Rule.BANDED: "；".join(f"达{b}得{pt}分" for b, pt in p.get("bands", [])),
            Rule.RATIO: f"按完成目标{p.get('target')}的比例计分",
            Rule.DEDUCTION: f"每发生一次扣{p.get('per_event')}分，扣完为止",
            Rule.VETO: "发生即一票否决本星",
        }.get(self.rule, "")
        if self.direction == Direction.LOWER and self.rule in (Rule.THRESHOLD, Rule.RATIO, Rule.BANDED):
            words += "（越低越好）"
        return words
