"""Which pages the portal walk draws at its second width: shapes not yet drawn, and the key
community's own pages again (their star words are read at 390 px as well)."""

from __future__ import annotations

from tests.walk.test_portal_walk import pages_to_draw

COMMUNITY = "419901001101"
PLAN = [
    ("/", "/", "/"),
    (f"/campaign/four-lists/{COMMUNITY}/", "/campaign/four-lists/<n>/", "/"),
    (f"/regions/{COMMUNITY}/", "/regions/<n>/", "/"),
    ("/campaign/tasks/", "/campaign/tasks/", "/"),
]


def test_shapes_drawn_by_another_role_are_skipped_without_a_code():
    rendered = {"/", "/regions/<n>/"}
    assert pages_to_draw(PLAN, rendered) == [(f"/campaign/four-lists/{COMMUNITY}/", "/", True),
                                             ("/campaign/tasks/", "/", True)]
    assert rendered == {"/", "/regions/<n>/", "/campaign/four-lists/<n>/", "/campaign/tasks/"}


def test_the_communitys_own_pages_are_drawn_again_without_a_screenshot():
    rendered = {"/", "/regions/<n>/", "/campaign/four-lists/<n>/"}
    drawn = pages_to_draw(PLAN, rendered, COMMUNITY)
    assert drawn == [(f"/campaign/four-lists/{COMMUNITY}/", "/", False), (f"/regions/{COMMUNITY}/", "/", False),
                     ("/campaign/tasks/", "/", True)]
