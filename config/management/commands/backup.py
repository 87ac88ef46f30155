"""Back up the database (pg_dump) and the media files, keeping --keep-days days of backups.

Run nightly by the `backup` service of docker-compose.yml; see the README for the restore.
"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from config.backups import backup_create


class Command(BaseCommand):
    help = "Dump the database and pack the media files into --dir, removing backups older than --keep-days."

    def add_arguments(self, parser):
        parser.add_argument("--dir", default="backups", help="folder of the backups (default: ./backups)")
        parser.add_argument("--keep-days", type=int, default=14)

    def handle(self, *args, **opts):
        try:
            backup = backup_create(directory=Path(opts["dir"]), keep_days=opts["keep_days"])
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        rows = sum(backup.row_counts.values())
        self.stdout.write(f"备份完成：{backup.dump}（{len(backup.row_counts)} 张表，{rows} 行），"
                          f"附件 {backup.media}，清单 {backup.manifest}")
        for path in backup.removed:
            self.stdout.write(f"已删除过期备份：{path}")
