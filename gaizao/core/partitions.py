"""Monthly range partitions, on PostgreSQL, of the append-only tables that grow with the province: progress entries
(by the date of the work) and the audit history (by the time of the change). See docs/deploy.md, *Partitioning*.

Django keeps `id` as each model's primary key; in the database the primary key is (id, partition key), because
PostgreSQL wants the partition key in every unique constraint of a partitioned table. Ids still come from one
sequence owned by the table, so they stay unique and keep counting from where they were. Each month has its
partition (`works_progressentry_p202111`); a default partition (`…_default`) takes any row no month covers yet, so
an insert never fails for want of a partition, and `gaizao partitions` moves such rows into their months later.

`partition` and `unpartition` rebuild a table in place (used by the migrations): a new table, every row copied,
the old table dropped, then the sequence, the primary key, and every index and foreign key the old table had, under
the names it had, so the migrations that come later find what Django expects. Foreign keys pointing *at* the table
are the caller's business (works' migration replaces the photos' one): both refuse to run while one exists.
"""

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

# The partitioned tables and what "this month" means for each: the date of the work is on the platform's calendar
# (the demo lives in November 2021), the time of an audit row is the machine's.
TABLES = {"works_progressentry": "platform", "core_auditentry": "machine"}
AHEAD = 3  # months created ahead of the current one, so a monthly run can be missed twice without harm
# Rows older than this at migration time, or later than the months ahead, get no partitions of their own (a
# mistyped year would otherwise create centuries of empty months); they wait in the default partition.
WINDOW_YEARS = 20


def q(name: str) -> str:
    return connection.ops.quote_name(name)


def add_months(month: datetime.date, n: int) -> datetime.date:
    years, index = divmod(month.year * 12 + month.month - 1 + n, 12)
    return datetime.date(years, index + 1, 1)


def partition_name(table: str, month: datetime.date) -> str:
    return f"{table}_p{month:%Y%m}"


def default_name(table: str) -> str:
    return f"{table}_default"


def is_partitioned(cursor, table: str) -> bool:
    cursor.execute("SELECT relkind FROM pg_class WHERE oid = to_regclass(%s)", [table])
    row = cursor.fetchone()
    return bool(row) and row[0] == "p"


