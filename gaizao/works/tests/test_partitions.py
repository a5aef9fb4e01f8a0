"""Progress entries partitioned by month on PostgreSQL (works.0005, gaizao/core/partitions.py): rows in their
month's partition, photos still held to their entries, the model's constraints still in force, `gaizao partitions`
idempotent, and the migration there and back keeping every row and id."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from django.utils.translation import gettext as _

from gaizao.core import partitions
from gaizao.core.tests.partitioning import on_postgresql, partition_in, sql
from gaizao.works.models import Photo, ProgressEntry
from gaizao.works.tests.conftest import item

pytestmark = on_postgresql

TABLE = "works_progressentry"
BEFORE = ("works", "0004_acceptance_times_on_the_platform_clock")
LONG_AGO = datetime.date(2021, 6, 1)
# Past the months made ahead: no partition of its own until `gaizao partitions` makes one (the migration test below
# leaves months from LONG_AGO to now behind it, whatever order the tests run in).
FAR = datetime.date(2099, 1, 1)


def partition_of(pk):
    return partition_in(TABLE, pk)


def entry(project, day, quantity="5", **fields):
    return ProgressEntry.objects.create(project_item=item(project, "塑钢窗更换"), date=day,
                                        quantity=Decimal(quantity), reporter_name="site", **fields)


def photo_date(photo):
    [(day,)] = sql("SELECT entry_date FROM works_photo WHERE id = %s", [photo.pk])
    return day


def test_progress_entries_are_partitioned_by_month_with_a_default(db):
    assert sql("SELECT c.relkind, p.partstrat FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid "
               "WHERE c.relname = %s", [TABLE]) == [("p", "r")]
    this_month = timezone.localdate().replace(day=1)
    names = partitions.partitions(connection.cursor(), TABLE)
    assert f"{TABLE}_default" in names and partitions.partition_name(TABLE, this_month) in names
    # Django's view of the table is the same: `id` is the key, the database's is (id, date).
    assert ProgressEntry._meta.pk.name == "id"
    assert sql("SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = %s", [f"{TABLE}_pkey"]) == [
        ("PRIMARY KEY (id, date)",)]


def test_rows_land_in_their_months_partition_and_others_wait_in_the_default(project):
    today = timezone.localdate()
    recent, old = entry(project, today), entry(project, FAR)
    assert partition_of(recent.pk) == partitions.partition_name(TABLE, today.replace(day=1))
    assert partition_of(old.pk) == f"{TABLE}_default"
    assert ProgressEntry.objects.get(pk=old.pk).quantity == 5  # found by id alone, whatever the partition


def test_a_photo_of_an_entry_that_does_not_exist_is_refused(project):
    with pytest.raises(IntegrityError, match="works_photo_entry_id_entry_date_fk"), transaction.atomic():
        Photo.objects.create(entry_id=987654321, image="photos/2021/06/site.jpg")
    kept = entry(project, LONG_AGO)
    photo = Photo.objects.create(entry=kept, image="photos/2021/06/site.jpg")
    assert photo_date(photo) == LONG_AGO  # filled by the database: Django knows nothing of the column
    with pytest.raises(IntegrityError, match="works_photo_entry_id_entry_date_fk"), transaction.atomic():
        Photo.objects.filter(pk=photo.pk).update(entry_id=987654321)
    # Deleting the entry from under its photo: Django refuses (PROTECT), and so does the database without Django.
    with pytest.raises(IntegrityError), transaction.atomic():
        sql("SET CONSTRAINTS ALL IMMEDIATE")
        sql(f"DELETE FROM {TABLE} WHERE id = %s", [kept.pk])


def test_a_corrected_date_moves_the_entry_and_its_photos_follow(project):
    today = timezone.localdate()
    moving = entry(project, today)
    photo = Photo.objects.create(entry=moving, image="photos/site.jpg")
    ProgressEntry.objects.filter(pk=moving.pk).update(date=FAR)
    assert partition_of(moving.pk) == f"{TABLE}_default"
    assert photo_date(photo) == FAR
    other = entry(project, today, "3")
    Photo.objects.filter(pk=photo.pk).update(entry=other)
    assert photo_date(photo) == today


@pytest.mark.parametrize(("fields", "constraint"), [
    ({"quantity": "0"}, "entry_quantity_not_zero"),
    ({"quantity": "-2"}, "entry_report_positive"),
    ({"quantity": "-2", "kind": "correction"}, "entry_correction_has_reason"),
])
def test_the_models_check_constraints_still_hold_in_every_partition(project, fields, constraint):
    for day in (timezone.localdate(), LONG_AGO):
        with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
            entry(project, day, **fields)


def test_gaizao_partitions_moves_waiting_rows_into_their_month_and_is_idempotent(project):
    old = entry(project, FAR)
    assert partition_of(old.pk) == f"{TABLE}_default"
    photo = Photo.objects.create(entry=old, image="photos/site.jpg")
    call_command("partitions", stdout=io.StringIO())
    month = partitions.partition_name(TABLE, FAR)
    assert partition_of(old.pk) == month
    assert photo_date(photo) == FAR and Photo.objects.get().entry_id == old.pk
    made = partitions.partitions(connection.cursor(), TABLE)
    assert month in made and partitions.partition_name(TABLE, partitions.add_months(
        timezone.localdate().replace(day=1), partitions.AHEAD)) in made
    again = io.StringIO()
    call_command("partitions", stdout=again)
    assert partitions.partitions(connection.cursor(), TABLE) == made
    through = partitions.add_months(timezone.localdate().replace(day=1), partitions.AHEAD)
    assert _("%(table)s: every monthly partition through %(through)s exists.") % {
        "table": TABLE, "through": f"{through:%Y-%m}"} in again.getvalue()
    assert partitions.ensure(TABLE)["created"] == []
    # A line of a month with no partition waits in the default until the next run.
    later = entry(project, partitions.add_months(FAR, 1))
    assert partition_of(later.pk) == f"{TABLE}_default"
    call_command("partitions", stdout=io.StringIO())
    assert partition_of(later.pk) == partitions.partition_name(TABLE, partitions.add_months(FAR, 1))


def _rows():
    return list(ProgressEntry.objects.order_by("pk").values_list(
        "pk", "project_item_id", "date", "quantity", "kind", "reason", "note", "reporter_name", "created_at"))


def _migrate(*targets):
    executor = MigrationExecutor(connection)
    executor.migrate(list(targets) or executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_migrating_back_and_forth_keeps_every_row_id_and_photo(project):
    today = timezone.localdate()
    for day in (today, LONG_AGO, partitions.add_months(today, -13), FAR):
        entry(project, day)
    entry(project, LONG_AGO, "-1", kind="correction", reason="多报了一樘")
    photo = Photo.objects.create(entry=ProgressEntry.objects.get(date=LONG_AGO, kind="report"), image="p.jpg")
    rows = _rows()
    try:
        _migrate(BEFORE)
        assert sql("SELECT relkind FROM pg_class WHERE relname = %s", [TABLE]) == [("r",)]
        assert _rows() == rows
        assert sql("SELECT count(*) FROM pg_constraint WHERE conrelid = 'works_photo'::regclass AND "
                   "confrelid = %s::regclass AND contype = 'f'", [TABLE]) == [(1,)]
        back = entry(project, today, "1")
        assert back.pk == rows[-1][0] + 1  # the sequence went on from where it was
        rows = _rows()
    finally:
        _migrate()
    assert sql("SELECT relkind FROM pg_class WHERE relname = %s", [TABLE]) == [("p",)]
    assert _rows() == rows
    # The migration made months for every month with rows; 2099 is beyond them and waits in the default.
    assert partition_of(rows[1][0]) == partitions.partition_name(TABLE, LONG_AGO)
    assert partition_of(rows[3][0]) == f"{TABLE}_default"
    assert photo_date(photo) == LONG_AGO and Photo.objects.get().entry_id == rows[1][0]
    assert entry(project, today, "1").pk == rows[-1][0] + 1
