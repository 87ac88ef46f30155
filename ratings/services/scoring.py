"""Gather a scope's inputs in a fixed number of queries, run the engine, write the results.

Queries, whatever the size of the scope: the villages, the standards (with stars and
indicators), one for ledger values, one per metric provider the standards use, one for
weak-and-lax branches (as of the month's last day), one for the closed months of the scope
(published view); then the bulk upserts and one re-rank per county. No per-village query.

Closed months never move: `recompute(view=published)` leaves the villages of a county whose
month is closed alone; only `month_close` (through `publish`) writes a month's published rows,
before the month is recorded as closed or after it has been reopened.

The steps live beside this module: `scoring_inputs` gathers the inputs, `scoring_rows` shapes
the stored rows and their digests, `scoring_ranks` ranks a county; this module computes a scope
and writes it.
"""

from __future__ import annotations

import gc
import hashlib
import os
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from villages.models import Level, Region

from ..engine import VillageInput, evaluate_many, round2
from ..models import MonthClose, StarScore, View, VillageScore
from .approved_by import ApprovedBy
from .bulk import upsert_rows
from .scoring_inputs import LoadedStandard, gather, load_standards
from .scoring_ranks import rerank
from .scoring_rows import (
    STAR_SCORE_FIELDS,
    VILLAGE_SCORE_FIELDS,
    changed_rows,
    codes_list,
    indicator_detail,
    stored_digests,
)


def _test_hook_pause() -> None:
    # Test hook: the worker-kill test makes a recompute slow so it can kill the worker inside
    # the transaction. Unset in every real environment.
    seconds = os.environ.get("PORTAL_TEST_RECOMPUTE_PAUSE")
    if seconds:
        time.sleep(float(seconds))


def _scope_villages(village_ids: list[int] | None, region: Region | None) -> tuple[str | None, list[Region]]:
    prefix = None if village_ids is not None else (region.prefix if region else "")
    # A deactivated village (its code gone from the division list) is no longer rated; the
    # results it had keep their months.
    villages = list(
        Region.objects.filter(level=Level.VILLAGE, is_active=True)
        .filter(Q(pk__in=village_ids) if village_ids is not None else Q(code__startswith=prefix))
        .only("id", "code", "kind", "parent_id")
    )
    return prefix, villages


def _code_version() -> str:
    """A hash of the engine's source and the scoring modules' (this one and its `scoring_*`
    siblings): results computed by other code are never taken as current (it is part of every
    inputs digest)."""
    here = Path(__file__).resolve()
    digest = hashlib.blake2b(digest_size=8)
    for path in [*sorted((here.parent.parent / "engine").glob("*.py")), *sorted(here.parent.glob("scoring*.py"))]:
        digest.update(path.read_bytes())
    return digest.hexdigest()


CODE_VERSION = _code_version()


def standard_key(loaded: LoadedStandard, *, year: int, month: int, view: str) -> str:
    """What, besides a village's own inputs, its figures for the month depend on: the standard
    (its id, and its content as the engine reads it), the month and view, the scoring code."""
    text = repr((CODE_VERSION, loaded.standard.pk, loaded.spec, year, month, view))
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def inputs_digest(key: str, village: VillageInput, township_id: int | None) -> str:
    """A hash of everything a village's stored rows are computed from (`key` from
    `standard_key`): equal digests give equal rows, since the engine is pure. Values are hashed
    as they are represented (5 and 5.00 differ): a difference of form only costs a recompute."""
    # The kept year-to-date values (40 a village) by their text: repr() of a Decimal costs twice
    # its str() (a county's inputs digests took 5 ms). Fields apart by the ASCII separators.
    aggregated = "\x1e".join([f"{code}={value}" for code, value in village.aggregated.items()])
    text = f"{key}\x1f{township_id}\x1f{village.weak_lax}\x1f{aggregated}\x1f{village.values!r}"
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()


