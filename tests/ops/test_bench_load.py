"""bench_load: refuses anything but PostgreSQL, and reads Locust's statistics into its table."""

import pytest
from django.core.management import CommandError, call_command

from cadres.management.commands.bench_load import format_table, read_stats, require_postgresql

STATS = """Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,Min Response Time,Max Response Time,Average Content Size,Requests/s,Failures/s,50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%
GET,village page,120,0,45,60.2,20,400,9000,2.0,0.0,45,50,55,60,90,150,300,380,400,400,400
POST,login,10,1,300,320,200,900,0,0.2,0.0,300,310,320,330,600,800,900,900,900,900,900
,Aggregated,130,1,50,80,20,900,8000,2.2,0.0,50,55,60,70,100,200,380,600,900,900,900
"""


def test_bench_load_refuses_anything_but_postgresql():
    with pytest.raises(CommandError, match="PostgreSQL"):
        require_postgresql("sqlite")
    require_postgresql("postgresql")


@pytest.mark.django_db
def test_bench_load_checks_its_arguments_before_starting_anything():
    with pytest.raises(CommandError, match="--duration"):
        call_command("bench_load", "--duration", "0")
    with pytest.raises(CommandError, match="--users"):
        call_command("bench_load", "--users", "0")


def test_locust_statistics_become_the_table(tmp_path):
    path = tmp_path / "run_stats.csv"
    path.write_text(STATS, encoding="utf-8")
    rows = read_stats(path)
    assert [r["name"] for r in rows] == ["village page", "login", "Aggregated"]
    assert rows[1]["failures"] == 1 and rows[1]["p95"] == 800 and rows[0]["p99"] == 380
    lines = format_table(rows)
    assert lines[-1].startswith("all pages") and "130" in lines[-1]
    assert lines[2].startswith("login")  # pages sorted by name, the total last


def test_the_hall_summary_splits_the_burst_from_what_follows():
    from cadres.management.commands.bench_load import format_hall, hall_summary

    started = 1000.0
    log = [
        "1001.000,login page,5.0,200",
        "1001.100,login,300.0,302",
        "1002.000,login,900.0,302",
        "1010.000,village page,250.0,200",
        "1050.000,login,100.0,429",
        "1070.000,village page,40.0,200",
        "1080.000,task list,60.0,403",
        "broken line",
    ]
    summary = hall_summary(log, started=started, burst=60)
    assert summary["refusals"] == 2 and summary["sign_ins"] == 3 and summary["refused_sign_ins"] == 1
    assert summary["sign_in_p50"] == 300 and summary["sign_in_p95"] == 900
    assert summary["during"] == 2 and summary["during_p95"] == 250
    assert summary["after"] == 2 and summary["after_p95"] == 60
    lines = format_hall(summary, 300)
    assert "refusals (429/403): 2" in lines and any("p95 900 ms" in line for line in lines)
