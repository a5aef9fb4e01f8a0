"""gaizao partitions: the monthly partitions of the progress entries and the audit history, from this month to a
few months ahead, and a month of its own for every row waiting in the default partition (safe to run any time,
e.g. monthly from cron; a month that exists is left alone)."""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils.translation import gettext as _

from gaizao.core import partitions


class Command(BaseCommand):
    help = ("Create the monthly partitions of the progress entries and the audit history ahead of time, and move "
            "rows waiting in a default partition into their months. Run it monthly.")

    def add_arguments(self, parser):
        parser.add_argument("--ahead", type=int, default=partitions.AHEAD,
                            help=f"months after the current one to create (default {partitions.AHEAD})")

    def handle(self, *args, ahead, **options):
        if ahead < 0:
            raise CommandError(_("--ahead cannot be negative."))
        if connection.vendor != "postgresql":
            self.stdout.write(_("Partitions are a PostgreSQL feature: nothing to do on this database."))
            return
        for table in partitions.TABLES:
            with connection.cursor() as cursor:
                partitioned = partitions.is_partitioned(cursor, table)
            if not partitioned:
                self.stdout.write(_("%(table)s is not partitioned: run gaizao migrate first.") % {"table": table})
                continue
            done = partitions.ensure(table, ahead)
            values = {"table": table, "through": f"{done['through']:%Y-%m}", "moved": done["moved"],
                      "created": len(done["created"]),
                      "months": ", ".join(f"{month:%Y-%m}" for month in done["created"])}
            if done["created"]:
                self.stdout.write(_("%(table)s: %(created)s monthly partitions created (%(months)s), "
                                    "%(moved)s rows moved out of the default partition.") % values)
            else:
                self.stdout.write(_("%(table)s: every monthly partition through %(through)s exists.") % values)
