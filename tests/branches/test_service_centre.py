"""The service centre (党群服务中心): duty roster and its public phone page, the errands ledger and
the resident's satisfaction mark on a public QR page (no account, one mark per errand, floods
refused per address, no resident's name or phone shown), monthly counts, scope on every page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from branches.models_pairing import Errand
from branches.selectors_service_centre import duty_days_covered, errand_counts
from branches.services_service_centre import (
    MSG_ALREADY_RATED,
    duty_shift_add,
    duty_shift_end,
    errand_done,
    errand_rate,
    errand_record,
)
from config.models import PublicSubmission
from config.throttles import MSG_PUBLIC_FLOOD

TODAY = timezone.localdate()
D = dt.date


def _errand(by, village, requested_on=None, **extra):
    values = {"request": "代办养老保险资格认证", "category": "social_security", "resident_name": "王秀英",
              "resident_phone": "13912345678", "runner": "李会计", "requested_on": requested_on or TODAY, **extra}
    return errand_record(by=by, village=village, **values)


@pytest.fixture
def done_errand(village_secretary, village):
    errand = _errand(village_secretary, village, requested_on=TODAY - dt.timedelta(days=3))
    return errand_done(by=village_secretary, errand=errand, done_on=TODAY)


# --- roster ----------------------------------------------------------------------------------------


def test_duty_days_covered_counts_the_roster_as_it_stood(village_secretary, village):
    # March 2026: Mondays are the 2nd, 9th, 16th, 23rd, 30th
    shift = duty_shift_add(by=village_secretary, village=village, weekday=1, person="张书记", phone="0371-1234567",
                           valid_from=D(2026, 3, 1))
    duty_shift_add(by=village_secretary, village=village, weekday=3, person="李主任", phone="0371-1234567",
                   valid_from=D(2026, 3, 10))
    assert duty_days_covered([village.pk], 2026, 3)[village.pk] == 5 + 3  # Wednesdays 11, 18, 25
    duty_shift_end(by=village_secretary, shift=shift, on=D(2026, 3, 20))
    assert duty_days_covered([village.pk], 2026, 3)[village.pk] == 3 + 3
    assert duty_days_covered([village.pk], 2026, 2) == {}


def test_other_township_cannot_keep_the_roster(other_township_clerk, village):
    with pytest.raises(PermissionDenied):
        duty_shift_add(by=other_township_clerk, village=village, weekday=1, person="张", phone="1", valid_from=TODAY)


def test_public_duty_page_needs_no_account_and_shows_the_roster(client, village_secretary, village):
    duty_shift_add(by=village_secretary, village=village, weekday=TODAY.isoweekday(), person="张书记",
                   phone="0371-1234567", valid_from=TODAY)
    body = client.get(reverse("public:duty", args=[village.code])).content.decode()
    assert "张书记" in body and "0371-1234567" in body and "今天" in body


def test_public_duty_page_of_an_unknown_village_is_404(client, db):
    assert client.get(reverse("public:duty", args=["000000000000"])).status_code == 404


# --- errands ---------------------------------------------------------------------------------------


def test_errand_done_before_requested_is_refused(village_secretary, village):
    errand = _errand(village_secretary, village)
    with pytest.raises(ValidationError):
        errand_done(by=village_secretary, errand=errand, done_on=TODAY - dt.timedelta(days=1))


def test_errand_counts_in_time_by_promised_days(village_secretary, village):
    ontime = _errand(village_secretary, village, requested_on=D(2026, 3, 2), promised_days=5)
    errand_done(by=village_secretary, errand=ontime, done_on=D(2026, 3, 6))
    late = _errand(village_secretary, village, requested_on=D(2026, 3, 2), promised_days=3)
    errand_done(by=village_secretary, errand=late, done_on=D(2026, 3, 20))
    _errand(village_secretary, village, requested_on=D(2026, 3, 10), promised_days=7)  # due 17th, not done
    done_in_april = _errand(village_secretary, village, requested_on=D(2026, 3, 28), promised_days=7)
    errand_done(by=village_secretary, errand=done_in_april, done_on=D(2026, 4, 2))
    march = errand_counts([village.pk], 2026, 3)[village.pk]
    assert (march.requested, march.done, march.due, march.done_in_time) == (4, 2, 3, 1)
    april = errand_counts([village.pk], 2026, 4)[village.pk]
    assert (april.requested, april.done, april.done_in_time) == (0, 1, 1)


def test_errand_pages_scoped(client_for, village_secretary, other_township_clerk, township_clerk, village):
    errand = _errand(village_secretary, village)
    url = reverse("branches:errand_detail", args=[errand.pk])
    assert client_for(township_clerk).get(url).status_code == 200
    assert client_for(other_township_clerk).get(url).status_code == 404
    assert client_for(other_township_clerk).get(reverse("branches:service_village", args=[village.code])).status_code == 404
    assert client_for(township_clerk).get(reverse("branches:errand_done", args=[errand.pk])).status_code == 405


def test_read_only_role_cannot_record_an_errand(client_for, industry_reviewer, village):
    response = client_for(industry_reviewer).get(reverse("branches:errand_new", args=[village.code]))
    assert response.status_code == 403


def test_errand_form_bad_input_answers_in_chinese(client_for, village_secretary, village):
    response = client_for(village_secretary).post(reverse("branches:errand_new", args=[village.code]),
                                                  {"request": "", "category": "x", "promised_days": "abc"})
    body = response.content.decode()
    assert response.status_code == 200 and "此项为必填项" in body and "请选择有效的选项" in body


def test_service_index_counts_for_township_and_redirects_a_village(client_for, township_clerk, village_secretary,
                                                                   village, foreign_village):
    _errand(village_secretary, village)
    body = client_for(township_clerk).get(reverse("branches:service_index")).content.decode()
    assert village.name in body and foreign_village.name not in body
    response = client_for(village_secretary).get(reverse("branches:service_index"))
    assert response.status_code == 302 and village.code in response["Location"]


# --- the resident's mark -------------------------------------------------------------------------


def test_resident_marks_a_done_errand_once_without_account(client, done_errand):
    url = reverse("public:errand", args=[done_errand.token])
    page = client.get(url).content.decode()
    assert done_errand.request in page
    assert "王秀英" not in page and "13912345678" not in page and "李会计" not in page
    response = client.post(url, {"mark": "3"})
    assert response.status_code == 200 and "感谢您的评价" in response.content.decode()
    done_errand.refresh_from_db()
    assert done_errand.satisfaction == 3
    with pytest.raises(ValidationError) as exc:
        errand_rate(errand=done_errand, mark=1)
    assert MSG_ALREADY_RATED in exc.value.messages


def test_errand_not_done_cannot_be_marked(client, village_secretary, village):
    errand = _errand(village_secretary, village)
    client.post(reverse("public:errand", args=[errand.token]), {"mark": "3"})
    errand.refresh_from_db()
    assert errand.satisfaction is None


def test_unknown_token_is_404(client, db):
    assert client.get(reverse("public:errand", args=["not-a-token"])).status_code == 404


def test_flood_of_marks_from_one_address_is_refused(client, settings, village_secretary, village):
    settings.PUBLIC_FORM_LIMIT = 3
    errands = []
    for _ in range(5):
        e = _errand(village_secretary, village, requested_on=TODAY - dt.timedelta(days=1))
        errands.append(errand_done(by=village_secretary, errand=e, done_on=TODAY))
    statuses = [client.post(reverse("public:errand", args=[e.token]), {"mark": "1"}, REMOTE_ADDR="10.0.0.9").status_code
                for e in errands]
    assert statuses == [200, 200, 200, 429, 429]
    assert Errand.objects.filter(satisfaction__isnull=False).count() == 3
    refused = client.post(reverse("public:errand", args=[errands[4].token]), {"mark": "1"}, REMOTE_ADDR="10.0.0.9")
    assert MSG_PUBLIC_FLOOD in refused.content.decode()
    # another address is not refused
    ok = client.post(reverse("public:errand", args=[errands[4].token]), {"mark": "2"}, REMOTE_ADDR="10.0.0.10")
    assert ok.status_code == 200 and PublicSubmission.objects.filter(ip_address="10.0.0.10").count() == 1


def test_village_page_shows_a_qr_code_of_the_public_roster(client_for, village_secretary, village):
    body = client_for(village_secretary).get(reverse("branches:service_village", args=[village.code])).content.decode()
    assert 'class="qr-code"' in body and reverse("public:duty", args=[village.code]) in body
