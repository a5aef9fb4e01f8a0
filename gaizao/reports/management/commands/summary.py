import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from gaizao.communities.eligibility import reason_label
from gaizao.communities.models import Community
from gaizao.core import formatting
from gaizao.regions.models import Area
from gaizao.reports.services import district_summary


class Command(BaseCommand):
    help = ("Print the district summary of the census; --json prints the same document as /api/summary/, "
            "--district 140802 one district's (as ?district= on the page and the API).")

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true")
        parser.add_argument("--district", default="", help="A district's code (e.g. 140802): its summary alone.")

    def handle(self, json=False, district="", **options):
        communities = None
        if district:
            if not Area.objects.filter(level=Area.Level.DISTRICT, code=district).exists():
                raise CommandError(_("No district has the code %(code)s: write a district's code, e.g. 140802.")
                                   % {"code": district})
            communities = Community.objects.filter(subdistrict__parent__code=district)
        result = district_summary(communities)
        if json:
            self.stdout.write(_dumps(result.as_json()))
            return
        e = result.eligible
        self.stdout.write(_("Communities surveyed: %(n)s; eligible %(e)s; excluded %(x)s")
                          % {"n": result.total, "e": result.eligible_count, "x": result.excluded})
        for code, n in result.excluded_by_reason.items():
            self.stdout.write(f"  - {reason_label(code)}: {n}")
        self.stdout.write(_("Eligible: %(b)s buildings, %(h)s households, %(a)s, %(m)s") % {
            "b": formatting.grouped(e["buildings"]), "h": formatting.grouped(e["households"]),
            "a": formatting.area(e["floor_area_m2"]), "m": formatting.money(e["estimated_investment_yuan"])})
        for row in result.by_subdistrict:
            self.stdout.write(f"  {row['name']}: {row['communities']} / {row['eligible']}, "
                              f"{formatting.grouped(row['households'])}")
        for year, bucket in result.by_batch_year.items():
            self.stdout.write(_("Batch %(y)s: %(c)s communities, %(b)s buildings, %(h)s households, %(a)s, %(m)s") % {
                "y": year, "c": bucket["communities"], "b": bucket["buildings"],
                "h": formatting.grouped(bucket["households"]), "a": formatting.area(bucket["floor_area_m2"]),
                "m": formatting.money(bucket["estimated_investment_yuan"])})


def _dumps(document) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2)
