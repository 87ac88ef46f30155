"""A form that picks a star for a department offers the ten stars with their variant; a post and a
task force keep the variant; a standard whose star has no lead department is not published."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cadres.accounts import user_create
from cadres.models import Post, Role
from cadres.models_taskforce import TaskForce
from cadres.services_taskforce import task_force_save
from ratings.models import Standard, StandardStatus, Star
from ratings.services.standard import MSG_LEAD_MISSING, standard_publish

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year


def test_the_account_form_offers_the_ten_stars_with_their_variant(client_for, county_admin):
    page = client_for(county_admin).get(reverse("cadres:account_create")).content.decode()
    select = page.split('name="star"', 1)[1].split("</select>", 1)[0]
    assert "宜业兴业星（社区）" in select and "产业兴旺星（村）" in select and "支部过硬星（社区）" in select
    assert select.count("<option") == 11  # "—" and ten stars


def test_an_account_for_a_community_star_reviews_that_star_only(county_admin, county):
    user, _ = user_create(by=county_admin, full_name="人社局审核员", role=Role.LEAD_DEPARTMENT, region=county,
                          star="urban:industry", department="县人社局")
    post = Post.objects.get(user=user)
    assert (post.star, post.star_kind) == ("industry", "urban")
    assert str(post).endswith("星级牵头部门·宜业兴业星（社区）")
    with pytest.raises(ValidationError):
        user_create(by=county_admin, full_name="x", role=Role.LEAD_DEPARTMENT, region=county, star="rural:nothing")


def test_a_community_star_has_its_own_task_force(county_admin, county):
    task_force_save(by=county_admin, region=county, year=YEAR, star="industry", lead_department="县农业农村局")
    task_force_save(by=county_admin, region=county, year=YEAR, star="urban:industry", lead_department="县人社局")
    forces = {(f.star, f.star_kind): f.lead_department for f in TaskForce.objects.all()}
    assert forces == {("industry", "rural"): "县农业农村局", ("industry", "urban"): "县人社局"}
    assert str(TaskForce.objects.get(star_kind="urban")).endswith("宜业兴业星（社区）专班")


def test_the_task_force_form_starts_from_the_standards_lead(client_for, county_admin, county, standard):
    page = client_for(county_admin).get(reverse("cadres:task_force_edit"),
                                        {"region": county.code, "star": "urban:industry", "year": YEAR})
    assert page.status_code == 200
    assert 'value="县人社局、县商务局"' in page.content.decode()


def test_a_star_without_a_lead_department_stops_publishing(county_admin, standard):
    draft = Standard.objects.create(year=YEAR + 1, kind="urban", name="草稿", status=StandardStatus.DRAFT)
    Star.objects.create(standard=draft, code="industry", name="宜业兴业星", lead_department=" ", order=1,
                        max_score=0)
    with pytest.raises(ValidationError) as caught:
        standard_publish(standard=draft, by=county_admin)
    assert MSG_LEAD_MISSING.format(kind="城市社区", star="宜业兴业星") in caught.value.messages
    draft.refresh_from_db()
    assert draft.status == StandardStatus.DRAFT
