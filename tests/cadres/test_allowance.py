"""The monthly allowance: days present × ALLOWANCE_PER_DAY, page and Excel agree, constant queries."""

import datetime as dt
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from cadres.models import FirstSecretaryStatus
from tests.cadres.work_factories import LeaveRequestFactory, SignInFactory, SpotCheckFactory
from tests.factories import FirstSecretaryFactory, VillageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def rate(settings):
    settings.PORTAL = {**settings.PORTAL, "ALLOWANCE_PER_DAY": 150}
    return 150


@pytest.fixture
def world(village, other_village, foreign_village):
    diligent = FirstSecretaryFactory(village=village, name="全勤书记", term_start=dt.date(2025, 1, 1))
    for day in range(1, 23):  # 22 sign-ins in March
        SignInFactory(first_secretary=diligent, date=dt.date(2026, 3, day))
    SpotCheckFactory(first_secretary=diligent, date=dt.date(2026, 3, 5))  # same day: counted once
    SpotCheckFactory(first_secretary=diligent, date=dt.date(2026, 3, 25))  # found present: +1
    SpotCheckFactory(first_secretary=diligent, date=dt.date(2026, 3, 26), present=False)
    LeaveRequestFactory(first_secretary=diligent, start=dt.date(2026, 3, 27), end=dt.date(2026, 3, 28), status="approved")
    SignInFactory(first_secretary=diligent, date=dt.date(2026, 4, 1))  # another month
    recalled = FirstSecretaryFactory(village=other_village, name="召回书记", status=FirstSecretaryStatus.RECALLED,
                                     term_start=dt.date(2025, 1, 1), term_end=dt.date(2026, 3, 10))
    for day in (2, 3, 10, 11):  # the 11th is after the term: not paid
        SignInFactory(first_secretary=recalled, date=dt.date(2026, 3, day))
    FirstSecretaryFactory(village=other_village, name="离任书记", status=FirstSecretaryStatus.ENDED,
                          term_start=dt.date(2024, 1, 1), term_end=dt.date(2026, 1, 31))
    FirstSecretaryFactory(village=foreign_village, name="外乡书记", term_start=dt.date(2025, 1, 1))
    return diligent, recalled


def test_allowance_is_days_present_times_the_daily_rate(world, rate, client_for, township_clerk):
    response = client_for(township_clerk).get(reverse("cadres:allowance"), {"month": "2026-03"})
    assert response.status_code == 200
    table = {row["fs"].name: (row["days"], row["amount"]) for row in response.context["rows"]}
    assert table == {"全勤书记": (23, 23 * 150), "召回书记": (3, 3 * 150)}
    assert (response.context["total_days"], response.context["total_amount"]) == (26, 26 * 150)
    assert "外乡书记" not in response.content.decode() and "离任书记" not in response.content.decode()


def test_excel_has_the_same_numbers_as_the_page(world, rate, client_for, county_admin):
    client = client_for(county_admin)
    page = client.get(reverse("cadres:allowance"), {"month": "2026-03"}).context
    response = client.get(reverse("cadres:allowance_export"), {"month": "2026-03"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).active
    rows = [r for r in sheet.iter_rows(min_row=3, values_only=True)]
    body, total = rows[:-1], rows[-1]
    assert [(r[3], r[7], r[8], r[9]) for r in body] == [
        (row["fs"].name, row["days"], 150, row["amount"]) for row in page["rows"]]
    assert {r[3] for r in body} == {"全勤书记", "召回书记", "外乡书记"}
    assert (total[0], total[7], total[9]) == ("合计", page["total_days"], page["total_amount"])


def test_allowance_roles_scope_and_method(world, client_for, village_secretary, other_township_clerk, county_admin):
    assert client_for(village_secretary).get(reverse("cadres:allowance")).status_code == 403
    assert client_for(village_secretary).get(reverse("cadres:allowance_export")).status_code == 403
    other = client_for(other_township_clerk).get(reverse("cadres:allowance_export"), {"month": "2026-03"})
    rows = list(load_workbook(BytesIO(other.content)).active.iter_rows(min_row=3, values_only=True))
    assert [r[3] for r in rows[:-1]] == ["外乡书记"] and rows[-1][0] == "合计"
    assert client_for(county_admin).post(reverse("cadres:allowance")).status_code == 405
    assert client_for(county_admin).get(reverse("cadres:allowance"), {"month": "2026-99"}).status_code == 200


@pytest.mark.parametrize("count", [3, 60])
def test_allowance_is_a_constant_number_of_queries(count, township, client_for, township_clerk,
                                                   django_assert_max_num_queries):
    for i in range(count):
        fs = FirstSecretaryFactory(village=VillageFactory(parent=township, code=f"419901001{i + 100:03d}"))
        SignInFactory(first_secretary=fs, date=dt.date(2026, 3, 2))
        SpotCheckFactory(first_secretary=fs, date=dt.date(2026, 3, 3))
    client = client_for(township_clerk)
    with django_assert_max_num_queries(8):
        page = client.get(reverse("cadres:allowance"), {"month": "2026-03"})
    with django_assert_max_num_queries(8):
        export = client.get(reverse("cadres:allowance_export"), {"month": "2026-03"})
    assert len(page.context["rows"]) == count and all(r["days"] == 2 for r in page.context["rows"])
    assert export.status_code == 200