def compute(*, year: int, month: int, view: str, villages: list[Region], village_ids: list[int] | None,
            prefix: str | None, standards: dict[str, LoadedStandard] | None = None,
            now=None, year_to_date: bool = True, approved_by: ApprovedBy | None = None,
            known_inputs: Mapping[int, str] | None = None) -> tuple[list[tuple], list[tuple]]:
    """The scope's figures for the month in memory, nothing written: (village rows, star rows)
    in the order of VILLAGE_SCORE_FIELDS (without the two digests) and STAR_SCORE_FIELDS, figures
    rounded as stored. `year_to_date=False` reads the ledger by a full rescan instead of the kept
    year-to-date rows (what `recompute --check` compares against); with it, `approved_by` reads
    the entries in force at a closed month's close (services/approved_by.py).

    With `known_inputs` ({village id: the inputs digest its stored rows were computed from}), a
    village whose inputs digest is the same is left out (its stored rows stand), and every village
    row carries its inputs digest last."""
    standards = load_standards(year) if standards is None else standards
    if not villages or not standards:
        return [], []
    inputs = gather(villages=villages, village_ids=village_ids, prefix=prefix, year=year, month=month,
                    view=view, standards=standards, year_to_date=year_to_date, approved_by=approved_by)
    now = now or timezone.now()
    parents = {v.pk: v.parent_id for v in villages}
    village_rows, star_rows = [], []
    for kind, village_inputs in inputs.items():
        loaded = standards.get(kind)
        if loaded is None:
            continue
        digests: dict[int, str] = {}
        if known_inputs is not None:
            key = standard_key(loaded, year=year, month=month, view=view)
            digests = {v.village_id: inputs_digest(key, v, parents.get(v.village_id)) for v in village_inputs}
            village_inputs = [v for v in village_inputs if known_inputs.get(v.village_id) != digests[v.village_id]]
        tiebreak_code = loaded.spec.tiebreak_star_code
        rows_of: dict = {}
        for result in evaluate_many(loaded.spec, village_inputs, month):
            details = indicator_detail(result, loaded, rows_of)
            tiebreak = result.star(tiebreak_code)
            village_rows.append((
                result.village_id, year, month, view, loaded.standard.pk,
                codes_list(tuple([s.code for s in result.stars if s.earned])),
                result.star_level, round2(result.total), round2(tiebreak.score) if tiebreak else Decimal(0), now,
                parents.get(result.village_id), *((digests[result.village_id],) if known_inputs is not None else ()),
            ))
            star_rows += [
                (result.village_id, year, month, view, star.code, round2(star.score), star.pass_mark, star.earned,
                 codes_list(star.reasons), round2(star.points_short), codes_list(star.unmet), details[star.code], now)
                for star in result.stars
            ]
    return village_rows, star_rows


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off while a scope is computed. What the computation
    builds holds no reference cycles and is freed as usual when the last reference goes; but
    its hundred thousands of fresh objects made the collector run again and again over the
    process's whole heap: a third of the engine's time on a county (measured with bench_scoring)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def closed_counties(*, county_codes: set[str], year: int, month: int) -> set[str]:
    """The county codes (6 digits) among these whose month is closed (one query)."""
    if not county_codes:
        return set()
    return {code[:6] for code in MonthClose.objects.filter(
        county__code__in=[f"{c}000000" for c in county_codes], year=year, month=month,
    ).values_list("county__code", flat=True)}


@transaction.atomic
def recompute(*, year: int, month: int, view: str = View.LIVE, village_ids: list[int] | None = None,
              region: Region | None = None, rerank_counties: bool = True) -> int:
    """Recompute the results of a scope (some villages, or a region's subtree) for a month.

    Writes VillageScore and StarScore rows with bulk upserts, then re-ranks the counties
    touched. Idempotent: the same inputs give the same rows. Returns the number of villages.
    The published view of a county whose month is closed is never rewritten (its villages
    are left out): only month_close writes published rows.
    """
    prefix, villages = _scope_villages(village_ids, region)
    if view == View.PUBLISHED and villages:
        closed = closed_counties(county_codes={v.code[:6] for v in villages}, year=year, month=month)
        if closed:
            villages = [v for v in villages if v.code[:6] not in closed]
            if village_ids is not None:
                village_ids = [v.pk for v in villages]
    if not villages:
        return 0
    standards = load_standards(year)
    if not standards:
        return 0
    now = timezone.now()  # one computation time for every row this recompute writes
    with collector_paused():
        stored = stored_digests(villages=villages, year=year, month=month, view=view,
                                whole_province=village_ids is None and not prefix)
        # A village whose stored rows were computed from the inputs gathered now keeps them; a row
        # without a results digest (written before digests, or marked stale) is computed again.
        known_inputs = {village_id: inputs for village_id, (digest, inputs) in stored.items() if digest}
        village_rows, star_rows = compute(year=year, month=month, view=view, villages=villages,
                                          village_ids=village_ids, prefix=prefix, standards=standards, now=now,
                                          known_inputs=known_inputs)
        _test_hook_pause()
        village_rows, star_rows = changed_rows(village_rows, star_rows, stored)
    upsert_rows(VillageScore, VILLAGE_SCORE_FIELDS, village_rows, unique=["village_id", "year", "month", "view"])
    upsert_rows(StarScore, STAR_SCORE_FIELDS, star_rows, unique=["village_id", "year", "month", "view", "star"])
    if rerank_counties:
        for county_code in sorted({v.code[:6] for v in villages}):
            rerank(county_prefix=county_code, year=year, month=month, view=view, now=now)
    return len(villages)
