"""The import pages: the organisation department's only; errors listed per cell with a 400."""

from __future__ import annotations

import io

from django.urls import reverse
from openpyxl import load_workbook

from cadres import people_import
from cadres.models import User
from villages import region_import
from villages.models import Region

from .sheets import xlsx


def test_only_the_organisation_department_imports(client_for, township_clerk, industry_reviewer):
    for user in (township_clerk, industry_reviewer):
        client = client_for(user)
        assert client.get(reverse("cadres:import_index")).status_code == 403
        assert client.get(reverse("cadres:import_template", args=["people"])).status_code == 403
        assert client.post(reverse("cadres:import_page", args=["regions"])).status_code == 403


def test_region_upload_lists_cells_and_writes_nothing_then_imports(client_for, county_admin, county):
    client = client_for(county_admin)
    bad = xlsx(region_import.SHEET, [["419901001000", "城关镇", None, None, None], ["4199010010", "东风村", "行政村", None, None]])
    response = client.post(reverse("cadres:import_page", args=["regions"]), {"file": bad})
    assert response.status_code == 400
    text = response.content.decode()
    assert "导入失败，未保存任何数据" in text and "区划代码必须是12位数字" in text and "<td>3</td><td>A</td>" in text
    assert not Region.objects.filter(level="township").exists()
    good = xlsx(region_import.SHEET, [["419901001000", "城关镇", None, None, None], ["419901001001", "东风村", "行政村", None, None]])
    response = client.post(reverse("cadres:import_page", args=["regions"]), {"file": good})
    assert response.status_code == 200 and "导入成功" in response.content.decode()
    assert Region.objects.filter(level="village").count() == 1
    template = client.get(reverse("cadres:import_template", args=["regions"]))
    assert template.status_code == 200
    assert load_workbook(io.BytesIO(template.content))[region_import.SHEET.name]["A3"].value == "419901001001"


def test_issued_passwords_download_once(client_for, county_admin, township):
    client = client_for(county_admin)
    upload = xlsx(people_import.SHEET, [["王专干", "13900000001", "乡镇专干", township.code, None, None, None, None, None]])
    page = client.post(reverse("cadres:import_page", args=["people"]), {"file": upload}).content.decode()
    assert "一次性密码只显示这一次" in page
    download = client.post(reverse("cadres:import_issued"))
    sheet = load_workbook(io.BytesIO(download.content)).active
    assert sheet["C2"].value == User.objects.get(full_name="王专干").username
    assert User.objects.get(full_name="王专干").check_password(sheet["D2"].value)
    assert client.post(reverse("cadres:import_issued")).status_code == 302


def test_every_going_live_import_is_listed_as_a_job_run(client_for, county_admin, county):
    """The jobs page lists imports: a refused file as failed with its error count, a good one
    as done with its counts, both for the county."""
    from config.models import JobKind, JobRun, JobState

    client = client_for(county_admin)
    bad = xlsx(region_import.SHEET, [["4199010010", "东风村", "行政村", None, None]])
    client.post(reverse("cadres:import_page", args=["regions"]), {"file": bad})
    good = xlsx(region_import.SHEET, [["419901001000", "城关镇", None, None, None],
                                      ["419901001001", "东风村", "行政村", None, None]])
    client.post(reverse("cadres:import_page", args=["regions"]), {"file": good})
    runs = list(JobRun.objects.filter(kind=JobKind.IMPORT).order_by("pk"))
    assert [(r.state, r.county_id) for r in runs] == [(JobState.FAILED, county.pk), (JobState.DONE, county.pk)]
    assert "1 处错误" in runs[0].error and runs[1].result.endswith("新增 2 条，修改 0 条")


def test_index_counts_the_records_each_import_module_reports_for_the_county(client_for, county_admin, village,
                                                                             other_village):
    """The counts come from the branches and projects import modules (`county_counts`): this year's
    meetings, cooperatives and bindings, villages with an income; another county's are not counted."""
    import datetime as dt

    from django.utils import timezone

    from branches.models_records import Meeting
    from projects.models import Binding, CollectiveIncome, Cooperative
    from tests.factories import CountyFactory, TownshipFactory, VillageFactory

    year = timezone.localdate().year
    elsewhere = VillageFactory(parent=TownshipFactory(parent=CountyFactory(code="419902000000", name="邻县"),
                                                      code="419902001000", name="邻镇"),
                               code="419902001001", name="邻村")
    for place in (village, other_village, elsewhere):
        Meeting.objects.create(village=place, type="committee_meeting", date=dt.date(year, 1, 10), topic="学习",
                               members_expected=10, attendance=9)
    Meeting.objects.create(village=village, type="committee_meeting", date=dt.date(year - 1, 1, 10), topic="学习",
                           members_expected=10, attendance=9)
    for place in (village, elsewhere):
        cooperative = Cooperative.objects.create(village=place, name=f"{place.name}合作社")
        Binding.objects.create(cooperative=cooperative, enterprise="龙头企业")
    for place in (other_village, elsewhere):
        CollectiveIncome.objects.create(village=place, year=year, total=100000, operating=50000)
    response = client_for(county_admin).get(reverse("cadres:import_index"))
    assert response.status_code == 200
    assert {k: response.context["counts"][k] for k in ("meetings", "cooperatives", "bindings", "incomes")} == {
        "meetings": 2, "cooperatives": 1, "bindings": 1, "incomes": 1}
    text = response.content.decode()
    assert "本年度已登记组织生活 2 次" in text and "已登记合作社 1 个、“双绑”联结 1 个" in text
    assert "本年度已填报收入的村（社区）1 个" in text
