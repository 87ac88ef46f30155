"""The rows `compute` writes, as they are stored: the fields of VillageScore and StarScore in
their order, each star's indicator detail with its JSON text written as it is (the explain page
reads it, ratings/detail.py), and the digests that let a recompute leave unchanged rows alone.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections import defaultdict
from collections.abc import Mapping
from decimal import Decimal

from villages.models import Region

from ..engine import VillageResult, what_would_earn
from ..models import VillageScore
from .bulk import SerializedDict, SerializedList, json_text
from .scoring_inputs import LoadedStandard

VILLAGE_SCORE_FIELDS = ["village_id", "year", "month", "view", "standard_id", "stars_earned", "star_level", "total",
                        "tiebreak_score", "computed_at", "township_id", "inputs_digest", "digest"]
STAR_SCORE_FIELDS = ["village_id", "year", "month", "view", "star", "score", "pass_mark", "earned", "reasons",
                     "points_short", "unmet", "indicators", "computed_at"]


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


def indicator_detail(result: VillageResult, loaded: LoadedStandard,
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
    """An indicator result's stored row and its JSON, kept in `rows_of` (see `indicator_detail`)."""
    row = _detail_row(r)
    kept = rows_of[id(r)] = (r, row, _detail_row_text(row))
    return kept


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
