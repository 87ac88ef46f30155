"""Locks that serialise jobs across processes (two beats, a beat and a click, two workers)."""

from __future__ import annotations

import zlib

from django.db import connection


def county_month_lock(*, job: str, county_id: int, year: int, month: int) -> None:
    """Hold a lock on one job of one county and month until the current transaction ends.

    On PostgreSQL a transaction-scoped advisory lock: the second caller waits until the first
    has committed, then sees its result. The key is a hash of the job's name (a collision
    only makes two unrelated closes wait for each other). SQLite, the embedded default, has
    one process and takes its write lock at the first write.
    """
    if connection.vendor != "postgresql":
        return
    key = zlib.crc32(f"{job}:{county_id}:{year}:{month}".encode())
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])
