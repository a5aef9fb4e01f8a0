"""The multi-year programme: candidates from the census and plans, optimiser runs (scenarios), adoption."""

import time
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import DecimalField, ExpressionWrapper, F, Sum
from django.utils.translation import gettext as _

from gaizao.communities.models import Community, ProgrammeStatus
from gaizao.communities.services import set_programme_positions
from gaizao.planning import need
from gaizao.planning.models import Assignment, CommunityPlan, PlanItem, Programme, Scenario
from gaizao.regions.services import rules_for_subdistricts


def require_programme_edit(actor) -> None:
    if actor is not None and not (actor.sees_whole_district and actor.can_edit_census):
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


def default_inputs(programme: Programme) -> dict:
    rows = list(programme.year_rows.all())
    return {
        "budgets": {str(r.year): float(r.budget_yuan) for r in rows},
        "capacity_households": {str(r.year): r.capacity_households for r in rows
                                if r.capacity_households is not None} or None,
        "capacity_communities": {str(r.year): r.capacity_communities for r in rows
                                 if r.capacity_communities is not None} or None,
        "upgrade_weight": float(programme.upgrade_weight),
    }


@transaction.atomic
def pin(actor, assignment: Assignment, *, year: int | None, excluded: bool = False) -> Assignment:
    """Staff decisions the optimiser must respect: a fixed year, or keep the community out."""
    require_programme_edit(actor)
    if year is not None and year not in assignment.programme.years:
        raise ValidationError(_("%(year)s is outside the programme's years.") % {"year": year})
    assignment.pinned_year = None if excluded else year
    assignment.excluded = excluded
    assignment.save(update_fields=["pinned_year", "excluded"])
    return assignment


def _year_map(raw) -> dict[int, float] | None:
    return {int(k): v for k, v in raw.items()} if raw else None


def run_scenario(scenario_id: int) -> str:
    from gaizao.planning.optimiser import Candidate, InfeasiblePins, PlanInput, optimise, result_json

    scenario = Scenario.objects.select_related("programme").get(pk=scenario_id)
    Scenario.objects.filter(pk=scenario.pk).update(status=Scenario.Status.RUNNING)
    programme = scenario.programme
    sync_assignments(programme)
    assignments = list(programme.assignments.select_related("community__subdistrict"))
    candidates = [Candidate(code=a.community.code, cost_yuan=float(a.cost_yuan), households=a.households,
                            need_score=float(a.need_score), subdistrict=a.community.subdistrict.name,
                            pinned_year=a.pinned_year, excluded=a.excluded,
                            upgrade_cost_yuan=float(a.upgrade_cost_yuan)) for a in assignments]
    inputs = scenario.inputs
    plan_input = PlanInput(years=programme.years, budgets=_year_map(inputs["budgets"]),
                           capacity_households=_year_map(inputs.get("capacity_households")),
                           capacity_communities=_year_map(inputs.get("capacity_communities")),
                           upgrade_weight=float(inputs.get("upgrade_weight", programme.upgrade_weight)))
    started = time.monotonic()
    try:
        result = optimise(plan_input, candidates)
    except ValueError as error:  # a pin outside the years and the like: say it, change nothing
        Scenario.objects.filter(pk=scenario.pk).update(status=Scenario.Status.FAILED, message=str(error))
        return Scenario.Status.FAILED
    except InfeasiblePins as error:
        problems = "; ".join(
            _("%(year)s: pinned communities exceed the %(constraint)s by %(excess)s")
            % {"year": p["year"], "constraint": _constraint_label(p["constraint"]), "excess": f"{p['excess']:,.0f}"}
            for p in error.problems)
        Scenario.objects.filter(pk=scenario.pk).update(status=Scenario.Status.FAILED, message=problems)
        return Scenario.Status.FAILED
    document = result_json(result)
    document["placements"] = {code: {"year": p.year, "upgrade_year": p.upgrade_year, "reason": p.reason,
                                     "detail": p.detail} for code, p in result.placements.items()}
    document["wall_seconds"] = round(time.monotonic() - started, 2)
    greedy_value = document.get("greedy_objective") or 0
    document["gain_percent"] = round(100 * (document["objective"] - greedy_value) / greedy_value, 3) if greedy_value \
        else 0.0
    Scenario.objects.filter(pk=scenario.pk).update(status=Scenario.Status.DONE, result=document)
    return Scenario.Status.DONE


def _constraint_label(code: str) -> str:
    return {"budget": _("budget"), "capacity_households": _("household capacity"),
            "capacity_communities": _("community capacity")}.get(code, code)


@transaction.atomic
def adopt(actor, scenario: Scenario) -> int:
    """Make a finished scenario the programme: years on the board, status and batch year on the communities."""
    require_programme_edit(actor)
    if scenario.status != Scenario.Status.DONE:
        raise ValidationError(_("Only a finished scenario can be adopted."))
    programme = scenario.programme
    placements = scenario.result["placements"]
    assignments = list(programme.assignments.select_related("community"))
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
