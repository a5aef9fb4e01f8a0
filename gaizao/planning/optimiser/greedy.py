"""The baseline a planner would do by hand: rank by score per yuan and fill each year in turn.

Within a year the candidates are taken in order while the money (through the cash flow), the capacities and their
sub-district's places last; the adopted plan and its penalties play no part (the optimiser's starts do that).
"""

import numpy as np

from gaizao.planning.optimiser.instance import TOLERANCE, Instance, Schedule, room


def score_per_yuan(weight: np.ndarray, cost: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(cost > 0, weight / np.where(cost > 0, cost, 1), np.inf)
    return np.where(weight > 0, ratio, 0.0)


def first_fit(items: np.ndarray, demands: list[np.ndarray], slack: np.ndarray) -> np.ndarray:
    """Take items in the given order when each fits what is left (slack is updated in place)."""
    chosen = []
    rest = items
    while rest.size:
        k = rest.size
        sums = [np.cumsum(d[rest]) for d in demands]
        for total, left in zip(sums, slack, strict=True):
            k = min(k, int(np.searchsorted(total, left + TOLERANCE, side="right")))
        if k:
            chosen.append(rest[:k])
            for j, total in enumerate(sums):
                slack[j] -= total[k - 1]
        rest = rest[k:]
        if not rest.size:
            break
        fits = np.ones(rest.size, dtype=bool)
        for d, left in zip(demands, slack, strict=True):
            fits &= d[rest] <= left + TOLERANCE
        rest = rest[fits]  # what does not fit now never will: the slack only shrinks
    return np.concatenate(chosen) if chosen else np.zeros(0, dtype=np.int64)


def _within_places(inst: Instance, items: np.ndarray, places: np.ndarray) -> np.ndarray:
    """The items (in order) that are among the first `places` of their sub-district."""
    if not inst.d or not np.isfinite(places).any():
        return items
    group = inst.sd[items]
    order = np.argsort(group, kind="stable")
    sorted_group = group[order]
    starts = np.searchsorted(sorted_group, np.arange(inst.d))
    rank = np.empty(len(items), dtype=np.int64)
    rank[order] = np.arange(len(items)) - starts[sorted_group]
    return items[rank < places[group] - TOLERANCE]


def greedy_schedule(inst: Instance) -> Schedule:
    t = inst.t
    basic = np.full(inst.n, -1, dtype=np.int64)
    upgrade = np.full(inst.n, -1, dtype=np.int64)
    pinned = (inst.pin >= 0) & inst.active
    basic[pinned] = inst.pin[pinned]
    plan = Schedule(basic, upgrade)
    left = room(inst, plan)
    ones = np.ones(inst.n)
    ratio = score_per_yuan(inst.weight, inst.cost)
    order = np.flatnonzero(inst.active & ~pinned)
    order = order[np.argsort(-ratio[order], kind="stable")]
    up_ratio = score_per_yuan(inst.weight, inst.upgrade_cost)
    up_order = np.flatnonzero(inst.active & inst.has_upgrade)
    up_order = up_order[np.argsort(-up_ratio[up_order], kind="stable")]
    lags = [(k, share) for k, share in enumerate(inst.shares) if share and k < t]
    for s in range(t):
        waiting = order[(basic[order] < 0) & (inst.first[order] <= s)]
        while waiting.size:
            waiting = _within_places(inst, waiting, left.S[:, s] if inst.d else np.zeros(0))
            demands = [inst.cost * share for k, share in lags if s + k < t]
            demands += [inst.households, ones]
            money = [min(left.B[s + k], left.M[s + k]) for k, _share in lags if s + k < t]
            slack = np.array(money + [left.H[s], left.K[s]], dtype=float)
            chosen = first_fit(waiting, demands, slack)
            if not chosen.size:
                break
            basic[chosen] = s
            left = room(inst, plan)
            waiting = waiting[basic[waiting] < 0]
            if not inst.d:
                break
        pending = up_order[(basic[up_order] >= 0) & (basic[up_order] <= s) & (upgrade[up_order] < 0)]
        demands = [inst.upgrade_cost * share for k, share in lags if s + k < t]
        slack = np.array([min(left.U[s + k], left.M[s + k]) for k, _share in lags if s + k < t], dtype=float)
        chosen = first_fit(pending, demands, slack)
        upgrade[chosen] = s
        left = room(inst, plan)
    return plan
