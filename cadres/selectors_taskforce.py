"""Reads of the task forces and joint consultations: a user sees those of his regions and of the
county and township above them (a village sees the county's and its township's task forces)."""

from __future__ import annotations

from django.db.models import Count, Q

from .models_taskforce import Consultation, TaskForce
from .scope import scope_q, visible_regions

# A measure is a task item of the campaign (ratings' ChecklistItem relates it to its meeting), done
# when its status is the campaign's ItemStatus.CLOSED, whose stored value this is (a test holds
# the two equal).
MEASURE_CLOSED = "closed"


def with_ancestors(user, field: str) -> Q:
    above = set()
    for prefix in visible_regions(user):
        if len(prefix) >= 6:
            above.add(f"{prefix[:6]}000000")
        if len(prefix) >= 9:
            above.add(f"{prefix[:9]}000")
    return scope_q(user, field) | Q(**{f"{field}__in": above})


def task_forces_for(*, user, year: int | None = None):
    rows = TaskForce.objects.filter(with_ancestors(user, "region__code")).select_related("region")
    return rows.filter(year=year) if year else rows


def consultations_for(*, user):
    return (Consultation.objects.filter(with_ancestors(user, "region__code")).select_related("region", "recorded_by")
            .annotate(measure_count=Count("measures", distinct=True),
                      open_count=Count("measures", filter=~Q(measures__status=MEASURE_CLOSED), distinct=True)))
