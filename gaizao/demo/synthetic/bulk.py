"""Fast inserts for generated data: PostgreSQL's COPY where we have it, bulk_create elsewhere."""

from django.db import connection

BATCH = 5000


def insert_rows(model, fields: list[str], rows) -> int:
    """Insert tuples of values (in `fields` order, foreign keys as ids) without building model objects on
    PostgreSQL. Returns the number of rows. Ids are not returned: use this for rows nothing points at yet."""
    columns = [model._meta.get_field(name).column for name in fields]
    count = 0
    if connection.vendor == "postgresql":
        sql = f'COPY {model._meta.db_table} ({", ".join(columns)}) FROM STDIN'
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
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


def create_objects(model, objects: list) -> list:
    """bulk_create in batches, with the ids filled in (PostgreSQL and SQLite both return them)."""
    for start in range(0, len(objects), BATCH):
        model.objects.bulk_create(objects[start:start + BATCH])
    return objects
