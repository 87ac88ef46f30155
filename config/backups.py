"""Backups of the database and the media files, and their restore into an empty database.

A backup is three files with one time stamp: `fivestar-<stamp>.dump` (pg_dump, custom format),
`fivestar-<stamp>-media.tar.gz` (evidence, photos, bulletins) and `fivestar-<stamp>.json`
(the row count of every table at dump time). The restore checks that the target database is
empty, restores into it, unpacks the media and compares every table's row count with the
manifest, so a restore that lost rows says so.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import tarfile
from dataclasses import dataclass, field
from pathlib import Path

import dj_database_url
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

NAME_RE = re.compile(r"^fivestar-(\d{8}-\d{6})(\.dump|\.json|-media\.tar\.gz)$")
MSG_NOT_POSTGRES = "备份与恢复需要 PostgreSQL 数据库"
MSG_TARGET_NOT_EMPTY = "目标数据库不是空的：只能恢复到新建的空数据库"
MSG_NO_MANIFEST = "找不到备份清单（.json）：无法核对行数"


@dataclass
class Backup:
    dump: Path
    media: Path
    manifest: Path
    row_counts: dict[str, int]
    removed: list[Path] = field(default_factory=list)


@dataclass
class Restore:
    row_counts: dict[str, int]
    differences: dict[str, tuple[int | None, int | None]]


def _pg_args(params: dict) -> tuple[list[str], dict]:
    args = ["-h", params.get("HOST") or "127.0.0.1", "-p", str(params.get("PORT") or 5432)]
    if params.get("USER"):
        args += ["-U", params["USER"]]
    env = {**os.environ}
    if params.get("PASSWORD"):
        env["PGPASSWORD"] = params["PASSWORD"]
    return args, env


def _require_postgres(vendor: str) -> None:
    if vendor != "postgresql":
        raise ValidationError(MSG_NOT_POSTGRES)


def table_counts(cursor, tables: list[str]) -> dict[str, int]:
    counts = {}
    for table in sorted(tables):
        cursor.execute(f'SELECT count(*) FROM "{table}"')
        counts[table] = cursor.fetchone()[0]
    return counts


def _prune(directory: Path, *, keep_days: int, now: dt.datetime) -> list[Path]:
    """Remove backups older than keep_days, judged by the stamp in their names."""
    cutoff = now - dt.timedelta(days=keep_days)
    removed = []
    for path in sorted(directory.iterdir()):
        match = NAME_RE.match(path.name)
        if not match:
            continue
        stamp = dt.datetime.strptime(match.group(1), "%Y%m%d-%H%M%S").replace(tzinfo=now.tzinfo)
        if stamp < cutoff:
            path.unlink()
            removed.append(path)
    return removed


def backup_create(*, directory: Path, keep_days: int, now: dt.datetime | None = None) -> Backup:
    """1. pg_dump the configured database; 2. pack the media folder; 3. write the manifest of
    row counts; 4. remove backups older than keep_days."""
    _require_postgres(connection.vendor)
    if keep_days < 1:
        raise ValidationError("保留天数至少为 1 天")
    now = now or timezone.localtime()
    directory.mkdir(parents=True, exist_ok=True)
    stamp = now.strftime("%Y%m%d-%H%M%S")
    dump, media, manifest = (directory / f"fivestar-{stamp}{suffix}" for suffix in (".dump", "-media.tar.gz", ".json"))
    params = settings.DATABASES["default"]
    args, env = _pg_args(params)
    # The counts are read first, in one snapshot; a write between this and the dump shows as a
    # difference at restore, which is what an operator wants to know.
    with connection.cursor() as cursor:
        counts = table_counts(cursor, connection.introspection.django_table_names(only_existing=True))
    subprocess.run(["pg_dump", *args, "--format=custom", "--no-owner", "--no-privileges", "--file", str(dump),
                    params["NAME"]], env=env, check=True, capture_output=True)
    media_root = Path(settings.MEDIA_ROOT)
    with tarfile.open(media, "w:gz") as tar:
        if media_root.is_dir():
            tar.add(media_root, arcname="media")
    manifest.write_text(json.dumps({"created_at": now.isoformat(), "database": params["NAME"],
                                    "row_counts": counts}, ensure_ascii=False, indent=1), encoding="utf-8")
    return Backup(dump, media, manifest, counts, _prune(directory, keep_days=keep_days, now=now))


def _manifest_for(dump: Path) -> dict:
    manifest = dump.with_suffix(".json")
    if not manifest.exists():
        raise ValidationError(MSG_NO_MANIFEST)
    return json.loads(manifest.read_text(encoding="utf-8"))


def backup_restore(*, dump: Path, database_url: str, media_root: Path | None = None) -> Restore:
    """1. Check the target is an empty PostgreSQL database; 2. pg_restore into it; 3. unpack
    the media next to the dump into media_root; 4. compare each table's row count with the
    manifest. Returns the counts and the tables that differ (expected, restored)."""
    import psycopg2

    params = dj_database_url.parse(database_url)
    _require_postgres("postgresql" if "postgresql" in params["ENGINE"] else params["ENGINE"])
    expected = _manifest_for(dump)["row_counts"]
    conn = psycopg2.connect(dbname=params["NAME"], user=params.get("USER") or None,
                            password=params.get("PASSWORD") or None, host=params.get("HOST") or "127.0.0.1",
                            port=params.get("PORT") or 5432)
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'")
            if cursor.fetchone()[0]:
                raise ValidationError(MSG_TARGET_NOT_EMPTY)
        args, env = _pg_args(params)
        subprocess.run(["pg_restore", *args, "--no-owner", "--no-privileges", "--exit-on-error",
                        "-d", params["NAME"], str(dump)], env=env, check=True, capture_output=True)
        with conn.cursor() as cursor:
            cursor.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")
            restored_tables = [row[0] for row in cursor.fetchall()]
            counts = table_counts(cursor, [t for t in restored_tables if t in expected])
    finally:
        conn.close()
    media = dump.with_name(dump.name.removesuffix(".dump") + "-media.tar.gz")
    if media_root is not None and media.exists():
        media_root.mkdir(parents=True, exist_ok=True)
        with tarfile.open(media, "r:gz") as tar:
            # The "data" filter refuses absolute paths, links out of the folder and devices.
            members = [m for m in tar.getmembers() if m.name == "media" or m.name.startswith("media/")]
            for member in members:
                member.name = member.name.removeprefix("media").lstrip("/") or "."
            tar.extractall(media_root, members=members, filter="data")
    differences = {t: (expected.get(t), counts.get(t)) for t in sorted(set(expected) | set(counts))
                   if expected.get(t) != counts.get(t)}
    return Restore(counts, differences)
