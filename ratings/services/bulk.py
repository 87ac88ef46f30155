"""Fast bulk writes for the results tables.

Django's bulk_create(update_conflicts=True) and bulk_update build an expression per value,
which costs more than the database work itself at county and province scale (measured with
bench_scoring: about half of a county's recompute). On PostgreSQL these helpers send one
INSERT … ON CONFLICT DO UPDATE / UPDATE … FROM (VALUES …) through psycopg2's execute_values;
elsewhere (the embedded SQLite) they fall back to Django's own bulk methods.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Sequence

from django.db import connection
from django.db.models import DateTimeField, DecimalField, ForeignKey, IntegerField, JSONField, Model


class SerializedDict(dict):
    """A dict for a JSON column that carries its JSON text, built once by the code that made it
    (the scoring service builds a star's detail from the shared text of its indicator rows):
    `upsert_rows` sends `text` instead of serializing the dict again. Never change one."""

    __slots__ = ("text",)

    def __init__(self, value: dict, text: str):
        super().__init__(value)
        self.text = text


class SerializedList(list):
    """A list for a JSON column that carries its JSON text (see `SerializedDict`)."""

    __slots__ = ("text",)

    def __init__(self, value, text: str):
        super().__init__(value)
        self.text = text


def json_text(value) -> str:
    """The JSON text of a JSON column's value (a `SerializedDict`'s or `SerializedList`'s own text)."""
    if value.__class__ is SerializedDict or value.__class__ is SerializedList:
        return value.text
    return json.dumps(value, ensure_ascii=False)


def _db_value(model: type[Model], name: str, value):
    field = model._meta.get_field(name)
    return field.get_db_prep_save(value, connection)


# Up to this many rows go in one INSERT … VALUES statement, more through COPY.
FEW_ROWS = 50


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
    meta = model._meta
    model_fields = [meta.get_field(f.removesuffix("_id") if f.endswith("_id") else f) for f in fields]
    columns = [f'"{field.column}"' for field in model_fields]
    json_at = {i for i, field in enumerate(model_fields) if isinstance(field, JSONField)}
    unique_columns = [f'"{meta.get_field(u.removesuffix("_id") if u.endswith("_id") else u).column}"' for u in unique]
    conflict = (f'ON CONFLICT ({", ".join(unique_columns)}) DO UPDATE SET '
                + ", ".join(f"{c} = EXCLUDED.{c}" for c in columns if c not in unique_columns))
    if len(rows) <= FEW_ROWS:
        # A few rows (one village's): one INSERT … VALUES … ON CONFLICT instead of the four
        # statements of the scratch table below.
        from psycopg2.extras import execute_values

        values = [tuple(json_text(v) if i in json_at else v for i, v in enumerate(row)) for row in rows]
        with connection.cursor() as cursor:
            execute_values(cursor.cursor, f'INSERT INTO "{meta.db_table}" ({", ".join(columns)}) VALUES %s {conflict}',
                           values, page_size=FEW_ROWS)
        return
    # COPY the rows into a session's scratch table, then one INSERT … SELECT … ON CONFLICT: the
    # rows travel as tab-separated text, not as a statement of literals psycopg2 must build.
    scratch = f"upsert_{meta.db_table}"
    convert = [_copy_json if i in json_at else _copy_converter(field) for i, field in enumerate(model_fields)]
    text = "".join(["\t".join([to_text(v) for to_text, v in zip(convert, row, strict=True)]) + "\n" for row in rows])
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE TEMP TABLE IF NOT EXISTS "{scratch}" AS SELECT {", ".join(columns)} '
                       f'FROM "{meta.db_table}" WITH NO DATA')
        cursor.execute(f'TRUNCATE "{scratch}"')
        cursor.cursor.copy_expert(f'COPY "{scratch}" ({", ".join(columns)}) FROM STDIN', io.StringIO(text))
        cursor.execute(
            f'INSERT INTO "{meta.db_table}" ({", ".join(columns)}) SELECT {", ".join(columns)} FROM "{scratch}" {conflict}')


def _copy_escaped(text: str) -> str:
    """Backslash, tab and line breaks escaped for COPY's text format. Most texts hold none of
    them: a search for each is far cheaper than translating every character (a county's star
    details are 2.5 MB of text; translating them took 40–60 ms of a rewrite)."""
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return text


def _copy_json(value) -> str:
    """A JSON column's value in COPY's text format."""
    return _copy_escaped(json_text(value))


def _copy_text(value) -> str:
    """One value in COPY's text format (NULL as \\N; backslash, tab and line breaks escaped)."""
    if value is None:
        return "\\N"
    if value is True or value is False:
        return "t" if value else "f"
    if isinstance(value, str):
        return _copy_escaped(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value)


def _copy_number(value) -> str:
    """An integer or decimal column's value in COPY's text format (NULL as \\N)."""
    return "\\N" if value is None else str(value)


def _copy_converter(field):
    """The COPY text of one column's values: numbers by `str` alone (a county's star rows hold
    12,000 of them); a time column's value by the text of the last one seen (a recompute stamps
    every row with the same time); anything else through `_copy_text`."""
    if isinstance(field, IntegerField | DecimalField | ForeignKey):
        return _copy_number
    if isinstance(field, DateTimeField):
        last: list = [None, None]

        def copy_time(value) -> str:
            if value is not last[0]:
                last[0], last[1] = value, _copy_text(value)
            return last[1]

        return copy_time
    return _copy_text


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
    types = [model._meta.get_field(n).db_type(connection) for n in fields]
    assignments = ", ".join(f"{c} = CAST(v.{c} AS {t})" for c, t in zip(columns, types, strict=True))
    sql = (f'UPDATE "{model._meta.db_table}" AS t SET {assignments} FROM (VALUES %s) AS v (id, {", ".join(columns)}) '
           f"WHERE t.id = v.id")
    with connection.cursor() as cursor:
        execute_values(cursor.cursor, sql, rows, page_size=5000)
