"""Gather a scope's inputs in a fixed number of queries, run the engine, write the results.

Queries, whatever the size of the scope: the villages, the standards (with stars and
indicators), one for ledger values, one per metric provider the standards use, one for
weak-and-lax branches (as of the month's last day), one for the closed months of the scope
(published view); then the bulk upserts and one re-rank per county. No per-village query.

Closed months never move: `recompute(view=published)` leaves the villages of a county whose
month is closed alone; only `month_close` (through `publish`) writes a month's published rows,
before the month is recorded as closed or after it has been reopened.
"""

from __future__ import annotations

import functools
import gc
import hashlib
import json
import logging
import os
import time
from collections import defaultdict
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.db import connection, transaction
from django.db.models import Count, F, Max, Q, Sum, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from ratings.providers.branch_life import weak_lax_flags
from villages.models import Level, Region

from ..engine import (
    IndicatorSpec,
    StandardSpec,
    StarSpec,
    VillageInput,
    VillageResult,
    evaluate_many,
    round2,
    what_would_earn,
)
from ..engine.ranking import movement
from ..engine.types import Aggregation, Direction, Rule
from ..metrics import all_providers, previous_month, shared_reads
from ..models import (
    Indicator,
    LedgerEntry,
    LedgerStatus,
    LedgerYearToDate,
    MonthClose,
    Source,
    Standard,
    StandardStatus,
    Star,
    StarScore,
    View,
    VillageScore,
)
from .approved_by import ApprovedBy, in_force_q
from .bulk import SerializedDict, SerializedList, json_text, update_by_id, upsert_rows
from .year_to_date import year_to_date_refresh

logger = logging.getLogger(__name__)

VILLAGE_SCORE_FIELDS = ["village_id", "year", "month", "view", "standard_id", "stars_earned", "star_level", "total",
                        "tiebreak_score", "computed_at", "township_id", "inputs_digest", "digest"]
STAR_SCORE_FIELDS = ["village_id", "year", "month", "view", "star", "score", "pass_mark", "earned", "reasons",
                     "points_short", "unmet", "indicators", "computed_at"]

VIEW_STATUSES = {
    View.LIVE: [LedgerStatus.SUBMITTED, LedgerStatus.APPROVED],
    View.PUBLISHED: [LedgerStatus.APPROVED],
}


@dataclass
class LoadedStandard:
    standard: Standard
    spec: StandardSpec
    indicators: dict[str, Indicator]
    star_specs: dict[str, StarSpec]


# The engine specs of the published standards, kept per process by the rows they were built from
# (`load_standards`): a recompute that reads the same rows reuses them, with the results the specs
# keep (see IndicatorSpec.memo). A standard whose rows change is built again. Two years' sets at
# most (the year and the one before, around the turn of the year): each spec keeps up to 4,096
# results (MEMO_VALUES, MEMO_RESULTS), which one province's recompute could fill before as well.
_LOADED: dict[str, dict[str, LoadedStandard]] = {}
LOADED_KEPT = 2


def loaded_standards_clear() -> None:
    """Forget the specs kept by `load_standards` (and the results they keep)."""
    _LOADED.clear()


def _standard_rows(year: int) -> str:
    """The rows of the year's published standards, their stars and their indicators, every
    column as the database holds it, as one text. Three plain SELECTs: a recompute of one village
    spent more on compiling the same three ORM queries (about 7 ms) than on all its arithmetic."""
    def select(model, join: str, where: str, params: list) -> list[tuple]:
        columns = ", ".join(f't."{field.column}"' for field in model._meta.concrete_fields)
        cursor.execute(f'SELECT {columns} FROM "{model._meta.db_table}" t {join} WHERE {where} ORDER BY t."id"', params)
        return cursor.fetchall()

    if connection.vendor == "postgresql":
        return _standard_rows_digest(year)
    with connection.cursor() as cursor:
        standards = select(Standard, "", 't."year" = %s AND t."status" = %s', [year, StandardStatus.PUBLISHED])
        ids = [row[0] for row in standards]
        if not ids:
            return repr(standards)
        among = f'IN ({", ".join(["%s"] * len(ids))})'
        stars = select(Star, "", f't."standard_id" {among}', ids)
        indicators = select(Indicator, f'JOIN "{Star._meta.db_table}" s ON s."id" = t."star_id"',
                            f's."standard_id" {among}', ids)
    return repr((standards, stars, indicators))


