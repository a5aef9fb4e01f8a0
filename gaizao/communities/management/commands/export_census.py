from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from gaizao.communities.census.exporter import census_workbook
from gaizao.communities.models import Community


class Command(BaseCommand):
    help = "Export the census (all communities, or one sub-district) in the import format to FILE.xlsx."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--subdistrict", help="division code or name of one sub-district")

    def handle(self, file, subdistrict=None, **options):
        communities = Community.objects.all()
        if subdistrict:
            communities = communities.filter(subdistrict__code=subdistrict) | communities.filter(
                subdistrict__name=subdistrict)
        census_workbook(communities).save(file)
        self.stdout.write(self.style.SUCCESS(
            _("%(n)s communities written to %(file)s") % {"n": communities.count(), "file": file}))
