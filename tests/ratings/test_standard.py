"""The default standard and the standard editor."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from ratings.models import Indicator, Standard, StandardStatus
from ratings.services import standard as services


def test_default_standards_have_five_stars_of_eight_or_more_indicators(standard):
    for kind in ("rural", "urban"):
        s = Standard.objects.get(year=standard.year, kind=kind)
        assert s.status == StandardStatus.PUBLISHED
        stars = list(s.stars.prefetch_related("indicators"))
        assert [st.code for st in stars] == ["branch", "industry", "ecology", "safety", "civility"]
        for star in stars:
            indicators = list(star.indicators.all())
            assert len(indicators) >= 8
            assert sum(i.points for i in indicators) == D(100)
            assert any(i.rule == "veto" for i in indicators)
        assert stars[0].is_prerequisite


def test_urban_stars_have_their_own_names(standard):
    names = list(Standard.objects.get(year=standard.year, kind="urban").stars.values_list("name", flat=True))
    assert names == ["支部过硬星", "宜业兴业星", "共建共享星", "平安法治星", "幸福和谐星"]


def test_every_rule_type_and_provider_is_used(standard):
    rules = set(Indicator.objects.values_list("rule", flat=True))
    assert rules == {"pass_fail", "threshold", "banded", "ratio", "deduction", "veto"}
    from ratings.metrics import all_providers

    used = set(Indicator.objects.filter(source="provider").values_list("provider", flat=True))
    assert used <= set(all_providers())


def test_loading_defaults_twice_changes_nothing(standard):
    before = Indicator.objects.count()
    assert services.standard_load_defaults(year=standard.year) == []
    assert Indicator.objects.count() == before


def test_copy_makes_a_draft_of_the_next_year(standard, county_admin):
    copy = services.standard_copy(standard=standard, year=standard.year + 1, by=county_admin)
    assert (copy.status, copy.year, copy.copied_from) == (StandardStatus.DRAFT, standard.year + 1, standard)
    assert Indicator.objects.filter(star__standard=copy).count() == Indicator.objects.filter(star__standard=standard).count()
    with pytest.raises(ValidationError):
        services.standard_copy(standard=standard, year=standard.year + 1, by=county_admin)


def test_published_standard_is_locked(standard, county_admin):
    indicator = Indicator.objects.filter(star__standard=standard).first()
    indicator.points = D(1)
    with pytest.raises(PermissionDenied) as error:
        services.indicator_save(indicator=indicator, by=county_admin)
    assert str(error.value) == services.MSG_PUBLISHED_LOCKED


def test_only_the_organisation_department_edits(standard, township_clerk):
    with pytest.raises(PermissionDenied):
        services.standard_copy(standard=standard, year=standard.year + 1, by=township_clerk)


def test_bad_rule_parameters_are_refused(standard, county_admin):
    copy = services.standard_copy(standard=standard, year=standard.year + 1, by=county_admin)
    indicator = Indicator.objects.get(star__standard=copy, code="industry.jobs")
    indicator.params = {"target": 0}
    with pytest.raises(ValidationError) as error:
        services.indicator_save(indicator=indicator, by=county_admin)
    assert "按比例计分须填写大于0的目标值" in error.value.message_dict["params"]


def test_publish_checks_that_points_add_up(standard, county_admin):
    copy = services.standard_copy(standard=standard, year=standard.year + 1, by=county_admin)
    Indicator.objects.filter(star__standard=copy, code="industry.jobs").update(points=D(5))
    with pytest.raises(ValidationError) as error:
        services.standard_publish(standard=copy, by=county_admin)
    assert "产业兴旺星各指标分值合计为95.00，应等于满分100.00" in error.value.messages
    Indicator.objects.filter(star__standard=copy, code="industry.jobs").update(points=D(10))
    assert services.standard_publish(standard=copy, by=county_admin).status == StandardStatus.PUBLISHED


def test_editor_pages(client_for, county_admin, standard):
    client = client_for(county_admin)
    assert client.get(reverse("ratings:standard_list")).status_code == 200
    response = client.post(reverse("ratings:standard_copy", args=[standard.pk]), {"year": standard.year + 1})
    copy = Standard.objects.get(year=standard.year + 1, kind="rural")
    assert response.url == reverse("ratings:standard_detail", args=[copy.pk])
    indicator = Indicator.objects.get(star__standard=copy, code="industry.collective_income")
    url = reverse("ratings:indicator_edit", args=[indicator.pk])
    form = client.get(url).context["form"]
    assert form.initial["bands"].splitlines()[0] == "50000,8"
    data = {k: v for k, v in form.initial.items() if v is not None and k not in ("id", "star", "params")}
    data.update({"bands": "50000,8\nabc", "provider": "collective_income"})
    bad = client.post(url, data)
    assert "第2行应为“界值,得分”" in bad.content.decode()
    data["bands"] = "50000,8\n100000,25"
    too_many = client.post(url, data)
    assert "分档得分不能为负，也不能超过该指标分值20.00" in too_many.content.decode()
    data["bands"] = "60000,10\n200000,20"
    assert client.post(url, data).status_code == 302
    indicator.refresh_from_db()
    assert indicator.params == {"bands": [[60000, 10], [200000, 20]]}


def test_township_staff_may_view_but_not_edit(client_for, township_clerk, standard):
    client = client_for(township_clerk)
    assert client.get(reverse("ratings:standard_detail", args=[standard.pk])).status_code == 200
    indicator = Indicator.objects.filter(star__standard=standard).first()
    assert client.get(reverse("ratings:indicator_edit", args=[indicator.pk])).status_code == 403
    assert client.post(reverse("ratings:standard_copy", args=[standard.pk]), {"year": 2099}).status_code == 403


def test_village_secretary_cannot_open_the_standard(client_for, village_secretary, standard):
    assert client_for(village_secretary).get(reverse("ratings:standard_list")).status_code == 403


def test_published_standard_edit_page_is_refused(client_for, county_admin, standard):
    star = standard.stars.first()
    assert client_for(county_admin).get(reverse("ratings:star_edit", args=[star.pk])).status_code == 403


def test_publish_needs_post(client_for, county_admin, standard):
    assert client_for(county_admin).get(reverse("ratings:standard_publish", args=[standard.pk])).status_code == 405
