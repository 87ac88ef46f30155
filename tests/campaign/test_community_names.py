"""A community is named as a community: its stars by the urban standard's names on every page and
PDF about it (four lists, tasks, the visit form, the township plan), its secretary's post as
社区党组织书记, its buttons 提交本社区; the county's counts never put a community under a rural
star's name; the needs lists are offered only where a community is reached."""

from __future__ import annotations

import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone

from cadres.models import Post, Role
from cadres.models_duty import Assignment, Duty, DutyTier
from ratings.models import ChecklistItem, ItemOrigin, ItemStatus, TargetLevel
from tests.factories import PostFactory, UserFactory, VillageFactory
from villages.models import Kind

RURAL_WORDS = ("产业兴旺", "生态宜居", "文明幸福")
YEAR = timezone.localdate().year


@pytest.fixture
def community(township):
    return VillageFactory(parent=township, code="419901001101", name="建设路社区", kind=Kind.URBAN)


@pytest.fixture
def community_secretary(community):
    user = UserFactory(username="community_secretary", full_name="郑书记")
    PostFactory(user=user, role=Role.VILLAGE_SECRETARY, region=community)
    return user


@pytest.fixture
def community_lists(standard, community, county_admin):
    TargetLevel.objects.create(village=community, year=YEAR, level=5,
                               target_stars=["branch", "industry", "ecology", "safety", "civility"], set_by=county_admin)
    for star, origin, title in (("industry", ItemOrigin.GAP, "社区就业服务站规范运行"),
                                ("ecology", ItemOrigin.INSPECTION, "驻区单位资源未登记")):
        ChecklistItem.objects.create(village=community, year=YEAR, star=star, origin=origin, title=title,
                                     status=ItemStatus.OPEN, due_date=timezone.localdate())


def _words(text: str) -> list[str]:
    return [w for w in RURAL_WORDS if w in text]


def test_a_communitys_four_lists_name_its_own_stars_on_the_page_and_in_the_pdf(client_for, community_lists,
                                                                              community, township_clerk, tmp_path):
    page = client_for(township_clerk).get(reverse("campaign:four_lists", args=[community.code])).content.decode()
    assert not _words(page), _words(page)
    assert "宜业兴业星" in page and "共建共享星" in page and "幸福和谐星" in page
    pdf = client_for(township_clerk).get(reverse("campaign:four_lists_pdf", args=[community.code])).content
    path = tmp_path / "lists.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True).stdout.decode()
    assert not _words(text.replace("\n", "")), _words(text)
    assert "宜业兴业星" in text.replace("\n", "")


def test_a_communitys_tasks_are_tagged_with_its_stars(client_for, community_lists, community, township_clerk):
    page = client_for(township_clerk).get(reverse("campaign:task_list")).content.decode()
    assert "社区就业服务站规范运行" in page
    assert not _words(page.split("<main", 1)[-1]), _words(page.split("<main", 1)[-1])
    item = ChecklistItem.objects.get(title="社区就业服务站规范运行")
    assert item.get_star_display() == "宜业兴业星"


def test_the_visit_form_offers_a_communitys_own_five_stars(client_for, community, county_admin):
    leader = UserFactory(username="leader", full_name="王县长")
    PostFactory(user=leader, role=Role.COUNTY_LEADER, region=community.parent.parent)
    Assignment.objects.create(year=YEAR, duty=Duty.CONTACT, tier=DutyTier.COUNTY_LEADER, person=leader,
                              person_name="王县长", region=community, start_date=timezone.localdate())
    form = client_for(leader).get(reverse("cadres:visit_new") + f"?village={community.code}")
    assert form.status_code == 200
    select = form.content.decode().split('name="problem_star_1"', 1)[1].split("</select>", 1)[0].split(">", 1)[1]
    assert "宜业兴业星" in select and not _words(select)


def test_the_township_plan_lists_communities_under_community_stars(client_for, community_lists, community,
                                                                   township, township_clerk):
    page = client_for(township_clerk).get(reverse("campaign:township_plan", args=[township.code])).content.decode()
    stars = page.split('id="plan-stars"', 1)[1].split("</table>", 1)[0]
    rows = {row.split("</td>", 1)[0].rsplit(">", 1)[-1]: row for row in stars.split("<tr>")[2:]}
    assert "建设路社区" in rows["宜业兴业星"] and "建设路社区" not in rows["产业兴旺星"]


def test_a_community_secretary_post_and_buttons_say_community(community, community_secretary):
    post = Post.objects.get(user=community_secretary)
    assert str(post) == "建设路社区社区党组织书记"
    from django.template import Context, Template

    button = Template("提交本{{ v|place_word }}").render(Context({"v": community}))
    assert button == "提交本社区"


def test_star_names_follow_the_variant():
    from cadres.models import star_label

    assert star_label("industry", "urban") == "宜业兴业星" and star_label("industry", "rural") == "产业兴旺星"
    assert star_label("branch", "urban") == "支部过硬星"


def test_the_needs_lists_are_not_offered_to_a_rural_village(client_for, village_secretary, community_secretary):
    rural = client_for(village_secretary).get(reverse("reports:my_village"), follow=True).content.decode()
    assert reverse("branches:community_index") not in rural
    urban = client_for(community_secretary).get(reverse("reports:my_village"), follow=True).content.decode()
    assert reverse("branches:community_index") in urban


def test_the_api_names_a_communitys_task_star_as_the_community_does(api_for, community_lists, township_clerk):
    rows = api_for(township_clerk).get(reverse("checklist-item-list")).json()
    rows = rows.get("results", rows)
    assert {r["title"]: r["star_name"] for r in rows} == {"社区就业服务站规范运行": "宜业兴业星",
                                                          "驻区单位资源未登记": "共建共享星"}


def test_a_community_secretary_reads_his_community_named_as_one(client_for, community, community_secretary, standard):
    page = client_for(community_secretary).get(reverse("reports:my_village"), follow=True).content.decode()
    assert "本社区情况" in page and "本村情况" not in page and "本村预警" not in page


def test_a_communitys_trends_chart_names_it_as_a_community(community, village):
    from reports.selectors_trends import village_trends

    assert village_trends(community, year=YEAR)["chart"]["own_label"] == "本社区"
    assert village_trends(village, year=YEAR)["chart"]["own_label"] == "本村"


def test_a_community_applying_for_a_star_it_does_not_aim_at_reads_community(community, community_secretary, county_admin):
    from django.core.exceptions import ValidationError

    from ratings.campaign.services import awards

    TargetLevel.objects.create(village=community, year=YEAR, level=1, target_stars=["branch"], set_by=county_admin)
    with pytest.raises(ValidationError) as exc:
        awards.application_submit(village=community, year=YEAR, stars=["industry"], by=community_secretary)
    assert "不是本社区" in exc.value.messages[0] and "宜业兴业星" in exc.value.messages[0]
    assert not _words(exc.value.messages[0])