def _standard_rows_digest(year: int) -> str:
    """PostgreSQL: the same rows as `_standard_rows`, every column as the database holds it
    (a row's text), hashed in the database in one query. Every page about the running month
    asks for it (`load_standards`): three selects of the whole standard and their repr in Python
    cost about 3 ms of a page's CPU; this costs one round trip and a 32-character answer."""
    tables = {"standard": Standard._meta.db_table, "star": Star._meta.db_table, "indicator": Indicator._meta.db_table}
    published = 't."year" = %s AND t."status" = %s'
    sql = (
        "SELECT md5(concat_ws('#',"
        f' (SELECT string_agg(t::text, \'|\' ORDER BY t."id") FROM "{tables["standard"]}" t WHERE {published}),'
        f' (SELECT string_agg(s::text, \'|\' ORDER BY s."id") FROM "{tables["star"]}" s'
        f'  JOIN "{tables["standard"]}" t ON t."id" = s."standard_id" WHERE {published}),'
        f' (SELECT string_agg(i::text, \'|\' ORDER BY i."id") FROM "{tables["indicator"]}" i'
        f'  JOIN "{tables["star"]}" s ON s."id" = i."star_id" JOIN "{tables["standard"]}" t ON t."id" = s."standard_id"'
        f"  WHERE {published})))"
    )
    params = [year, StandardStatus.PUBLISHED] * 3
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return f"pg:{cursor.fetchone()[0]}"


def load_standards(year: int) -> dict[str, LoadedStandard]:
    """The published standards of the year by kind (rural/urban), as engine specs: three plain
    reads when this process has built them from the same rows already; else the ORM's three
    reads build them, and the plain reads again check nothing changed in between."""
    key = _standard_rows(year)
    loaded = _LOADED.get(key)
    if loaded is not None:
        return loaded
    standards = Standard.objects.filter(year=year, status=StandardStatus.PUBLISHED).prefetch_related(
        "stars__indicators")
    loaded = {standard.kind: load_standard(standard) for standard in standards}
    # Kept only if nothing changed between the two reads (else built again next time).
    if _standard_rows(year) == key:
        _LOADED[key] = loaded
        while len(_LOADED) > LOADED_KEPT:
            del _LOADED[next(iter(_LOADED))]
    return loaded


def load_standard(standard: Standard) -> LoadedStandard:
    """One standard (published or a draft) as an engine spec; stars and indicators prefetched
    or read here (2 queries)."""
    stars, indicators = [], {}
    for star in standard.stars.all():
        specs = []
        for indicator in star.indicators.all():
            indicators[indicator.code] = indicator
            specs.append(IndicatorSpec(
                code=indicator.code, rule=Rule(indicator.rule), points=indicator.points,
                params=indicator.params or {}, aggregation=Aggregation(indicator.aggregation),
                direction=Direction(indicator.direction), required=indicator.required,
            ))
        stars.append(StarSpec(code=star.code, pass_mark=star.pass_mark, max_score=star.max_score,
                              is_prerequisite=star.is_prerequisite, indicators=tuple(specs)))
    spec = StandardSpec(stars=tuple(stars), prerequisite_from_level=standard.prerequisite_from_level)
    return LoadedStandard(standard, spec, indicators, {s.code: s for s in stars})


def _scope_filter(*, field: str, village_ids: list[int] | None, prefix: str | None) -> Q:
    """By ids for a few villages, by code prefix for a township/county/province (indexed)."""
    if village_ids is not None:
        return Q(**{f"{field}_id__among": village_ids})
    return Q(**{f"{field}__code__startswith": prefix or ""})


