"""Writes to the rating standard: load the defaults, copy a year, edit a draft, publish."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from cadres.models import Role
from cadres.scope import has_role

from ..engine.rules import validate_params
from ..metrics import all_providers
from ..models import Indicator, Source, Standard, StandardKind, StandardStatus, Star
from ..standard_defaults import NONZERO, PASS_MARK, STANDARDS

MSG_PUBLISHED_LOCKED = "标准已发布，不能再修改；如需调整请复制为新年度标准"
MSG_NOT_ORGANISATION = "只有县委组织部可以维护评星标准"
MSG_YEAR_EXISTS = "{year}年的{kind}标准已存在"
MSG_PROVIDER_REQUIRED = "数据来源为系统数据时须选择数据提供者"
MSG_PROVIDER_UNKNOWN = "未知的系统数据提供者：{name}"
MSG_POINTS_TOTAL = "{star}各指标分值合计为{total}，应等于满分{max_score}"
MSG_LEAD_MISSING = "{kind}标准的{star}尚未指定牵头部门：该星的台账无人审核，请先在“修改星”中填写牵头部门再发布"
MSG_CODE_DUPLICATE = "指标代码“{code}”在本标准中已存在"
MSG_PREREQUISITE_LEVEL = "先决条件起始星级应为1至{stars}之间的整数"


def _require_organisation(by) -> None:
    if by is not None and not has_role(by, Role.ORGANISATION):
        raise PermissionDenied(MSG_NOT_ORGANISATION)


def _require_draft(standard: Standard) -> None:
    if standard.is_published:
        raise PermissionDenied(MSG_PUBLISHED_LOCKED)


@transaction.atomic
def standard_load_defaults(*, year: int) -> list[Standard]:
    """Create the rural and the urban standard of `year` from the defaults, published.

    Idempotent: a kind that already has a standard for the year is left as it is.
    """
    created = []
    for kind, (name, stars) in STANDARDS.items():
        if Standard.objects.filter(year=year, kind=kind).exists():
            continue
        standard = Standard.objects.create(
            year=year, kind=kind, name=f"{year}年度{name}", status=StandardStatus.PUBLISHED,
            published_at=timezone.now(),
        )
        for order, (code, star_name, lead, rows) in enumerate(stars, start=1):
            star = Star.objects.create(
                standard=standard, code=code, name=star_name, lead_department=lead, order=order,
                pass_mark=Decimal(PASS_MARK), is_prerequisite=code == "branch",
            )
            Indicator.objects.bulk_create(
                Indicator(
                    star=star, code=f"{code}.{row[0]}", name=row[1], source=row[2], provider=row[3],
                    value_type=row[4], unit=row[5],
                    min_value=None if row[6] is None else Decimal(row[6]),
                    max_value=None if row[7] is None else Decimal(row[7]),
                    aggregation=row[8], frequency=row[9], rule=row[10], params=row[11], direction=row[12],
                    points=Decimal(row[13]), required=row[14], evidence_required=bool(row[15]),
                    evidence_only_nonzero=row[15] == NONZERO, order=index,
                )
                for index, row in enumerate(rows, start=1)
            )
        created.append(standard)
    return created


@transaction.atomic
def standard_copy(*, standard: Standard, year: int, by) -> Standard:
    """Copy a standard (stars and indicators) into a new year, as a draft."""
    _require_organisation(by)
    if Standard.objects.filter(year=year, kind=standard.kind).exists():
        raise ValidationError(MSG_YEAR_EXISTS.format(year=year, kind=StandardKind(standard.kind).label))
    copy = Standard.objects.create(
        year=year, kind=standard.kind, name=standard.name.replace(str(standard.year), str(year)),
        prerequisite_from_level=standard.prerequisite_from_level, copied_from=standard,
    )
    for star in standard.stars.prefetch_related("indicators"):
        indicators = list(star.indicators.all())
        star.pk, star.standard = None, copy
        star.save()
        for indicator in indicators:
            indicator.pk, indicator.star = None, star
        Indicator.objects.bulk_create(indicators)
    return copy


def indicator_validate(indicator: Indicator) -> None:
    """Rule parameters per rule type, the provider, and the code's uniqueness in the standard."""
    errors: dict[str, list[str]] = {}
    messages = validate_params(indicator.rule, indicator.params, indicator.points, indicator.direction)
    if messages:
        errors["params"] = messages
    if indicator.source == Source.PROVIDER:
        if not indicator.provider:
            errors["provider"] = [MSG_PROVIDER_REQUIRED]
        elif indicator.provider not in all_providers():
            errors["provider"] = [MSG_PROVIDER_UNKNOWN.format(name=indicator.provider)]
    clash = Indicator.objects.filter(star__standard_id=indicator.star.standard_id, code=indicator.code)
    if indicator.pk:
        clash = clash.exclude(pk=indicator.pk)
    if clash.exists():
        errors["code"] = [MSG_CODE_DUPLICATE.format(code=indicator.code)]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def indicator_save(*, indicator: Indicator, by) -> Indicator:
    _require_organisation(by)
    _require_draft(indicator.star.standard)
    indicator_validate(indicator)
    indicator.save()
    return indicator


@transaction.atomic
def indicator_delete(*, indicator: Indicator, by) -> None:
    _require_organisation(by)
    _require_draft(indicator.star.standard)
    indicator.delete()


@transaction.atomic
def star_save(*, star: Star, by) -> Star:
    _require_organisation(by)
    _require_draft(star.standard)
    star.full_clean()
    star.save()
    return star


@transaction.atomic
def standard_settings_save(*, standard: Standard, prerequisite_from_level, by) -> Standard:
    """The standard's own settings (the campaign's rules): from which star level the branch star is a
    prerequisite (1: every level; 5: only the fifth star). Drafts only."""
    _require_organisation(by)
    standard = Standard.objects.select_for_update().get(pk=standard.pk)
    _require_draft(standard)
    stars = max(1, standard.stars.count())
    try:
        level = int(str(prerequisite_from_level).strip())
    except (TypeError, ValueError):
        level = 0
    if not 1 <= level <= stars:
        raise ValidationError({"prerequisite_from_level": MSG_PREREQUISITE_LEVEL.format(stars=stars)})
    standard.prerequisite_from_level = level
    standard.save(update_fields=["prerequisite_from_level", "updated_at"])
    return standard


@transaction.atomic
def standard_publish(*, standard: Standard, by) -> Standard:
    """Publish a draft after checking that every star's points add up to its maximum."""
    _require_organisation(by)
    standard = Standard.objects.select_for_update().get(pk=standard.pk)
    _require_draft(standard)
    problems = []
    for star in standard.stars.prefetch_related("indicators"):
        total = sum((i.points for i in star.indicators.all()), Decimal(0))
        if total != star.max_score:
            problems.append(MSG_POINTS_TOTAL.format(star=star.name, total=total, max_score=star.max_score))
        if not star.lead_department.strip():
            # Review routes by the star's lead department in its variant: a community star
            # without one would leave its entries in nobody's queue.
            problems.append(MSG_LEAD_MISSING.format(kind=StandardKind(standard.kind).label, star=star.name))
    if problems:
        raise ValidationError(problems)
    standard.status = StandardStatus.PUBLISHED
    standard.published_at = timezone.now()
    standard.published_by = by
    standard.save(update_fields=["status", "published_at", "published_by", "updated_at"])
    return standard
