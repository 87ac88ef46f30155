"""Every API `create` that is sent a region code resolves it the same way: within the caller's
scope and at the levels the action takes, else a 400 naming the field with its message (one
shared helper, config.api.region_in_scope_or_400)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cadres.api_duty import MSG_UNKNOWN_REGION
from cadres.api_scope import region_in_scope_or_400
from cadres.api_taskforce import MSG_UNKNOWN_REGION as MSG_TASKFORCE_REGION
from ratings.campaign import api as campaign_api
from ratings.campaign.api_weekly import MSG_UNKNOWN_TOWNSHIP, MSG_UNKNOWN_VILLAGE
from villages.models import Level

pytestmark = pytest.mark.django_db

YEAR = 2026


def test_the_helper_finds_a_region_in_scope_at_the_level_asked_else_a_400_naming_the_field(
        township_clerk, township, village, foreign_village):
    from rest_framework.exceptions import ValidationError

    assert region_in_scope_or_400(township_clerk, village.code, levels=[Level.VILLAGE], field="village",
                                  message="无") == village
    for code, levels in ((foreign_village.code, [Level.VILLAGE]), (township.code, [Level.VILLAGE]),
                         ("x" * 12, [Level.VILLAGE])):
        with pytest.raises(ValidationError) as refused:
            region_in_scope_or_400(township_clerk, code, levels=levels, field="village", message="无此村")
        assert refused.value.detail == {"village": ["无此村"]}


@pytest.mark.parametrize("who,route,body,field,message", [
    ("village_secretary", "weekly-report-list", lambda w: {"village": w["foreign_village"].code,
                                                          "entries": [{"star": "branch", "text": "x"}]},
     "village", MSG_UNKNOWN_VILLAGE),
    ("township_clerk", "commentary-list", lambda w: {"township": w["other_township"].code, "year": YEAR,
                                                      "month": 1, "text": "x"},
     "township", MSG_UNKNOWN_TOWNSHIP),
    ("township_clerk", "assignment-list", lambda w: {"year": YEAR, "duty": "contact", "tier": "township_leader",
                                                      "region": w["foreign_village"].code, "start_date": "2026-01-01"},
     "region", MSG_UNKNOWN_REGION),
    ("township_clerk", "contact-visit-list", lambda w: {"village": w["foreign_village"].code, "date": "2026-01-05",
                                                         "findings": "x"},
     "village", MSG_UNKNOWN_REGION),
    ("township_clerk", "checklist-item-list", lambda w: {"village": w["foreign_village"].code, "year": YEAR,
                                                          "star": "safety", "title": "x"},
     "village", campaign_api.MSG_UNKNOWN_VILLAGE),
    ("township_clerk", "inspection-list", lambda w: {"region": w["other_township"].code, "year": YEAR, "quarter": 1,
                                                      "date": "2026-03-01"},
     "region", campaign_api.MSG_UNKNOWN_COUNTY_OR_TOWNSHIP),
    ("township_clerk", "township-plan-list", lambda w: {"township": w["other_township"].code, "year": YEAR},
     "township", campaign_api.MSG_UNKNOWN_TOWNSHIP),
    ("township_clerk", "task-force-list", lambda w: {"region": w["other_township"].code, "year": YEAR,
                                                      "star": "branch", "lead_department": "x"},
     "region", MSG_TASKFORCE_REGION),
])
def test_a_code_outside_the_scope_is_a_400_naming_the_field(request, api_for, other_township, foreign_village,
                                                             who, route, body, field, message):
    world = {"other_township": other_township, "foreign_village": foreign_village}
    response = api_for(request.getfixturevalue(who)).post(reverse(route), body(world), format="json")
    assert response.status_code == 400, response.content
    assert response.json() == {field: [message]}
