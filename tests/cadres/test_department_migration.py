"""The migration that gives a county its list of departments keeps the member units typed before
it: each line becomes a department of the task force's county, and the task force reads the same
units afterwards (a township's task force files them under its county)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("cadres", "0003_post_star_variant")]
AFTER = [("cadres", "0005_task_force_departments")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_typed_member_units_become_the_countys_departments():
    try:
        old = _migrate(BEFORE)
        Region, TaskForce = old.get_model("villages", "Region"), old.get_model("cadres", "TaskForce")
        county = Region.objects.create(code="419901000000", name="示范县", level="county")
        town = Region.objects.create(code="419901001000", name="城关镇", level="township", parent=county)
        TaskForce.objects.create(region=county, year=2026, star="industry", star_kind="rural",
                                 lead_department="县农业农村局", member_units="县财政局\n 县供销社 \n\n")
        TaskForce.objects.create(region=town, year=2026, star="industry", star_kind="rural",
                                 lead_department="城关镇农业办", member_units="县财政局\n城关镇党政办")
        TaskForce.objects.create(region=county, year=2026, star="civility", star_kind="urban",
                                 lead_department="县委宣传部、县民政局", member_units="")
        new = _migrate(AFTER)
        Department, TaskForce = new.get_model("cadres", "Department"), new.get_model("cadres", "TaskForce")
        assert list(Department.objects.filter(county__code="419901000000").order_by("order")
                    .values_list("name", flat=True)) == ["县委宣传部", "县民政局", "县农业农村局", "县财政局",
                                                         "县供销社", "城关镇农业办", "城关镇党政办"]
        units = {f.region.name + f.star: sorted(d.name for d in f.member_departments.all())
                 for f in TaskForce.objects.select_related("region")}
        assert units == {"示范县industry": ["县供销社", "县财政局"], "城关镇industry": ["县财政局", "城关镇党政办"],
                         "示范县civility": []}
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
