"""The multi-year programme: candidates from the census and plans, optimiser runs (scenarios), adoption."""

import time
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import DecimalField, ExpressionWrapper, F, Sum
from django.utils.translation import gettext as _

from gaizao.accounts import scope
from gaizao.communities.models import Community, ProgrammeStatus
from gaizao.communities.services import set_programme_positions
from gaizao.planning import funding, need
from gaizao.planning.models import Assignment, CommunityPlan, PlanItem, Programme, Scenario
from gaizao.regions.services import rules_for_subdistricts


def programmes_visible_to(user):
    """A programme is a district's own: a user serving an area (a district's bureau) sees its districts' only.
    Everyone else who may open the programme pages sees every programme, as before areas were kept."""
    if scope.is_scoped(user):
        return Programme.objects.filter(district__in=scope.districts_for(user))
    return Programme.objects.all()


def may_edit_programme(user, programme: Programme | None = None) -> bool:
    """Bureau staff of the programme's district (the whole platform's: any programme)."""
    if user is None or not user.is_active or not user.can_edit_census:
        return False
    if programme is None:
        return user.sees_whole_district
    return scope.runs_district(user, programme.district_id)


def require_programme_edit(actor, programme: Programme | None = None) -> None:
    if actor is not None and not may_edit_programme(actor, programme):
        raise PermissionDenied(_("Only bureau staff may change the programme."))


def state_for(programme: Programme, year: int | None) -> str:
    """实施 this year, 谋划 next year, 储备 later (or not scheduled)."""
    if year is None or year > programme.current_year + 1:
        return ProgrammeStatus.RESERVE
    if year <= programme.current_year:
        return ProgrammeStatus.IMPLEMENTING
    return ProgrammeStatus.PLANNING


def _approved_costs(community_ids) -> dict[int, dict[bool, Decimal]]:
    cost = ExpressionWrapper(F("quantity") * F("unit_cost"), output_field=DecimalField(max_digits=18, decimal_places=2))
    rows = (PlanItem.objects.filter(plan__community_id__in=community_ids, plan__status=CommunityPlan.Status.APPROVED)
            .values("plan__community_id", "item__after_basic").annotate(total=Sum(cost)))
    found: dict[int, dict[bool, Decimal]] = {}
    for row in rows:
        found.setdefault(row["plan__community_id"], {})[row["item__after_basic"]] = row["total"]
    return found


@transaction.atomic
def sync_assignments(programme: Programme) -> int:
    """One assignment per eligible community of the district, with fresh cost, households and need score.

    Pins, exclusions and adopted years stay. Cost: the approved plan's basic and upgrade totals, else the
    community's estimate, else floor area × the district's default cost per m².
    """
    communities = list(Community.objects.filter(subdistrict__parent=programme.district, is_eligible=True)
                       .with_building_totals())
    ids = [c.pk for c in communities]
    approved = _approved_costs(ids)
    rules = rules_for_subdistricts({c.subdistrict_id for c in communities})
    existing = {a.community_id: a for a in programme.assignments.all()}
    evidence = need.support_for(ids)
    programme.assignments.exclude(community_id__in=ids).delete()
    new, changed = [], []
    for community in communities:
        plan = approved.get(community.pk)
        if plan:
            basic, upgrade = plan.get(False, Decimal(0)), plan.get(True, Decimal(0))
        else:
            estimate = community.investment_estimate
            if estimate is None:
                estimate = Decimal(community.floor_area_total or 0) * rules[community.subdistrict_id][1]
            basic, upgrade = estimate, Decimal(0)
        score = need.score_community(community, community.household_total, programme.need_weights,
                                     programme.first_year, evidence.get(community.pk, []))
        values = {"need_score": need.as_decimal(score), "cost_yuan": Decimal(basic).quantize(Decimal("0.01")),
                  "upgrade_cost_yuan": Decimal(upgrade).quantize(Decimal("0.01")),
                  "households": community.household_total}
        assignment = existing.get(community.pk)
        if assignment is None:
            new.append(Assignment(programme=programme, community=community, **values))
        else:
            for key, value in values.items():
                setattr(assignment, key, value)
            changed.append(assignment)
    Assignment.objects.bulk_create(new, batch_size=1000)
    Assignment.objects.bulk_update(changed, ["need_score", "cost_yuan", "upgrade_cost_yuan", "households"],
                                   batch_size=1000)
    return len(new) + len(changed)


def adopted_positions(programme: Programme) -> dict[str, list] | None:
    """The adopted plan, {code: [year, upgrade_year]} (None = not scheduled), or None when nothing is adopted.

    Only communities the adopted scenario placed: one that became eligible since has no adopted year to keep."""
    adopted = programme.scenarios.filter(adopted=True).only("result").first()
    if adopted is None or not adopted.result:
        return None
    placed = adopted.result.get("placements", {})
    return {code: [year, upgrade_year] for code, year, upgrade_year
            in programme.assignments.values_list("community__code", "year", "upgrade_year") if code in placed}


