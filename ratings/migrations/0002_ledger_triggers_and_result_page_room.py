"""What the models cannot say: the ledger's year-to-date triggers and the star rows' page fill.

1. Triggers that mark a village's year-to-date values out of date whenever a ledger row changes,
   whatever wrote it (see ratings/models/year_to_date.py). PostgreSQL: one statement-level trigger
   per event with transition tables (a COPY of millions of rows marks each village once); SQLite:
   row-level triggers.
2. Room on the result tables' pages, so that a recompute, which rewrites a village's rows on the
   same key, writes each new row version on its own page (a heap-only update: no index touched).
   A star row carries its per-indicator detail (about 1 KB, seven or eight to a page), so its
   pages keep half free (fillfactor 50); village rows are small, a fifth is enough (80). A closed
   month's pages stay part empty: the price of the rewrites a live month's recomputes do many
   times a day. PostgreSQL only (SQLite has no fillfactor).
"""

from django.db import migrations

MARK = "ratings_ledgeryeartodatemark"
LEDGER = "ratings_ledgerentry"

POSTGRES_UP = f"""
CREATE FUNCTION ratings_ledger_ytd_mark() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO {MARK} (village_id, year, from_month, version)
        SELECT village_id, year, min(month), 1 FROM new_rows GROUP BY village_id, year
        ON CONFLICT (village_id, year) DO UPDATE
            SET from_month = LEAST({MARK}.from_month, EXCLUDED.from_month), version = {MARK}.version + 1;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO {MARK} (village_id, year, from_month, version)
        SELECT village_id, year, min(month), 1 FROM old_rows GROUP BY village_id, year
        ON CONFLICT (village_id, year) DO UPDATE
            SET from_month = LEAST({MARK}.from_month, EXCLUDED.from_month), version = {MARK}.version + 1;
    ELSE
        INSERT INTO {MARK} (village_id, year, from_month, version)
        SELECT village_id, year, min(month), 1 FROM (
            SELECT village_id, year, month FROM old_rows UNION ALL SELECT village_id, year, month FROM new_rows
        ) AS changed GROUP BY village_id, year
        ON CONFLICT (village_id, year) DO UPDATE
            SET from_month = LEAST({MARK}.from_month, EXCLUDED.from_month), version = {MARK}.version + 1;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER ratings_ledger_ytd_insert AFTER INSERT ON {LEDGER}
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ratings_ledger_ytd_mark();
CREATE TRIGGER ratings_ledger_ytd_update AFTER UPDATE ON {LEDGER}
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ratings_ledger_ytd_mark();
CREATE TRIGGER ratings_ledger_ytd_delete AFTER DELETE ON {LEDGER}
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ratings_ledger_ytd_mark();
"""
POSTGRES_DOWN = f"""
DROP TRIGGER IF EXISTS ratings_ledger_ytd_insert ON {LEDGER};
DROP TRIGGER IF EXISTS ratings_ledger_ytd_update ON {LEDGER};
DROP TRIGGER IF EXISTS ratings_ledger_ytd_delete ON {LEDGER};
DROP FUNCTION IF EXISTS ratings_ledger_ytd_mark();
"""


def _sqlite_mark(row: str) -> str:
    return (f"INSERT INTO {MARK} (village_id, year, from_month, version) VALUES ({row}.village_id, {row}.year, "
            f"{row}.month, 1) ON CONFLICT (village_id, year) DO UPDATE SET "
            f"from_month = MIN(from_month, excluded.from_month), version = version + 1;")


SQLITE_UP = [
    f"CREATE TRIGGER ratings_ledger_ytd_insert AFTER INSERT ON {LEDGER} BEGIN {_sqlite_mark('NEW')} END;",
    f"CREATE TRIGGER ratings_ledger_ytd_update AFTER UPDATE ON {LEDGER} BEGIN {_sqlite_mark('OLD')} "
    f"{_sqlite_mark('NEW')} END;",
    f"CREATE TRIGGER ratings_ledger_ytd_delete AFTER DELETE ON {LEDGER} BEGIN {_sqlite_mark('OLD')} END;",
]
SQLITE_DOWN = [f"DROP TRIGGER IF EXISTS ratings_ledger_ytd_{event};" for event in ("insert", "update", "delete")]


def triggers_up(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = [POSTGRES_UP] if vendor == "postgresql" else SQLITE_UP if vendor == "sqlite" else None
    if statements is None:
        raise RuntimeError(f"no year-to-date triggers for database {vendor}")
    for sql in statements:
        schema_editor.execute(sql, params=None)


def triggers_down(apps, schema_editor):
    statements = [POSTGRES_DOWN] if schema_editor.connection.vendor == "postgresql" else SQLITE_DOWN
    for sql in statements:
        schema_editor.execute(sql, params=None)


# Table → fillfactor (percent of each page filled by new rows).
RESULT_TABLES_FILL = {"ratings_starscore": 50, "ratings_villagescore": 80}


def set_fillfactor(fill: dict[str, int]):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for table, value in fill.items():
                schema_editor.execute(f'ALTER TABLE "{table}" SET (fillfactor = {value})')

    return apply


class Migration(migrations.Migration):

    dependencies = [
        ('ratings', '0001_standards_ledgers_and_results'),
    ]

    operations = [
        migrations.RunPython(triggers_up, triggers_down),
        migrations.RunPython(set_fillfactor(RESULT_TABLES_FILL), set_fillfactor(dict.fromkeys(RESULT_TABLES_FILL, 100))),
    ]
