"""Reads of the responsibility system shared by its pages and the API, scoped by the caller."""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict

from django.db.models import Q

from villages.models import Level, Region

from .models_duty import Assignment, ContactVisit, Duty
from .scope import scope_q, visible_regions
from .services_duty import VISITING_DUTIES


def month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def assignments_for(*, user, year: int | None = None, township: str = "", on: dt.date | None = None):
    """Assignments whose region the user may see; a village user also sees who answers for his
    township (the county leader assigned to it)."""
    condition = scope_q(user, "region__code")
    townships = {f"{prefix[:9]}000" for prefix in visible_regions(user) if len(prefix) == 12}
    if townships:
        condition |= Q(region__code__in=townships)
    rows = Assignment.objects.filter(condition).select_related("region__parent", "person")
    if year:
        rows = rows.filter(year=year)
    if township:
        rows = rows.filter(Q(region__code=township) | Q(region__parent__code=township))
    if on:
        rows = rows.active_on(on)
    return rows


def visits_for(*, user):
    """Visits in the user's regions, and a visitor's own visits wherever they were."""
    return ContactVisit.objects.filter(scope_q(user, "village__code") | Q(visitor=user)).select_related(
        "village__parent", "visitor", "assignment")


def visits_due(*, user, year: int, month: int, township: str = "") -> list[dict]:
    """Per person: the contact assignments active in the month (each due one visit) and how many of
    them had a visit by that person that month (a township assignment is met by a visit to any of
    its villages). Two queries whatever the number of people."""
    first, last = month_bounds(year, month)
    rows = list(assignments_for(user=user, township=township).filter(duty__in=VISITING_DUTIES, person__isnull=False)
                .active_between(first, last).order_by("person_name", "region__code"))
    visits = ContactVisit.objects.filter(date__range=(first, last), visitor_id__in={a.person_id for a in rows})
    seen: dict[int, set[int]] = defaultdict(set)
    counts: dict[int, int] = defaultdict(int)
    for visitor_id, village_id, township_id in visits.values_list("visitor_id", "village_id", "village__parent_id"):
        seen[visitor_id].update((village_id, township_id))
        counts[visitor_id] += 1
    people: dict[int, dict] = {}
    for a in rows:
        person = people.setdefault(a.person_id, {"person": a.person, "name": a.person_name, "title": a.person_title,
                                                 "due": 0, "done": 0, "visits": counts[a.person_id], "regions": []})
        met = a.region_id in seen[a.person_id]
        person["due"] += 1
        person["done"] += int(met)
        person["regions"].append({"region": a.region, "met": met})
    return sorted(people.values(), key=lambda p: (p["done"] >= p["due"], p["name"]))


def villages_without_visit(*, user, year: int, month: int, township: str = ""):
    """Villages in the user's regions that no one visited in the month."""
    first, last = month_bounds(year, month)
    villages = Region.objects.filter(scope_q(user), level=Level.VILLAGE)
    if township:
        villages = villages.filter(parent__code=township)
    visited = ContactVisit.objects.filter(date__range=(first, last)).values("village_id")
    return villages.exclude(pk__in=visited).select_related("parent").order_by("code")


def group_of(*, village: Region, on: dt.date):
    """The village's responsibility group on a day: leader, deputy, members."""
    return Assignment.objects.filter(region=village, duty__in=[Duty.GROUP_LEADER, Duty.GROUP_DEPUTY, Duty.GROUP_MEMBER]
                                     ).active_on(on).order_by("duty", "person_name")
