import json
import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from gaizao.core import formatting
from gaizao.planning import plan_tables
from gaizao.planning.explain import move_text
from gaizao.planning.optimiser import InfeasiblePins, PlanInput, optimise, result_json
from gaizao.planning.scenario_table import TableError, read_candidates

CONSTRAINT_LABELS = {
    "budget": lambda: _("money"),
    "capacity_households": lambda: _("household capacity"),
    "capacity_communities": lambda: _("community capacity"),
    "capacity_subdistrict": lambda: _("sub-district capacity"),
}


class Command(BaseCommand):
    help = ("Optimise a five-year programme for a table of candidate communities (.csv or .xlsx) under yearly "
            "budgets and capacities; prints the plan per year, or the JSON document with --json.")

    def add_arguments(self, parser):
        parser.add_argument("--candidates", required=True, metavar="FILE",
                            help="columns code, cost_yuan, households, need_score; optional subdistrict, "
                                 "earliest_year, pinned_year, excluded, upgrade_cost_yuan")
        money = parser.add_mutually_exclusive_group(required=True)
        money.add_argument("--budgets", metavar="YEAR=YUAN,…",
                           help="e.g. 2021=236000000,2022=240000000: one source that pays everything; the years of "
                                "the plan")
        money.add_argument("--funding", metavar="FILE",
                           help="columns source, year, amount_yuan, pays (basic, upgrade or all), in spending order")
        parser.add_argument("--years", metavar="FIRST-LAST",
                            help="the programme's years, e.g. 2021-2025 (default: the years of --budgets or "
                                 "--funding)")
        parser.add_argument("--cash-flow", metavar="SHARES", default="1",
                            help="share of a cost spent in its start year and each following year, e.g. 0.6,0.4")
        parser.add_argument("--capacity-subdistrict", metavar="N or FILE",
                            help="communities starting basic work per sub-district per year: one number, or a table "
                                 "with columns subdistrict, year, communities")
        parser.add_argument("--previous", metavar="FILE",
                            help="the adopted plan: columns code, year, upgrade_year (empty year: not scheduled)")
        parser.add_argument("--frozen-through", type=int, metavar="YEAR",
                            help="communities adopted for this year or earlier keep both years")
        parser.add_argument("--move-penalty", type=float, default=0.0, metavar="VALUE",
                            help="objective lost per community whose basic year differs from --previous")
        parser.add_argument("--capacity-households", metavar="YEAR=N,… or N",
                            help="households starting works per year (one number for every year)")
        parser.add_argument("--capacity-communities", metavar="YEAR=N,… or N",
                            help="communities starting works per year (one number for every year)")
        parser.add_argument("--upgrade-weight", type=float, default=0.25,
                            help="value of upgrade work relative to basic work (default 0.25)")
        parser.add_argument("--time-limit", type=float, metavar="SECONDS",
                            help="a safety cap on the search; without it (the default) the same input always gives "
                                 "the same plan")
        parser.add_argument("--json", action="store_true", help="print the result as JSON")

    def handle(self, *args, candidates, budgets=None, funding=None, years=None, cash_flow="1",
               capacity_subdistrict=None, previous=None, frozen_through=None, move_penalty=0.0,
               capacity_households=None, capacity_communities=None, upgrade_weight=0.25, time_limit=None, json=False,
               **options):
        if upgrade_weight < 0:
            raise CommandError(_("--upgrade-weight must be 0 or more."))
        if time_limit is not None and time_limit <= 0:
            raise CommandError(_("--time-limit must be more than 0 seconds."))
        if move_penalty < 0:
            raise CommandError(_("--move-penalty must be 0 or more."))
        if (frozen_through is not None or move_penalty) and not previous:
            raise CommandError(_("--frozen-through and --move-penalty need --previous, the adopted plan."))
        span = _years(years) if years else None
        budget_by_year = _year_values(budgets, "--budgets", float) if budgets else None
        sources = _table(plan_tables.read_funding, funding, span) if funding else None
        plan_years = span or sorted(budget_by_year or sources)
        if not span and sources:
            plan_years = list(range(plan_years[0], plan_years[-1] + 1))
        if budget_by_year and span and set(budget_by_year) != set(span):
            raise CommandError(_("--budgets must give every year of --years, and no other."))
        try:
            shares = plan_tables.cash_flow(cash_flow)
        except ValueError as error:
            raise CommandError(str(error)) from None
        caps = {}
        for name, raw in (("--capacity-households", capacity_households),
                          ("--capacity-communities", capacity_communities)):
            caps[name] = _capacity(raw, name, plan_years) if raw else None
        per_subdistrict = _subdistrict_caps(capacity_subdistrict, plan_years) if capacity_subdistrict else None
        adopted = _table(plan_tables.read_previous, previous, plan_years) if previous else None
        table = _table(read_candidates, candidates, plan_years)
        plan = PlanInput(years=plan_years, budgets=budget_by_year, funding=sources, cash_flow=shares,
                         capacity_households=caps["--capacity-households"],
                         capacity_communities=caps["--capacity-communities"], capacity_subdistrict=per_subdistrict,
                         previous=adopted, frozen_through=frozen_through, move_penalty=move_penalty,
                         upgrade_weight=upgrade_weight)
        started = time.monotonic()
        try:
            result = optimise(plan, table, time_limit=time_limit)
        except InfeasiblePins as error:
            raise CommandError("\n".join(_fixed_problem(p) for p in error.problems)) from None
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
        for year, used in result.funding.items():
            spent = ", ".join(f"{code} {formatting.grouped(yuan)}" for code, yuan in used.items())
            self.stdout.write(_("%(year)s paid by: %(sources)s") % {"year": year, "sources": spent or "—"})
        for year, values in result.dual_values.items():
            for code, value in values.items():
                if value > 1e-9:
                    self.stdout.write(_("%(year)s %(source)s: 10,000 yuan more would add %(value)s to the objective")
                                      % {"year": year, "source": code, "value": formatting.grouped(value)})
        if result.previous_objective is not None or result.moves:
            self.stdout.write(_moves_line(result))
            for move in result.moves[:50]:
                self.stdout.write(f"  {move['code']}: {move['from'] or '—'} → {move['to'] or '—'}  {move_text(move)}")


