"""The sign-in page and the township attendance page: roles, scope, methods, query counts."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cadres.models import SignIn
from cadres.services_work import MSG_SIGN_IN_TWICE
from cadres.views_work import MSG_PHOTO_TYPE
from tests.factories import FirstSecretaryFactory, VillageFactory
from tests.uploads import png_bytes

pytestmark = pytest.mark.django_db

PNG = png_bytes()


@pytest.fixture
def fs(village, first_secretary):
    return FirstSecretaryFactory(village=village, user=first_secretary)


def test_first_secretary_signs_in_from_the_page(fs, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = client_for(fs.user)
    response = client.post(reverse("cadres:sign_in"), {"note": "走访农户", "photo": SimpleUploadedFile("a.png", PNG)})
    assert response.status_code == 302
    sign_in = SignIn.objects.get()
    assert (sign_in.date, sign_in.village_id, sign_in.note) == (timezone.localdate(), fs.village_id, "走访农户")
    page = client.get(reverse("cadres:sign_in")).content.decode()
    assert "今日已签到" in page and "驻村 <strong" in page


def test_second_sign_in_on_the_page_shows_the_message_and_saves_nothing(fs, client_for):
    client = client_for(fs.user)
    client.post(reverse("cadres:sign_in"), {"note": ""})
    response = client.post(reverse("cadres:sign_in"), {"note": "again"})
    assert response.status_code == 200
    assert MSG_SIGN_IN_TWICE in response.content.decode()
    assert SignIn.objects.count() == 1


def test_a_renamed_non_image_photo_is_refused(fs, client_for):
    response = client_for(fs.user).post(
        reverse("cadres:sign_in"), {"photo": SimpleUploadedFile("a.jpg", b"%PDF-1.4 not an image")}
    )
    assert response.status_code == 200
    assert MSG_PHOTO_TYPE in response.content.decode()
    assert not SignIn.objects.exists()


def test_sign_in_page_is_forbidden_to_other_roles(client_for, township_clerk, village_secretary):
    assert client_for(township_clerk).get(reverse("cadres:sign_in")).status_code == 403
    assert client_for(village_secretary).get(reverse("cadres:sign_in")).status_code == 403


def test_sign_in_page_wrong_method_is_405(fs, client_for):
    assert client_for(fs.user).put(reverse("cadres:sign_in")).status_code == 405


def test_township_sees_who_has_not_signed_in_and_who_is_below_minimum(fs, client_for, township_clerk, other_village,
                                                                      foreign_village):
    absent = FirstSecretaryFactory(village=other_village, name="缺勤书记")
    FirstSecretaryFactory(village=foreign_village, name="外乡书记")
    SignIn.objects.create(first_secretary=fs, village=fs.village, date=timezone.localdate(), time=dt.time(9))
    response = client_for(township_clerk).get(reverse("cadres:township_attendance"))
    assert response.status_code == 200
    assert [f.name for f, _ in response.context["not_signed_in"]] == [absent.name]
    assert {f.name for f, _ in response.context["below_minimum"]} == {fs.name, absent.name}
    assert "外乡书记" not in response.content.decode()


def test_county_organisation_sees_the_whole_county(client_for, county_admin, foreign_village):
    FirstSecretaryFactory(village=foreign_village, name="外乡书记")
    response = client_for(county_admin).get(reverse("cadres:township_attendance"))
    assert response.status_code == 200
    assert "外乡书记" in response.content.decode()


def test_other_township_does_not_see_ours(fs, client_for, other_township_clerk):
    response = client_for(other_township_clerk).get(reverse("cadres:township_attendance"))
    assert fs.name not in response.content.decode()


def test_attendance_forbidden_to_village_roles_and_405_on_post(client_for, village_secretary, township_clerk):
    assert client_for(village_secretary).get(reverse("cadres:township_attendance")).status_code == 403
    assert client_for(township_clerk).post(reverse("cadres:township_attendance")).status_code == 405


@pytest.mark.parametrize("count", [3, 30])
def test_not_signed_in_today_is_a_constant_number_of_queries(count, township, client_for, township_clerk,
                                                             django_assert_max_num_queries):
    for i in range(count):
        v = VillageFactory(parent=township, code=f"419901001{i + 100:03d}")
        FirstSecretaryFactory(village=v)
    client = client_for(township_clerk)
    with django_assert_max_num_queries(9):
        response = client.get(reverse("cadres:township_attendance"))
    assert len(response.context["not_signed_in"]) == count
