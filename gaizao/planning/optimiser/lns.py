"""Large-neighbourhood search: re-pack two years at a time with HiGHS, everything else held.

The hard part of a small programme is packing each year's money and capacity tightly; a sub-MIP over the
communities of two years (and those left out) re-packs them, within a few hundred nodes, and the rounds repeat
until nothing improves or ROUNDS have run — a work limit, so the same input always gives the same plan.
"""

import numpy as np

from gaizao.planning.optimiser import mip
from gaizao.planning.optimiser.instance import Instance, Schedule, objective, option_total, room
from gaizao.planning.optimiser.repair import polish, repair


def year_pairs(t: int) -> list[tuple[int, int]]:
    """(a, b) with b = t meaning "left out": neighbours first, then one year apart."""
    return [(a, a + 1) for a in range(t - 1)] + [(t - 1, t)] + [(a, a + 2) for a in range(t - 2)]


SUB_NODES = 60  # branch-and-bound nodes per two-year sub-MIP at most
ROUNDS = 2
SUB_GAP = 3e-5  # relative to the whole plan's value


NEIGHBOURHOOD = 160  # communities per sub-MIP at most: the closest calls (smallest margins) first


def _members(inst: Instance, plan: Schedule, movable: np.ndarray, spec) -> tuple[np.ndarray, np.ndarray | None]:
    t = inst.t
    free = movable & inst.active
    a, b = spec
    years = np.zeros(t, dtype=bool)
    years[a] = True
    if b < t:
        years[b] = True
    where = np.where(plan.basic >= 0, plan.basic, t)
    upgrade_inside = (plan.upgrade < 0) | years[np.clip(plan.upgrade, 0, t - 1)]
    left_out_fits = (where == t) & (inst.first <= max(a, b if b < t else a)) & (inst.pin < 0)
    return free & upgrade_inside & ((where == a) | (where == b) | left_out_fits), years


def repack(inst: Instance, plan: Schedule, movable: np.ndarray, good_enough: float,
           margin: np.ndarray | None = None) -> Schedule:
    """Improve plan until no neighbourhood improves, ROUNDS have run, or the objective reaches good_enough.

    margin (per community, optional) ranks the communities when a neighbourhood holds more than NEIGHBOURHOOD.
    """
    value = objective(inst, plan)
    for _round in range(ROUNDS):
        if value >= good_enough:
            break
        improved = False
        for spec in year_pairs(inst.t):
            if value >= good_enough:
                break
            members, years = _members(inst, plan, movable, spec)
            if not members.any():
                continue
            if margin is not None and members.sum() > NEIGHBOURHOOD:
                pool = np.flatnonzero(members)
                keep = pool[np.argsort(margin[pool], kind="stable")[:NEIGHBOURHOOD]]
                members = np.zeros(inst.n, dtype=bool)
                members[keep] = True
            rest = plan.copy()
            rest.basic[members] = -1
            rest.upgrade[members] = -1
            offset = value - option_total(inst, plan, members)
            sub = mip.build(inst, np.flatnonzero(members), room(inst, rest), offset=offset, years=years)
            out, found, _bound = mip.solve(sub, plan, nodes=SUB_NODES, rel_gap=SUB_GAP)
            if out is not None and found > value + 1e-9 * max(1.0, abs(value)):
                out = polish(inst, repair(inst, out, movable), movable)
                new_value = objective(inst, out)
                if new_value > value:
                    plan, value, improved = out, new_value, True
        if not improved:
            break
    return plan

