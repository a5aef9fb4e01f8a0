"""Make any schedule feasible (repair), then improve it by moves that never lose value (polish).

Polish moves basic work to an earlier year that has room, schedules left-out communities where a year has room,
and moves or adds upgrades likewise. Afterwards every community later than its first possible year, and every
one left out, is blocked in each earlier year by a constraint that is actually full — which is what the
explanations report.
"""

import numpy as np

from gaizao.planning.optimiser.greedy import score_per_yuan
from gaizao.planning.optimiser.instance import Instance, Schedule, usage


def _slack(inst: Instance, plan: Schedule):
    spend, hh, count = usage(inst, plan)
    return inst.budget - spend, inst.cap_households - hh, inst.cap_communities - count


def repair(inst: Instance, plan: Schedule, movable: np.ndarray | None = None) -> Schedule:
    """Drop upgrades, then non-pinned basic work, of the least value per yuan until every year fits.

    Only `movable` communities (a bool mask; all by default) are dropped: the caller makes sure they suffice.
    """
    movable = np.ones(inst.n, dtype=bool) if movable is None else movable
    plan = plan.copy()
    plan.basic[~inst.active] = -1
    pinned = inst.pin >= 0
    plan.basic[pinned] = inst.pin[pinned]
    bad_order = (plan.upgrade >= 0) & ((plan.basic < 0) | (plan.upgrade < plan.basic) | ~inst.has_upgrade)
    plan.upgrade[bad_order] = -1
    early = (plan.basic >= 0) & (plan.basic < inst.first) & ~pinned
    plan.basic[early] = -1
    plan.upgrade[early] = -1
    sb, sh, sk = _slack(inst, plan)
    ratio = score_per_yuan(inst.weight, inst.cost)
    up_ratio = score_per_yuan(inst.weight, inst.upgrade_cost)
    for t in range(inst.t):
        if sb[t] < 0:
            ups = np.flatnonzero((plan.upgrade == t) & movable)
            for i in ups[np.argsort(up_ratio[ups], kind="stable")]:
                if sb[t] >= 0:
                    break
                plan.upgrade[i] = -1
                sb[t] += inst.upgrade_cost[i]
        if sb[t] < 0 or sh[t] < 0 or sk[t] < 0:
            here = np.flatnonzero((plan.basic == t) & ~pinned & movable)
            for i in here[np.argsort(ratio[here], kind="stable")]:
                if sb[t] >= 0 and sh[t] >= 0 and sk[t] >= 0:
                    break
                plan.basic[i] = -1
                sb[t] += inst.cost[i]
                sh[t] += inst.households[i]
                sk[t] += 1
                if plan.upgrade[i] >= 0:
                    sb[plan.upgrade[i]] += inst.upgrade_cost[i]
                    plan.upgrade[i] = -1
    return plan


def polish(inst: Instance, plan: Schedule, movable: np.ndarray | None = None, rounds: int = 6) -> Schedule:
    movable = np.ones(inst.n, dtype=bool) if movable is None else movable
    plan = plan.copy()
    for _ in range(rounds):
        moved = _pull_forward(inst, plan, movable) + _fill(inst, plan, movable) + _upgrades(inst, plan, movable)
        if not moved:
            break
    return plan


def _fits(inst, sb, sh, sk, who):
    """who × T: would the basic work of each community fit in year t right now?"""
    return ((inst.cost[who, None] <= sb[None, :]) & (inst.households[who, None] <= sh[None, :])
            & (sk[None, :] >= 1))


def _pull_forward(inst: Instance, plan: Schedule, movable: np.ndarray) -> int:
    moves = 0
    years = np.arange(inst.t)
    while True:
        sb, sh, sk = _slack(inst, plan)
        who = np.flatnonzero((plan.basic > inst.first) & (inst.pin < 0) & movable)
        if not who.size:
            return moves
        fits = _fits(inst, sb, sh, sk, who)
        fits &= (years[None, :] >= inst.first[who, None]) & (years[None, :] < plan.basic[who, None])
        who = who[fits.any(axis=1)]
        if not who.size:
            return moves
        before = moves
        for i in who[np.argsort(-inst.weight[who], kind="stable")]:
            now = plan.basic[i]
            for s in range(inst.first[i], now):
                if inst.cost[i] <= sb[s] and inst.households[i] <= sh[s] and sk[s] >= 1:
                    sb[s] -= inst.cost[i]
                    sh[s] -= inst.households[i]
                    sk[s] -= 1
                    sb[now] += inst.cost[i]
                    sh[now] += inst.households[i]
                    sk[now] += 1
                    plan.basic[i] = s
                    moves += 1
                    break
        if moves == before:
            return moves


def _fill(inst: Instance, plan: Schedule, movable: np.ndarray) -> int:
    sb, sh, sk = _slack(inst, plan)
    who = np.flatnonzero((plan.basic < 0) & inst.active & (inst.pin < 0) & movable)
    if not who.size:
        return 0
    years = np.arange(inst.t)
    fits = _fits(inst, sb, sh, sk, who) & (years[None, :] >= inst.first[who, None])
    who = who[fits.any(axis=1)]
    moves = 0
    ratio = score_per_yuan(inst.weight, inst.cost)
    for i in who[np.argsort(-ratio[who], kind="stable")]:
        for s in range(inst.first[i], inst.t):
            if inst.cost[i] <= sb[s] and inst.households[i] <= sh[s] and sk[s] >= 1:
                sb[s] -= inst.cost[i]
                sh[s] -= inst.households[i]
                sk[s] -= 1
                plan.basic[i] = s
                moves += 1
                break
    return moves


def _upgrades(inst: Instance, plan: Schedule, movable: np.ndarray) -> int:
    sb, _sh, _sk = _slack(inst, plan)
    who = np.flatnonzero(inst.has_upgrade & (plan.basic >= 0) & movable
                         & ((plan.upgrade < 0) | (plan.upgrade > plan.basic)))
    if not who.size:
        return 0
    years = np.arange(inst.t)
    latest = np.where(plan.upgrade[who] >= 0, plan.upgrade[who], inst.t)
    fits = ((inst.upgrade_cost[who, None] <= sb[None, :]) & (years[None, :] >= plan.basic[who, None])
            & (years[None, :] < latest[:, None]))
    who = who[fits.any(axis=1)]
    moves = 0
    up_ratio = score_per_yuan(inst.weight, inst.upgrade_cost)
    for i in who[np.argsort(-up_ratio[who], kind="stable")]:
        now = plan.upgrade[i]
        for s in range(plan.basic[i], now if now >= 0 else inst.t):
            if inst.upgrade_cost[i] <= sb[s]:
                sb[s] -= inst.upgrade_cost[i]
                if now >= 0:
                    sb[now] += inst.upgrade_cost[i]
                plan.upgrade[i] = s
                moves += 1
                break
    return moves
