"""Swap search: exchange a community in an earlier year with a heavier one in a later year (or left out).

Each move keeps every year within its limits and strictly raises the objective. Used to improve the start
solution handed to the MIP; vectorised per pair of years.
"""

import time

import numpy as np

from gaizao.planning.optimiser.instance import Instance, Schedule, usage


def swap_search(inst: Instance, plan: Schedule, movable: np.ndarray, deadline: float, max_moves: int = 5000
                ) -> tuple[Schedule, int]:
    plan = plan.copy()
    t = inst.t
    vt = np.r_[inst.year_value(), 0.0]  # year index T = left out
    spend, hh, count = usage(inst, plan)
    sb = np.r_[inst.budget - spend, np.inf]
    sh = np.r_[inst.cap_households - hh, np.inf]
    free = movable & inst.active & (inst.pin < 0)
    moves = 0
    while moves < max_moves and time.perf_counter() < deadline:
        where = np.where(plan.basic >= 0, plan.basic, t)
        best = (0.0, None)
        for a in range(t):
            # A leaves year a for year b; its upgrade, if any, must stay no earlier than b
            in_a = np.flatnonzero(free & (where == a))
            if not in_a.size:
                continue
            for b in range(a + 1, t + 1):
                up_a = plan.upgrade[in_a]
                ok_a = in_a[(up_a < 0) | ((up_a >= b) & (b < t))]
                in_b = np.flatnonzero(free & (where == b) & (inst.first <= a))
                if not ok_a.size or not in_b.size:
                    continue
                gain = (inst.weight[in_b][None, :] - inst.weight[ok_a][:, None]) * (vt[a] - vt[b])
                dc = inst.cost[in_b][None, :] - inst.cost[ok_a][:, None]
                dh = inst.households[in_b][None, :] - inst.households[ok_a][:, None]
                feasible = (dc <= sb[a]) & (-dc <= sb[b]) & (dh <= sh[a]) & (-dh <= sh[b]) & (gain > 1e-9)
                if not feasible.any():
                    continue
                gain = np.where(feasible, gain, -np.inf)
                k = int(np.argmax(gain))
                if gain.flat[k] > best[0]:
                    i, j = divmod(k, gain.shape[1])
                    best = (float(gain.flat[k]), (ok_a[i], in_b[j], a, b))
        if best[1] is None:
            break
        i, j, a, b = best[1]
        plan.basic[i] = b if b < t else -1
        plan.basic[j] = a
        sb[a] += inst.cost[i] - inst.cost[j]
        sh[a] += inst.households[i] - inst.households[j]
        if b < t:
            sb[b] += inst.cost[j] - inst.cost[i]
            sh[b] += inst.households[j] - inst.households[i]
        moves += 1
    return plan, moves