def partitions(cursor, table: str) -> list[str]:
    cursor.execute("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                   "WHERE i.inhparent = %s::regclass ORDER BY c.relname", [table])
    return [name for (name,) in cursor.fetchall()]


def _key(cursor, table: str) -> tuple[str, str]:
    """The partitioned table's key column and its type ('date' or 'timestamp with time zone')."""
    cursor.execute("SELECT a.attname, format_type(a.atttypid, a.atttypmod) FROM pg_partitioned_table p "
                   "JOIN pg_attribute a ON a.attrelid = p.partrelid AND a.attnum = p.partattrs[0] "
                   "WHERE p.partrelid = %s::regclass", [table])
    return cursor.fetchone()


def _column_type(cursor, table: str, column: str) -> str:
    cursor.execute("SELECT format_type(atttypid, atttypmod) FROM pg_attribute "
                   "WHERE attrelid = %s::regclass AND attname = %s", [table, column])
    return cursor.fetchone()[0]


def _bound(key_type: str, month: datetime.date) -> str:
    """A month's first instant as an SQL literal: midnight on the platform's time zone for a time key, so an audit
    row of 23:30 on 30 November in Shanghai is in November's partition."""
    if key_type == "date":
        return f"'{month.isoformat()}'"
    start = datetime.datetime(month.year, month.month, 1, tzinfo=ZoneInfo(settings.TIME_ZONE))
    return f"'{start.isoformat()}'"


def _range(key_type: str, month: datetime.date) -> str:
    return f"FROM ({_bound(key_type, month)}) TO ({_bound(key_type, add_months(month, 1))})"


def _local_month(key: str, key_type: str) -> str:
    """SQL for the first day of the month of a key's value, on the platform's time zone."""
    if key_type == "date":
        return f"date_trunc('month', {q(key)})::date"
    return f"date_trunc('month', {q(key)} AT TIME ZONE '{settings.TIME_ZONE}')::date"


def _columns(cursor, table: str) -> str:
    cursor.execute("SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0 "
                   "AND NOT attisdropped ORDER BY attnum", [table])
    return ", ".join(q(name) for (name,) in cursor.fetchall())


def current_month(table: str) -> datetime.date:
    from gaizao.core import clock

    day = clock.today() if TABLES.get(table) == "platform" else timezone.localdate()
    return day.replace(day=1)


# ---- creating months: the migrations and `gaizao partitions` -------------------------------------------------------

def ensure(table: str, ahead: int = AHEAD) -> dict:
    """The months from this one to `ahead` months on, and a month for every row waiting in the default partition
    (moved into it). Idempotent: a month that exists is left alone. One transaction."""
    with transaction.atomic(), connection.cursor() as cursor:
        key, key_type = _key(cursor, table)
        first = current_month(table)
        months = {add_months(first, n) for n in range(ahead + 1)}
        cursor.execute(f"SELECT DISTINCT {_local_month(key, key_type)} FROM {q(default_name(table))}")
        months |= {month for (month,) in cursor.fetchall()}
        existing = set(partitions(cursor, table))
        created, moved = [], 0
        for month in sorted(months):
            if partition_name(table, month) not in existing:
                moved += _create_month(cursor, table, key, key_type, month)
                created.append(month)
        return {"table": table, "created": created, "moved": moved, "through": add_months(first, ahead)}


def _create_month(cursor, table: str, key: str, key_type: str, month: datetime.date) -> int:
    """Create one month's partition; rows of that month already in the default partition are moved into it (the
    database refuses a new partition while the default holds rows of its range). Returns the rows moved."""
    name, default = partition_name(table, month), default_name(table)
    lo, hi = _bound(key_type, month), _bound(key_type, add_months(month, 1))
    cursor.execute(f"SELECT count(*) FROM {q(default)} WHERE {q(key)} >= {lo} AND {q(key)} < {hi}")
    waiting = cursor.fetchone()[0]
    if not waiting:
        cursor.execute(f"CREATE TABLE {q(name)} PARTITION OF {q(table)} FOR VALUES {_range(key_type, month)}")
        return 0
    columns = _columns(cursor, table)
    # A foreign key pointing at the table (a photo's) looks for the key only in the partition a row leaves, even
    # deferred to the commit, so it would refuse the move: it is dropped for the move and added back after, which
    # checks every referencing row again.
    cursor.execute("SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
                   "WHERE confrelid = %s::regclass AND contype = 'f' AND conparentid = 0", [table])
    references = cursor.fetchall()
    if references:
        # Checks still waiting for the commit (a photo added in this transaction) must run first: PostgreSQL will
        # not alter a table with pending ones. Django's keys are all deferred, so deferring all again restores them.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    for referencing, constraint, _definition in references:
        cursor.execute(f"ALTER TABLE {referencing} DROP CONSTRAINT {q(constraint)}")
    cursor.execute(f"CREATE TABLE {q(name)} (LIKE {q(table)} INCLUDING CONSTRAINTS)")
    cursor.execute(f"WITH moved AS (DELETE FROM {q(default)} WHERE {q(key)} >= {lo} AND {q(key)} < {hi} "
                   f"RETURNING {columns}) INSERT INTO {q(name)} ({columns}) SELECT {columns} FROM moved")
    moved = cursor.rowcount
    cursor.execute(f"ALTER TABLE {q(table)} ATTACH PARTITION {q(name)} FOR VALUES {_range(key_type, month)}")
    for referencing, constraint, definition in references:
        cursor.execute(f"ALTER TABLE {referencing} ADD CONSTRAINT {q(constraint)} {definition}")
    if references:
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    return moved


# ---- rebuilding a table: the migrations -----------------------------------------------------------------------

def _refuse_references(cursor, table: str) -> None:
    cursor.execute("SELECT conname, conrelid::regclass::text FROM pg_constraint "
                   "WHERE confrelid = %s::regclass AND contype = 'f' AND conparentid = 0", [table])
    found = cursor.fetchall()
    if found:
        raise RuntimeError(f"{table} is still referenced by {found}: replace those foreign keys first")


def _definitions(cursor, table: str) -> tuple[list[str], list[tuple[str, str]]]:
    """The table's own indexes (but the primary key's) as CREATE INDEX statements, and its foreign keys."""
    cursor.execute("SELECT pg_get_indexdef(indexrelid), indisunique FROM pg_index "
                   "WHERE indrelid = %s::regclass AND NOT indisprimary ORDER BY indexrelid", [table])
    indexes = cursor.fetchall()
    unique = [definition for definition, is_unique in indexes if is_unique]
    if unique:
        raise RuntimeError(f"{table} has unique indexes {unique}: a partitioned table needs the key in each")
    cursor.execute("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                   "WHERE conrelid = %s::regclass AND contype = 'f' AND conparentid = 0 ORDER BY conname", [table])
    return [definition for definition, _unique in indexes], cursor.fetchall()


def _sequence_next(cursor, table: str, pk: str) -> int:
    """The id the table's sequence would give next, never below one past the highest id present."""
    cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, pk])
    (sequence,) = cursor.fetchone()
    cursor.execute(f"SELECT CASE WHEN is_called THEN last_value + 1 ELSE last_value END FROM {sequence}")
    (following,) = cursor.fetchone()
    cursor.execute(f"SELECT max({q(pk)}) FROM {q(table)}")
    (highest,) = cursor.fetchone()
    return max(following, (highest or 0) + 1)


