"""The embedded SQLite default serves two writers at once without
"database is locked" (WAL, a busy timeout, transactions that take the write lock first)."""

from __future__ import annotations

import threading

from django.conf import settings
from django.db import connections, transaction


def _alias(tmp_path, django_db_blocker):
    alias = "concurrency_probe"
    connections.settings[alias] = connections.configure_settings(
        {"default": connections.settings["default"], alias: {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "probe.sqlite3"),
                 "OPTIONS": dict(settings.SQLITE_OPTIONS)}})[alias]
    return alias


def test_two_concurrent_writers_never_see_database_is_locked(tmp_path, django_db_blocker):
    alias = _alias(tmp_path, django_db_blocker)
    errors: list[str] = []
    try:
        with django_db_blocker.unblock():
            with connections[alias].cursor() as cursor:
                cursor.execute("CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER)")
                cursor.execute("INSERT INTO counter (id, n) VALUES (1, 0)")
                cursor.execute("PRAGMA journal_mode")
                assert cursor.fetchone()[0] == "wal"

            def writer():
                try:
                    for _ in range(40):
                        # Read, then write: what every service does (check, then save).
                        with transaction.atomic(using=alias), connections[alias].cursor() as cursor:
                            cursor.execute("SELECT n FROM counter WHERE id = 1")
                            n = cursor.fetchone()[0]
                            cursor.execute("UPDATE counter SET n = %s WHERE id = 1", [n + 1])
                except Exception as exc:  # the failure this test is about
                    errors.append(str(exc))
                finally:
                    connections[alias].close()

            threads = [threading.Thread(target=writer) for _ in range(2)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            with connections[alias].cursor() as cursor:
                cursor.execute("SELECT n FROM counter WHERE id = 1")
                total = cursor.fetchone()[0]
            connections[alias].close()
    finally:
        del connections.settings[alias]
    assert errors == []
    assert total == 80  # no lost update either
