"""The award's public notice (公示) open to villagers: the page without an account, an objection
sent from it entering the workflow (naming waits for it to be handled, as for one recorded by
hand), nothing a villager sent shown back, floods refused per address, the QR code printed on
the application's page, and the objector's name shown to the organisation department only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from ratings.campaign.services import awards as svc
from ratings.models import Application, ApplicationStatus, Objection, ObjectionSource

pytestmark = pytest.mark.django_db

TODAY = dt.date.today()
YEAR = TODAY.year


@pytest.fixture
def on_notice(village, township_clerk, village_secretary, branch_reviewer, industry_reviewer, county_admin):
    svc.target_set(village=village, year=YEAR, level=2, target_stars=["branch", "industry"], by=township_clerk)
    app = svc.application_submit(village=village, year=YEAR, stars=["branch", "industry"], by=village_secretary)
    svc.application_township_check(application=app, by=township_clerk)
    svc.application_star_review(application=app, star="branch", approved=True, by=branch_reviewer)
    svc.application_star_review(application=app, star="industry", approved=True, by=industry_reviewer)
    return svc.public_notice_start(application=app, by=county_admin, days=7)


def notice_url(county):
    return reverse("public_notice:notice", args=[county.code, YEAR])


def test_anyone_opens_the_notice_and_sees_the_proposed_stars(client, county, on_notice, village):
    body = client.get(notice_url(county)).content.decode()
    assert village.name in body and "支部过硬星" in body and "产业兴旺星" in body and "2星" in body


def test_an_objection_from_the_page_enters_the_workflow(client, client_for, county, county_admin, on_notice):
    response = client.post(notice_url(county), {"application": on_notice.pk, "content": "该村集体收入数据不实",
                                                "name": "赵大伯", "phone": "13800001111"})
    body = response.content.decode()
    assert response.status_code == 200 and "您的异议已提交" in body
    assert "赵大伯" not in body and "13800001111" not in body and "该村集体收入数据不实" not in body
    objection = Objection.objects.get(application=on_notice)
    assert objection.source == ObjectionSource.PUBLIC and objection.recorded_by is None
    # naming waits until it is handled, as for one recorded by hand
    Application.objects.filter(pk=on_notice.pk).update(notice_start=TODAY - dt.timedelta(days=9),
                                                       notice_end=TODAY - dt.timedelta(days=2))
    named = client_for(county_admin).post(reverse("campaign:award_action", args=[on_notice.pk, "name"]), follow=True)
    assert "还有公示异议未处理" in named.content.decode()
    client_for(county_admin).post(reverse("campaign:award_action", args=[on_notice.pk, "handle"]),
                                  {"objection": objection.pk, "handling": "经核查数据属实"})
    client_for(county_admin).post(reverse("campaign:award_action", args=[on_notice.pk, "name"]))
    assert Application.objects.get(pk=on_notice.pk).status == ApplicationStatus.NAMED


def test_objector_name_shown_to_organisation_only(client, client_for, county, county_admin, village_secretary,
                                                  on_notice):
    client.post(notice_url(county), {"application": on_notice.pk, "content": "有异议", "name": "赵大伯"})
    detail = reverse("campaign:application_detail", args=[on_notice.pk])
    assert "赵大伯" in client_for(county_admin).get(detail).content.decode()
    page = client_for(village_secretary).get(detail).content.decode()
    assert "有异议" in page and "赵大伯" not in page


def test_objection_after_the_notice_period_is_refused(client, county, on_notice):
    Application.objects.filter(pk=on_notice.pk).update(notice_end=TODAY - dt.timedelta(days=1),
                                                       notice_start=TODAY - dt.timedelta(days=8))
    response = client.post(notice_url(county), {"application": on_notice.pk, "content": "有异议"})
    assert response.status_code == 200 and not Objection.objects.exists()
    assert "异议未提交" in response.content.decode()


def test_empty_objection_answers_in_chinese(client, county, on_notice):
    response = client.post(notice_url(county), {"application": on_notice.pk, "content": ""})
    assert "请填写异议内容" in response.content.decode() and not Objection.objects.exists()


def test_flood_of_objections_is_refused(client, settings, county, on_notice):
    settings.PUBLIC_FORM_LIMIT = 2
    statuses = [client.post(notice_url(county), {"application": on_notice.pk, "content": f"异议{i}"},
                            REMOTE_ADDR="10.1.1.1").status_code for i in range(4)]
    assert statuses == [200, 200, 429, 429]
    assert Objection.objects.count() == 2


def test_unknown_county_is_404(client):
    assert client.get(reverse("public_notice:notice", args=["000000000000", YEAR])).status_code == 404


def test_application_page_prints_the_notice_qr(client_for, county_admin, on_notice, village):
    body = client_for(county_admin).get(reverse("campaign:application_detail", args=[on_notice.pk])).content.decode()
    assert 'id="notice-qr"' in body and f"?village={village.code}" in body
