"""gaizao monthly_report --month 2021-11 [--area CODE] -o file.xlsx: the national monthly report (全国城镇老旧小区
改造月报) for a month's end, by province, city and district, with a progress line."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from gaizao.accounts.scope import districts_under
from gaizao.core.progress import ProgressLine
from gaizao.regions.models import Area
from gaizao.rollup import monthly


class Command(BaseCommand):
    help = "Write the national monthly report (全国城镇老旧小区改造月报) for a month as an Excel file."

    def add_arguments(self, parser):
        parser.add_argument("--month", required=True, help="The month, YYYY-MM (the report is at its last day).")
        parser.add_argument("--area", default="", help="Division code of a province, city or district (default: all).")
        parser.add_argument("-o", "--output", required=True, help="The .xlsx file to write.")

    def handle(self, *args, **options):
        with translation.override(settings.LANGUAGE_CODE):  # the report goes upward in the site's language
            try:
                month_end = monthly.parse_month(options["month"])
            except monthly.MonthError as problem:
                raise CommandError(str(problem)) from None
            districts = Area.objects.filter(level=Area.Level.DISTRICT)
            if options["area"]:
                levels = [Area.Level.PROVINCE, Area.Level.CITY, Area.Level.DISTRICT]
                area = Area.objects.filter(code=options["area"], level__in=levels).first()
                if area is None:
                    raise CommandError(_("No province, city or district has the code %(code)s.")
                                       % {"code": options["area"]})
                districts = districts_under(area)
            progress = ProgressLine(self.stdout, lambda done, total, label: _("Monthly report: %(label)s %(done)s/"
                                                                              "%(total)s") % {
                "label": label, "done": done, "total": total})
            lines = monthly.report_lines(month_end, districts, progress)
            progress.finish()
            path = Path(options["output"])
            try:
                path.write_bytes(monthly.workbook_bytes(month_end, lines))
            except OSError as error:
                raise CommandError(_("Cannot write %(file)s: %(error)s") % {"file": path, "error": error}) from None
            self.stdout.write(_("Wrote %(file)s: %(rows)s rows, at %(day)s.") % {
                "file": path, "rows": len(lines), "day": month_end.isoformat()})
