"""gaizao return_visits: create the return visits of every accepted project that lacks them, and move the
unanswered ones to follow corrected acceptance dates (safe to run any time, e.g. daily from cron)."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from gaizao.aftercare.visits import ensure_return_visits


class Command(BaseCommand):
    help = "Schedule the return visits (回访) of accepted projects; move unanswered ones with corrected dates."

    def handle(self, *args, **options):
        counts = ensure_return_visits()
        self.stdout.write(_("Return visits: %(created)s created, %(moved)s moved, %(removed)s removed.") % counts)
