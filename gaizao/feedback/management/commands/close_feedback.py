"""Close answered feedback the resident did not confirm in time (run daily, e.g. from cron)."""

from django.core.management.base import BaseCommand

from gaizao.feedback.services import close_stale, confirm_days


class Command(BaseCommand):
    help = "Close answered feedback the resident has not confirmed within FEEDBACK_CONFIRM_DAYS days."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None,
                            help="Days after the answer (default: the FEEDBACK_CONFIRM_DAYS setting, 7).")

    def handle(self, *args, days=None, **options):
        days = confirm_days() if days is None else days
        if days < 0:
            from django.core.management import CommandError

            raise CommandError("--days must not be negative.")
        closed = close_stale(days)
        self.stdout.write(f"Closed {closed} answered feedback item(s) not confirmed within {days} days.")
