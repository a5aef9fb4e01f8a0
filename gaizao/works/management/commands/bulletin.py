"""gaizao bulletin [--date 2021-11-25] [--district 140802] --out DIR: the progress bulletin as .docx and .xlsx
(default: the platform's today, gaizao.core.clock; every district, or the one named, as on the page's
?district=)."""

import datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from gaizao.core import clock
from gaizao.regions.models import Area
from gaizao.rollup.choice import DistrictChoice
from gaizao.works import bulletin, bulletin_excel, bulletin_word
from gaizao.works.models import Project


class Command(BaseCommand):
    help = "Write the progress bulletin (进度通报) for a date as Word and Excel files."

    def add_arguments(self, parser):
        parser.add_argument("--date", default="", help="The bulletin date, YYYY-MM-DD (default: the platform's today).")
        parser.add_argument("--out", default=".", help="Directory to write into (created if missing).")
        parser.add_argument("--district", default="", help="A district's code (e.g. 140802): its bulletin alone.")

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
            choice = DistrictChoice()
            if options["district"]:
                choice.district = Area.objects.filter(level=Area.Level.DISTRICT, code=options["district"]).first()
                if choice.district is None:
                    raise CommandError(_("No district has the code %(code)s: write a district's code, e.g. "
                                         "140802.") % {"code": options["district"]})
            projects = choice.projects(Project.objects.all())
            day, note = bulletin.nearest_day(day, projects)
            if note:
                self.stderr.write(note + " " + _("Writing the bulletin of %(date)s.") % {"date": day.isoformat()})
            data = bulletin.bulletin_data(day, projects, bulletin.district_milestone(day, choice.district))
            files = [(out / choice.filename(bulletin.filename(day, "docx")), bulletin_word.bulletin_docx(data)),
                     (out / choice.filename(bulletin.filename(day, "xlsx")), bulletin_excel.bulletin_xlsx(data))]
        for path, content in files:
            path.write_bytes(content)
            self.stdout.write(str(path))
