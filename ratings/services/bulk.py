"""Fast bulk writes for the results tables.

Django's bulk_create(update_conflicts=True) and bulk_update build an expression per value,
which costs more than the database work itself at county and province scale (measured with
bench_scoring: about half of a county's recompute). On PostgreSQL these helpers send one
INSERT … ON CONFLICT DO UPDATE / UPDATE … FROM (VALUES …) through psycopg2's execute_values;
elsewhere (the embedded SQLite) they fall back to Django's own bulk methods.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from django.db import connection
from django.db.models import JSONField, Model


def _db_value(model: type[Model], name: str, value):
    field = model._meta.get_field(name)
    return field.get_db_prep_save(value, connection)


def upsert_rows(model: type[Model], fields: list[str], rows: Sequence[tuple], *, unique: list[str]) -> None:
    """Insert or update plain rows (values in `fields` order, foreign keys as ids, e.g.
    "village_id"), without building a model instance per row on PostgreSQL."""
    if not rows:
        return
    update = [f for f in fields if f not in unique and f.removesuffix("_id") not in unique]
    if connection.vendor != "postgresql":
        objects = [model(**dict(zip(fields, row, strict=True))) for row in rows]
        names = [f.removesuffix("_id") if f.endswith("_id") else f for f in update]
        model.objects.bulk_create(objects, batch_size=5000, update_conflicts=True,
                                  unique_fields=[u.removesuffix("_id") for u in unique], update_fields=names)
        return
    from psycopg2.extras import execute_values

    meta = model._meta
    columns = [meta.get_field(f.removesuffix("_id") if f.endswith("_id") else f).column for f in fields]
    json_at = [i for i, f in enumerate(fields) if isinstance(meta.get_field(f.removesuffix("_id") if f.endswith("_id") else f), JSONField)]
    if json_at:
        rows = [tuple(json.dumps(v, ensure_ascii=False) if i in json_at else v for i, v in enumerate(row)) for row in rows]
    unique_columns = [meta.get_field(u.removesuffix("_id") if u.endswith("_id") else u).column for u in unique]
    sql = (f'INSERT INTO "{meta.db_table}" ({", ".join(columns)}) VALUES %s '
           f'ON CONFLICT ({", ".join(unique_columns)}) DO UPDATE SET '
           + ", ".join(f"{c} = EXCLUDED.{c}" for c in columns if c not in unique_columns))
    with connection.cursor() as cursor:
        execute_values(cursor.cursor, sql, rows, page_size=5000)


def upsert(model: type[Model], objects: Sequence[Model], *, unique: list[str], update: list[str]) -> None:
    if not objects:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objects, batch_size=5000, update_conflicts=True, unique_fields=unique,
                                  update_fields=update)
        return
    from psycopg2.extras import execute_values

    fields = [model._meta.get_field(n) for n in unique + update]
    columns = [f.column for f in fields]
    unique_columns = [model._meta.get_field(n).column for n in unique]
    rows = [tuple(f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields) for obj in objects]
    sql = (f'INSERT INTO "{model._meta.db_table}" ({", ".join(columns)}) VALUES %s '
           f'ON CONFLICT ({", ".join(unique_columns)}) DO UPDATE SET '
           + ", ".join(f"{c} = EXCLUDED.{c}" for c in columns if c not in unique_columns))
    with connection.cursor() as cursor:
        execute_values(cursor.cursor, sql, rows, page_size=5000)


def update_by_id(model: type[Model], rows: Sequence[tuple], fields: list[str]) -> None:
    """rows: (id, value of each field…)."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        objects = [model(pk=row[0], **dict(zip(fields, row[1:], strict=True))) for row in rows]
        model.objects.bulk_update(objects, fields, batch_size=5000)
        return
    from psycopg2.extras import execute_values

    columns = [model._meta.get_field(n).column for n in fields]
    assignments = ", ".join(f"{c} = CAST(v.{c} AS integer)" for c in columns)
    sql = (f'UPDATE "{model._meta.db_table}" AS t SET {assignments} FROM (VALUES %s) AS v (id, {", ".join(columns)}) '
           f"WHERE t.id = v.id")
    with connection.cursor() as cursor:
        execute_values(cursor.cursor, sql, rows, page_size=5000)
