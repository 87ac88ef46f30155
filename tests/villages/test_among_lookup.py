"""`__among`: the IN lookup for long lists of ids (config/lookups.py), on a plain field, a foreign
key and across a join; an empty list matches nothing."""

import pytest

from projects.models import CollectiveIncome
from tests.factories import VillageFactory
from villages.models import Region

pytestmark = pytest.mark.django_db


def test_among_selects_the_listed_ids_on_a_field_a_foreign_key_and_a_join(township):
    villages = [VillageFactory(parent=township) for _ in range(5)]
    for village in villages:
        CollectiveIncome.objects.create(village=village, year=2025, total=100, operating=10)
    wanted = [villages[0].pk, villages[3].pk, villages[3].pk]
    assert set(Region.objects.filter(pk__among=wanted).values_list("pk", flat=True)) == set(wanted)
    assert set(CollectiveIncome.objects.filter(village_id__among=wanted).values_list("village_id", flat=True)) \
        == set(wanted)
    assert set(CollectiveIncome.objects.filter(village__parent_id__among=[township.pk])
               .values_list("village_id", flat=True)) == {v.pk for v in villages}
    many = list(range(10**6, 10**6 + 3000)) + [villages[1].pk]
    assert list(Region.objects.filter(pk__among=many).values_list("pk", flat=True)) == [villages[1].pk]


def test_among_an_empty_list_matches_nothing(township):
    VillageFactory(parent=township)
    assert not Region.objects.filter(pk__among=[]).exists()
    assert Region.objects.exclude(pk__among=[]).count() == Region.objects.count()