def _moves_line(result) -> str:
    if result.previous_objective:
        gain = (result.objective / result.previous_objective - 1) * 100
        return _("Moves %(n)s communities, gains %(gain).2f %% over the adopted plan") % {
            "n": len(result.moves), "gain": gain}
    return _("Moves %(n)s communities; the adopted plan no longer fits these inputs") % {"n": len(result.moves)}


def _fixed_problem(p: dict) -> str:
    text = _("%(year)s: the frozen and pinned communities exceed the %(constraint)s by %(excess)s") % {
        "year": p["year"], "constraint": CONSTRAINT_LABELS[p["constraint"]](),
        "excess": formatting.grouped(p["excess"])}
    if p.get("subdistrict"):
        text += f" ({p['subdistrict']})"
    if p.get("communities"):
        text += _("; communities: %(codes)s") % {"codes": ", ".join(p["communities"][:20])}
    return text + _(". Give that year more money or capacity, or unfreeze a community in it.")


def _table(reader, path, years):
    try:
        return reader(path, years)
    except TableError as error:
        raise CommandError(_("%(file)s has %(n)s problems; nothing was planned:\n%(problems)s") % {
            "file": path, "n": len(error.problems), "problems": "\n".join(error.problems[:50])}) from None


def _years(raw: str) -> list[int]:
    first, sep, last = raw.partition("-")
    try:
        first, last = int(first), int(last) if sep else int(first)
    except ValueError:
        raise CommandError(_("--years: write FIRST-LAST, e.g. 2021-2025.")) from None
    if last < first:
        raise CommandError(_("--years: the last year is before the first."))
    return list(range(first, last + 1))


def _subdistrict_caps(raw: str, years: list[int]) -> dict:
    text = raw.strip()
    if text.replace("_", "").isdigit():
        return {"*": {year: int(text.replace("_", "")) for year in years}}
    return _table(plan_tables.read_subdistricts, text, years)


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
