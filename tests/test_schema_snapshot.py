"""The schema that the migrations build from an empty database equals the committed snapshot
(tests/schema/<vendor>.json): tables, columns with their types and nullability, indexes, unique,
check and foreign-key constraints, triggers and, on PostgreSQL, trigger functions and tables'
storage options. A squash of the migrations must leave every one of them as it was; a migration
that changes the schema on purpose comes with a new snapshot (`manage.py schema_snapshot`).

The test database is the empty database that pytest-django migrates from scratch when the
session starts (never reused: the suite does not pass --reuse-db), so it is read as it is.
"""

from __future__ import annotations

import difflib

import pytest
from django.db import connection

from config.schema import schema_json, schema_snapshot, snapshot_path


@pytest.fixture
def fresh_database(request, db):
    if request.config.getoption("reuse_db", False):
        pytest.fail("--reuse-db keeps a database migrated earlier: the schema test needs a fresh one")
    return connection


def test_migrations_from_an_empty_database_build_the_snapshot_schema(fresh_database):
    path = snapshot_path(fresh_database.vendor)
    expected = path.read_text()
    actual = schema_json(schema_snapshot(fresh_database))
    if actual != expected:
        diff = "\n".join(difflib.unified_diff(expected.splitlines(), actual.splitlines(), str(path.name),
                                              "migrated database", lineterm="", n=2))
        pytest.fail(f"The migrated schema differs from {path.name}:\n{diff[:20000]}")


def test_snapshot_reads_columns_constraints_indexes_and_triggers(fresh_database):
    """The snapshot sees what a squash could lose: the ledger's triggers, a check constraint,
    a unique constraint, an index, a nullable column and, on PostgreSQL, the results' fillfactor."""
    tables = schema_snapshot(fresh_database)["tables"]
    ledger = tables["ratings_ledgerentry"]
    assert ledger["triggers"], "the ledger table's year-to-date triggers"
    assert ledger["indexes"]
    if fresh_database.vendor == "postgresql":
        assert "fillfactor=50" in tables["ratings_starscore"]["storage"]
        kinds = {definition.split(":")[0] for table in tables.values() for definition in table["constraints"].values()}
        assert {"c", "u", "f", "p"} <= kinds
        assert any(column["null"] for column in ledger["columns"].values())
    else:
        text = str(tables)
        assert "CHECK" in text and "UNIQUE" in text
