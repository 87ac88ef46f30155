"""Issue 16: half of each page of the star rows kept free (fillfactor 50; 0017 set 80).

A star row carries its per-indicator detail (about 1 KB), so a page holds seven or eight of them.
At fillfactor 80 the free fifth of a page takes one new row version: when a county's rows are
rewritten, the others went to other pages and every index of the table took a new entry. On the
benchmark province only 36 % of the star rows' updates stayed on their page (heap-only tuples).
With half of each page free every row of a page can be rewritten in place, and the versions of
the rewrite before are pruned when the page is next visited, without a vacuum: 100 % of the
updates stayed on their page, and a county's 1,560 star rows were rewritten in 13 ms instead of
23.5 ms. The table of a closed month keeps its pages half full (those rows are not rewritten):
the price of the rewrites that a live month's recomputes do many times a day.

PostgreSQL only (SQLite has no fillfactor). Pages already written keep their packing until they
are rewritten (`VACUUM FULL ratings_starscore` repacks them at once).
"""

from django.db import migrations

TABLE = "ratings_starscore"


def fillfactor(value: int):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(f'ALTER TABLE "{TABLE}" SET (fillfactor = {value})')

    return apply


class Migration(migrations.Migration):

    dependencies = [
        ('ratings', '0017_issue_16_inputs_digest'),
    ]

    operations = [
        migrations.RunPython(fillfactor(50), fillfactor(80)),
    ]
