"""The baseline a planner would do by hand: rank by score per yuan and fill each year in turn."""

import numpy as np

from gaizao.planning.optimiser.instance import Instance, Schedule


def first_fit(items: np.ndarray, demands: list[np.ndarray], slack: np.ndarray) -> np.ndarray:
    """Take items in the given order when each fits what is left (slack is updated in place)."""
    chosen = []
    rest = items
    while rest.size:
        k = rest.size
        sums = [np.cumsum(d[rest]) for d in demands]
        for total, room in zip(sums, slack, strict=True):
            k = min(k, int(np.searchsorted(total, room, side="right")))
        if k:
            chosen.append(rest[:k])
            for j, total in enumerate(sums):
                slack[j] -= total[k - 1]
        rest = rest[k:]
        if not rest.size:
            break
        fits = np.ones(rest.size, dtype=bool)
        for d, room in zip(demands, slack, strict=True):
            fits &= d[rest] <= room
        rest = rest[fits]  # what does not fit now never will: the slack only shrinks
    return np.concatenate(chosen) if chosen else np.zeros(0, dtype=np.int64)


def score_per_yuan(weight: np.ndarray, cost: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(cost > 0, weight / np.where(cost > 0, cost, 1), np.inf)
    return np.where(weight > 0, ratio, 0.0)


def greedy_schedule(inst: Instance) -> Schedule:
    basic = np.full(inst.n, -1, dtype=np.int64)
    upgrade = np.full(inst.n, -1, dtype=np.int64)
    pinned = inst.pin >= 0
    basic[pinned] = inst.pin[pinned]
    slack_b = inst.budget - np.bincount(inst.pin[pinned], inst.cost[pinned], inst.t)
    slack_h = inst.cap_households - np.bincount(inst.pin[pinned], inst.households[pinned], inst.t)
    slack_k = inst.cap_communities - np.bincount(inst.pin[pinned], minlength=inst.t)
    ones = np.ones(inst.n)
    ratio = score_per_yuan(inst.weight, inst.cost)
    order = np.flatnonzero(inst.active & ~pinned)
    order = order[np.argsort(-ratio[order], kind="stable")]
    up_ratio = score_per_yuan(inst.weight, inst.upgrade_cost)
    up_order = np.flatnonzero(inst.active & inst.has_upgrade)
    up_order = up_order[np.argsort(-up_ratio[up_order], kind="stable")]
    for t in range(inst.t):
        waiting = order[(basic[order] < 0) & (inst.first[order] <= t)]
        slack = np.array([slack_b[t], slack_h[t], slack_k[t]])
        chosen = first_fit(waiting, [inst.cost, inst.households, ones], slack)
        basic[chosen] = t
        slack_b[t], slack_h[t], slack_k[t] = slack
        pending = up_order[(basic[up_order] >= 0) & (basic[up_order] <= t) & (upgrade[up_order] < 0)]
        room = np.array([slack_b[t]])
        chosen = first_fit(pending, [inst.upgrade_cost], room)
        upgrade[chosen] = t
        slack_b[t] = room[0]
    return Schedule(basic, upgrade)
