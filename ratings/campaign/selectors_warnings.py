"""Reads of early warnings (预警): counts for dashboards and screens, the scoped list."""

from __future__ import annotations

from django.db.models import Case, IntegerField, QuerySet, Sum, Value, When, Window

from cadres.scope import scope_q
from cadres.templatetags.people import people_prefetch
from villages.models import Region

from .models.warnings import ACTIVE_STATES, EarlyWarning, WarningState


def open_warnings_count(region: Region, *, kinds: list[str] | None = None, include_acknowledged: bool = False) -> int:
    """The warnings not yet acknowledged (or, with `include_acknowledged`, not yet cleared) of a
    region's subtree: a county, a township or one village. One query."""
    states = ACTIVE_STATES if include_acknowledged else (WarningState.OPEN,)
    rows = EarlyWarning.objects.filter(state__in=states, region__code__startswith=region.prefix)
    if kinds:
        rows = rows.filter(kind__in=kinds)
    return rows.count()


def warnings_for_user(user) -> QuerySet[EarlyWarning]:
    """Every warning of the user's scope, open ones first, then acknowledged, then cleared."""
    return (
        EarlyWarning.objects.filter(scope_q(user, "region__code"))
        .select_related("region", "township", "acknowledged_by")
        .prefetch_related(*people_prefetch("acknowledged_by"))
        .annotate(state_order=Case(
            When(state=WarningState.OPEN, then=Value(0)), When(state=WarningState.ACKNOWLEDGED, then=Value(1)),
            default=Value(2), output_field=IntegerField(),
        ))
        .order_by("state_order", "-raised_at", "region__code", "pk")
    )


def active_warnings(region: Region, *, limit: int | None = None) -> list[EarlyWarning]:
    """A region subtree's active warnings, open ones first (dashboards, the village page)."""
    rows = (
        EarlyWarning.objects.filter(state__in=ACTIVE_STATES, region__code__startswith=region.prefix)
        .select_related("region")
        .annotate(state_order=Case(When(state=WarningState.OPEN, then=Value(0)), default=Value(1),
                                   output_field=IntegerField()))
        .order_by("state_order", "-raised_at", "region__code", "pk")
    )
    return list(rows[:limit] if limit else rows)


def warnings_panel(region: Region, *, limit: int = 8) -> tuple[list[EarlyWarning], int]:
    """The panel of a dashboard or the village page in one query: the first `limit` active
    warnings, open ones first, and the number of open ones (a window total over all of them)."""
    rows = list(
        EarlyWarning.objects.filter(state__in=ACTIVE_STATES, region__code__startswith=region.prefix)
        .select_related("region", "acknowledged_by")
        .prefetch_related(*people_prefetch("acknowledged_by"))
        .annotate(
            state_order=Case(When(state=WarningState.OPEN, then=Value(0)), default=Value(1),
                             output_field=IntegerField()),
            open_total=Window(Sum(Case(When(state=WarningState.OPEN, then=Value(1)), default=Value(0),
                                       output_field=IntegerField()))),
        )
        .order_by("state_order", "-raised_at", "region__code", "pk")[:limit]
    )
    return rows, (rows[0].open_total if rows else 0)
