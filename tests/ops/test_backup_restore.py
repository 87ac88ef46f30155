"""Backups: pg_dump + media + manifest, kept N days; the restore into an empty database gives
the same rows (counts per table, and the published results row for row)."""

import datetime as dt
import uuid
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection

from config.backups import (
    MSG_NOT_POSTGRES,
    MSG_TARGET_NOT_EMPTY,
    _prune,
    _require_postgres,
    backup_create,
    backup_restore,
)

# pg_dump/pg_restore need PostgreSQL: `make test` on SQLite deselects these, CI's second pass runs them.
on_postgres = pytest.mark.postgres


def test_backups_older_than_the_kept_days_are_removed(tmp_path):
    now = dt.datetime(2026, 11, 30, 2, 0)
    for stamp in ("20261101-020000", "20261117-020000", "20261129-020000"):
        for suffix in (".dump", ".json", "-media.tar.gz"):
            (tmp_path / f"fivestar-{stamp}{suffix}").write_text("x")
    (tmp_path / "notes.txt").write_text("not a backup")
    removed = _prune(tmp_path, keep_days=14, now=now)
    assert sorted(p.name for p in removed) == sorted(
        f"fivestar-20261101-020000{s}" for s in (".dump", ".json", "-media.tar.gz"))
    assert (tmp_path / "fivestar-20261117-020000.dump").exists()
    assert (tmp_path / "notes.txt").exists()


def test_backup_and_restore_refuse_anything_but_postgresql():
    with pytest.raises(ValidationError, match=MSG_NOT_POSTGRES):
        _require_postgres("sqlite")
    with pytest.raises(ValidationError, match=MSG_NOT_POSTGRES):
        backup_restore(dump=Path("x.dump"), database_url="sqlite:///x.sqlite3")


@pytest.fixture
def empty_database():
    """A freshly created, empty PostgreSQL database beside the test database."""
    import psycopg2

    params = connection.settings_dict
    name = f"restore_{uuid.uuid4().hex[:10]}"
    admin = psycopg2.connect(dbname="postgres", user=params["USER"] or None, password=params["PASSWORD"] or None,
                             host=params["HOST"] or "127.0.0.1", port=params["PORT"] or 5432)
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    auth = params["USER"] + (f":{params['PASSWORD']}" if params["PASSWORD"] else "") + "@" if params["USER"] else ""
    yield f"postgres://{auth}{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}/{name}", name
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def _published_rows(cursor):
    cursor.execute("SELECT v.code, s.year, s.month, s.star_level, s.total, s.county_rank FROM ratings_villagescore s "
                   "JOIN villages_region v ON v.id = s.village_id WHERE s.view = 'published' ORDER BY 1, 2, 3")
    return cursor.fetchall()


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_restore_into_an_empty_database_gives_the_same_rows_and_media(tmp_path, settings, village, empty_database):
    import psycopg2

    from tests.factories import VillageScoreFactory

    VillageScoreFactory(village=village, month=5, view="published", total=Decimal("342.50"), county_rank=3)
    settings.MEDIA_ROOT.mkdir(parents=True, exist_ok=True)
    (settings.MEDIA_ROOT / "evidence").mkdir()
    (settings.MEDIA_ROOT / "evidence" / "photo.jpg").write_bytes(b"\xff\xd8 photo")

    backup = backup_create(directory=tmp_path / "backups", keep_days=7)
    assert backup.dump.stat().st_size > 0 and backup.row_counts["ratings_villagescore"] == 1

    url, name = empty_database
    restored_media = tmp_path / "restored-media"
    result = backup_restore(dump=backup.dump, database_url=url, media_root=restored_media)

    assert result.differences == {}
    assert result.row_counts == backup.row_counts
    assert (restored_media / "evidence" / "photo.jpg").read_bytes() == b"\xff\xd8 photo"
    with connection.cursor() as cursor:
        original = _published_rows(cursor)
    params = connection.settings_dict
    target = psycopg2.connect(dbname=name, user=params["USER"] or None, password=params["PASSWORD"] or None,
                              host=params["HOST"] or "127.0.0.1", port=params["PORT"] or 5432)
    try:
        with target.cursor() as cursor:
            assert _published_rows(cursor) == original
    finally:
        target.close()

    # A second restore into the now full database is refused: nothing is overwritten.
    with pytest.raises(ValidationError, match=MSG_TARGET_NOT_EMPTY):
        backup_restore(dump=backup.dump, database_url=url)


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_restore_command_reports_and_refuses_a_missing_dump(tmp_path, empty_database):
    with pytest.raises(CommandError, match="找不到备份文件"):
        call_command("restore", str(tmp_path / "none.dump"), "--into", empty_database[0])


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_a_restored_database_passes_the_figures_check(tmp_path, county, township, township_clerk, this_month,
                                                      empty_database):
    """Closed months scored by the real engine, backed up and restored: `recompute --check` run on
    the restored database (its own process) finds every figure as the raw records give it."""
    import os
    import subprocess
    import sys

    from ratings.services.month_close import month_close
    from ratings.services.standard import standard_load_defaults
    from tests.ratings.scoring_helpers import fill_ledgers, make_villages

    year = this_month[0] - 1
    standard_load_defaults(year=year)
    villages = make_villages(township, 5)
    for month in (5, 6):
        fill_ledgers(villages, township_clerk, year, month)
        month_close(county=county, year=year, month=month, bulletins=False)

    backup = backup_create(directory=tmp_path / "backups", keep_days=7)
    url, _ = empty_database
    assert backup_restore(dump=backup.dump, database_url=url, media_root=tmp_path / "media").differences == {}
    env = {**os.environ, "DATABASE_URL": url}
    env.pop("CELERY_BROKER_URL", None)
    check = subprocess.run([sys.executable, "manage.py", "recompute", "--check", "--county", county.code],
                           capture_output=True, text=True, env=env, cwd=Path(__file__).resolve().parents[2],
                           timeout=300)
    assert check.returncode == 0, check.stdout + check.stderr
    months, figures, differences = check.stdout.splitlines()[0].split(", ")
    assert months == "2 months" and differences == "0 differences" and int(figures.split()[0]) > 0
