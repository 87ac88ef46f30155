"""The scoring hot path: unchanged results are not rewritten, ranks are written only
where they move, the stored detail's JSON is what json.dumps would give, the engine's kept
results equal fresh ones, and a read several providers share runs once per gather."""

import json
from decimal import Decimal as D

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ratings.engine import IndicatorSpec, StarSpec, VillageInput, evaluate_star, score_indicator
from ratings.engine.rules import InvalidParams
from ratings.engine.types import NOT_APPLICABLE, Rule
from ratings.models import LedgerEntry, StarScore, View, VillageScore
from ratings.services import bulk
from ratings.services.bulk import upsert_rows
from ratings.services.scoring import _scope_villages, compute, recompute
from ratings.services.scoring_rows import STAR_SCORE_FIELDS, _detail_row_text

pytestmark = pytest.mark.django_db


def _stamps(year, month):
    return (dict(VillageScore.objects.filter(year=year, month=month).values_list("village_id", "computed_at")),
            dict(StarScore.objects.filter(year=year, month=month).values_list("id", "computed_at")))


def test_a_recompute_that_finds_the_same_figures_writes_nothing(scored, county):
    year, month, villages = scored
    before = _stamps(year, month)
    recompute(year=year, month=month, view=View.LIVE, region=county)
    assert _stamps(year, month) == before


def test_a_changed_village_alone_is_rewritten_and_the_version_moves(scored, county):
    year, month, villages = scored
    villages_before, stars_before = _stamps(year, month)
    ranks_before = _ranks(year, month)
    LedgerEntry.objects.filter(village=villages[0], year=year, month=month).update(value=D(0))
    recompute(year=year, month=month, view=View.LIVE, region=county)
    villages_after, stars_after = _stamps(year, month)
    ranks_after = _ranks(year, month)
    assert villages_after[villages[0].pk] > villages_before[villages[0].pk]
    changed_stars = {pk for pk, at in stars_after.items() if at != stars_before[pk]}
    assert changed_stars == set(StarScore.objects.filter(village=villages[0], year=year, month=month)
                                .values_list("id", flat=True))
    # Another village's row is stamped anew exactly when its rank moved.
    for village in villages[1:]:
        moved = ranks_after[village.pk] != ranks_before[village.pk]
        assert (villages_after[village.pk] != villages_before[village.pk]) == moved
    assert any(ranks_after[v.pk] != ranks_before[v.pk] for v in villages[1:])


def _ranks(year, month):
    return {v: rest for v, *rest in VillageScore.objects.filter(year=year, month=month).values_list(
        "village_id", "county_rank", "township_rank", "county_movement", "township_movement")}


def test_ranks_are_written_only_where_they_move(scored, county):
    year, month, villages = scored
    row = VillageScore.objects.get(village=villages[1], year=year, month=month, view=View.LIVE)
    right = row.county_rank
    VillageScore.objects.filter(pk=row.pk).update(county_rank=99)
    others = dict(VillageScore.objects.exclude(pk=row.pk).values_list("pk", "computed_at"))
    recompute(year=year, month=month, view=View.LIVE, region=county)
    row.refresh_from_db()
    assert row.county_rank == right
    assert dict(VillageScore.objects.exclude(pk=row.pk).values_list("pk", "computed_at")) == others


def test_a_stored_detail_is_the_computed_detail_after_its_trip_through_copy(scored, county):
    """The detail is written as its kept JSON text (SerializedDict, COPY on PostgreSQL): what is
    stored reads back as the dict the computation built, for every star of every village."""
    year, month, villages = scored
    prefix, scope = _scope_villages(None, county)
    _, star_rows = compute(year=year, month=month, view=View.LIVE, villages=scope, village_ids=None, prefix=prefix)
    stored = {(v, star): detail for v, star, detail in StarScore.objects.filter(
        year=year, month=month, view=View.LIVE).values_list("village_id", "star", "indicators")}
    assert len(stored) == len(star_rows) == 20
    for row in star_rows:
        assert stored[(row[0], row[4])] == dict(row[11])
        assert json.loads(row[11].text) == dict(row[11])


DECIMAL_TEXT = st.one_of(st.none(), st.decimals(allow_nan=False, allow_infinity=False, places=4).map(
    lambda d: f"{d.normalize():f}"))


@given(row=st.tuples(st.text(min_size=1, max_size=20), DECIMAL_TEXT, st.decimals(0, 100, places=2).map(str),
                     st.decimals(0, 100, places=2).map(str), st.booleans(), st.booleans(), DECIMAL_TEXT),
       na=st.booleans())
