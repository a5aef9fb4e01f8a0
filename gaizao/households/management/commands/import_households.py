from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from gaizao.core.commands import ImportCommand
from gaizao.households.services import ImportRejected, apply_import, plan_import


class Command(ImportCommand):
    help = ("Import a households workbook (.xlsx, sheet 住户): all rows or none. Shows what would change; "
            "--dry-run writes nothing.")

    def handle(self, file, dry_run=False, user=None, **options):
        actor = self.actor(user)
        try:
            with open(file, "rb") as handle:
                if dry_run:
                    result = plan_import(handle, actor)
                    if result.errors:
                        raise ImportRejected(result)
                else:
                    result = apply_import(handle, actor, reason=_("Imported %(name)s") % {"name": file})
        except OSError as error:
            raise CommandError(_("Cannot open %(file)s: %(error)s") % {"file": file, "error": error}) from None
        except ImportRejected as rejected:
            for error in rejected.result.errors:
                self.stderr.write(str(error))
            raise CommandError(
                _("%(n)s problems found; nothing was imported. Correct the cells above and try again.")
                % {"n": len(rejected.result.errors)}
            ) from None
        self.stdout.write(_("Households: %(create)s to create, %(update)s to update, %(unchanged)s unchanged")
                          % result.households)
        self.stdout.write(_("Owners: %(create)s new, %(update)s updated") % result.owners)
        if dry_run:
            self.stdout.write(self.style.WARNING(_("Dry run: nothing was written.")))
        else:
            self.stdout.write(self.style.SUCCESS(_("Imported.")))
