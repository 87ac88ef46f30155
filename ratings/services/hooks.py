"""Where the ledger workflow hands over to the scoring engine."""

from __future__ import annotations

from django.db import transaction


def after_ledger_approved(*, village_ids: list[int], year: int, month: int) -> None:
    """Recompute the live view of these villages once the approval is committed (coalesced)."""
    from ..tasks import enqueue_recompute

    transaction.on_commit(lambda: enqueue_recompute(village_ids=village_ids, year=year, month=month))
