"""open_warnings_count: the selector dashboards and the meeting-room screen read."""

from ratings.campaign.selectors_warnings import open_warnings_count
from ratings.models import EarlyWarning, WarningKind, WarningState


def _warning(region, township, state=WarningState.OPEN, key="k"):
    return EarlyWarning.objects.create(kind=WarningKind.WEAK_LAX, region=region, township=township, key=key,
                                       year=2026, month=11, text="测试", state=state)


def test_counts_open_warnings_of_the_subtree_only(county, township, other_township, village, foreign_village):
    _warning(village, township)
    _warning(village, township, state=WarningState.ACKNOWLEDGED, key="a")
    _warning(village, township, state=WarningState.CLEARED, key="c")
    _warning(foreign_village, other_township)
    assert open_warnings_count(county) == 2
    assert open_warnings_count(township) == 1
    assert open_warnings_count(village) == 1
    assert open_warnings_count(township, include_acknowledged=True) == 2
    assert open_warnings_count(township, kinds=[WarningKind.VETO]) == 0
