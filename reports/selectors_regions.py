"""Reads of the region browser and the village profile: a township's villages with their
income and first secretary, a county's townships, everything a village's profile shows; always
scoped."""

from __future__ import annotations

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone

from branches.models import Branch
from branches.selectors import branch_secretary_name
from cadres.models import FirstSecretary, FirstSecretaryStatus, Post, Role
from cadres.scope import scope_q
from projects.figures import INCOME_BAND_RANGES
from projects.models import CollectiveIncome, Cooperative, Project, income_band
from villages.models import Region


def villages_of(*, user, parent: Region, year: int) -> QuerySet[Region]:
    """Villages under `parent` visible to the user, annotated for the list page.

    One query: the serving first secretary and the year's income come as subqueries, so the
    list never runs a query per row.
    """
    income = CollectiveIncome.objects.filter(village=OuterRef("pk"), year=year)
    first_secretary = FirstSecretary.objects.filter(
        village=OuterRef("pk"), status=FirstSecretaryStatus.SERVING
    ).order_by("-term_start")
    # One person per post: the secretary shown is the holder of the village's secretary post
    # where it has a login, else the name recorded with the branch.
    secretary_post = (Post.objects.held_on(timezone.localdate())
                      .filter(role=Role.VILLAGE_SECRETARY, region=OuterRef("pk")).exclude(user__full_name="")
                      .order_by("-start_date", "-id"))
    return (
        Region.objects.villages()
        .filter(scope_q(user), code__startswith=parent.prefix)
        .select_related("branch", "parent")
        .annotate(
            income_total=Subquery(income.values("total")[:1]),
            income_operating=Subquery(income.values("operating")[:1]),
            first_secretary_name=Subquery(first_secretary.values("name")[:1]),
            secretary_shown=Coalesce(Subquery(secretary_post.values("user__full_name")[:1]),
                                     NullIf("branch__secretary_name", Value(""))),
        )
    )


def filter_by_income_band(queryset: QuerySet[Region], band: str) -> QuerySet[Region]:
    """Income bands as ranges over the annotated `income_total` (see projects.income_band)."""
    if band == "none":
        return queryset.filter(Q(income_total__isnull=True) | Q(income_total__lte=0))
    low, high = INCOME_BAND_RANGES[band]
    condition = Q(income_total__gt=0) if low == 0 else Q(income_total__gte=low)
    if high is not None:
        condition &= Q(income_total__lt=high)
    return queryset.filter(condition)


def township_summaries(*, user, county: Region) -> QuerySet[Region]:
    """Townships of a county with their village and community counts (one query)."""
    return (
        Region.objects.townships()
        .filter(scope_q(user), parent=county)
        .annotate(
            village_count=Count("children", filter=Q(children__kind="rural")),
            community_count=Count("children", filter=Q(children__kind="urban")),
        )
        .order_by("code")
    )


def village_profile(*, user, village: Region) -> dict:
    """Everything the village profile page shows, in a handful of queries."""
    branch = (
        Branch.objects.filter(village=village).prefetch_related("committee", "rectifications").first()
    )
    first_secretaries = list(
        FirstSecretary.objects.filter(village=village).prefetch_related("team_members").order_by("-term_start")
    )
    incomes = list(CollectiveIncome.objects.filter(village=village).order_by("-year"))
    rows = []
    for index, income in enumerate(incomes):
        previous = incomes[index + 1] if index + 1 < len(incomes) else None
        growth = None
        if previous and previous.total:
            growth = (income.total - previous.total) / previous.total * 100
        rows.append({"income": income, "band": income_band(income.total), "growth": growth})
    return {
        "branch": branch,
        "secretary_name": branch_secretary_name(branch),
        "first_secretaries": first_secretaries,
        "serving": [fs for fs in first_secretaries if fs.status == FirstSecretaryStatus.SERVING],
        "projects": list(Project.objects.filter(village=village).order_by("-annual_income")),
        "cooperatives": list(Cooperative.objects.filter(village=village).prefetch_related("bindings")),
        "incomes": rows,
    }