def test_the_detail_row_text_is_json_dumps_of_the_row(row, na):
    # A row as _detail_row builds it (ratings/detail.py), "not applicable" as an eighth item.
    row = [*row, True] if na else list(row)
    assert _detail_row_text(row) == json.dumps(row, ensure_ascii=False, separators=(",", ":"))
    assert json.loads(_detail_row_text(row)) == row


SPECS = [
    IndicatorSpec(code="t", rule=Rule.THRESHOLD, points=D(10), params={"threshold": "5"}),
    IndicatorSpec(code="r", rule=Rule.RATIO, points=D(7), params={"target": "3"}),
    IndicatorSpec(code="b", rule=Rule.BANDED, points=D(9), params={"bands": [[1, 3], [4, 9]]}),
    IndicatorSpec(code="v", rule=Rule.VETO, points=D(0)),
]
VALUES = st.one_of(st.none(), st.just(NOT_APPLICABLE), st.decimals(-10, 50, places=2))


def _fresh(spec):
    return IndicatorSpec(code=spec.code, rule=spec.rule, points=spec.points, params=dict(spec.params))


@given(values=st.lists(st.tuples(st.integers(0, len(SPECS) - 1), VALUES), max_size=30))
def test_kept_indicator_results_equal_fresh_ones(values):
    for index, value in values:
        assert score_indicator(SPECS[index], value) == score_indicator(_fresh(SPECS[index]), value)


def test_bad_parameters_fail_every_time_not_only_the_first():
    spec = IndicatorSpec(code="x", rule=Rule.THRESHOLD, points=D(5), params={"threshold": "many"})
    for value in (D(1), D(1), None):
        with pytest.raises(InvalidParams):
            score_indicator(spec, value)


def test_a_kept_star_result_tells_a_weak_and_lax_branch_apart():
    star = StarSpec(code="branch", pass_mark=D(5), indicators=(SPECS[0],), is_prerequisite=True)
    values = {"t": [(1, D(6))]}
    strong = evaluate_star(star, VillageInput(1, "1", values, weak_lax=False), 1)
    weak = evaluate_star(star, VillageInput(2, "2", values, weak_lax=True), 1)
    assert strong.earned and not weak.earned and weak.reasons == ("weak_lax",)
    assert evaluate_star(star, VillageInput(3, "3", values), 1) is strong


def test_the_income_figures_are_read_once_for_the_three_income_providers(scored, county, monkeypatch):
    from ratings.providers import collective_economy as metrics

    calls = []
    real = metrics.load_figures
    monkeypatch.setattr(metrics, "load_figures", lambda **kw: calls.append(kw) or real(**kw))
    year, month, villages = scored
    LedgerEntry.objects.filter(village=villages[0]).update(value=D(1))
    recompute(year=year, month=month, view=View.LIVE, region=county)
    assert len(calls) == 1
    # Outside a gather nothing is kept: each call reads.
    metrics.collective_income(village_ids=[villages[0].pk], year=year, month=month)
    metrics.operating_income(village_ids=[villages[0].pk], year=year, month=month)
    assert len(calls) == 3


SPECIAL_TEXT = st.text(alphabet=st.sampled_from(["\\", "\t", "\n", "\r", "a", "星", '"', "N"]), max_size=12)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(reason=SPECIAL_TEXT, code=SPECIAL_TEXT)
def test_texts_with_backslashes_tabs_and_line_breaks_survive_the_bulk_write(scored, monkeypatch, reason, code):
    """upsert_rows sends many rows as COPY text on PostgreSQL (escaping backslash, tab and line
    breaks only where a text holds them) and a few in one INSERT: either way a text and a JSON
    value holding them read back unchanged."""
    year, month, villages = scored
    row = StarScore.objects.filter(village=villages[0], year=year, month=month).order_by("pk").first()
    values = [getattr(row, field) for field in STAR_SCORE_FIELDS]
    at = {name: i for i, name in enumerate(STAR_SCORE_FIELDS)}
    for few_rows in (0, bulk.FEW_ROWS):  # through COPY, then through one INSERT
        monkeypatch.setattr(bulk, "FEW_ROWS", few_rows)
        values[at["reasons"]] = [reason, "\\N", str(few_rows)]
        values[at["indicators"]] = {"rows": [{"code": code}], "to_earn": [str(few_rows)]}
        upsert_rows(StarScore, STAR_SCORE_FIELDS, [tuple(values)], unique=["village_id", "year", "month", "view", "star"])
        row.refresh_from_db()
        assert row.reasons == [reason, "\\N", str(few_rows)]
        assert row.indicators == {"rows": [{"code": code}], "to_earn": [str(few_rows)]}


