"""Star task forces (一星一专班) and joint consultations (联席会商): measures become task items that
the village closes; pages and API scoped, wrong roles refused."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from cadres.models import Consultation, TaskForce
from cadres.services_taskforce import (
    MSG_UNIT_UNKNOWN,
    Measure,
    consultation_record,
    departments_ensure,
    departments_save,
    parse_members,
    task_force_save,
)
from ratings.campaign.services.checklist import measure_complete
from ratings.models import ChecklistItem, ItemOrigin, ItemStatus

TODAY = timezone.localdate()


def _meeting(by, region, village, **extra):
    return consultation_record(
        by=by, region=region, date=TODAY, title="12月联席会商", attendees="组织部、农业农村局",
        progress={"industry": "合作社分红全部公示", "branch": ""}, problems="个别村集体收入偏低",
        measures=[Measure(star="industry", village=village, title="规范合作社账务", owner_text="村党支部书记",
                          due_date=TODAY + dt.timedelta(days=20)), Measure("", None, "", "", None)], **extra)


def test_task_force_is_saved_with_members_and_replaced(county_admin, county):
    departments_ensure(county, ["县财政局", "县供销社"])
    members = parse_members("张伟 县农业农村局 组长\n李娜，县财政局\n\n")
    force = task_force_save(by=county_admin, region=county, year=TODAY.year, star="industry",
                            lead_department="县农业农村局", member_units="县财政局\n县供销社", members=members)
    assert [(m.name, m.unit, m.role) for m in force.members.all()] == [("张伟", "县农业农村局", "组长"),
                                                                      ("李娜", "县财政局", "成员")]
    assert force.units == ["县财政局", "县供销社"]
    task_force_save(by=county_admin, region=county, year=TODAY.year, star="industry", lead_department="县农业农村局",
                    members=[("王强", "", "组长")])
    assert TaskForce.objects.count() == 1 and force.members.count() == 1 and force.units == []
    with pytest.raises(ValidationError):
        parse_members("张伟 县农业农村局 组长 多余")


def test_township_keeps_its_own_task_forces_only(township_clerk, township, other_township, county):
    task_force_save(by=township_clerk, region=township, year=TODAY.year, star="ecology", lead_department="镇农业办")
    for region in (other_township, county):
        with pytest.raises(PermissionDenied):
            task_force_save(by=township_clerk, region=region, year=TODAY.year, star="ecology", lead_department="x")


def test_consultation_measure_becomes_a_task_the_village_closes(county_admin, county, village, village_secretary):
    meeting = _meeting(county_admin, county, village)
    item = meeting.measures.get()
    assert (item.origin, item.status, item.village, item.owner_text) == (
        ItemOrigin.MEASURE, ItemStatus.OPEN, village, "村党支部书记")
    assert [p.star for p in meeting.progress.all()] == ["industry"]
    with pytest.raises(ValidationError):
        measure_complete(item=item, by=village_secretary, note=" ")
    measure_complete(item=item, by=village_secretary, note="账务已按月公开")
    assert ChecklistItem.objects.get(pk=item.pk).status == ItemStatus.CLOSED


def test_consultation_with_a_bad_measure_saves_nothing(county_admin, county, village, foreign_village,
                                                       township_clerk, township):
    with pytest.raises(ValidationError):
        consultation_record(by=county_admin, region=county, date=TODAY, title="会商", attendees="组织部", progress={},
                            measures=[Measure("industry", village, "措施一", "书记", TODAY),
                                      Measure("industry", village, "措施二", "", TODAY)])
    # A township's consultation may not task a village of another township.
    with pytest.raises(ValidationError):
        _meeting(township_clerk, township, foreign_village)
    assert not Consultation.objects.exists() and not ChecklistItem.objects.exists()


def test_pages_scope_and_roles(client_for, county_admin, county, village, township_clerk, other_township_clerk,
                               village_secretary, township, industry_reviewer):
    meeting = _meeting(county_admin, county, village)
    url = reverse("cadres:consultation_detail", args=[meeting.pk])
    assert "规范合作社账务" in client_for(village_secretary).get(url).content.decode()
    # The other township sees the county's meeting but not this township's village measures.
    body = client_for(other_township_clerk).get(url).content.decode()
    assert "规范合作社账务" not in body
    township_meeting = consultation_record(by=township_clerk, region=township, date=TODAY, title="镇会商",
                                           attendees="镇党委", progress={}, measures=[])
    assert client_for(other_township_clerk).get(
        reverse("cadres:consultation_detail", args=[township_meeting.pk])).status_code == 404
    new = reverse("cadres:consultation_new")
    assert client_for(township_clerk).get(new, {"region": county.code}).status_code == 403
    assert client_for(industry_reviewer).get(new, {"region": county.code}).status_code == 403
    assert client_for(other_township_clerk).get(new, {"region": township.code}).status_code == 404
    assert client_for(county_admin).get(new, {"region": county.code}).status_code == 200
    edit = reverse("cadres:task_force_edit")
    assert client_for(village_secretary).get(edit, {"region": township.code, "star": "branch"}).status_code == 403
    assert client_for(other_township_clerk).get(edit, {"region": township.code, "star": "branch"}).status_code == 404
    assert client_for(township_clerk).post(edit + f"?region={township.code}&star=branch", {
        "lead_department": "镇党建办", "members": "张三 镇党建办 组长"}).status_code == 302
    assert "镇党建办" in client_for(village_secretary).get(reverse("cadres:task_force_list")).content.decode()
    assert client_for(county_admin).post(reverse("cadres:consultation_list")).status_code == 405


def test_consultation_page_records_measures(client_for, county_admin, county, village):
    response = client_for(county_admin).post(reverse("cadres:consultation_new") + f"?region={county.code}", {
        "date": TODAY.isoformat(), "title": "月度会商", "attendees": "各专班", "progress_branch": "三会一课全面规范",
        "m1_star": "branch", "m1_village": village.code, "m1_title": "补齐党员积分台账", "m1_owner": "李书记",
        "m1_due": (TODAY + dt.timedelta(days=7)).isoformat()})
    meeting = Consultation.objects.get()
    assert response.status_code == 302 and meeting.measures.get().title == "补齐党员积分台账"


def test_measure_page_and_api_close(client_for, api_for, county_admin, county, village, village_secretary,
                                    industry_reviewer, other_township_clerk):
    item = _meeting(county_admin, county, village).measures.get()
    page = client_for(village_secretary).get(reverse("campaign:task_item", args=[item.pk])).content.decode()
    assert reverse("campaign:problem_action", args=[item.pk, "complete"]) in page
    assert api_for(industry_reviewer).post(reverse("checklist-item-complete", args=[item.pk]),
                                           {"note": "x"}, format="json").status_code == 403
    assert api_for(other_township_clerk).post(reverse("checklist-item-complete", args=[item.pk]),
                                              {"note": "x"}, format="json").status_code == 404
    response = api_for(village_secretary).post(reverse("checklist-item-complete", args=[item.pk]),
                                               {"note": "已完成"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "closed"


def test_api_task_forces_and_consultations(api_for, county_admin, county, village, township_clerk,
                                           other_township_clerk, township):
    response = api_for(county_admin).post(reverse("consultation-list"), {
        "region": county.code, "date": TODAY.isoformat(), "title": "会商", "attendees": "组织部",
        "measures": [{"star": "safety", "village": village.code, "title": "补齐网格员巡查记录", "owner_text": "村支书",
                      "due_date": TODAY.isoformat()}]}, format="json")
    assert response.status_code == 201 and len(response.json()["measures"]) == 1
    assert api_for(township_clerk).post(reverse("task-force-list"), {
        "region": county.code, "year": TODAY.year, "star": "branch", "lead_department": "x"},
        format="json").status_code == 403
    created = api_for(township_clerk).post(reverse("task-force-list"), {
        "region": township.code, "year": TODAY.year, "star": "branch", "lead_department": "镇党建办",
        "members": [{"name": "张三", "unit": "镇党建办", "role": "组长"}]}, format="json")
    assert created.status_code == 201
    assert api_for(other_township_clerk).get(reverse("task-force-detail", args=[created.json()["id"]])
                                             ).status_code == 404


def test_consultation_list_counts_open_and_closed_measures(client_for, county_admin, county, village,
                                                           village_secretary):
    """The list counts a meeting's measures and those not yet closed, reading the campaign's items
    through the link it declares; the closed status it compares with is the campaign's."""
    from cadres.selectors_taskforce import MEASURE_CLOSED, consultations_for

    assert MEASURE_CLOSED == ItemStatus.CLOSED
    meeting = _meeting(county_admin, county, village)
    _meeting(county_admin, county, village)
    measure_complete(item=meeting.measures.get(), by=village_secretary, note="账务已按月公开")
    counts = {c.pk: (c.measure_count, c.open_count) for c in consultations_for(user=county_admin)}
    assert sorted(counts.values()) == [(1, 0), (1, 1)] and counts[meeting.pk] == (1, 0)
    page = client_for(county_admin).get(reverse("cadres:consultation_list"))
    text = page.content.decode()
    assert page.status_code == 200 and text.count(">0 项</td>") == 1 and text.count(">1 项</td>") == 3