def _ledger_values(*, scope: Q, year: int, month: int, view: str, indicators: dict[int, Indicator],
                   approved_by: ApprovedBy | None = None):
    """Year-to-date ledger values aggregated in the database: one row per village × indicator.

    `latest` takes the value of the latest month with one (a window function, or DISTINCT ON on
    PostgreSQL, which is faster there); sum, max and count (the months above 0) are GROUP BY
    aggregates. The engine then sees one period per indicator, which it aggregates to the same
    value (a count as the number of months is reported as that number of periods of 1).
    With `approved_by` (published view), the entries in force at those times instead of the
    approved ones now (services/approved_by.py).
    """
    base = LedgerEntry.objects.filter(scope).filter(year=year, month__lte=month, value__isnull=False)
    base = base.filter(in_force_q(approved_by) if approved_by is not None else Q(status__in=VIEW_STATUSES[view]))
    latest_ids = [pk for pk, i in indicators.items() if i.aggregation == "latest"]
    other_ids = [pk for pk, i in indicators.items() if i.aggregation != "latest"]
    latest = base.filter(indicator_id__in=latest_ids)
    if connection.vendor == "postgresql":
        latest = latest.order_by("village_id", "indicator_id", "-month").distinct("village_id", "indicator_id")
    else:
        latest = latest.annotate(rn=Window(RowNumber(), partition_by=[F("village_id"), F("indicator_id")],
                                           order_by=F("month").desc())).filter(rn=1)
    for village_id, indicator_id, period, value in latest.values_list(
            "village_id", "indicator_id", "month", "value").iterator(chunk_size=20000):
        yield village_id, indicator_id, [(period, value)]
    if other_ids:
        grouped = (base.filter(indicator_id__in=other_ids).values("village_id", "indicator_id")
                   .annotate(last=Max("month"), total=Sum("value"), top=Max("value"),
                             months=Count("id", filter=Q(value__gt=0))).order_by())
        for village_id, indicator_id, last, total, top, months in grouped.values_list(
                "village_id", "indicator_id", "last", "total", "top", "months").iterator(chunk_size=20000):
            how = indicators[indicator_id].aggregation
            if how == "count":
                # The engine counts periods above 0: report the months counted as that many 1s.
                yield village_id, indicator_id, [(m, Decimal(1)) for m in range(1, months + 1)] or [(last, Decimal(0))]
            else:
                yield village_id, indicator_id, [(last, top if how == "max" else total)]


def _year_to_date_values(*, scope: Q, year: int, month: int, view: str, indicators: dict[int, Indicator]):
    """The same values as `_ledger_values`, already aggregated, from the kept year-to-date rows:
    one row per village (see models/year_to_date.py). Yields (village id, {code: value})."""
    codes = {str(pk): indicator.code for pk, indicator in indicators.items()}
    # The query as the ORM writes it, its rows read by a plain cursor: the JSON arrives as text
    # and is decoded here once. Through the ORM's server-side cursor and its per-row conversion,
    # a county's 312 rows took 15 ms instead of 7.
    query = LedgerYearToDate.objects.filter(scope, year=year, month=month, view=view).values_list(
        "village_id", "values").order_by()
    sql, params = query.query.sql_with_params()
    loads = json.loads
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(5000):
            for village_id, stored in rows:
                if stored.__class__ is str:
                    stored = loads(stored)
                yield village_id, {codes[key]: Decimal(value) for key, value in stored.items() if key in codes}


def _provider_values(values, by_provider, providers, villages, ids, year, month) -> None:
    """Each provider's answer for the scope, into `values` (its indicators' periods). A provider
    only the other kind's standard uses (a community indicator in a rural county) is asked for
    the villages of the kinds that use it, or not at all."""
    kinds = {village.kind or "rural" for village in villages}
    for name, (codes, used_by) in sorted(by_provider.items()):
        provider = providers.get(name)
        if provider is None:
            logger.warning("metric provider %s is not registered; its indicators count as missing", name)
            continue
        scope = villages
        if not kinds <= used_by:
            scope = [village for village in villages if (village.kind or "rural") in used_by]
            if not scope:
                continue
        answered = provider(village_ids=ids if scope is villages else [v.pk for v in scope], year=year, month=month)
        if provider.absent is not None:
            absent = [(month, provider.absent)]
            for village in scope:
                answered.setdefault(village.pk, absent)
        for village_id, periods in answered.items():
            row = values[village_id]
            for code in codes:
                row[code] = periods