def _star_row_updates() -> tuple[int, int]:
    """(row updates, of them heap-only) of the star rows in this transaction (PostgreSQL)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_xact_user_tables WHERE relname = %s",
                       [StarScore._meta.db_table])
        return cursor.fetchone()


@pytest.mark.postgres
@pytest.mark.parametrize("villages_count", [4, 12])  # 20 star rows by one INSERT, 60 through COPY
def test_a_rewrite_keeps_every_star_row_on_its_page(county, township, standard, township_clerk, this_month,
                                                    villages_count):
    """Half of each page of the star rows is kept free (migration 0018): a recompute that rewrites
    every row puts each new version beside the old one (a heap-only tuple), so no index of the
    table is touched. At fillfactor 80 most of these updates moved to another page."""
    from .scoring_helpers import fill_ledgers, make_villages

    year, month = this_month
    villages = make_villages(township, villages_count)
    fill_ledgers(villages, township_clerk, year, month, value_for=lambda village, indicator: D(3))
    recompute(year=year, month=month, view=View.LIVE, region=county)
    VillageScore.objects.filter(year=year, month=month).update(digest="")  # stale: every row rewritten
    updates, hot = _star_row_updates()
    recompute(year=year, month=month, view=View.LIVE, region=county)
    updates_after, hot_after = _star_row_updates()
    assert updates_after - updates == StarScore.objects.filter(year=year, month=month).count() == villages_count * 5
    assert hot_after - hot == updates_after - updates


def test_numbers_empty_columns_and_times_survive_the_bulk_write(scored, monkeypatch):
    """Through COPY each column has its own conversion (numbers by str, a time by the text of the
    last one seen): an empty foreign key and ranks, a rank, decimals and a different time on each
    row read back as written."""
    import datetime as dt

    year, month, villages = scored
    from ratings.services.scoring_rows import VILLAGE_SCORE_FIELDS

    fields = [*VILLAGE_SCORE_FIELDS, "county_rank"]
    at = {name: i for i, name in enumerate(fields)}
    stamp = dt.datetime(2026, 3, 1, 8, 30, tzinfo=dt.UTC)
    rows = []
    for i, row in enumerate(VillageScore.objects.filter(year=year, month=month, view=View.LIVE).order_by("pk")
                            .values_list(*fields)):
        row = list(row)
        row[at["total"]], row[at["tiebreak_score"]] = D("12.05") * i, D("-0.50")
        row[at["county_rank"]], row[at["township_id"]] = (None if i % 2 else i + 1), None
        row[at["computed_at"]] = stamp if i < 2 else stamp + dt.timedelta(minutes=i)
        rows.append(tuple(row))
    monkeypatch.setattr(bulk, "FEW_ROWS", 0)  # through COPY
    upsert_rows(VillageScore, fields, rows, unique=["village_id", "year", "month", "view"])
    stored = {row[0]: row for row in VillageScore.objects.filter(year=year, month=month, view=View.LIVE)
              .values_list(*fields)}
    assert [stored[row[0]] for row in rows] == rows


def test_a_star_detail_reads_back_as_written_by_the_orm(scored):
    """The detail column (PostgreSQL `json`, config/fields.py) takes a value saved through the ORM
    and gives it back, nested lists, numbers and Chinese included."""
    year, month, villages = scored
    row = StarScore.objects.filter(village=villages[0], year=year, month=month).first()
    detail = {"rows": [["党组织书记", "12.5", "3.00", "5", False, False, None, True]], "to_earn": ["甲"], "n": 1.5}
    row.indicators = detail
    row.save(update_fields=["indicators"])
    assert StarScore.objects.get(pk=row.pk).indicators == detail
    assert StarScore.objects.filter(pk=row.pk).values_list("indicators", flat=True).get() == detail
    StarScore.objects.filter(pk=row.pk).update(indicators=[])
    assert StarScore.objects.get(pk=row.pk).indicators == []


@pytest.mark.postgres
def test_the_star_detail_column_is_json_text_on_postgresql():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT data_type FROM information_schema.columns WHERE table_name = %s AND column_name = %s",
                       [StarScore._meta.db_table, "indicators"])
        assert cursor.fetchone() == ("json",)