def test_member_units_are_picked_from_the_countys_departments(county_admin, county, township_clerk, township):
    departments_ensure(county, ["县财政局", "县农商银行"])
    with pytest.raises(ValidationError) as exc:
        task_force_save(by=county_admin, region=county, year=TODAY.year, star="industry",
                        lead_department="县农业农村局", member_units="县财政局\n县财 政局")
    assert exc.value.message_dict["member_units"] == [MSG_UNIT_UNKNOWN.format(name="县财 政局", county=county.name)]
    assert not TaskForce.objects.exists()
    # A township's task force picks from its county's list as well.
    force = task_force_save(by=township_clerk, region=township, year=TODAY.year, star="industry",
                            lead_department="镇农业办", member_units=["县农商银行"])
    assert force.units == ["县农商银行"]


def test_the_task_force_form_offers_the_countys_departments_and_refuses_others_in_chinese(
        client_for, county_admin, county):
    departments_ensure(county, ["县财政局", "县供销社"])
    edit = reverse("cadres:task_force_edit") + f"?region={county.code}&star=industry"
    page = client_for(county_admin).get(edit).content.decode()
    assert 'type="checkbox" name="member_units" value="县财政局"' in page and 'value="县供销社"' in page
    response = client_for(county_admin).post(edit, {"lead_department": "县农业农村局",
                                                    "member_units": ["县财政局", "随便写的单位"]})
    assert response.status_code == 200 and "“随便写的单位”不在本县的部门和单位名单中" in response.content.decode()
    assert not TaskForce.objects.exists()
    response = client_for(county_admin).post(edit, {"lead_department": "县农业农村局",
                                                    "member_units": ["县供销社", "县财政局"]})
    assert response.status_code == 302 and TaskForce.objects.get().units == ["县财政局", "县供销社"]


