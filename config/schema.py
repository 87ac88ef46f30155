"""The database schema as data: what `migrate` builds, read back from the database itself.

One JSON-ready dict per database vendor, so two histories of migrations (today's, and the same
squashed into one per app) can be compared table by table: columns (type, nullability, default),
indexes, unique, check and foreign-key constraints, triggers and, on PostgreSQL, the trigger
functions and each table's storage options (fillfactor). Column order is left out on purpose:
it depends on the order fields were added in, not on what the schema holds.

`manage.py schema_snapshot` writes the snapshot; tests/test_schema_snapshot.py compares the test
database (migrated from scratch at the start of the session) with it.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.db import connection

SNAPSHOT_DIR = Path(__file__).resolve().parent.parent / "tests" / "schema"


def snapshot_path(vendor: str) -> Path:
    return SNAPSHOT_DIR / f"{vendor}.json"


def schema_snapshot(conn=connection) -> dict:
    if conn.vendor == "sqlite":
        return _sqlite(conn)
    if conn.vendor == "postgresql":
        return _postgresql(conn)
    raise NotImplementedError(f"no schema snapshot for {conn.vendor}")


def schema_json(snapshot: dict) -> str:
    return json.dumps(snapshot, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def _split_top_level(body: str) -> list[str]:
    """A CREATE TABLE body split at the commas outside parentheses and quotes."""
    items, depth, quote, start = [], 0, "", 0
    for i, ch in enumerate(body):
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "\"'`":
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "," and depth == 0:
            items.append(body[start:i].strip())
            start = i + 1
    items.append(body[start:].strip())
    return [item for item in items if item]


TABLE_CONSTRAINTS = {"CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN"}


def _sqlite(conn) -> dict:
    """SQLite keeps each object's CREATE statement: a column is its definition in that statement
    (type, NOT NULL, PRIMARY KEY, REFERENCES, CHECK), which Django writes the same whether the
    table was created whole or remade by an alteration."""
    tables: dict[str, dict] = {}
    with conn.cursor() as cursor:
        cursor.execute("SELECT type, name, tbl_name, sql FROM sqlite_master "
                       "WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name")
        rows = cursor.fetchall()
        for kind, name, _table, sql in rows:
            if kind != "table":
                continue
            body = sql[sql.index("(") + 1: sql.rindex(")")]
            columns, constraints = {}, []
            for item in _split_top_level(" ".join(body.split())):
                if item.startswith('"'):
                    column = item[1:item.index('"', 1)]
                    columns[column] = item[len(column) + 2:].strip()
                elif item.split()[0].upper() in TABLE_CONSTRAINTS:
                    constraints.append(item)
                else:  # a column named without quotes (a table made by hand-written SQL)
                    column, _, definition = item.partition(" ")
                    columns[column] = definition
            tables[name] = {"columns": columns, "constraints": sorted(constraints),
                            "indexes": {}, "triggers": {}}
        for kind, name, table, sql in rows:
            if kind == "index":
                if sql is None:  # made by SQLite for a UNIQUE or PRIMARY KEY of the table itself
                    cursor.execute(f'PRAGMA index_info("{name}")')
                    sql = "AUTO (" + ", ".join(r[2] for r in cursor.fetchall()) + ")"
                    name = f"{table}:{sql}"
                tables[table]["indexes"][name] = " ".join(sql.split())
            elif kind == "trigger":
                tables[table]["triggers"][name] = " ".join(sql.split())
            elif kind == "view":
                tables[name] = {"view": " ".join(sql.split())}
    return {"vendor": "sqlite", "tables": tables}


def _postgresql(conn) -> dict:
    tables: dict[str, dict] = {}
    with conn.cursor() as cursor:
        cursor.execute("""
            SELECT c.relname, c.relkind, coalesce(c.reloptions, '{}')
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v', 'm')
        """)
        for name, kind, options in cursor.fetchall():
            tables[name] = {"kind": kind, "storage": sorted(options), "columns": {}, "constraints": {},
                            "indexes": {}, "triggers": {}}
        cursor.execute("""
            SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
                   pg_get_expr(d.adbin, d.adrelid), a.attidentity
            FROM pg_attribute a
            JOIN pg_class c ON c.oid = a.attrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace
            LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
            WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v', 'm')
              AND a.attnum > 0 AND NOT a.attisdropped
        """)
        for table, column, type_, not_null, default, identity in cursor.fetchall():
            tables[table]["columns"][column] = {"type": type_, "null": not not_null,
                                                "default": default, "identity": identity or None}
        cursor.execute("""
            SELECT c.relname, k.conname, k.contype, pg_get_constraintdef(k.oid)
            FROM pg_constraint k
            JOIN pg_class c ON c.oid = k.conrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = current_schema()
        """)
        for table, name, kind, definition in cursor.fetchall():
            tables[table]["constraints"][name] = f"{kind}: {definition}"
        cursor.execute("SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()")
        for table, name, definition in cursor.fetchall():
            tables[table]["indexes"][name] = definition
        cursor.execute("""
            SELECT c.relname, t.tgname, pg_get_triggerdef(t.oid)
            FROM pg_trigger t
            JOIN pg_class c ON c.oid = t.tgrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = current_schema() AND NOT t.tgisinternal
        """)
        for table, name, definition in cursor.fetchall():
            tables[table]["triggers"][name] = definition
        cursor.execute("""
            SELECT p.proname, pg_get_function_identity_arguments(p.oid), pg_get_functiondef(p.oid)
            FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE n.nspname = current_schema() AND p.prokind = 'f'
        """)
        functions = {f"{name}({args})": definition for name, args, definition in cursor.fetchall()}
    return {"vendor": "postgresql", "tables": tables, "functions": functions}
