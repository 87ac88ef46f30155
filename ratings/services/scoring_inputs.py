"""Gather a scope's inputs for the engine in a fixed number of queries: the year's published
standards as engine specs (kept per process), the ledger's values (from the kept year-to-date
rows, or by rescanning the year's entries), one read per metric provider the standards use and
one for weak-and-lax branches, every input as of the month's last day. Nothing is written here
but the year-to-date rows the ledger read refreshes.
"""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import Count, F, Max, Q, Sum, Window
from django.db.models.functions import RowNumber

from ratings.providers.branch_life import weak_lax_flags
from villages.models import Region

from ..engine import IndicatorSpec, StandardSpec, StarSpec, VillageInput
from ..engine.types import Aggregation, Direction, Rule
from ..metrics import all_providers, shared_reads
from ..models import (
    Indicator,
    LedgerEntry,
    LedgerStatus,
    LedgerYearToDate,
    Source,
    Standard,
    StandardStatus,
    Star,
    View,
)
from .approved_by import ApprovedBy, in_force_q
from .year_to_date import year_to_date_refresh

logger = logging.getLogger(__name__)

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
