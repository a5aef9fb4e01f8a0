"""Large-neighbourhood search: re-pack two years at a time with HiGHS, everything else held.

The hard part of a small programme is packing each year's budget and capacity tightly; a sub-MIP over the
communities of two years (and those left out) re-packs them exactly, in a fraction of a second, and the rounds
repeat until nothing improves.
"""

import time

import numpy as np

from gaizao.planning.optimiser import mip
from gaizao.planning.optimiser.instance import Instance, Schedule, objective, usage
from gaizao.planning.optimiser.repair import polish, repair


def year_pairs(t: int) -> list[tuple[int, int]]:
    """(a, b) with b = t meaning "left out": neighbours first, then one year apart."""
    return [(a, a + 1) for a in range(t - 1)] + [(t - 1, t)] + [(a, a + 2) for a in range(t - 2)]


SUB_TIME = 0.2  # seconds per two-year sub-MIP at most
SUB_GAP = 3e-5  # relative to the whole plan's value


NEIGHBOURHOOD = 160  # communities per sub-MIP at most: the closest calls (smallest margins) first


def repack(inst: Instance, plan: Schedule, movable: np.ndarray, deadline: float, good_enough: float,
           margin: np.ndarray | None = None) -> Schedule:
    """Improve plan until no pair of years improves, the deadline passes, or the objective reaches good_enough.

    margin (per community, optional) ranks the communities when a pair of years holds more than NEIGHBOURHOOD.
    """
    t = inst.t
    value = objective(inst, plan)
    while time.perf_counter() < deadline and value < good_enough:
        improved = False
        for a, b in year_pairs(t):
            left = deadline - time.perf_counter()
            if left <= 0.02 or value >= good_enough:
                break
            years = np.zeros(t, dtype=bool)
            years[a] = True
            if b < t:
                years[b] = True
            where = np.where(plan.basic >= 0, plan.basic, t)
            upgrade_inside = (plan.upgrade < 0) | years[np.clip(plan.upgrade, 0, t - 1)]
            left_out_fits = (where == t) & (inst.first <= max(a, b if b < t else a)) & (inst.pin < 0)
            members = movable & inst.active & upgrade_inside & ((where == a) | (where == b) | left_out_fits)
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
            spend, hh, count = usage(inst, rest)
            sub = mip.build(inst, np.flatnonzero(members), inst.budget - spend, inst.cap_households - hh,
                            inst.cap_communities - count, offset=objective(inst, rest), years=years)
            out, found, _bound = mip.solve(sub, plan, time_limit=min(SUB_TIME, left), rel_gap=SUB_GAP)
            if out is not None and found > value + 1e-9 * max(1.0, abs(value)):
                out = polish(inst, repair(inst, out, movable), movable)
                new_value = objective(inst, out)
                if new_value > value:
                    plan, value, improved = out, new_value, True
        if not improved:
            break
    return plan
