"""Fast inserts for generated data: PostgreSQL's COPY where we have it, bulk_create elsewhere."""

from contextlib import contextmanager

from django.db import connection

BATCH = 5000
COPY_ROWS = 100_000


def insert_rows(model, fields: list[str], rows) -> int:
    """Insert tuples of values (in `fields` order, foreign keys as ids) without building model objects on
    PostgreSQL. Returns the number of rows. Ids are not returned: use this for rows nothing points at yet."""
    columns = [model._meta.get_field(name).column for name in fields]
    count = 0
    if connection.vendor == "postgresql":
        sql = f'COPY {connection.ops.quote_name(model._meta.db_table)} ({", ".join(columns)}) FROM STDIN'
        rows = iter(rows)
        with connection.cursor() as cursor, _references_checked_once(cursor, model._meta.db_table):
            while True:
                # One COPY per COPY_ROWS rows, so a stopped run or a full disk shows up early and often.
                written = 0
                with cursor.cursor.copy(sql) as copy:
                    for row in rows:
                        copy.write_row(row)
                        written += 1
                        if written == COPY_ROWS:
                            break
                count += written
                if written < COPY_ROWS:
                    return count
    attnames = [model._meta.get_field(name).attname for name in fields]
    batch = []
    for row in rows:
        batch.append(model(**dict(zip(attnames, row, strict=True))))
        if len(batch) >= BATCH:
            model.objects.bulk_create(batch)
            count += len(batch)
            batch = []
    model.objects.bulk_create(batch)
    return count + len(batch)


@contextmanager
def _references_checked_once(cursor, table: str):
    """The table's foreign keys dropped while it is filled and added back after, inside the generating
    transaction: adding a key checks every row in one join, where a kept key checks each row on its own (about
    half of a province's generating time went on those checks). A failure rolls the keys back with the rows."""
    if not connection.in_atomic_block:
        yield
        return
    cursor.execute("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                   "WHERE conrelid = %s::regclass AND contype = 'f' ORDER BY conname", [table])
    keys = cursor.fetchall()
    quoted = connection.ops.quote_name(table)
    for name, _definition in keys:
        cursor.execute(f"ALTER TABLE {quoted} DROP CONSTRAINT {connection.ops.quote_name(name)}")
    yield
    for name, definition in keys:
        cursor.execute(f"ALTER TABLE {quoted} ADD CONSTRAINT {connection.ops.quote_name(name)} {definition}")


def create_objects(model, objects: list) -> list:
    """bulk_create in batches, with the ids filled in (PostgreSQL and SQLite both return them)."""
    for start in range(0, len(objects), BATCH):
        model.objects.bulk_create(objects[start:start + BATCH])
    return objects


def analyze(*models) -> None:
    """Fresh planner statistics for tables just filled, inside the generating transaction (PostgreSQL's ANALYZE
    sees the transaction's own rows). Without them a later read of a few rows is planned as a scan of all."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
