"""The standard editor sets `prerequisite_from_level` and refuses bands whose points do not rise
with the bound."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from ratings.engine.params import validate_params
from ratings.models import Indicator, Standard
from ratings.services import standard as services


@pytest.fixture
def draft(standard, county_admin):
    return services.standard_copy(standard=standard, year=standard.year + 1, by=county_admin)


def test_org_sets_the_prerequisite_level_of_a_draft_from_the_page(client_for, county_admin, draft):
    client = client_for(county_admin)
    assert "支部过硬星先决条件起始星级" in client.get(reverse("ratings:standard_detail", args=[draft.pk])).content.decode()
    response = client.post(reverse("ratings:standard_settings", args=[draft.pk]), {"prerequisite_from_level": "4"})
    assert response.status_code == 302
    assert Standard.objects.get(pk=draft.pk).prerequisite_from_level == 4


@pytest.mark.parametrize("value", ["0", "6", "abc", ""])
def test_a_level_outside_the_stars_is_refused_with_a_message(client_for, county_admin, draft, value):
    response = client_for(county_admin).post(reverse("ratings:standard_settings", args=[draft.pk]),
                                             {"prerequisite_from_level": value}, follow=True)
    assert services.MSG_PREREQUISITE_LEVEL.format(stars=5) in response.content.decode()
    assert Standard.objects.get(pk=draft.pk).prerequisite_from_level == 1


def test_published_standard_settings_are_locked_and_other_roles_refused(client_for, county_admin, township_clerk,
                                                                        standard, draft):
    url = reverse("ratings:standard_settings", args=[standard.pk])
    assert client_for(county_admin).post(url, {"prerequisite_from_level": "3"}).status_code == 403
    assert client_for(township_clerk).post(reverse("ratings:standard_settings", args=[draft.pk]),
                                           {"prerequisite_from_level": "3"}).status_code == 403
    assert client_for(county_admin).get(reverse("ratings:standard_settings", args=[draft.pk])).status_code == 405
    with pytest.raises(PermissionDenied):
        services.standard_settings_save(standard=draft, prerequisite_from_level=3, by=township_clerk)
    assert Standard.objects.get(pk=standard.pk).prerequisite_from_level == 1


def test_bands_whose_points_fall_as_the_bound_rises_are_refused(draft, county_admin):
    indicator = Indicator.objects.get(star__standard=draft, code="industry.collective_income")
    indicator.params = {"bands": [[50000, 8], [100000, 14], [500000, 12], [1000000, 20]]}
    with pytest.raises(ValidationError) as error:
        services.indicator_save(indicator=indicator, by=county_admin)
    assert "分档得分须随界值提高而增加" in error.value.message_dict["params"][0]


@pytest.mark.parametrize(("bands", "direction", "ok"), [
    ([[1, 2], [2, 5], [3, 8]], "higher", True),
    ([[3, 8], [1, 2], [2, 5]], "higher", True),  # order of entry does not matter
    ([[1, 2], [2, 2]], "higher", False),  # equal points: the higher band gives nothing more
    ([[1, 8], [2, 5], [3, 2]], "lower", True),  # lower is better: the lowest bound gives most
    ([[1, 2], [2, 5]], "lower", False),
])
def test_band_points_must_rise_with_the_bound_in_the_indicators_direction(bands, direction, ok):
    assert (validate_params("banded", {"bands": bands}, "10", direction) == []) is ok