def gather(*, villages: list[Region], village_ids: list[int] | None, prefix: str | None, year: int, month: int,
           view: str, standards: dict[str, LoadedStandard], year_to_date: bool = True,
           approved_by: ApprovedBy | None = None):
    """Inputs of every village in the scope, as of the month's last day: the ledger's values
    (from the kept year-to-date rows, after refreshing the scope's marked villages; or, with
    `year_to_date=False`, by rescanning the year's entries: one query, two when some indicators
    add up), one query per provider, one for weak-and-lax branches."""
    ledger = {i.pk: i for s in standards.values() for i in s.indicators.values() if i.source == Source.LEDGER}
    values: dict[int, dict[str, list]] = defaultdict(dict)
    aggregated: dict[int, dict[str, Decimal]] = {}
    scope = _scope_filter(field="village", village_ids=village_ids, prefix=prefix)
    if year_to_date and approved_by is None:  # the kept rows hold today's statuses only
        year_to_date_refresh(village_ids=village_ids, prefix=prefix)
        aggregated = dict(_year_to_date_values(scope=scope, year=year, month=month, view=view, indicators=ledger))
    else:
        for village_id, indicator_id, periods in _ledger_values(scope=scope, year=year, month=month, view=view,
                                                                indicators=ledger, approved_by=approved_by):
            values[village_id][ledger[indicator_id].code] = periods
    # Providers take ids; the whole province (empty prefix) is "every village" (None).
    ids = village_ids if village_ids is not None else (None if not prefix else [v.pk for v in villages])
    providers = all_providers()
    # provider name → (the codes of its indicators, the kinds whose standard uses it)
    by_provider: dict[str, tuple[set[str], set[str]]] = defaultdict(lambda: (set(), set()))
    for kind, s in standards.items():
        for code, indicator in s.indicators.items():
            if indicator.source == Source.PROVIDER:
                by_provider[indicator.provider][0].add(code)
                by_provider[indicator.provider][1].add(kind)
    with shared_reads():
        _provider_values(values, by_provider, providers, villages, ids, year, month)
        weak = {v for v, flag in weak_lax_flags(village_ids=ids, year=year, month=month).items() if flag}
    inputs: dict[str, list[VillageInput]] = defaultdict(list)
    empty: dict = {}
    for village in villages:
        inputs[village.kind or "rural"].append(VillageInput(
            village_id=village.pk, division_code=village.code, values=values.get(village.pk, empty),
            weak_lax=village.pk in weak, aggregated=aggregated.get(village.pk, empty),
        ))
    return inputs


def _number(value: Decimal | None) -> str | None:
    return None if value is None else f"{value.normalize():f}"


def _detail_row(r) -> list:
    """One indicator's row of the stored detail (see ratings/detail.py)."""
    row = [r.code, _number(r.value), str(r.points), str(r.max_points), r.met, r.veto_fired, _number(r.gap)]
    return [*row, True] if r.not_applicable else row


def _json_number(text: str | None) -> str:
    # Decimal strings hold digits, a sign, a point and perhaps an exponent: nothing to escape.
    return "null" if text is None else f'"{text}"'


@functools.lru_cache(maxsize=4096)
def _json_string(text: str) -> str:
    """A code as JSON (the indicator codes and reasons of a standard, quoted once)."""
    return json.dumps(text, ensure_ascii=False)


def _json_codes(codes) -> str:
    return f'[{",".join([_json_string(code) for code in codes])}]'


@functools.lru_cache(maxsize=4096)
def _json_codes_kept(codes: tuple[str, ...]) -> str:
    return _json_codes(codes)


def codes_list(codes: tuple[str, ...]) -> SerializedList:
    """A list of codes (stars earned, reasons, unmet indicators) with its JSON text, kept by the
    codes: a county's rows hold 3,400 such lists, mostly the same few, which `json.dumps` took
    7 ms to write."""
    return SerializedList(codes, _json_codes_kept(codes))


def _detail_row_text(row: list) -> str:
    """`json.dumps(row, separators=(",", ":"))` of a `_detail_row`, five times faster."""
    na = ",true" if len(row) > 7 else ""
    return (f'[{_json_string(row[0])},{_json_number(row[1])},"{row[2]}","{row[3]}",'
            f'{"true" if row[4] else "false"},{"true" if row[5] else "false"},{_json_number(row[6])}{na}]')


