from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from villages.models import Region

pytestmark = pytest.mark.django_db


def test_bench_dashboard_prints_a_table_for_300_villages_and_leaves_no_rows(county):
    out = StringIO()
    call_command("bench_dashboard", "--runs", "2", stdout=out)
    header, row = out.getvalue().strip().splitlines()[-2:]
    assert "median ms" in header and "p95 ms" in header
    cells = row.split()
    assert cells[0] == "419988000000" and cells[1] == "300" and int(cells[3]) <= 15
    assert not Region.objects.filter(code__startswith="419988").exists()


@pytest.mark.parametrize("page", ["trends", "screen"])
def test_bench_dashboard_times_the_trends_and_the_screen_too(county, page):
    out = StringIO()
    call_command("bench_dashboard", "--runs", "1", "--page", page, stdout=out)
    cells = out.getvalue().strip().splitlines()[-1].split()
    assert cells[0] == "419988000000" and cells[1] == "300" and int(cells[3]) <= 14
    assert not Region.objects.filter(code__startswith="419988").exists()