def default_inputs(programme: Programme) -> dict:
    """A scenario's inputs from the programme as it stands: money, capacities, rules and the adopted plan.

    The candidate table is added when the scenario runs (`run_scenario`), and kept with it."""
    rows = list(programme.year_rows.all())
    inputs = {
        "budgets": {str(r.year): float(r.budget_yuan) for r in rows},
        "capacity_households": {str(r.year): r.capacity_households for r in rows
                                if r.capacity_households is not None} or None,
        "capacity_communities": {str(r.year): r.capacity_communities for r in rows
                                 if r.capacity_communities is not None} or None,
        "upgrade_weight": float(programme.upgrade_weight),
        "funding": funding.funding_inputs(programme),
        "cash_flow": [float(s) for s in programme.cash_flow],
        "capacity_subdistrict": funding.subdistrict_capacity_inputs(programme),
        "move_penalty": float(programme.move_penalty),
        "frozen_through": programme.current_year,
        "previous": adopted_positions(programme),
    }
    if inputs["funding"]:
        inputs["budgets"] = funding.budgets_of(inputs["funding"])
    return inputs


@transaction.atomic
def pin(actor, assignment: Assignment, *, year: int | None, excluded: bool = False) -> Assignment:
    """Staff decisions the optimiser must respect: a fixed year, or keep the community out."""
    require_programme_edit(actor, assignment.programme)
    if year is not None and year not in assignment.programme.years:
        raise ValidationError(_("%(year)s is outside the programme's years.") % {"year": year})
    assignment.pinned_year = None if excluded else year
    assignment.excluded = excluded
    assignment.save(update_fields=["pinned_year", "excluded"])
    return assignment


def _year_map(raw) -> dict[int, float] | None:
    return {int(k): v for k, v in raw.items()} if raw else None


CANDIDATE_COLUMNS = ["code", "cost_yuan", "households", "need_score", "subdistrict", "pinned_year", "excluded",
                     "upgrade_cost_yuan"]


def candidate_table(programme: Programme) -> dict:
    """The candidates as the optimiser gets them, fresh from the census and plans, kept in the scenario."""
    sync_assignments(programme)
    rows = [[a.community.code, float(a.cost_yuan), a.households, float(a.need_score), a.community.subdistrict.name,
             a.pinned_year, a.excluded, float(a.upgrade_cost_yuan)]
            for a in programme.assignments.select_related("community__subdistrict").order_by("community__code")]
    return {"columns": CANDIDATE_COLUMNS, "rows": rows}


def candidate_rows(inputs: dict) -> list[dict]:
    table = inputs.get("candidates") or {"columns": CANDIDATE_COLUMNS, "rows": []}
    return [dict(zip(table["columns"], row, strict=True)) for row in table["rows"]]


def plan_input(programme: Programme, inputs: dict):
    """The optimiser's PlanInput from a scenario's inputs (sources when given, else the yearly budgets)."""
    from gaizao.planning.optimiser import PlanInput
    from gaizao.planning.optimiser.data import Adopted, Source

    sources = None
    if inputs.get("funding"):
        sources = {int(year): [Source(code=r["code"], amount_yuan=float(r["amount_yuan"]), pays=r.get("pays", "all"))
                               for r in rows] for year, rows in inputs["funding"].items()}
    previous = inputs.get("previous")
    subdistricts = inputs.get("capacity_subdistrict")
    return PlanInput(
        years=programme.years, budgets=_year_map(inputs.get("budgets")),
        capacity_households=_year_map(inputs.get("capacity_households")),
        capacity_communities=_year_map(inputs.get("capacity_communities")),
        upgrade_weight=float(inputs.get("upgrade_weight", programme.upgrade_weight)),
        funding=sources, cash_flow=tuple(float(s) for s in inputs.get("cash_flow") or (1.0,)),
        capacity_subdistrict={name: _year_map(years) for name, years in subdistricts.items()} if subdistricts
        else None,
        previous={code: Adopted(*placed) for code, placed in previous.items()} if previous is not None else None,
        frozen_through=inputs.get("frozen_through"), move_penalty=float(inputs.get("move_penalty") or 0))


def _fail(scenario: Scenario, message: str) -> str:
    Scenario.objects.filter(pk=scenario.pk).update(status=Scenario.Status.FAILED, message=message)
    return Scenario.Status.FAILED


