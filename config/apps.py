import sqlite3

from django.apps import AppConfig
from django.db.backends.signals import connection_created


def _sqlite_variable_limit(sender, connection, **kwargs) -> None:
    """Django 5.2 assumes SQLite's old limit of 999 variables a query and splits bulk writes
    into many small batches; the SQLite here allows far more (250000 since 3.32), and Django 6
    reads the real limit. Reading it here keeps a county's recompute at a constant number of
    queries on the embedded database too."""
    if connection.vendor == "sqlite" and connection.connection is not None:
        limit = connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
        connection.features.max_query_params = limit


class PortalConfig(AppConfig):
    name = "config"
    verbose_name = "平台配置"

    def ready(self) -> None:
        from . import (
            checks,  # noqa: F401  (system checks of the production setup)
            lookups,  # noqa: F401  (registers `__among`)
            throttles,  # noqa: F401  (counts failed sign-ins)
        )

        connection_created.connect(_sqlite_variable_limit, dispatch_uid="portal-sqlite-variable-limit")
