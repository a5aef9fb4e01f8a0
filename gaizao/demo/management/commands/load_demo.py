"""Load the Yanhu District demo: the 2021 census of 390 communities, the district rules, demo accounts."""

import unicodedata
from decimal import Decimal

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext, gettext_lazy

from gaizao.accounts.models import User
from gaizao.accounts.services import ensure_user
from gaizao.communities.census.importer import apply_import
from gaizao.communities.models import Community
from gaizao.communities.services import refresh_eligibility_for_district
from gaizao.core import clock, formatting
from gaizao.core.bilingual import BilingualOutput
from gaizao.core.bilingual import both as _  # xgettext finds the messages; each is written in both languages
from gaizao.core.progress import ProgressLine
from gaizao.demo.acceptance import delete_acceptance_rules, load_acceptance_rules
from gaizao.demo.aftercare import delete_aftercare, describe_aftercare, load_aftercare
from gaizao.demo.coordination import delete_coordination, load_coordination
from gaizao.demo.defects import delete_defects, load_defects
from gaizao.demo.programme import delete_programme, load_programme
from gaizao.demo.residents import delete_residents, load_residents
from gaizao.demo.rollup import load_rollup
from gaizao.demo.works import delete_works, load_works
from gaizao.demo.yanhu import COST_PER_M2, DAY, DISTRICT_CODE, SUBDISTRICTS
from gaizao.demo.yanhu_census import yanhu_census
from gaizao.regions.models import Area, DistrictSettings

PASSWORD = "gaizao-demo-2021"
CUTOFF_YEAR = 2000
# username, role, full name, superuser, sub-district name, what the account sees
ACCOUNTS = [
    ("admin", User.Role.BUREAU, "区住建局管理员", True, None,
     gettext_lazy("the whole district; imports, edits and the admin pages")),
    ("bureau", User.Role.BUREAU, "住建局项目科", False, None,
     gettext_lazy("the whole district; imports and edits the census")),
    ("dongcheng", User.Role.SUBDISTRICT_OFFICER, "东城办事处", False, "东城办事处",
     gettext_lazy("only 东城办事处's communities; edits them")),
    ("leader", User.Role.LEADER, "区领导", False, None, gettext_lazy("the whole district; read only")),
    ("contractor", User.Role.CONTRACTOR, "中建交通建设集团项目部", False, None,
     gettext_lazy("only its company's projects; reports progress")),
    ("zhanglirong", User.Role.COMMITTEE_MEMBER, "张立荣", False, None,
     gettext_lazy("康杰中学家属院's residents' committee: paper ballots, access codes")),
    ("water", User.Role.DEPARTMENT_MEMBER, "盐湖区供水公司", False, None,
     gettext_lazy("盐湖区供水公司 on the joint meeting: its items and its own pipeline works")),
]
STAGES = {"areas": gettext_lazy("areas"), "communities": gettext_lazy("communities"),
          "buildings": gettext_lazy("buildings")}


def _yanhu_communities():
    return Community.objects.filter(subdistrict__parent__code=DISTRICT_CODE)


def _describe(done, total, label):
    return gettext("Importing %(done)s/%(total)s %(what)s …") % {
        "done": done, "total": total, "what": STAGES.get(label, label)}


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


