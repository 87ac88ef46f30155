"""Income entry through the services: a year is entered whole or by month, never both; the
year's row is always the sum of its months; who entered and changed it is kept."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from projects.models import (
    MSG_OPERATING_ABOVE_TOTAL,
    CollectiveIncome,
    CollectiveIncomeMonth,
    IncomeBand,
    IncomeSource,
)
from projects.services import (
    CREATED,
    MSG_MONTHLY_YEAR_DELETE,
    UNCHANGED,
    UPDATED,
    income_month_delete,
    income_month_save,
    income_year_delete,
    income_year_save,
)


def test_months_sum_into_the_year_and_its_band(village, township_clerk):
    for month, total in ((1, "30000"), (2, "25000"), (3, "50000")):
        income_month_save(village=village, year=2026, month=month, total=D(total), operating=D(total) / 2,
                          by=township_clerk)
    income = CollectiveIncome.objects.get(village=village, year=2026)
    assert (income.total, income.operating, income.source) == (D(105000), D(52500), IncomeSource.MONTHLY)
    assert income.band == IncomeBand.TEN
    assert income.updated_by == township_clerk and income.created_by == township_clerk


def test_correcting_and_deleting_a_month_resums_the_year(village, township_clerk, county_admin):
    row, outcome = income_month_save(village=village, year=2026, month=1, total=D(100), operating=D(10), by=township_clerk)
    income_month_save(village=village, year=2026, month=2, total=D(200), operating=D(20), by=township_clerk)
    assert outcome == CREATED
    _, outcome = income_month_save(village=village, year=2026, month=1, total=D(150), operating=D(10), by=county_admin)
    assert outcome == UPDATED
    row.refresh_from_db()
    assert (row.created_by, row.updated_by) == (township_clerk, county_admin)
    assert CollectiveIncome.objects.get(village=village, year=2026).total == D(350)
    _, outcome = income_month_save(village=village, year=2026, month=1, total=D(150), operating=D(10), by=county_admin)
    assert outcome == UNCHANGED
    income_month_delete(row=CollectiveIncomeMonth.objects.get(village=village, month=2), by=township_clerk)
    assert CollectiveIncome.objects.get(village=village, year=2026).total == D(150)
    income_month_delete(row=CollectiveIncomeMonth.objects.get(village=village, month=1), by=township_clerk)
    assert not CollectiveIncome.objects.filter(village=village).exists()


def test_a_year_with_months_refuses_a_yearly_figure(village, township_clerk):
    income_month_save(village=village, year=2026, month=1, total=D(100), operating=D(10), by=township_clerk)
    with pytest.raises(ValidationError, match="已按月填报"):
        income_year_save(village=village, year=2026, total=D(999), operating=D(0), by=township_clerk)
    assert CollectiveIncome.objects.get(village=village, year=2026).total == D(100)
    with pytest.raises(ValidationError, match=MSG_MONTHLY_YEAR_DELETE):
        income_year_delete(income=CollectiveIncome.objects.get(village=village), by=township_clerk)


def test_a_year_entered_whole_refuses_months(village, township_clerk):
    income_year_save(village=village, year=2025, total=D(80000), operating=D(30000), by=township_clerk)
    with pytest.raises(ValidationError, match="已按年度填报"):
        income_month_save(village=village, year=2025, month=3, total=D(1), operating=D(0), by=township_clerk)
    assert not CollectiveIncomeMonth.objects.exists()
    income_year_delete(income=CollectiveIncome.objects.get(village=village), by=township_clerk)
    income_month_save(village=village, year=2025, month=3, total=D(1), operating=D(0), by=township_clerk)
    assert CollectiveIncome.objects.get(village=village).source == IncomeSource.MONTHLY


def test_yearly_figure_records_who_entered_and_changed_it(village, township_clerk, county_admin):
    income, outcome = income_year_save(village=village, year=2025, total=D(100), operating=D(50), by=township_clerk)
    assert outcome == CREATED
    income, outcome = income_year_save(village=village, year=2025, total=D(120), operating=D(50), by=county_admin)
    assert outcome == UPDATED
    income.refresh_from_db()
    assert (income.created_by, income.updated_by, income.total) == (township_clerk, county_admin, D(120))
    assert income.created_at is not None and income.updated_at >= income.created_at


def test_operating_above_total_is_refused(village, township_clerk):
    with pytest.raises(ValidationError, match=MSG_OPERATING_ABOVE_TOTAL):
        income_year_save(village=village, year=2025, total=D(100), operating=D(101), by=township_clerk)
    with pytest.raises(ValidationError, match=MSG_OPERATING_ABOVE_TOTAL):
        income_month_save(village=village, year=2025, month=1, total=D(100), operating=D(101), by=township_clerk)
    assert not CollectiveIncome.objects.exists() and not CollectiveIncomeMonth.objects.exists()


def test_other_township_and_read_only_roles_are_refused(village, other_township_clerk, village_secretary):
    for user in (other_township_clerk, village_secretary):
        with pytest.raises(PermissionDenied):
            income_month_save(village=village, year=2026, month=1, total=D(1), operating=D(0), by=user)
        with pytest.raises(PermissionDenied):
            income_year_save(village=village, year=2026, total=D(1), operating=D(0), by=user)
    assert not CollectiveIncome.objects.exists()
