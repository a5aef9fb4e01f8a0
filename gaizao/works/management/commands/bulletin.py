"""gaizao bulletin [--date 2021-11-25] --out DIR: the progress bulletin as .docx and .xlsx (default: the
platform's today, gaizao.core.clock)."""

import datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from gaizao.core import clock
from gaizao.works import bulletin, bulletin_excel, bulletin_word
from gaizao.works.models import Project


class Command(BaseCommand):
    help = "Write the progress bulletin (进度通报) for a date as Word and Excel files."

    def add_arguments(self, parser):
        parser.add_argument("--date", default="", help="The bulletin date, YYYY-MM-DD (default: the platform's today).")
        parser.add_argument("--out", default=".", help="Directory to write into (created if missing).")

    def handle(self, *args, **options):
        try:
            day = datetime.date.fromisoformat(options["date"]) if options["date"] else clock.today()
        except ValueError:
            raise CommandError(_("--date must be a date written YYYY-MM-DD, e.g. 2021-11-25; got %(value)s.")
                               % {"value": repr(options["date"])}) from None
        out = Path(options["out"])
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise CommandError(_("Cannot create the directory %(dir)s: %(error)s") % {"dir": out, "error": error}) \
                from None
        # Officials read the bulletin in the site's language, whatever the shell's locale.
        with translation.override(settings.LANGUAGE_CODE):
            projects = Project.objects.all()
            day, note = bulletin.nearest_day(day, projects)
            if note:
                self.stderr.write(note + " " + _("Writing the bulletin of %(date)s.") % {"date": day.isoformat()})
            data = bulletin.bulletin_data(day, projects, bulletin.district_milestone(day))
            files = [(out / bulletin.filename(day, "docx"), bulletin_word.bulletin_docx(data)),
                     (out / bulletin.filename(day, "xlsx"), bulletin_excel.bulletin_xlsx(data))]
        for path, content in files:
            path.write_bytes(content)
            self.stdout.write(str(path))
