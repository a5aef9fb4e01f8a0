from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from gaizao.communities.census.exporter import census_workbook


class Command(BaseCommand):
    help = "Write the empty census workbook template (sheets 区划, 小区, 楼栋) to FILE.xlsx."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, file, **options):
        census_workbook().save(file)
        self.stdout.write(self.style.SUCCESS(_("Template written to %(file)s") % {"file": file}))
