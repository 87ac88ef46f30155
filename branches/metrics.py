"""Metric providers from the branches app (one query each)."""

from __future__ import annotations

from ratings.metrics import metric_provider

from .models import Branch


@metric_provider("weak_lax", "软弱涣散且未整顿验收", "")
def weak_lax(*, village_ids, year, month):
    """True while the branch is listed weak-and-lax (the flag clears on acceptance)."""
    rows = Branch.objects.all()
    if village_ids is not None:
        rows = rows.filter(village_id__in=village_ids)
    return {v: [(month, flag)] for v, flag in rows.values_list("village_id", "is_weak_lax")}