def run_scenario(scenario_id: int) -> str:
    """Run one scenario in the background. Its inputs are kept whole (the candidate table too), so running the
    same inputs again gives the same plan; bad inputs or a plan that cannot hold the frozen and pinned
    communities fail the scenario with a message, and nothing adopted changes."""
    from gaizao.planning.optimiser import Candidate, InfeasiblePins, optimise, result_json

    scenario = Scenario.objects.select_related("programme").get(pk=scenario_id)
    Scenario.objects.filter(pk=scenario.pk).update(status=Scenario.Status.RUNNING)
    programme = scenario.programme
    inputs = dict(scenario.inputs)
    problems = funding.input_problems(inputs, programme.years)
    if problems:
        return _fail(scenario, " ".join(problems))
    if "candidates" not in inputs:
        inputs["candidates"] = candidate_table(programme)
        Scenario.objects.filter(pk=scenario.pk).update(inputs=inputs)
    candidates = [Candidate(code=row["code"], cost_yuan=row["cost_yuan"], households=row["households"],
                            need_score=row["need_score"], subdistrict=row["subdistrict"],
                            pinned_year=row["pinned_year"], excluded=row["excluded"],
                            upgrade_cost_yuan=row["upgrade_cost_yuan"]) for row in candidate_rows(inputs)]
    started = time.monotonic()
    try:
        result = optimise(plan_input(programme, inputs), candidates)
    except ValueError as error:  # a pin outside the years and the like: say it, change nothing
        return _fail(scenario, str(error))
    except InfeasiblePins as error:
        return _fail(scenario, infeasible_message(programme, error.problems))
    document = result_json(result)
    document["placements"] = {code: {"year": p.year, "upgrade_year": p.upgrade_year, "reason": p.reason,
                                     "detail": p.detail} for code, p in result.placements.items()}
    document["wall_seconds"] = round(time.monotonic() - started, 2)
    greedy_value = document.get("greedy_objective") or 0
    document["gain_percent"] = round(100 * (document["objective"] - greedy_value) / greedy_value, 3) if greedy_value \
        else 0.0
    Scenario.objects.filter(pk=scenario.pk).update(status=Scenario.Status.DONE, result=document)
    return Scenario.Status.DONE


def infeasible_message(programme: Programme, problems: list[dict]) -> str:
    """One sentence per problem: the year, the money or capacity, by how much, and the frozen communities."""
    codes = {code for p in problems for code in p.get("communities") or []}
    names = dict(Community.objects.filter(code__in=codes).values_list("code", "name")) if codes else {}
    sentences = []
    for p in problems:
        limit = _constraint_label(p["constraint"])
        if p.get("source"):
            limit = _("%(limit)s of %(source)s") % {"limit": limit, "source": funding.source_label(p["source"])}
        if p.get("subdistrict"):
            limit = _("%(limit)s of %(subdistrict)s") % {"limit": limit, "subdistrict": p["subdistrict"]}
        text = _("%(year)s: pinned communities exceed the %(constraint)s by %(excess)s") % {
            "year": p["year"], "constraint": limit, "excess": f"{p['excess']:,.0f}"}
        if p.get("communities"):
            listed = "、".join(f"{names.get(code, code)}（{code}）" for code in p["communities"][:20])
            more = len(p["communities"]) - 20
            text += _(" (communities already under way that cannot move: %(list)s%(more)s)") % {
                "list": listed, "more": _(" and %(n)s more") % {"n": more} if more > 0 else ""}
        sentences.append(text)
    return "; ".join(sentences) + ". " + _("Raise that year's money or capacity, or unpin some communities, then "
                                           "run again.")


def _keep_frozen(programme: Programme, assignments, placements) -> None:
    """A plan that would move a community adopted for this year or earlier is refused: those never move silently."""
    if not programme.scenarios.filter(adopted=True).exists():
        return
    moved = [a.community for a in assignments
             if a.year is not None and a.year <= programme.current_year and a.community.code in placements
             and (placements[a.community.code].get("year"), placements[a.community.code].get("upgrade_year"))
             != (a.year, a.upgrade_year)]
    if moved:
        raise ValidationError(_("This plan moves communities already under way: %(list)s. Run the optimiser again; "
                                "it keeps them where they are.")
                              % {"list": "、".join(f"{c.name}（{c.code}）" for c in moved[:20])})


def _constraint_label(code: str) -> str:
    return {"budget": _("budget"), "capacity_households": _("household capacity"),
            "capacity_communities": _("community capacity"),
            "capacity_subdistrict": _("sub-district capacity")}.get(code, code)


@transaction.atomic
def adopt(actor, scenario: Scenario) -> int:
    """Make a finished scenario the programme: years on the board, status and batch year on the communities."""
    require_programme_edit(actor, scenario.programme)
    if scenario.status != Scenario.Status.DONE:
        raise ValidationError(_("Only a finished scenario can be adopted."))
    programme = scenario.programme
    placements = scenario.result["placements"]
    assignments = list(programme.assignments.select_related("community"))
    _keep_frozen(programme, assignments, placements)
    positions = {}
    for a in assignments:
        placed = placements.get(a.community.code, {})
        a.year, a.upgrade_year = placed.get("year"), placed.get("upgrade_year")
        a.reason, a.detail = placed.get("reason", ""), placed.get("detail") or {}
        positions[a.community_id] = (state_for(programme, a.year), a.year)
    Assignment.objects.bulk_update(assignments, ["year", "upgrade_year", "reason", "detail"], batch_size=1000)
    programme.scenarios.update(adopted=False)
    Scenario.objects.filter(pk=scenario.pk).update(adopted=True)
    return set_programme_positions(actor, positions, reason=_("Programme %(name)s: scenario %(scenario)s adopted")
                                   % {"name": programme.name, "scenario": scenario.name})
