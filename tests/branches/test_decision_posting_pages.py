"""四议两公开 and 三务公开 pages: lists, forms, scope, read-only roles and input messages."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from branches.models import Decision, Posting, RecordEvent
from branches.services import MSG_FILE_TYPE
from tests.uploads import pdf_bytes

from .factories import DecisionFactory, PostingFactory

pytestmark = pytest.mark.django_db

PDF = pdf_bytes()


def decision_data(village, **overrides):
    data = {"village": village.code, "matter": "村集体光伏电站收益分配", "proposed_on": "2026-03-01",
            "discussed_on": "2026-03-05", "reviewed_on": "2026-03-10", "resolved_on": "", "note": ""}
    data.update(overrides)
    return data


def posting_data(village, **overrides):
    data = {"village": village.code, "category": "financial", "year": "2026", "month": "3",
            "posted_on": "2026-03-31", "content": "一季度收支明细"}
    data.update(overrides)
    return data


@pytest.fixture
def records(village, foreign_village):
    return {
        "decision": DecisionFactory(village=village, matter="本村议题"),
        "foreign_decision": DecisionFactory(village=foreign_village, matter="外乡议题"),
        "posting": PostingFactory(village=village, content="本村公开内容"),
        "foreign_posting": PostingFactory(village=foreign_village, content="外乡公开内容"),
    }


@pytest.mark.parametrize("name", ["decision", "posting"])
@pytest.mark.parametrize("role", ["village_secretary", "first_secretary", "township_clerk", "county_admin"])
def test_lists_show_the_scope_only(name, role, request, client_for, records):
    user = request.getfixturevalue(role)
    body = client_for(user).get(reverse(f"branches:{name}_list")).content.decode()
    mine = records[name].matter if name == "decision" else records[name].content
    foreign = records[f"foreign_{name}"].matter if name == "decision" else records[f"foreign_{name}"].content
    assert mine in body
    assert (foreign in body) == (role == "county_admin")


@pytest.mark.parametrize("name", ["decision", "posting"])
def test_other_townships_record_and_village_are_404(name, client_for, other_township_clerk, records, village):
    client = client_for(other_township_clerk)
    assert client.get(reverse(f"branches:{name}_edit", args=[records[name].pk])).status_code == 404
    assert client.get(reverse(f"branches:{name}_list"), {"village": village.code}).status_code == 404


@pytest.mark.parametrize("name", ["decision", "posting"])
def test_county_roles_are_refused_a_write(name, client_for, county_admin, branch_reviewer, records, village):
    data = decision_data(village) if name == "decision" else posting_data(village)
    for user in (county_admin, branch_reviewer):
        client = client_for(user)
        assert client.post(reverse(f"branches:{name}_create"), data).status_code == 403
        assert client.post(reverse(f"branches:{name}_edit", args=[records[name].pk]), data).status_code == 403
    assert Decision.objects.count() == 2 and Posting.objects.count() == 2


@pytest.mark.parametrize("name", ["decision", "posting"])
def test_wrong_method_is_405(name, client_for, township_clerk, records):
    client = client_for(township_clerk)
    assert client.post(reverse(f"branches:{name}_list")).status_code == 405
    assert client.delete(reverse(f"branches:{name}_edit", args=[records[name].pk])).status_code == 405


def test_a_decision_is_recorded_step_by_step(client_for, village_secretary, township_clerk, village):
    response = client_for(village_secretary).post(reverse("branches:decision_create"), decision_data(village))
    assert response.status_code == 302
    decision = Decision.objects.get()
    assert (decision.steps_done, decision.is_complete, decision.created_by) == (3, False, village_secretary)
    response = client_for(township_clerk).post(
        reverse("branches:decision_edit", args=[decision.pk]),
        decision_data(village, resolved_on="2026-03-15", resolution_published_on="2026-03-16",
                      result_published_on="2026-05-20"))
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.is_complete and decision.updated_by == township_clerk
    event = RecordEvent.objects.get(record_type="decision", action="update")
    assert event.changes["resolved_on"] == {"before": None, "after": "2026-03-15"}


@pytest.mark.parametrize(("overrides", "field", "message"), [
    ({"discussed_on": "2026-02-20"}, "discussed_on", "“两委”联席会议商议”的日期不能早于“党支部会议提议”"),
    ({"reviewed_on": "", "resolved_on": "2026-03-20"}, "resolved_on", "请先填写“党员大会审议”的日期"),
    ({"matter": ""}, "matter", "该字段是必填项。"),
    ({"proposed_on": "2026-13-01"}, "proposed_on", "输入一个有效的日期。"),
])
def test_a_decision_out_of_order_is_refused_with_a_message(overrides, field, message, client_for, village_secretary,
                                                           village):
    response = client_for(village_secretary).post(reverse("branches:decision_create"),
                                                  decision_data(village, **overrides))
    assert response.status_code == 200
    assert any(message in e for e in response.context["form"].errors[field])
    assert not Decision.objects.exists()


def test_a_posting_with_a_pdf_is_recorded(client_for, first_secretary, village):
    scan = SimpleUploadedFile("公开栏.pdf", PDF, content_type="application/pdf")
    response = client_for(first_secretary).post(reverse("branches:posting_create"),
                                                {**posting_data(village), "photo": scan})
    assert response.status_code == 302
    posting = Posting.objects.get()
    assert posting.photo.name.endswith(".pdf") and posting.created_by == first_secretary


def test_posting_list_filters_by_category_and_year(client_for, township_clerk, village):
    PostingFactory(village=village, category="party", content="党务一")
    PostingFactory(village=village, category="financial", content="财务一")
    PostingFactory(village=village, category="party", year=2025, content="去年党务")
    response = client_for(township_clerk).get(reverse("branches:posting_list"), {"category": "party", "year": "2026"})
    assert [p.content for p in response.context["postings"]] == ["党务一"]


@pytest.mark.parametrize(("overrides", "field"), [({"month": "13"}, "month"), ({"content": ""}, "content"),
                                                  ({"category": "gossip"}, "category")])
def test_an_invalid_posting_is_refused(overrides, field, client_for, village_secretary, village):
    response = client_for(village_secretary).post(reverse("branches:posting_create"), posting_data(village, **overrides))
    assert response.status_code == 200 and field in response.context["form"].errors
    assert not Posting.objects.exists()


def test_a_posting_photo_that_is_not_an_image_is_refused(client_for, village_secretary, village):
    fake = SimpleUploadedFile("公开栏.png", b"MZ\x90\x00 an executable", content_type="image/png")
    response = client_for(village_secretary).post(reverse("branches:posting_create"),
                                                  {**posting_data(village), "photo": fake})
    assert MSG_FILE_TYPE in response.context["form"].errors["photo"]
    assert not Posting.objects.exists()


def test_a_future_posting_date_is_refused(client_for, village_secretary, village):
    future = (dt.date.today() + dt.timedelta(days=60)).isoformat()
    response = client_for(village_secretary).post(reverse("branches:posting_create"),
                                                  posting_data(village, posted_on=future))
    assert "日期不能晚于今天" in response.context["form"].errors["posted_on"]
