"""What the partition tests of the audit history and the progress entries share: raw SQL and the partition a row
sits in."""

import pytest
from django.db import connection

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql",
                                   reason="partitioning is PostgreSQL's; on SQLite the migration does nothing")


def sql(query, params=()):
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchall() if cursor.description else None


def partition_in(table: str, pk) -> str:
    [(name,)] = sql(f"SELECT tableoid::regclass::text FROM {table} WHERE id = %s", [pk])
    return name
