import sys
import time

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from gaizao.communities.census.importer import ImportRejected, apply_import, plan_import
from gaizao.communities.census.reader import read_workbook
from gaizao.core.commands import ImportCommand


class Progress:
    """One updating line on a terminal, a line every few seconds in a log."""

    def __init__(self, stream):
        self.stream = stream
        self.tty = stream.isatty()
        self.last = 0.0

    def __call__(self, done, total, label):
        now = time.monotonic()
        if not self.tty and now - self.last < 2 and done < total:
            return
        self.last = now
        width = 30
        filled = int(width * done / total) if total else width
        line = f"[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {label}"
        self.stream.write(("\r" + line) if self.tty else line + "\n")
        self.stream.flush()


class Command(ImportCommand):
    help = "Import a census workbook (.xlsx): all rows or none. Shows what would change; --dry-run writes nothing."

    def handle(self, file, dry_run=False, user=None, **options):
        actor = self.actor(user)
        started = time.monotonic()
        self.stdout.write(_("Reading %(file)s …") % {"file": file})
        try:
            with open(file, "rb") as handle:
                data = read_workbook(handle)
        except OSError as error:
            raise CommandError(_("Cannot open %(file)s: %(error)s") % {"file": file, "error": error}) from None
        try:
            if dry_run:
                result = plan_import(data, actor)
                if result.errors:
                    raise ImportRejected(result)
            else:
                result = apply_import(data, actor, reason=_("Imported %(name)s") % {"name": file},
                                      progress=Progress(self.stdout))
                self.stdout.write("")
        except ImportRejected as rejected:
            for error in rejected.result.errors:
                self.stderr.write(str(error))
            raise CommandError(
                _("%(n)s problems found; nothing was imported. Correct the cells above and try again.")
                % {"n": len(rejected.result.errors)}
            ) from None
        for kind, label in (("area", _("Areas")), ("community", _("Communities")), ("building", _("Buildings"))):
            counts = result.totals[kind]
            self.stdout.write(_("%(label)s: %(create)s to create, %(update)s to update, %(unchanged)s unchanged")
                              % {"label": label, **counts})
        seconds = time.monotonic() - started
        if dry_run:
            self.stdout.write(self.style.WARNING(_("Dry run: nothing was written.")))
        else:
            self.stdout.write(self.style.SUCCESS(_("Imported in %(s).1f s.") % {"s": seconds}))
        sys.stdout.flush()
