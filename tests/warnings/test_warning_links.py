"""Which links of the warnings list a user may follow: each page's own access rule decides (the
app's access module), a veto's ledger entry is linked only for those who may open that entry,
and naming who acknowledged costs the same few queries however many people did."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cadres.models import Role
from ratings.models import EarlyWarning, LedgerEntry, LedgerStatus, WarningKind, WarningState
from tests.factories import PostFactory, UserFactory

pytestmark = pytest.mark.django_db

LIST = "campaign:warning_list"
MISSING = 987654  # no such record: a reader of the page gets its 404, anyone else its 403


def _warning(kind, region, township, text, link_name, link_args=(), key="k", **extra):
    return EarlyWarning.objects.create(kind=kind, region=region, township=township, key=key, year=2026, month=6,
                                       text=text, link_name=link_name, link_args=list(link_args), **extra)


@pytest.fixture
def leaders(county, township):
    county_leader = UserFactory(username="county_leader_user", full_name="县领导")
    PostFactory(user=county_leader, role=Role.COUNTY_LEADER, region=county)
    township_leader = UserFactory(username="township_leader_user", full_name="镇领导")
    PostFactory(user=township_leader, role=Role.TOWNSHIP_LEADER, region=township)
    return {"county_leader": county_leader, "township_leader": township_leader}


@pytest.mark.parametrize("who", ["county_admin", "industry_reviewer", "township_clerk", "village_secretary",
                                 "county_leader", "township_leader"])
def test_each_link_is_offered_exactly_to_those_its_page_lets_in(request, client_for, leaders, township, village,
                                                                standard, who):
    from tests.branches.factories import RectificationFactory
    from tests.factories import BranchFactory

    user = leaders[who] if who in leaders else request.getfixturevalue(who)
    rectification = RectificationFactory(branch=BranchFactory(village=village, is_weak_lax=True))
    rows = [
        _warning(WarningKind.WEAK_LAX, village, township, "预警0", "branches:rectification_detail",
                 [rectification.pk], key="k0"),
        _warning(WarningKind.LEDGER_LATE, township, township, "预警1", "ratings:ledger_grid", key="k1",
                 link_query=f"township={township.code}"),
        _warning(WarningKind.ATTENDANCE, village, township, "预警2", "cadres:township_attendance", key="k2"),
    ]
    client = client_for(user)
    body = client.get(reverse(LIST)).content.decode()
    seen = [row for row in rows if row.text in body]  # a village's user does not see a township's row
    assert len(seen) >= 2
    for row in seen:
        opens = client.get(row.link).status_code == 200
        assert (f'href="{row.link}"' in body) is opens, (who, row.link_name)


def test_an_attendance_warning_names_the_record_only_for_those_the_record_lets_in(client_for, leaders,
                                                                                 industry_reviewer, township,
                                                                                 village):
    _warning(WarningKind.ATTENDANCE, village, township, "第一书记在村天数不足", "cadres:first_secretary_detail",
             [MISSING])
    record = reverse("cadres:first_secretary_detail", args=[MISSING])
    for user, opens in ((industry_reviewer, True), (leaders["county_leader"], False)):
        client = client_for(user)
        assert (client.get(record).status_code != 403) is opens
        assert (f'href="{record}"' in client.get(reverse(LIST)).content.decode()) is opens


@pytest.fixture
def veto_warning(standard, indicator_of, village, township, township_clerk):
    """A veto entered on the branch star (支部过硬星) and its warning."""
    entry = LedgerEntry.objects.create(village=village, indicator=indicator_of("branch.discipline_veto"),
                                       year=standard.year, month=6, value=D(1), status=LedgerStatus.SUBMITTED,
                                       entered_by=township_clerk)
    _warning(WarningKind.VETO, village, township, "东风村6月台账填报了一票否决事项", "ratings:entry_detail",
             [entry.pk], key=f"entry:{entry.pk}")
    return entry


def test_a_veto_links_to_its_entry_for_the_lead_department_of_its_star(client_for, branch_reviewer, veto_warning):
    url = reverse("ratings:entry_detail", args=[veto_warning.pk])
    client = client_for(branch_reviewer)
    assert client.get(url).status_code == 200
    body = client.get(reverse(LIST)).content.decode()
    assert f'<a href="{url}">东风村6月台账填报了一票否决事项</a>' in body


def test_a_veto_is_text_without_a_link_for_the_lead_department_of_another_star(client_for, industry_reviewer,
                                                                               township, veto_warning):
    url = reverse("ratings:entry_detail", args=[veto_warning.pk])
    client = client_for(industry_reviewer)
    assert client.get(url).status_code == 404
    for page in (reverse(LIST), reverse("reports:county_dashboard")):
        body = client.get(page).content.decode()
        assert "东风村6月台账填报了一票否决事项" in body and f'href="{url}"' not in body, page


def test_a_veto_links_to_its_entry_for_the_county_and_the_township(client_for, county_admin, township_clerk,
                                                                  township, veto_warning):
    url = reverse("ratings:entry_detail", args=[veto_warning.pk])
    for user, page in ((county_admin, reverse(LIST)),
                       (township_clerk, reverse("reports:township_dashboard", args=[township.code]))):
        client = client_for(user)
        assert client.get(url).status_code == 200
        assert f'href="{url}"' in client.get(page).content.decode()


def _acknowledged_by_unnamed_users(township, village, first: int, count: int) -> None:
    """`count` warnings, each acknowledged by another user who has no full name (named by post)."""
    from django.utils import timezone

    for n in range(first, first + count):
        user = UserFactory(username=f"clerk_{n}", full_name="")
        PostFactory(user=user, role=Role.TOWNSHIP_STAFF, region=township)
        _warning(WarningKind.TASK_OVERDUE, village, township, f"任务{n}逾期", "campaign:task_list", key=f"t{n}",
                 state=WarningState.ACKNOWLEDGED, acknowledged_by=user, acknowledged_at=timezone.now())


def test_the_list_names_who_acknowledged_in_the_same_queries_however_many_did(
        client_for, county_admin, township, village, django_assert_max_num_queries):
    client = client_for(county_admin)
    _acknowledged_by_unnamed_users(township, village, 0, 2)
    client.get(reverse(LIST))  # warm the session and the user's posts
    with CaptureQueriesContext(connection) as few:
        body = client.get(reverse(LIST)).content.decode()
    assert body.count(f"{township.name}乡镇专干 于") == 2
    _acknowledged_by_unnamed_users(township, village, 2, 20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = client.get(reverse(LIST)).content.decode()
    assert body.count(f"{township.name}乡镇专干 于") == 22
