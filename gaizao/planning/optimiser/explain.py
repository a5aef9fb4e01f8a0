"""Why each community landed in its year, read off the final plan.

A community later than its first possible year is explained by what was full in each earlier year: its basic
cost against the budget left, its households against the household capacity left, one more community against
the community capacity left. The polish step guarantees one of them is full in every such year.
"""

import numpy as np

from gaizao.planning.optimiser.data import CONSTRAINTS, Candidate, Placement
from gaizao.planning.optimiser.instance import Instance, Schedule, usage

NOT_BLOCKED = -1


def blocking(inst: Instance, plan: Schedule) -> np.ndarray:
    """N × T: which constraint (index into CONSTRAINTS) keeps each community's basic work out of year t, if any,
    given what the plan leaves free (the community's own use of the year counts as free)."""
    spend, hh, count = usage(inst, plan)
    sb, sh, sk = inst.budget - spend, inst.cap_households - hh, inst.cap_communities - count
    own = (plan.basic[:, None] == np.arange(inst.t)[None, :])
    room_b = sb[None, :] + np.where(own, inst.cost[:, None], 0.0)
    room_h = sh[None, :] + np.where(own, inst.households[:, None], 0.0)
    room_k = sk[None, :] + own
    code = np.full((inst.n, inst.t), NOT_BLOCKED, dtype=np.int8)
    code[room_k < 1] = 2
    code[inst.households[:, None] > room_h] = 1
    code[inst.cost[:, None] > room_b] = 0
    return code


def placements(inst: Instance, plan: Schedule, candidates: list[Candidate]) -> dict[str, Placement]:
    code = blocking(inst, plan)
    years = inst.years
    sb = inst.budget - usage(inst, plan)[0]
    out = {}
    for i, c in enumerate(candidates):
        basic = int(plan.basic[i])
        year = years[basic] if basic >= 0 else None
        upgrade = years[int(plan.upgrade[i])] if plan.upgrade[i] >= 0 else None
        detail = {}
        if c.excluded:
            reason = "excluded"
        elif inst.pin[i] >= 0:
            reason = "pinned"
        elif inst.first[i] >= inst.t:
            reason, detail = "earliest_year", {"earliest_year": c.earliest_year}
        elif basic >= 0 and basic == inst.first[i]:
            reason = "earliest_year" if inst.first[i] > 0 else "first_year"
            if reason == "earliest_year":
                detail = {"earliest_year": c.earliest_year}
        else:
            end = basic if basic >= 0 else inst.t
            span = range(int(inst.first[i]), end)
            blocked = {years[s]: CONSTRAINTS[code[i, s]] for s in span if code[i, s] != NOT_BLOCKED}
            if basic >= 0:
                reason = _binding(blocked)
                detail = {"blocked_years": sorted(blocked), "binding": reason}
            elif len(blocked) < len(span):
                reason = "unscheduled_value"
                detail = {"blocked_years": sorted(blocked)}
            else:
                binding = _binding(blocked)
                reason = "unscheduled_budget" if binding == "budget" else "unscheduled_capacity"
                detail = {"blocked_years": sorted(blocked), "binding": binding}
            if len(set(blocked.values())) > 1:
                detail["by_year"] = blocked
        if upgrade is None and c.upgrade_cost_yuan > 0 and basic >= 0:
            detail["upgrade_blocked_years"] = [years[s] for s in range(basic, inst.t)
                                               if sb[s] < c.upgrade_cost_yuan]
        out[c.code] = Placement(c.code, year, upgrade, reason, detail)
    return out


def _binding(blocked: dict) -> str:
    """The constraint that blocked the most years (budget first on a tie)."""
    if not blocked:
        return "budget"
    counts = {name: 0 for name in CONSTRAINTS}
    for name in blocked.values():
        counts[name] += 1
    return max(CONSTRAINTS, key=lambda name: counts[name])
