"""The audit history partitioned by month of its time (PostgreSQL only; nothing happens on SQLite).

Django's state does not change: `id` stays the model's primary key, the database's is (id, at). Nothing points at
an audit row, so no foreign key needs replacing. See gaizao/core/partitions.py and docs/deploy.md, *Partitioning*.
"""

from django.db import migrations
from django.utils import timezone

from gaizao.core import partitions


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            partitions.partition(cursor, "core_auditentry", "at", timezone.localdate())


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            partitions.unpartition(cursor, "core_auditentry")


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0003_platform_day"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
