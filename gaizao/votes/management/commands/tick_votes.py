"""Freeze the electorate of every vote that has opened, and store the result of every vote that has closed
(run every few minutes, e.g. from cron, so neither waits for the first page view)."""

from django.core.management.base import BaseCommand

from gaizao.core import clock
from gaizao.votes.services import tick


class Command(BaseCommand):
    help = ("Freeze the electorate of votes that have opened and store the result of votes that have closed. "
            "Run it every few minutes.")

    def handle(self, *args, **options):
        frozen, counted = tick(clock.now())
        self.stdout.write(f"Froze {frozen} electorate(s), stored {counted} result(s).")