class Command(BaseCommand):
    help = "Load the Yanhu District demo census (盐湖区 2021), its district settings and the demo accounts."

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true",
                            help="Delete the Yanhu communities and their buildings first, then load again.")

    def handle(self, *args, reset=False, **options):
        self.stdout = BilingualOutput(self.stdout)  # every line in Chinese, then in English
        # One transaction, so a failed load after --reset leaves the old data in place.
        with transaction.atomic():
            # First: the votes, surveys and feedback below are opened and dated on the demo's day, and so is
            # every page afterwards, however the server is started (see gaizao.core.clock).
            clock.store_day(DAY)
            if reset:
                delete_defects()  # first: defects hold the project items of the works
                delete_coordination()  # first: its items and works hold projects and communities
                delete_aftercare()
                delete_works()
                delete_acceptance_rules()
                delete_residents()
                delete_programme()
                deleted = _yanhu_communities().count()
                _yanhu_communities().delete()
                message = _("Deleted %(n)s communities of Yanhu District and their buildings.")
                self.stdout.write(message % {"n": deleted})
            if _yanhu_communities().exists():
                self.stdout.write(_("The demo is already loaded; nothing was imported again (add --reset to "
                                       "reload)."))
                self._district_settings(overwrite=False)
            else:
                self._load()
            self._accounts()
            rollup = load_rollup(PASSWORD)  # 山西省 above 运城市, and the city's leader
            if load_programme():
                self.stdout.write(_("Five-year programme planned: the 2021 batch in 2021, the rest by the "
                                       "optimiser."))
            works = load_works()
            if works:
                reported = {**works, "day": lambda: formatting.date(works["day"])}
                self.stdout.write(_("Construction loaded: %(projects)s projects, %(started)s started, progress "
                                       "reported up to %(day)s.") % reported)
            coordination = load_coordination()
            if coordination:
                self.stdout.write(_("Joint meeting: %(meetings)s meetings with %(items)s items, %(overdue)s of them "
                                    "overdue today; %(works)s utilities' own works.") % coordination)
            residents = load_residents()
            aftercare = load_aftercare()  # earlier renovations, accepted before the minimum below is set
            defects = load_defects()  # on the earlier renovations just loaded
            acceptance = load_acceptance_rules()  # last: its minimum would stop the demo's own acceptances
        if residents:
            self.stdout.write(_("Residents of %(name)s: %(n)s households, %(b)s ballots in the open plan vote.")
                              % {"name": "康杰中学家属院", "n": residents["households"], "b": residents["ballots"]})
        self.stdout.write(_("A project is accepted once at least %(minimum)s of its residents are satisfied.")
                          % {"minimum": f"{acceptance['minimum']:.0%}"})
        if acceptance["corrected"]:
            self.stdout.write(_("%(project)s shows a corrected acceptance beside its first record.")
                              % {"project": acceptance["corrected"]})
        for line in describe_aftercare(aftercare):
            self.stdout.write(line)
        if defects:
            self.stdout.write(_("Defect reports: %(defects)s on earlier renovations; overdue: %(overdue)s; after "
                                   "the warranty, passed to %(management)s.") % defects)
            if defects["code"]:
                self.stdout.write(_("A repair waits for the resident's word at /defects/r/%(community)s/mine/ "
                                    "(building, unit, room, code): %(where)s  %(code)s") % defects)
        self.stdout.write(_("The platform now runs on the demo's day, %(date)s (every page says so).")
                          % {"date": lambda: formatting.date(DAY)})
        self._print_accounts()
        self.stdout.write(rollup)
        if residents:
            self.stdout.write(_("Try the resident pages at /r/%(code)s/ with one of these (building, unit, room, "
                                "code):") % {"code": residents["code"]})
            for household, code in residents["codes"]:
                where = f"{household.building.name} {household.stairwell_unit}单元 {household.room}"
                self.stdout.write(f"  {where}  {code}")

    def _load(self):
        progress = ProgressLine(self.stdout, _describe)
        result = apply_import(yanhu_census(), actor=None, reason=gettext("Demo data"), progress=progress)
        progress.finish()
        created = {kind: counts["create"] for kind, counts in result.totals.items()}
        self.stdout.write(_("Imported %(areas)s areas, %(communities)s communities and %(buildings)s buildings.") % {
            "areas": created["area"], "communities": created["community"], "buildings": created["building"]})
        # The figures of the demo rest on these rules, so a fresh load sets them even if someone changed them.
        self._district_settings(overwrite=True)

    def _district_settings(self, overwrite: bool):
        district = Area.objects.get(code=DISTRICT_CODE)
        values = {"cutoff_year": CUTOFF_YEAR, "default_cost_per_m2": Decimal(COST_PER_M2)}
        if overwrite:
            DistrictSettings.objects.update_or_create(district=district, defaults=values)
            refresh_eligibility_for_district(district)
        else:
            DistrictSettings.objects.get_or_create(district=district, defaults=values)

    def _accounts(self):
        subdistricts = {s.name: s.code for s in SUBDISTRICTS}
        for username, role, full_name, superuser, subdistrict, _sees in ACCOUNTS:
            area = Area.objects.get(code=subdistricts[subdistrict]) if subdistrict else None
            ensure_user(username, PASSWORD, role, subdistrict=area, full_name=full_name, superuser=superuser)

    def _print_accounts(self):
        for language in ("zh-hans", "en"):
            with translation.override(language):
                self._print_accounts_table()

    def _print_accounts_table(self):
        rows = [(gettext("User name"), gettext("Password"), gettext("Role"), gettext("Sees"))]
        rows += [(username, PASSWORD, str(User.Role(role).label) + (" +admin" if superuser else ""), str(sees))
                 for username, role, _name, superuser, _sub, sees in ACCOUNTS]
        widths = [max(_width(row[i]) for row in rows) for i in range(3)]
        self.stdout.write("")
        self.stdout.write(gettext("Demo accounts:"))
        for row in rows:
            padded = [_pad(cell, width) for cell, width in zip(row[:3], widths, strict=True)]
            self.stdout.write("  " + "  ".join([*padded, row[3]]))
