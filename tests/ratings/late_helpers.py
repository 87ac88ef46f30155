"""A county's year on a clock the test sets: months closed on the 5th of the next month, entries
approved, corrected and reopened at chosen moments (for the late-approval and follow-up tests)."""

import datetime as dt
from decimal import Decimal as D
from io import StringIO

from django.core.management import CommandError, call_command
from django.utils import timezone

from ratings.models import View, VillageScore

FIGURES = ("village_id", "stars_earned", "star_level", "total", "county_rank", "township_rank", "county_movement",
           "township_movement")


class Clock:
    """`timezone.now()` (and so `localdate()`) as the test sets it, in this year."""

    def __init__(self, year: int):
        self.year = year
        self.at = None

    def set(self, month: int, day: int, hour: int = 10) -> dt.datetime:
        self.at = timezone.make_aware(dt.datetime(self.year, month, day, hour))
        return self.at


def full_value(indicator):
    from .scoring_helpers import full_marks

    return full_marks(indicator)


def published(year, month):
    return sorted(VillageScore.objects.filter(year=year, month=month, view=View.PUBLISHED).values_list(*FIGURES))


def run_check(**options):
    out = StringIO()
    try:
        call_command("recompute", "--check", stdout=out, **options)
    except CommandError as error:
        return out.getvalue(), error.returncode
    return out.getvalue(), 0


SEWAGE_LOW = D("47.88")
