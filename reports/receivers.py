"""The reports app's answers to what the rating workflow announces (ratings.signals).

Ratings sits below reports and never imports it: a closed month is announced, and its
bulletins are queued here once the close has committed; a reopened month's bulletins are
marked superseded inside the reopening's transaction.
"""

from __future__ import annotations

from django.db import transaction
from django.dispatch import receiver

from ratings.signals import month_closed, month_reopened


@receiver(month_closed, dispatch_uid="reports.bulletins_on_month_closed")
def _bulletins_on_month_closed(sender, *, county, year: int, month: int, **kwargs) -> None:
    from .tasks import generate_bulletins_for_month

    transaction.on_commit(lambda: generate_bulletins_for_month(county.pk, year, month))


@receiver(month_reopened, dispatch_uid="reports.supersede_on_month_reopened")
def _supersede_on_month_reopened(sender, *, county, year: int, month: int, reason: str, at, **kwargs) -> None:
    from .models import Bulletin

    Bulletin.objects.filter(region__code__startswith=county.prefix, year=year, month=month,
                            superseded_at__isnull=True).update(superseded_at=at, superseded_reason=reason)
