"""Issue 16: a star row's per-indicator detail kept as PostgreSQL `json`, not `jsonb` (config/fields.py).

The column is written in bulk and read whole: `jsonb`'s conversion cost a county's rewrite 6 ms
of its 16 ms COPY, and every read converted it back to text. On PostgreSQL the column is rewritten
once by this migration (the existing values through the jsonb → json cast); SQLite keeps text.
"""

import config.fields
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('ratings', '0018_issue_16_star_rows_room_to_rewrite'),
    ]

    operations = [
        migrations.AlterField(
            model_name='starscore',
            name='indicators',
            field=config.fields.JSONTextField(default=list, verbose_name='指标明细'),
        ),
    ]