def test_the_api_refuses_a_typed_unit_with_a_400_and_reads_units_one_a_line(api_for, county_admin, county):
    departments_ensure(county, ["县财政局", "县供销社"])
    body = {"region": county.code, "year": TODAY.year, "star": "industry", "lead_department": "县农业农村局",
            "member_units": "县财政局\n县外来单位"}
    response = api_for(county_admin).post(reverse("task-force-list"), body, format="json")
    assert response.status_code == 400 and "县外来单位" in str(response.json())
    body["member_units"] = "县财政局\n县供销社"
    response = api_for(county_admin).post(reverse("task-force-list"), body, format="json")
    assert response.status_code == 201 and response.json()["member_units"] == "县财政局\n县供销社"


def test_the_organisation_department_keeps_the_list_and_cannot_drop_a_unit_in_use(
        client_for, county_admin, county, township_clerk, industry_reviewer):
    page = reverse("cadres:department_list") + f"?county={county.code}"
    assert client_for(county_admin).post(page, {"names": "县财政局\n县供销社\n\n县财政局"}).status_code == 302
    assert list(county.departments.values_list("name", "order")) == [("县财政局", 1), ("县供销社", 2)]
    task_force_save(by=county_admin, region=county, year=TODAY.year, star="industry", lead_department="县农业农村局",
                    member_units="县供销社")
    response = client_for(county_admin).post(page, {"names": "县财政局"})
    assert response.status_code == 200 and "“县供销社”是示范县产业兴旺星（村）专班的成员单位" in response.content.decode()
    assert county.departments.count() == 2
    assert "1 个专班的成员单位" in client_for(county_admin).get(page).content.decode()
    for user in (township_clerk, industry_reviewer):
        assert client_for(user).get(page).status_code == 403
        with pytest.raises(PermissionDenied):
            departments_save(by=user, county=county, names="县财政局")
    assert client_for(county_admin).delete(page).status_code == 405
    assert reverse("cadres:department_list") in client_for(county_admin).get(reverse("cadres:task_force_list")).content.decode()
    assert reverse("cadres:department_list") not in client_for(township_clerk).get(
        reverse("cadres:task_force_list")).content.decode()
