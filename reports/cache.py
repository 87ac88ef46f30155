"""Cached reads of stored results, keyed by a version that moves whenever a stored figure changes.

A county's results version is the newest `computed_at` of its rows: every recompute (approval,
drain, month close, reopen, the command) stamps, in one transaction, exactly the rows whose
figures it changed and those whose ranks moved (scoring.recompute leaves unchanged rows
alone), so the version changes exactly when any figure a page shows from them changes. Reading
it is one indexed aggregate; a key built from it never needs deleting: after a change pages
simply ask for a new key, and old entries expire.

What is cached is what is per (region, year, month, view): the period a page resolves to, the
months it offers, and the fragments and rows derived from VillageScore/StarScore. Live work
(ledger counts, overdue items, notices, forms with CSRF tokens) is never cached.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db.models import Max
from django.utils.functional import SimpleLazyObject

from ratings.models import VillageScore
from villages.models import Region

CACHE_SECONDS = 6 * 3600
COUNTY_CODE_LENGTH = 6


def results_version(region: Region) -> str:
    """The version of the stored results of the region's county (one query)."""
    latest = VillageScore.objects.filter(village__code__startswith=region.code[:COUNTY_CODE_LENGTH]) \
        .aggregate(latest=Max("computed_at"))["latest"]
    return latest.strftime("%Y%m%d%H%M%S%f") if latest else "none"


def results_key(name: str, region: Region, version: str, *parts: Any) -> str:
    return ":".join(["results", name, region.code, *(str(p) for p in parts), version])


def cached_results(name: str, region: Region, version: str, parts: tuple, build: Callable[[], Any]) -> Any:
    """The value built from stored results, from the cache when this version has it."""
    key = results_key(name, region, version, *parts)
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, CACHE_SECONDS)
    return value


def lazy(build: Callable[[], Any]) -> SimpleLazyObject:
    """A value computed only when a template reads it: a cached fragment never does."""
    return SimpleLazyObject(build)
