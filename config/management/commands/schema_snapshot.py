"""Write (or check) the schema snapshot of the configured database: tests/schema/<vendor>.json.

    manage.py schema_snapshot [--check] [--output FILE]

Run it on a database that `migrate` built from empty (a new SQLite file, a new PostgreSQL
database), once per vendor; tests/test_schema_snapshot.py compares the test database with the
committed file, so a squash or a new migration that changes the schema shows as a difference.
"""

from __future__ import annotations

import difflib
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from config.schema import schema_json, schema_snapshot, snapshot_path


class Command(BaseCommand):
    help = "Write the migrated database's schema (tables, columns, indexes, constraints, triggers) to a JSON snapshot."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true",
                            help="compare with the snapshot instead of writing it; fail on a difference")
        parser.add_argument("--output", help="file to write or check (default tests/schema/<vendor>.json)")

    def handle(self, *args, check: bool = False, output: str | None = None, **options):
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            raise CommandError("数据库尚未迁移到最新：请先运行 migrate。")
        path = Path(output) if output else snapshot_path(connection.vendor)
        snapshot = schema_snapshot()
        text = schema_json(snapshot)
        if check:
            stored = path.read_text() if path.exists() else ""
            if stored != text:
                diff = difflib.unified_diff(stored.splitlines(), text.splitlines(), str(path), "database", lineterm="")
                self.stdout.write("\n".join(diff))
                raise CommandError(f"数据库结构与 {path} 不同（差异见上）。")
            self.stdout.write(f"数据库结构与 {path} 相同。")
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        self.stdout.write(f"已写入 {path}（{len(snapshot['tables'])} 张表）。")
