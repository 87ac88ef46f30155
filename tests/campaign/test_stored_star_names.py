"""Texts stored before stars were named by the village's variant are rewritten once: a
community's warnings, task items and the notices about it read its own star names afterwards;
what is about a rural village keeps the rural names."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.utils import timezone

from ratings.models import ChecklistItem, EarlyWarning, ItemOrigin, ItemStatus, Notice
from tests.factories import VillageFactory
from villages.models import Kind

pytestmark = pytest.mark.django_db

migration = importlib.import_module("ratings.migrations.0007_community_star_names_in_stored_texts")
YEAR = timezone.localdate().year


@pytest.fixture
def community(township):
    return VillageFactory(parent=township, code="419901001101", name="建设路社区", kind=Kind.URBAN)


def _warning(region, text):
    return EarlyWarning.objects.create(kind="star_missed", region=region, township=region.parent, key=text[:20],
                                       year=YEAR, month=5, text=text)


def test_a_communitys_stored_texts_name_its_own_stars_and_a_villages_are_kept(community, village, county):
    warning = _warning(community, "建设路社区：4月已获产业兴旺星，5月实时得分70分，当前未达标")
    rural_warning = _warning(village, f"{village.name}：4月已获产业兴旺星，5月实时得分70分，当前未达标")
    item = ChecklistItem.objects.create(village=community, year=YEAR, star="ecology", origin=ItemOrigin.INSPECTION,
                                        title="生态宜居星 驻区单位资源未登记", detail="观摩发现：文明幸福星短板",
                                        status=ItemStatus.OPEN)
    rural_item = ChecklistItem.objects.create(village=village, year=YEAR, star="ecology", origin=ItemOrigin.INSPECTION,
                                              title="生态宜居星 坑塘未清理", status=ItemStatus.OPEN)
    notice = Notice.objects.create(region=community.parent, text="建设路社区被摘除产业兴旺星：发生重大安全事故")
    rural_notice = Notice.objects.create(region=village.parent, text=f"{village.name}被摘除产业兴旺星：发生刑事案件")
    county_notice = Notice.objects.create(region=county, text="今日新增预警3条：星级预警3条。")

    migration.community_star_names(apps, None)

    def text(obj, field="text"):
        return getattr(type(obj).objects.get(pk=obj.pk), field)

    assert text(warning) == "建设路社区：4月已获宜业兴业星，5月实时得分70分，当前未达标"
    assert (text(item, "title"), text(item, "detail")) == ("共建共享星 驻区单位资源未登记", "观摩发现：幸福和谐星短板")
    assert text(notice) == "建设路社区被摘除宜业兴业星：发生重大安全事故"
    assert text(rural_warning) == rural_warning.text and text(rural_item, "title") == rural_item.title
    assert text(rural_notice) == rural_notice.text and text(county_notice) == county_notice.text
    # Run again: nothing left to change.
    migration.community_star_names(apps, None)
    assert text(notice) == "建设路社区被摘除宜业兴业星：发生重大安全事故"


def test_every_rural_only_word_has_a_community_word():
    from cadres.models import RURAL_ONLY_STAR_WORDS, URBAN_ONLY_STAR_WORDS, URBAN_STAR_NAMES, StarCode

    assert set(migration.COMMUNITY_WORDS) == set(RURAL_ONLY_STAR_WORDS)
    assert set(migration.COMMUNITY_WORDS.values()) == set(URBAN_ONLY_STAR_WORDS)
    assert {StarCode(code).label: name for code, name in URBAN_STAR_NAMES.items()} == {
        f"{rural}星": f"{urban}星" for rural, urban in migration.COMMUNITY_WORDS.items()}
