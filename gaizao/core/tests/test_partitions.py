"""The audit history partitioned by month on PostgreSQL (core.0004, gaizao/core/partitions.py): months on the
platform's time zone, the migration there and back keeping every row and id; on SQLite nothing is partitioned and
`gaizao partitions` says so."""

import datetime
import io
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from django.utils.translation import gettext as _

from gaizao.core import partitions
from gaizao.core.audit import Change, record
from gaizao.core.models import AuditEntry, PlatformDay
from gaizao.core.tests.partitioning import on_postgresql, partition_in, sql

TABLE = "core_auditentry"
BEFORE = ("core", "0003_platform_day")
SHANGHAI = ZoneInfo("Asia/Shanghai")


def partition_of(pk):
    return partition_in(TABLE, pk)


def audit(at=None, name="day"):
    """One audit row written the way services write them; `at` moves it afterwards (the time is set on insert)."""
    thing = PlatformDay(pk=1, day=datetime.date(2021, 11, 25))
    record(None, [Change("create", thing, None, {"day": name})])
    row = AuditEntry.objects.order_by("-pk").first()
    if at is not None:
        AuditEntry.objects.filter(pk=row.pk).update(at=at)
    return row.pk


@on_postgresql
@pytest.mark.django_db
def test_the_audit_history_is_partitioned_and_a_new_row_is_in_this_months_partition():
    assert sql("SELECT c.relkind, p.partstrat FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid "
               "WHERE c.relname = %s", [TABLE]) == [("p", "r")]
    pk = audit()
    assert partition_of(pk) == partitions.partition_name(TABLE, timezone.localdate().replace(day=1))
    assert AuditEntry.objects.get(pk=pk).after == {"day": "day"}


@on_postgresql
@pytest.mark.django_db
def test_months_begin_at_midnight_in_shanghai_not_in_utc():
    # Far ahead, where no test leaves a month behind: the rows wait in the default partition first.
    late = audit(datetime.datetime(2098, 11, 30, 23, 30, tzinfo=SHANGHAI))  # 15:30 UTC
    early = audit(datetime.datetime(2098, 12, 1, 0, 30, tzinfo=SHANGHAI))  # still 30 November in UTC
    assert partition_of(late) == partition_of(early) == f"{TABLE}_default"
    done = partitions.ensure(TABLE)
    assert {datetime.date(2098, 11, 1), datetime.date(2098, 12, 1)} <= set(done["created"])
    assert done["moved"] == 2
    assert partition_of(late) == f"{TABLE}_p209811"
    assert partition_of(early) == f"{TABLE}_p209812"
    assert partitions.ensure(TABLE)["created"] == []


def _rows():
    return list(AuditEntry.objects.order_by("pk").values_list(
        "pk", "at", "actor_name", "action", "object_type", "object_id", "object_repr", "before", "after"))


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_migrating_back_and_forth_keeps_every_audit_row_and_id():
    now = timezone.now()
    for at in (None, now - datetime.timedelta(days=400), datetime.datetime(2099, 1, 1, tzinfo=SHANGHAI),
               datetime.datetime(2021, 11, 30, 23, 30, tzinfo=SHANGHAI)):
        audit(at, name=str(at))
    rows = _rows()
    executor = MigrationExecutor(connection)
    try:
        executor.migrate([BEFORE])
        assert sql("SELECT relkind FROM pg_class WHERE relname = %s", [TABLE]) == [("r",)]
        assert _rows() == rows
        assert audit() == rows[-1][0] + 1  # the sequence went on from where it was
        rows = _rows()
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    assert sql("SELECT relkind FROM pg_class WHERE relname = %s", [TABLE]) == [("p",)]
    assert _rows() == rows
    assert partition_of(rows[3][0]) == f"{TABLE}_p202111"  # every month with rows got its partition
    assert partition_of(rows[2][0]) == f"{TABLE}_default"  # 2099 is past the months made ahead
    indexes = {name for (name,) in sql("SELECT indexname FROM pg_indexes WHERE tablename = %s", [TABLE])}
    assert {"core_audite_object__83eb8a_idx", "core_audite_parent__9615d2_idx"} <= indexes  # Django's names
    assert audit() == rows[-1][0] + 1


@pytest.mark.skipif(connection.vendor == "postgresql", reason="on PostgreSQL the command creates partitions")
@pytest.mark.django_db
def test_on_sqlite_gaizao_partitions_has_nothing_to_do():
    out = io.StringIO()
    call_command("partitions", stdout=out)
    assert out.getvalue().strip() == _("Partitions are a PostgreSQL feature: nothing to do on this database.")