def _indicator_detail(result: VillageResult, loaded: LoadedStandard,
                      rows_of: dict | None = None) -> dict[str, SerializedDict]:
    """What the explain page needs of each indicator, kept small (it is stored for every
    village, month and star; its form: ratings/detail.py): names and sources are read from the
    standard and the ledger. Each star's detail carries its JSON text (`SerializedDict`), written
    as it is.

    `rows_of` keeps the row (and its JSON) of each indicator result, and the detail of each star
    result, across the villages of one computation: the engine hands out one result object per
    indicator and value (see `score_indicator`) and per star and values, so villages with the
    same values share it. Keyed by the object's id, holding the object, so an id is never reused
    while the dict lives. Rows and details are read only.
    """
    rows_of = {} if rows_of is None else rows_of
    details = {}
    for star in result.stars:
        # A star result is shared by the villages with the same values (`evaluate_star`): so is
        # its detail, kept the same way.
        kept_star = rows_of.get(id(star))
        if kept_star is not None:
            details[star.code] = kept_star[1]
            continue
        kept = [rows_of.get(id(r)) or _kept_row(rows_of, r) for r in star.indicators]
        to_earn = what_would_earn(loaded.star_specs[star.code], star)
        text = '{"rows":[' + ",".join([k[2] for k in kept]) + '],"to_earn":' + _json_codes(to_earn) + "}"
        details[star.code] = detail = SerializedDict({"rows": [k[1] for k in kept], "to_earn": to_earn}, text)
        rows_of[id(star)] = (star, detail)
    return details


def _kept_row(rows_of: dict, r) -> tuple:
    """An indicator result's stored row and its JSON, kept in `rows_of` (see `_indicator_detail`)."""
    row = _detail_row(r)
    kept = rows_of[id(r)] = (r, row, _detail_row_text(row))
    return kept


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
    """A hash of the engine's and this module's source: results computed by other code are never
    taken as current (it is part of every inputs digest)."""
    here = Path(__file__).resolve()
    digest = hashlib.blake2b(digest_size=8)
    for path in [*sorted((here.parent.parent / "engine").glob("*.py")), here]:
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
            details = _indicator_detail(result, loaded, rows_of)
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


def results_digest(village_row: tuple, star_rows: list[tuple]) -> str:
    """A hash of what a village's rows say, computed_at (and the inputs digest) left out (rows as
    `compute` gives them; a star's detail by its JSON text)."""
    v = village_row
    parts = [f"{v[0]}\x1f{v[1]}\x1f{v[2]}\x1f{v[3]}\x1f{v[4]}\x1f{json_text(v[5])}\x1f{v[6]}\x1f{v[7]}\x1f{v[8]}"
             f"\x1f{v[10]}"]
    # Each figure by its text, each list and detail by its JSON text (kept by `compute`).
    parts += [f"{r[0]}\x1f{r[1]}\x1f{r[2]}\x1f{r[3]}\x1f{r[4]}\x1f{r[5]}\x1f{r[6]}\x1f{r[7]}\x1f{json_text(r[8])}"
              f"\x1f{r[9]}\x1f{json_text(r[10])}\x1f{json_text(r[11])}" for r in star_rows]
    return hashlib.blake2b("\n".join(parts).encode(), digest_size=8).hexdigest()


def stored_digests(*, villages: list[Region], year: int, month: int, view: str,
                   whole_province: bool = False) -> dict[int, tuple[str, str]]:
    """{village id: (results digest, inputs digest)} of the stored rows of these villages (one read)."""
    stored = VillageScore.objects.filter(year=year, month=month, view=view)
    if not whole_province:
        stored = stored.filter(village_id__among=[v.pk for v in villages])
    return {village_id: (digest, inputs) for village_id, digest, inputs in
            stored.values_list("village_id", "digest", "inputs_digest").order_by()}


