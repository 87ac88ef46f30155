"""Fixing the ledger and recomputing closes the task item the gap made (real engine)."""

import pytest

from ratings.campaign.services.checklist import checklist_regenerate
from ratings.models import ChecklistItem, Indicator, LedgerEntry, Source, TargetLevel
from ratings.services.scoring import recompute

from .scoring_helpers import fill_ledgers, full_marks, make_villages


def test_fixing_the_ledger_value_and_recomputing_closes_the_item(township, standard, township_clerk, this_month):
    year, month = this_month
    (village,) = make_villages(township, 1)
    weak = (Indicator.objects.filter(star__standard=standard, star__code="industry", source=Source.LEDGER)
            .exclude(rule__in=["veto", "deduction"]).order_by("pk").first())
    assert weak is not None
    TargetLevel.objects.create(village=village, year=year, level=5, target_stars=["industry"])

    def value_for(v, indicator):
        return None if indicator.pk == weak.pk else full_marks(indicator)

    fill_ledgers([village], township_clerk, year, month, value_for=value_for)
    recompute(year=year, month=month, village_ids=[village.pk])
    checklist_regenerate(village_ids=[village.pk], year=year, month=month)
    item = ChecklistItem.objects.get(village=village, indicator_code=weak.code)
    assert item.status == "open" and item.gap["month"] == month

    fill_ledgers([village], township_clerk, year, month,
                 value_for=lambda v, indicator: full_marks(indicator) if indicator.pk == weak.pk else None)
    assert LedgerEntry.objects.filter(village=village, indicator=weak).exists()
    recompute(year=year, month=month, village_ids=[village.pk])
    checklist_regenerate(village_ids=[village.pk], year=year, month=month)
    item.refresh_from_db()
    assert item.status == "closed"
    assert not ChecklistItem.objects.filter(village=village, status="open", indicator_code=weak.code).exists()


pytestmark = pytest.mark.django_db


def test_a_veto_that_has_not_fired_makes_no_task_but_one_that_fired_does(standard, village, township_clerk,
                                                                          this_month):
    """Vetoes are entered only when an event happens: no value asks nothing of the village."""
    from ratings.campaign.services.checklist import checklist_regenerate
    from ratings.models import ChecklistItem, Indicator, Rule, Source, TargetLevel
    from ratings.services.scoring import recompute

    year, month = this_month
    veto = Indicator.objects.filter(star__standard=standard, star__code="branch", rule=Rule.VETO,
                                    source=Source.LEDGER).first()
    TargetLevel.objects.create(village=village, year=year, level=1, target_stars=["branch"])
    recompute(year=year, month=month, village_ids=[village.pk])
    checklist_regenerate(village_ids=[village.pk], year=year, month=month)
    codes = set(ChecklistItem.objects.values_list("indicator_code", flat=True))
    assert codes and veto.code not in codes
    LedgerEntry.objects.create(village=village, indicator=veto, year=year, month=month, value=1,
                               status="approved", entered_by=township_clerk)
    recompute(year=year, month=month, village_ids=[village.pk])
    checklist_regenerate(village_ids=[village.pk], year=year, month=month)
    assert ChecklistItem.objects.filter(indicator_code=veto.code, status="open").exists()
