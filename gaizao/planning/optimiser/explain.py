"""Why each community landed in its year, and why each moved from the adopted plan, read off the final plan.

A community later than its first possible year is explained by what was full in each earlier year: its spending
(through the cash flow) against the money left, its households against the household capacity left, one more
community against the community or sub-district capacity left. The polish step guarantees one of them is full in
every such year, unless keeping the adopted year was worth more (the move penalty).
"""

import numpy as np

from gaizao.planning.optimiser.data import CONSTRAINTS, Candidate, Placement
from gaizao.planning.optimiser.instance import NO_PREVIOUS, TOLERANCE, Instance, Schedule, room

NOT_BLOCKED = -1
BUDGET, HOUSEHOLDS, COMMUNITIES, SUBDISTRICT = range(4)


def blocking(inst: Instance, plan: Schedule) -> tuple[np.ndarray, np.ndarray]:
    """N × T: which constraint (index into CONSTRAINTS) keeps each community's basic work out of year s, given
    what the plan leaves free (its own use counts as free); and N × T: the year whose money ran out (−1)."""
    left = room(inst, plan)
    t, n = inst.t, inst.n
    code = np.full((n, t), NOT_BLOCKED, dtype=np.int8)
    money_year = np.full((n, t), -1, dtype=np.int64)
    own_start = plan.basic
    years = np.arange(t)
    own = own_start[:, None] == years[None, :]
    if inst.d:
        code[left.S[inst.sd] + own < 1 - TOLERANCE] = SUBDISTRICT
    code[(left.K[None, :] + own) < 1 - TOLERANCE] = COMMUNITIES
    code[inst.households[:, None] > left.H[None, :] + np.where(own, inst.households[:, None], 0) + TOLERANCE] = \
        HOUSEHOLDS
    lags = len(inst.shares)
    for k, share in enumerate(inst.shares):
        if not share:
            continue
        y = years + k
        inside = y < t
        yy = np.minimum(y, t - 1)
        lag_of_own = yy[None, :] - own_start[:, None]
        own_share = np.where((own_start[:, None] >= 0) & (lag_of_own >= 0) & (lag_of_own < lags),
                             inst.shares[np.clip(lag_of_own, 0, lags - 1)], 0.0)
        own_money = inst.cost[:, None] * own_share
        short = (inst.cost[:, None] * share > np.minimum(left.B[yy], left.M[yy])[None, :] + own_money + TOLERANCE)
        short &= inside[None, :]
        fresh = short & (money_year < 0)
        money_year[fresh] = np.broadcast_to(yy[None, :], short.shape)[fresh]
        code[short] = BUDGET
    return code, money_year


def short_source(inst: Instance, plan: Schedule, year_index: int) -> str | None:
    """The source whose money ran out first for basic work in a year: a restricted one when the B row is full."""
    left = room(inst, plan)
    year = inst.years[year_index]
    sources = inst.sources.by_year.get(year, [])
    basic_only = [s.code for s in sources if s.pays == "basic"]
    anything = [s.code for s in sources if s.pays == "all"]
    if basic_only and left.B[year_index] <= left.M[year_index]:
        return basic_only[-1]
    return (anything or basic_only or [None])[-1]


def placements(inst: Instance, plan: Schedule, candidates: list[Candidate], whole: Schedule) -> dict[str, Placement]:
    """plan: the free communities' schedule (what the limits are measured on); whole: with the frozen ones."""
    code, _money = blocking(inst, plan)
    years = inst.years
    left_u = room(inst, plan)
    out = {}
    for i, c in enumerate(candidates):
        basic = int(whole.basic[i])
        year = years[basic] if basic >= 0 else None
        upgrade = years[int(whole.upgrade[i])] if whole.upgrade[i] >= 0 else None
        detail = {}
        if inst.frozen[i]:
            reason = "frozen"
        elif c.excluded:
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
                                               if min(left_u.U[s], left_u.M[s]) < c.upgrade_cost_yuan
                                               * inst.shares[0]]
        out[c.code] = Placement(c.code, year, upgrade, reason, detail)
    return out


def moves(inst: Instance, plan: Schedule) -> list[dict]:
    """Each community whose basic year differs from the adopted plan, with the reason."""
    code, money_year = blocking(inst, plan)
    years = inst.years
    out = []
    has = (inst.prev > NO_PREVIOUS) & ~inst.frozen
    now = plan.basic
    was = np.where(inst.prev >= 0, inst.prev, -1)
    for i in np.flatnonzero(has & (now != was)):
        move = {"code": inst.codes[i], "from": years[was[i]] if was[i] >= 0 else None,
                "to": years[now[i]] if now[i] >= 0 else None}
        if inst.excluded[i] or (inst.pin[i] >= 0 and inst.pin[i] != was[i]):
            move["reason"] = "pin"
        elif was[i] >= 0 and inst.first[i] > was[i]:
            move["reason"] = "earliest_year"
        elif was[i] < 0 or (0 <= now[i] < was[i]):
            move["reason"] = "room"
        elif code[i, was[i]] == NOT_BLOCKED:
            move["reason"] = "higher_need"
        else:
            move["reason"] = CONSTRAINTS[code[i, was[i]]]
            if move["reason"] == "budget":
                spent = int(money_year[i, was[i]])
                move["year"] = years[spent]
                move["source"] = short_source(inst, plan, spent)
            elif move["reason"] == "capacity_subdistrict":
                move["subdistrict"] = inst.subdistricts[inst.sd[i]]
        out.append(move)
    return out


def _binding(blocked: dict) -> str:
    """The constraint that blocked the most years (budget first on a tie)."""
    if not blocked:
        return "budget"
    counts = {name: 0 for name in CONSTRAINTS}
    for name in blocked.values():
        counts[name] += 1
    return max(CONSTRAINTS, key=lambda name: counts[name])
