"""The reports app's answers to what the rating workflow announces (ratings.signals).

Ratings sits below reports and never imports it: a closed month is announced, and its
bulletins are queued here once the close has committed; a reopened month's bulletins are
marked superseded inside the reopening's transaction.
"""

from __future__ import annotations

from django.db import transaction
from django.dispatch import receiver

from ratings.signals import demo_bulletin_out, month_closed, month_reopened


@receiver(month_closed, dispatch_uid="reports.bulletins_on_month_closed")
def _bulletins_on_month_closed(sender, *, county, year: int, month: int, **kwargs) -> None:
    from .tasks import generate_bulletins_for_month

    transaction.on_commit(lambda: generate_bulletins_for_month(county.pk, year, month))


@receiver(month_reopened, dispatch_uid="reports.supersede_on_month_reopened")
def _supersede_on_month_reopened(sender, *, county, year: int, month: int, reason: str, at, **kwargs) -> None:
    from .models import Bulletin

    Bulletin.objects.filter(region__code__startswith=county.prefix, year=year, month=month,
                            superseded_at__isnull=True).update(superseded_at=at, superseded_reason=reason)


@receiver(demo_bulletin_out, dispatch_uid="reports.demo_bulletin_out")
def _demo_bulletin_out(sender, *, county, year: int, month: int, by, at, **kwargs) -> None:
    """The demo's corrected month had its first township's bulletin out, generated at the close;
    the county's and the other townships' are left out (each PDF costs seconds)."""
    from villages.models import Level, Region

    from .models import Bulletin
    from .services.bulletin import bulletin_generate

    township = Region.objects.filter(parent=county, level=Level.TOWNSHIP).order_by("code").first()
    bulletin_generate(region=township, year=year, month=month, by=by)
    Bulletin.objects.filter(region=township, year=year, month=month).update(generated_at=at)
