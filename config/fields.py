"""`JSONTextField`: a JSON column kept as PostgreSQL `json` (the text as written) rather than `jsonb`.

`jsonb` converts every value it takes into its binary form and back into text for every read.
For a column that is written in bulk and read whole, never searched inside (a star row's
per-indicator detail, about 1 KB a row), that conversion is pure cost: PostgreSQL took a county's
1,560 star rows through COPY in 10 ms as `json` against 16 ms as `jsonb` (one process, the
benchmark province), and the rows were 12 % smaller. `json` still checks that the text is JSON.
What it gives up: containment, key-existence and equality operators and GIN indexes, which no
query of this project uses on such a column. Elsewhere (SQLite) it is Django's JSONField as it is.
"""

from __future__ import annotations

from django.db import models


class JSONTextField(models.JSONField):
    def db_type(self, connection):
        if connection.vendor == "postgresql":
            return "json"
        return super().db_type(connection)

    def from_db_value(self, value, expression, connection):
        # psycopg2 decodes a `json` column itself (Django has it leave `jsonb` as text).
        if value is not None and not isinstance(value, str):
            return value
        return super().from_db_value(value, expression, connection)
