"""The year's evaluation list: evidence per first secretary, grading from the list, scope, roles."""

import datetime as dt

import pytest
from django.urls import reverse

from cadres.models import Evaluation
from cadres.services_work import MSG_EVALUATION_EXISTS
from tests.cadres.work_factories import MonthlyReportFactory, SignInFactory, SpotCheckFactory
from tests.factories import FirstSecretaryFactory, VillageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(village, other_village, foreign_village):
    fs = FirstSecretaryFactory(village=village, name="周第一", term_start=dt.date(2024, 3, 1))
    for day in (2, 3, 4):
        SignInFactory(first_secretary=fs, date=dt.date(2025, 5, day))
    SpotCheckFactory(first_secretary=fs, date=dt.date(2025, 5, 4))  # same day: once
    SpotCheckFactory(first_secretary=fs, date=dt.date(2025, 6, 1))
    SignInFactory(first_secretary=fs, date=dt.date(2026, 1, 5))  # another year
    MonthlyReportFactory(first_secretary=fs, year=2025, month=5)
    MonthlyReportFactory(first_secretary=fs, year=2025, month=6, status="draft")
    FirstSecretaryFactory(village=other_village, name="新任书记", term_start=dt.date(2026, 2, 1))  # not in 2025
    foreign = FirstSecretaryFactory(village=foreign_village, name="外乡书记", term_start=dt.date(2024, 3, 1))
    return fs, foreign


def test_the_list_shows_each_years_evidence(world, client_for, township_clerk):
    response = client_for(township_clerk).get(reverse("cadres:evaluation_list"), {"year": "2025"})
    assert response.status_code == 200
    assert [(r["fs"].name, r["days"], r["reports"], r["evaluation"]) for r in response.context["rows"]] == [
        ("周第一", 4, 1, None)]
    assert response.context["pending"] == 1
    assert "评定</button>" not in response.content.decode()  # the township does not grade


def test_county_grades_from_the_list_once(world, client_for, county_admin):
    fs, foreign = world
    client = client_for(county_admin)
    page = client.get(reverse("cadres:evaluation_list"), {"year": "2025"})
    assert {r["fs"].name for r in page.context["rows"]} == {"周第一", "外乡书记"}
    url = reverse("cadres:evaluation_create", args=[fs.pk])
    response = client.post(url, {"year": "2025", "grade": "excellent", "next": "evaluations"})
    assert response.url == reverse("cadres:evaluation_list") + "?year=2025"
    assert Evaluation.objects.get().days_present == 4
    again = client.post(url, {"year": "2025", "grade": "basic", "next": "evaluations"}, follow=True)
    assert MSG_EVALUATION_EXISTS.format(year=2025) in again.content.decode()
    assert Evaluation.objects.get().grade == "excellent"
    after = client.get(reverse("cadres:evaluation_list"), {"year": "2025"})
    assert after.context["distribution"]["优秀"] == 1 and after.context["pending"] == 1


def test_evaluation_list_roles_method_and_bad_year(world, client_for, village_secretary, county_admin):
    assert client_for(village_secretary).get(reverse("cadres:evaluation_list")).status_code == 403
    client = client_for(county_admin)
    assert client.post(reverse("cadres:evaluation_list")).status_code == 405
    assert client.get(reverse("cadres:evaluation_list"), {"year": "abc"}).status_code == 200
    assert client.get(reverse("cadres:evaluation_list"), {"year": "99999"}).status_code == 200


@pytest.mark.parametrize("count", [3, 40])
def test_evaluation_list_is_a_constant_number_of_queries(count, township, client_for, county_admin,
                                                         django_assert_max_num_queries):
    for i in range(count):
        fs = FirstSecretaryFactory(village=VillageFactory(parent=township, code=f"419901001{i + 100:03d}"),
                                   term_start=dt.date(2024, 1, 1))
        SignInFactory(first_secretary=fs, date=dt.date(2025, 3, 2))
        MonthlyReportFactory(first_secretary=fs, year=2025)
        Evaluation.objects.create(first_secretary=fs, year=2025, grade="competent")
    client = client_for(county_admin)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("cadres:evaluation_list"), {"year": "2025"})
    assert response.context["distribution"]["称职"] == count
