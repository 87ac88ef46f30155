import pytest
from django.core.exceptions import ValidationError

from villages.models import MSG_CODE_FORMAT, MSG_CODE_PARENT, Kind, Level, Region
from villages.services import region_create


def _codes():
    return set(Region.objects.values_list("code", flat=True))


@pytest.mark.parametrize("code", ["41990100100", "4199010010011", "41990100100a", "", "419901 01001"])
def test_village_code_must_be_twelve_digits(township, code):
    before = _codes()
    with pytest.raises(ValidationError) as error:
        region_create(code=code, name="新村", level=Level.VILLAGE, parent=township, kind=Kind.RURAL)
    assert MSG_CODE_FORMAT in error.value.message_dict["code"]
    assert _codes() == before


def test_village_code_must_start_with_its_townships_prefix(township):
    before = _codes()
    with pytest.raises(ValidationError) as error:
        region_create(code="419901002005", name="错位村", level=Level.VILLAGE, parent=township, kind=Kind.RURAL)
    assert MSG_CODE_PARENT.format(prefix="419901001") in error.value.message_dict["code"]
    assert _codes() == before


def test_duplicate_code_is_refused_with_a_chinese_message(village):
    with pytest.raises(ValidationError) as error:
        region_create(code=village.code, name="重复村", level=Level.VILLAGE, parent=village.parent, kind=Kind.RURAL)
    assert "该区划代码已存在" in error.value.message_dict["code"]
    assert Region.objects.filter(code=village.code).count() == 1


def test_township_code_must_end_in_zeros(county):
    with pytest.raises(ValidationError) as error:
        region_create(code="419901001001", name="坏镇", level=Level.TOWNSHIP, parent=county)
    assert "区划代码与层级不符" in error.value.message_dict["code"][0]


def test_village_needs_a_township_parent(county):
    with pytest.raises(ValidationError) as error:
        region_create(code="419901001009", name="无乡村", level=Level.VILLAGE, parent=county, kind=Kind.RURAL)
    assert "上级区划层级不正确" in error.value.message_dict["parent"][0]


def test_valid_village_is_saved_with_its_subtree_prefix(township):
    village = region_create(code="419901001123", name="新建村", level=Level.VILLAGE, parent=township, kind=Kind.URBAN)
    assert village.prefix == "419901001123"
    assert list(Region.objects.within([township.prefix]).values_list("code", flat=True)) == [
        "419901001000", "419901001123"]
