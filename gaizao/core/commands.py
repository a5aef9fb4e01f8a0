"""What the workbook import commands share: the file, --dry-run, and --user for the scope to import in."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _


class ImportCommand(BaseCommand):
    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="only show what would change")
        parser.add_argument("--user", help="import as this user (their sub-district scope applies)")

    def actor(self, username):
        """The user to import as; None (the command line's own authority) when no name is given."""
        if not username:
            return None
        from gaizao.accounts.models import User

        actor = User.objects.filter(username=username).first()
        if actor is None:
            raise CommandError(_("No user named %(name)s.") % {"name": username})
        return actor