def changed_rows(village_rows: list[tuple], star_rows: list[tuple],
                 stored: Mapping[int, tuple[str, str]]) -> tuple[list[tuple], list[tuple]]:
    """The rows of the villages whose figures (or inputs digest) differ from what is stored
    (`stored_digests`), each village row (inputs digest last) with its results digest appended:
    rewriting the same figures would only churn the tables, and leaves `computed_at`, the pages'
    cache version, where it was."""
    stars_of: dict[int, list[tuple]] = defaultdict(list)
    for row in star_rows:
        stars_of[row[0]].append(row)
    changed_villages, changed_stars = [], []
    for row in village_rows:
        digest = results_digest(row, stars_of[row[0]])
        if stored.get(row[0]) != (digest, row[11]):
            changed_villages.append((*row, digest))
            changed_stars += stars_of[row[0]]
    return changed_villages, changed_stars


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


# village id, code, kind, level, total, tiebreak, township (the id stored with the result, or
# the code's township prefix for rows stored before results kept it)
RankRow = tuple[int, str, str, int, Decimal, Decimal, int | str]


def rank_rows(rows: list[RankRow], previous: dict[int, tuple]) -> dict[int, tuple]:
    """{village_id: (county rank, township rank, county movement, township movement)}: within the
    county and each township, rural villages and urban communities separately, on the stored
    (rounded) figures; movement against the previous published ranks."""

    def key(row):
        return (-row[3], -row[4], -row[5], row[1])

    county_rank, township_rank = {}, {}
    groups: dict[tuple, list] = defaultdict(list)
    for row in rows:
        groups[("county", row[2])].append(row)
        # The township stored with the result (where the village stood that month).
        groups[("township", row[6], row[2])].append(row)
    for group_key, members in groups.items():
        target = county_rank if group_key[0] == "county" else township_rank
        for position, row in enumerate(sorted(members, key=key), start=1):
            target[row[0]] = position
    ranked = {}
    for row in rows:
        prev = previous.get(row[0], (None, None))
        ranked[row[0]] = (county_rank[row[0]], township_rank[row[0]], movement(prev[0], county_rank[row[0]]),
                          movement(prev[1], township_rank[row[0]]))
    return ranked


RANK_FIELDS = ("county_rank", "township_rank", "county_movement", "township_movement")


def rerank(*, county_prefix: str, year: int, month: int, view: str, now=None) -> None:
    """Rank a county's stored results (see `rank_rows`). One read and one bulk update.

    The read joins the scores to their villages by the code prefix: with the regions' prefix
    index PostgreSQL walks the county's villages and looks each one's two rows up by the unique
    index (about 1 ms on the benchmark province). The same read by a list of the villages' ids
    took 10–14 ms: 312 parameters to prepare, send and plan.
    """
    by_village, stored, rows, previous = {}, {}, [], {}
    prev_year, prev_month = previous_month(year, month)
    # This month's rows and the previous published month's ranks in one read.
    for pk, village_id, row_year, row_month, row_view, level, total, tiebreak, township_id, *ranks, code, kind in (
            VillageScore.objects.filter(Q(year=year, month=month, view=view)
                                        | Q(year=prev_year, month=prev_month, view=View.PUBLISHED),
                                        village__level=Level.VILLAGE, village__code__startswith=county_prefix)
            .order_by()
            .values_list("id", "village_id", "year", "month", "view", "star_level", "total", "tiebreak_score",
                         "township_id", *RANK_FIELDS, "village__code", "village__kind")):
        if (row_year, row_month, row_view) != (year, month, view):  # the previous published month
            previous[village_id] = (ranks[0], ranks[1])
            continue
        by_village[village_id] = pk
        stored[village_id] = tuple(ranks)
        rows.append((village_id, code, kind or "rural", level, total, tiebreak, township_id or code[:9]))
    ranked = rank_rows(rows, previous)
    # Only the rows whose ranks moved are written, with a new computed_at: the county's results
    # version (reports/cache.py) moves whenever a figure a page shows has changed.
    now = now or timezone.now()
    update_by_id(VillageScore, [(by_village[v], *ranks, now) for v, ranks in ranked.items() if stored[v] != ranks],
                 [*RANK_FIELDS, "computed_at"])


def previous_published_ranks(village_ids: list[int], year: int, month: int) -> dict[int, tuple]:
    prev_year, prev_month = previous_month(year, month)
    return {
        village_id: (county, township)
        for village_id, county, township in VillageScore.objects.filter(
            village_id__in=village_ids, year=prev_year, month=prev_month, view=View.PUBLISHED,
        ).values_list("village_id", "county_rank", "township_rank")
    }
