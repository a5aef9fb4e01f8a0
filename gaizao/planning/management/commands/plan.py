import json
import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from gaizao.core import formatting
from gaizao.planning.optimiser import InfeasiblePins, PlanInput, optimise, result_json
from gaizao.planning.scenario_table import TableError, read_candidates

CONSTRAINT_LABELS = {
    "budget": lambda: _("budget"),
    "capacity_households": lambda: _("household capacity"),
    "capacity_communities": lambda: _("community capacity"),
}


class Command(BaseCommand):
    help = ("Optimise a five-year programme for a table of candidate communities (.csv or .xlsx) under yearly "
            "budgets and capacities; prints the plan per year, or the JSON document with --json.")

    def add_arguments(self, parser):
        parser.add_argument("--candidates", required=True, metavar="FILE",
                            help="columns code, cost_yuan, households, need_score; optional subdistrict, "
                                 "earliest_year, pinned_year, excluded, upgrade_cost_yuan")
        parser.add_argument("--budgets", required=True, metavar="YEAR=YUAN,…",
                            help="e.g. 2021=236000000,2022=240000000; the years of the plan")
        parser.add_argument("--capacity-households", metavar="YEAR=N,… or N",
                            help="households starting works per year (one number for every year)")
        parser.add_argument("--capacity-communities", metavar="YEAR=N,… or N",
                            help="communities starting works per year (one number for every year)")
        parser.add_argument("--upgrade-weight", type=float, default=0.25,
                            help="value of upgrade work relative to basic work (default 0.25)")
        parser.add_argument("--time-limit", type=float, metavar="SECONDS",
                            help="stop searching after this long (default: about 2 s for a district, longer for "
                                 "big tables)")
        parser.add_argument("--json", action="store_true", help="print the result as JSON")

    def handle(self, *args, candidates, budgets, capacity_households=None, capacity_communities=None,
               upgrade_weight=0.25, time_limit=None, json=False, **options):
        budget_by_year = _year_values(budgets, "--budgets", float)
        years = sorted(budget_by_year)
        caps = {}
        for name, raw in (("--capacity-households", capacity_households),
                          ("--capacity-communities", capacity_communities)):
            caps[name] = _capacity(raw, name, years) if raw else None
        if upgrade_weight < 0:
            raise CommandError(_("--upgrade-weight must be 0 or more."))
        if time_limit is not None and time_limit <= 0:
            raise CommandError(_("--time-limit must be more than 0 seconds."))
        try:
            table = read_candidates(candidates, years)
        except TableError as error:
            raise CommandError(_("%(file)s has %(n)s problems; nothing was planned:\n%(problems)s") % {
                "file": candidates, "n": len(error.problems), "problems": "\n".join(error.problems[:50])}) from None
        plan = PlanInput(years=years, budgets=budget_by_year, capacity_households=caps["--capacity-households"],
                         capacity_communities=caps["--capacity-communities"], upgrade_weight=upgrade_weight)
        started = time.monotonic()
        try:
            result = optimise(plan, table, time_limit=time_limit)
        except InfeasiblePins as error:
            lines = [_("Pinned communities exceed the %(year)s %(constraint)s by %(excess)s.") % {
                "year": p["year"], "constraint": CONSTRAINT_LABELS[p["constraint"]](),
                "excess": formatting.grouped(p["excess"])} for p in error.problems]
            raise CommandError("\n".join(lines)) from None
        except ValueError as error:
            raise CommandError(str(error)) from None
        if json:
            self.stdout.write(_dumps(result_json(result)))
            return
        self._table(plan, result, time.monotonic() - started)

    def _table(self, plan, result, seconds):
        headers = [_("Year"), _("Communities"), _("Households"), _("Cost (yuan)"), _("Upgrades"),
                   _("Budget left (yuan)")]
        rows = [[str(year), formatting.grouped(len(b["communities"])), formatting.grouped(b["households"]),
                 formatting.grouped(b["cost_yuan"]), formatting.grouped(len(b["upgrades"])),
                 formatting.grouped(b["budget_left"])] for year, b in result.years.items()]
        widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
        self.stdout.write("  ".join(h.rjust(w) for h, w in zip(headers, widths, strict=True)))
        for row in rows:
            self.stdout.write("  ".join(c.rjust(w) for c, w in zip(row, widths, strict=True)))
        self.stdout.write(_("Unscheduled: %(n)s communities") % {"n": formatting.grouped(len(result.unscheduled))})
        gain = (result.objective / result.greedy_objective - 1) * 100 if result.greedy_objective > 0 else 0.0
        self.stdout.write(_("Objective %(objective)s; LP bound %(bound)s; gap %(gap).3f %%") % {
            "objective": formatting.grouped(result.objective), "bound": formatting.grouped(result.lp_bound),
            "gap": result.gap * 100})
        self.stdout.write(_("Greedy plan (score per yuan) %(greedy)s; gain over greedy %(gain).2f %%") % {
            "greedy": formatting.grouped(result.greedy_objective), "gain": gain})
        self.stdout.write(_("Method %(method)s, %(seconds).1f s") % {"method": result.method, "seconds": seconds})


def _year_values(raw: str, option: str, kind) -> dict:
    values = {}
    for part in (raw or "").split(","):
        part = part.strip()
        if not part:
            continue
        year, sep, value = part.partition("=")
        try:
            if not sep:
                raise ValueError
            year = int(year.strip())
            number = kind(value.strip().replace("_", ""))
        except ValueError:
            raise CommandError(_("%(option)s: cannot read %(part)s; write YEAR=NUMBER, e.g. 2021=236000000.")
                               % {"option": option, "part": part}) from None
        if number < 0:
            raise CommandError(_("%(option)s: %(year)s must not be negative.") % {"option": option, "year": year})
        if year in values:
            raise CommandError(_("%(option)s: %(year)s is given twice.") % {"option": option, "year": year})
        values[year] = number
    if not values:
        raise CommandError(_("%(option)s: give at least one YEAR=NUMBER.") % {"option": option})
    return values


def _capacity(raw: str, option: str, years: list[int]) -> dict:
    text = raw.strip()
    if "=" not in text:
        try:
            number = int(text.replace("_", ""))
        except ValueError:
            raise CommandError(_("%(option)s: write a whole number or YEAR=NUMBER pairs.") % {"option": option}) \
                from None
        if number < 0:
            raise CommandError(_("%(option)s must not be negative.") % {"option": option})
        return {year: number for year in years}
    values = _year_values(text, option, int)
    outside = sorted(set(values) - set(years))
    if outside:
        raise CommandError(_("%(option)s: %(years)s are not years of the budgets.")
                           % {"option": option, "years": ", ".join(map(str, outside))})
    return values


def _dumps(document) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2)
