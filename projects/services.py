"""Everything that changes collective-economy records: one function per use case.

Each function checks that `by` may change the village's records (projects.access), validates
the row with the model's own rules (Chinese messages) and writes it. Income writes lock the
village row, so two clerks entering months of the same village cannot leave the year's sum
behind one of them.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Sum

from villages.models import Level, Region

from .access import require_edit
from .models import Binding, CollectiveIncome, CollectiveIncomeMonth, Cooperative, IncomeSource, Project

MSG_NOT_VILLAGE = "请选择村（社区）"
MSG_YEAR_HAS_MONTHS = "{village}{year}年的收入已按月填报，年度合计由月度收入自动汇总，不能直接填报年度收入"
MSG_YEAR_ENTERED_WHOLE = "{village}{year}年已按年度填报收入，不能再按月填报；如需按月填报，请先删除该年度收入"
MSG_MONTHLY_YEAR_DELETE = "按月汇总的年度收入不能直接删除，请删除相应的月度收入"

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"


def _village_checked(village: Region, by) -> Region:
    if village is None or village.level != Level.VILLAGE:
        raise ValidationError({"village": MSG_NOT_VILLAGE})
    require_edit(by, village)
    return village


def _apply(instance, fields: dict):
    for name, value in fields.items():
        setattr(instance, name, value)
    instance.full_clean()
    instance.save()
    return instance


# --- projects, cooperatives, bindings ------------------------------------------------------


@transaction.atomic
def project_create(*, by, village: Region, **fields) -> Project:
    _village_checked(village, by)
    return _apply(Project(village=village), fields)


@transaction.atomic
def project_update(*, project: Project, by, **fields) -> Project:
    require_edit(by, project.village)
    _village_checked(fields.get("village", project.village), by)
    return _apply(project, fields)


def project_delete(*, project: Project, by) -> None:
    require_edit(by, project.village)
    project.delete()


@transaction.atomic
def cooperative_create(*, by, village: Region, **fields) -> Cooperative:
    _village_checked(village, by)
    return _apply(Cooperative(village=village), fields)


@transaction.atomic
def cooperative_update(*, cooperative: Cooperative, by, **fields) -> Cooperative:
    require_edit(by, cooperative.village)
    _village_checked(fields.get("village", cooperative.village), by)
    return _apply(cooperative, fields)


def cooperative_delete(*, cooperative: Cooperative, by) -> None:
    """Deletes the cooperative with its bindings (the page says so before asking)."""
    require_edit(by, cooperative.village)
    cooperative.delete()


@transaction.atomic
def binding_create(*, by, cooperative: Cooperative, **fields) -> Binding:
    require_edit(by, cooperative.village)
    return _apply(Binding(cooperative=cooperative), fields)


@transaction.atomic
def binding_update(*, binding: Binding, by, **fields) -> Binding:
    require_edit(by, binding.cooperative.village)
    if "cooperative" in fields:
        require_edit(by, fields["cooperative"].village)
    return _apply(binding, fields)


def binding_delete(*, binding: Binding, by) -> None:
    require_edit(by, binding.cooperative.village)
    binding.delete()


# --- income ----------------------------------------------------------------------------------


def _lock_village(village: Region) -> None:
    Region.objects.select_for_update().filter(pk=village.pk).first()


def _amount(value) -> Decimal:
    return Decimal(value if value is not None else 0)


@transaction.atomic
def income_year_save(*, village: Region, year: int, total: Decimal, operating: Decimal, by, note: str = "",
                     ) -> tuple[CollectiveIncome, str]:
    """Enter (or correct) a year's income as a whole; refused for a year entered by month."""
    _village_checked(village, by)
    _lock_village(village)
    if CollectiveIncomeMonth.objects.filter(village=village, year=year).exists():
        raise ValidationError(MSG_YEAR_HAS_MONTHS.format(village=village.name, year=year))
    income = CollectiveIncome.objects.filter(village=village, year=year).first()
    total, operating = _amount(total), _amount(operating)
    if income is not None and (income.total, income.operating, income.note) == (total, operating, note):
        return income, UNCHANGED
    outcome = CREATED if income is None else UPDATED
    income = income or CollectiveIncome(village=village, year=year, created_by=by)
    _apply(income, {"total": total, "operating": operating, "note": note, "source": IncomeSource.YEARLY,
                    "updated_by": by})
    return income, outcome


@transaction.atomic
def income_year_delete(*, income: CollectiveIncome, by) -> None:
    require_edit(by, income.village)
    if income.source == IncomeSource.MONTHLY:
        raise ValidationError(MSG_MONTHLY_YEAR_DELETE)
    income.delete()


@transaction.atomic
def income_month_save(*, village: Region, year: int, month: int, total: Decimal, operating: Decimal, by,
                      recompute: bool = True) -> tuple[CollectiveIncomeMonth, str]:
    """Enter (or correct) one month's income; the year's row becomes the sum of its months.

    `recompute=False` lets a bulk import sum each touched year once at the end
    (`income_year_recompute`); the caller must then do it inside the same transaction.
    """
    _village_checked(village, by)
    _lock_village(village)
    if CollectiveIncome.objects.filter(village=village, year=year, source=IncomeSource.YEARLY).exists():
        raise ValidationError(MSG_YEAR_ENTERED_WHOLE.format(village=village.name, year=year))
    row = CollectiveIncomeMonth.objects.filter(village=village, year=year, month=month).first()
    total, operating = _amount(total), _amount(operating)
    if row is not None and (row.total, row.operating) == (total, operating):
        return row, UNCHANGED
    outcome = CREATED if row is None else UPDATED
    row = row or CollectiveIncomeMonth(village=village, year=year, month=month, created_by=by)
    _apply(row, {"total": total, "operating": operating, "updated_by": by})
    if recompute:
        income_year_recompute(village=village, year=year, by=by)
    return row, outcome


@transaction.atomic
def income_month_delete(*, row: CollectiveIncomeMonth, by) -> None:
    require_edit(by, row.village)
    _lock_village(row.village)
    village, year = row.village, row.year
    row.delete()
    income_year_recompute(village=village, year=year, by=by)


def income_year_recompute(*, village: Region, year: int, by) -> CollectiveIncome | None:
    """Make the year's row the sum of its months (or remove it when no month is left)."""
    sums = CollectiveIncomeMonth.objects.filter(village=village, year=year).aggregate(
        total=Sum("total"), operating=Sum("operating"), months=Count("id"))
    income = CollectiveIncome.objects.filter(village=village, year=year).first()
    if not sums["months"]:
        if income is not None and income.source == IncomeSource.MONTHLY:
            income.delete()
        return None
    if income is not None and income.source == IncomeSource.YEARLY:
        raise ValidationError(MSG_YEAR_ENTERED_WHOLE.format(village=village.name, year=year))
    income = income or CollectiveIncome(village=village, year=year, created_by=by)
    income.total, income.operating = sums["total"], sums["operating"]
    income.source, income.updated_by = IncomeSource.MONTHLY, by
    income.note = f"由{sums['months']}个月的月度收入汇总"
    income.save()
    return income
