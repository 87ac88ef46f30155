"""The stored per-indicator detail: written compact, read the same whatever form it was stored in."""

from decimal import Decimal as D

import pytest
from django.urls import reverse

from ratings.detail import detail_expanded, detail_rows, detail_to_earn
from ratings.models import StarScore, View
from ratings.services.scoring import recompute

from .scoring_helpers import fill_ledgers

ROW = {"code": "industry.jobs", "value": "30", "points": "10.00", "max_points": "10.00", "met": True, "veto": False,
       "gap": None}


@pytest.mark.parametrize("stored", [
    {"rows": [["industry.jobs", "30", "10.00", "10.00", True, False, None]], "to_earn": ["industry.jobs"]},
    {"rows": [ROW], "to_earn": ["industry.jobs"]},
], ids=["compact", "objects"])
def test_both_stored_forms_read_the_same(stored):
    assert detail_rows(stored) == [ROW]
    assert detail_to_earn(stored) == ["industry.jobs"]
    assert detail_expanded(stored) == {"rows": [ROW], "to_earn": ["industry.jobs"]}


def test_the_oldest_form_a_bare_list_of_objects_reads_as_rows():
    assert detail_rows([ROW]) == [ROW]
    assert detail_to_earn([ROW]) == []


def test_not_applicable_is_the_eighth_item():
    (row,) = detail_rows({"rows": [["branch.fs", None, "5.00", "5.00", True, False, None, True]]})
    assert row["na"] is True and row["value"] is None
    (row,) = detail_rows({"rows": [["branch.fs", "3", "5.00", "5.00", True, False, None]]})
    assert "na" not in row


@pytest.mark.parametrize("stored", [None, "", [], {}, {"rows": "x"}, {"rows": [["too", "short"]]}, {"rows": [3]},
                                    {"to_earn": "industry.jobs"}])
def test_a_malformed_detail_reads_as_no_rows(stored):
    assert detail_rows(stored) == []
    assert detail_to_earn(stored) == []


def test_a_row_read_is_a_new_dict_the_stored_one_is_untouched():
    stored = {"rows": [dict(ROW)]}
    detail_rows(stored)[0]["name"] = "changed"
    assert stored["rows"][0] == ROW


@pytest.fixture
def recomputed(village, township_clerk, standard, this_month):
    fill_ledgers([village], township_clerk, *this_month, value_for=lambda v, indicator: D(3))
    recompute(year=this_month[0], month=this_month[1], region=village.parent.parent)
    return StarScore.objects.get(village=village, year=this_month[0], month=this_month[1], view=View.LIVE,
                                 star="industry")


def test_a_recompute_stores_compact_rows_that_add_up_to_the_score(recomputed):
    stored = recomputed.indicators
    assert stored["rows"] and all(isinstance(row, list) and len(row) in (7, 8) for row in stored["rows"])
    rows = detail_rows(stored)
    assert {row["code"] for row in rows} >= {"industry.jobs"}
    assert sum(D(row["points"]) for row in rows) == recomputed.score
    assert {row["code"] for row in rows if not row["met"]} == set(recomputed.unmet)


def test_the_explain_api_shows_every_row_as_an_object(api_for, township_clerk, recomputed, village, this_month):
    params = {"village": village.code, "year": this_month[0], "month": this_month[1], "star": "industry"}
    shown = api_for(township_clerk).get(reverse("explain-list"), params).json()["indicators"]
    assert shown == detail_expanded(recomputed.indicators)
    assert all(set(row) >= {"code", "value", "points", "max_points", "met", "veto", "gap"} for row in shown["rows"])
    # A row stored in the earlier form (objects) shows the same way.
    StarScore.objects.filter(pk=recomputed.pk).update(indicators={"rows": [ROW], "to_earn": []})
    shown = api_for(township_clerk).get(reverse("explain-list"), params).json()["indicators"]
    assert shown == {"rows": [ROW], "to_earn": []}


def test_the_explain_page_reads_compact_rows(client_for, township_clerk, recomputed, village, this_month):
    url = reverse("ratings:explain", args=[village.code, this_month[0], this_month[1], "industry"])
    response = client_for(township_clerk).get(url)
    assert response.status_code == 200
    shown = {row["code"]: row for row in response.context["rows"]}
    assert shown["industry.jobs"]["value"] == "3" and shown["industry.jobs"]["name"] != "industry.jobs"