def _copy(cursor, source: str, target: str) -> None:
    columns = _columns(cursor, source)
    cursor.execute(f"SELECT count(*) FROM {q(source)}")
    (rows,) = cursor.fetchone()
    cursor.execute(f"INSERT INTO {q(target)} ({columns}) SELECT {columns} FROM {q(source)}")
    if cursor.rowcount != rows:
        raise RuntimeError(f"copied {cursor.rowcount} of {rows} rows from {source}")


def _finish(cursor, table: str, pk_columns: str, indexes, keys) -> None:
    cursor.execute(f"ALTER TABLE {q(table)} ADD CONSTRAINT {q(table + '_pkey')} PRIMARY KEY ({pk_columns})")
    for definition in indexes:
        cursor.execute(definition)
    for name, definition in keys:
        cursor.execute(f"ALTER TABLE {q(table)} ADD CONSTRAINT {q(name)} {definition}")
    cursor.execute(f"ANALYZE {q(table)}")


def partition(cursor, table: str, key: str, today: datetime.date, pk: str = "id", ahead: int = AHEAD) -> list:
    """Rebuild `table` partitioned by month of `key`, with every row and id. Months: from the first to the last
    month holding rows (from WINDOW_YEARS back to the months ahead), and from `today`'s month to `ahead` months
    on. Returns them."""
    cursor.execute(f"LOCK TABLE {q(table)} IN ACCESS EXCLUSIVE MODE")
    _refuse_references(cursor, table)
    indexes, keys = _definitions(cursor, table)
    following = _sequence_next(cursor, table, pk)
    key_type = _column_type(cursor, table, key)
    this_month = today.replace(day=1)
    earliest, after = add_months(this_month, -12 * WINDOW_YEARS), add_months(this_month, ahead + 1)
    cursor.execute(f"SELECT min({_local_month(key, key_type)}), max({_local_month(key, key_type)}) "
                   f"FROM {q(table)} WHERE {q(key)} >= {_bound(key_type, earliest)} "
                   f"AND {q(key)} < {_bound(key_type, after)}")
    first, last = cursor.fetchone()
    months = {add_months(this_month, n) for n in range(ahead + 1)}
    if first is not None:
        months |= {add_months(first, n) for n in range((last.year - first.year) * 12 + last.month - first.month + 1)}
    old = f"{table}_unpartitioned"
    cursor.execute(f"ALTER TABLE {q(table)} RENAME TO {q(old)}")
    cursor.execute(f"CREATE TABLE {q(table)} (LIKE {q(old)} INCLUDING CONSTRAINTS) PARTITION BY RANGE ({q(key)})")
    for month in sorted(months):
        cursor.execute(f"CREATE TABLE {q(partition_name(table, month))} PARTITION OF {q(table)} "
                       f"FOR VALUES {_range(key_type, month)}")
    cursor.execute(f"CREATE TABLE {q(default_name(table))} PARTITION OF {q(table)} DEFAULT")
    _copy(cursor, old, table)
    cursor.execute(f"DROP TABLE {q(old)}")  # its identity sequence goes with it; the new one takes its name
    sequence = f"{table}_{pk}_seq"
    cursor.execute(f"CREATE SEQUENCE {q(sequence)} AS bigint OWNED BY {q(table)}.{q(pk)}")
    cursor.execute("SELECT setval(%s::regclass, %s, false)", [sequence, following])
    cursor.execute(f"ALTER TABLE {q(table)} ALTER COLUMN {q(pk)} SET DEFAULT nextval(%s::regclass)", [sequence])
    _finish(cursor, table, f"{q(pk)}, {q(key)}", indexes, keys)
    return sorted(months)


def unpartition(cursor, table: str, pk: str = "id") -> None:
    """Rebuild a partitioned `table` as the plain table Django made, with every row and id (the way back)."""
    cursor.execute(f"LOCK TABLE {q(table)} IN ACCESS EXCLUSIVE MODE")
    _refuse_references(cursor, table)
    indexes, keys = _definitions(cursor, table)
    following = _sequence_next(cursor, table, pk)
    old = f"{table}_partitioned"
    cursor.execute(f"ALTER TABLE {q(table)} RENAME TO {q(old)}")
    cursor.execute(f"CREATE TABLE {q(table)} (LIKE {q(old)} INCLUDING CONSTRAINTS)")
    _copy(cursor, old, table)
    cursor.execute(f"DROP TABLE {q(old)}")  # the partitions and the sequence go with it
    cursor.execute(f"ALTER TABLE {q(table)} ALTER COLUMN {q(pk)} ADD GENERATED BY DEFAULT AS IDENTITY")
    cursor.execute("SELECT setval(pg_get_serial_sequence(%s, %s), %s, false)", [table, pk, following])
    _finish(cursor, table, q(pk), indexes, keys)
