"""Make any schedule feasible (repair), then improve it by moves that never lose value (polish).

A community's basic work started in year s takes its cost by the cash-flow shares from the B and M rows of s,
s + 1, …, its households and one place from H, K and its sub-district's S row of s; its upgrade in year u takes
from U and M likewise. Polish moves basic work to a better year that has room, schedules left-out communities where
a year has room, and moves or adds upgrades likewise; a move is made only when it raises the objective (values()
counts the bonus of keeping the adopted year). Afterwards every community short of its best option is blocked by a
limit that is actually full — which is what the explanations report.
"""

import numpy as np

from gaizao.planning.optimiser.greedy import score_per_yuan
from gaizao.planning.optimiser.instance import TOLERANCE, Instance, Schedule, Use, room


def money_room(left: Use, shares: np.ndarray, kind: str) -> np.ndarray:
    """lags × T: the money a start in year s can take at lag k (min of the rows it enters), inf past the end."""
    t = len(left.M)
    other = left.B if kind == "basic" else left.U
    out = np.full((len(shares), t), np.inf)
    for k in range(len(shares)):
        out[k, : t - k] = np.minimum(other[k:], left.M[k:])
    return out


def _money_fits(inst: Instance, left: Use, who: np.ndarray, kind: str) -> np.ndarray:
    """who × T: would the basic (or upgrade) spending of each community fit the money left if it started in s?"""
    money = money_room(left, inst.shares, kind)
    amount = inst.cost if kind == "basic" else inst.upgrade_cost
    ok = np.ones((len(who), inst.t), dtype=bool)
    for k, share in enumerate(inst.shares):
        if share:
            ok &= amount[who, None] * share <= money[k][None, :] + TOLERANCE
    return ok


def fits_basic(inst: Instance, left: Use, who: np.ndarray) -> np.ndarray:
    """who × T: would the basic work of each community fit in year s right now?"""
    ok = _money_fits(inst, left, who, "basic")
    ok &= inst.households[who, None] <= left.H[None, :] + TOLERANCE
    ok &= left.K[None, :] >= 1 - TOLERANCE
    if inst.d:
        ok &= left.S[inst.sd[who]] >= 1 - TOLERANCE
    return ok


def fits_upgrade(inst: Instance, left: Use, who: np.ndarray) -> np.ndarray:
    return _money_fits(inst, left, who, "upgrade")


def take(inst: Instance, left: Use, i: int, basic: int, upgrade: int, sign: float = 1.0) -> None:
    """Take (sign 1) or give back (−1) what community i uses with these years, in place."""
    t = inst.t
    for k, share in enumerate(inst.shares):
        if basic >= 0 and basic + k < t:
            amount = sign * inst.cost[i] * share
            left.B[basic + k] -= amount
            left.M[basic + k] -= amount
        if upgrade >= 0 and upgrade + k < t:
            amount = sign * inst.upgrade_cost[i] * share
            left.U[upgrade + k] -= amount
            left.M[upgrade + k] -= amount
    if basic >= 0:
        left.H[basic] -= sign * inst.households[i]
        left.K[basic] -= sign
        if inst.d:
            left.S[inst.sd[i], basic] -= sign


def _over_at(left: Use) -> tuple[str, int, int] | None:
    """The first limit that is overrun: (family, year, sub-district or −1)."""
    for name in ("B", "U", "M", "H", "K"):
        bad = np.flatnonzero(getattr(left, name) < -TOLERANCE)
        if bad.size:
            return name, int(bad[0]), -1
    bad = np.argwhere(left.S < -TOLERANCE)
    if bad.size:
        return "S", int(bad[0][1]), int(bad[0][0])
    return None


def repair(inst: Instance, plan: Schedule, movable: np.ndarray | None = None) -> Schedule:
    """Drop upgrades, then non-pinned basic work, of the least value per unit until every limit holds.

    Only `movable` communities (a bool mask; all by default) are dropped: the caller makes sure they suffice.
    """
    movable = np.ones(inst.n, dtype=bool) if movable is None else movable
    plan = plan.copy()
    plan.basic[~inst.active] = -1
    plan.upgrade[~inst.active] = -1
    pinned = (inst.pin >= 0) & inst.active
    plan.basic[pinned] = inst.pin[pinned]
    bad_order = (plan.upgrade >= 0) & ((plan.basic < 0) | (plan.upgrade < plan.basic) | ~inst.has_upgrade)
    plan.upgrade[bad_order] = -1
    early = (plan.basic >= 0) & (plan.basic < inst.first) & ~pinned
    plan.basic[early] = -1
    plan.upgrade[early] = -1
    left = room(inst, plan)
    ratio = score_per_yuan(inst.weight, inst.cost)
    up_ratio = score_per_yuan(inst.weight, inst.upgrade_cost)
    hh_ratio = score_per_yuan(inst.weight, inst.households)
    lags = len(inst.shares)
    for _ in range(inst.n + 1):
        where = _over_at(left)
        if where is None:
            break
        family, year, sd = where
        excess = -(getattr(left, family)[year] if family != "S" else left.S[sd, year])
        lag = year - plan.basic
        if family in ("U", "M"):
            up_lag = year - plan.upgrade
            ups = np.flatnonzero((plan.upgrade >= 0) & (up_lag >= 0) & (up_lag < lags) & movable)
            if ups.size:
                use = inst.upgrade_cost[ups] * inst.shares[np.clip(up_lag[ups], 0, lags - 1)]
                drop = _cheapest(ups, up_ratio[ups], use, excess)
                for i in drop:
                    take(inst, left, i, -1, int(plan.upgrade[i]), -1.0)
                plan.upgrade[drop] = -1
                continue
        if family in ("B", "M"):
            here, rank = (plan.basic >= 0) & (lag >= 0) & (lag < lags), ratio
        elif family == "H":
            here, rank = plan.basic == year, hh_ratio
        elif family == "K":
            here, rank = plan.basic == year, inst.weight
        elif family == "S":
            here, rank = (plan.basic == year) & (inst.sd == sd), inst.weight
        else:
            raise RuntimeError("cannot repair: no upgrade left to drop")
        here = np.flatnonzero(here & ~pinned & movable)
        if not here.size:
            raise RuntimeError(f"cannot repair {family} in year {year}: nothing movable uses it")
        if family in ("B", "M"):
            use = inst.cost[here] * inst.shares[np.clip(lag[here], 0, lags - 1)]
        elif family == "H":
            use = inst.households[here]
        else:
            use = np.ones(len(here))
        drop = _cheapest(here, rank[here], use, excess)
        for i in drop:
            take(inst, left, i, int(plan.basic[i]), int(plan.upgrade[i]), -1.0)
        plan.basic[drop] = -1
        plan.upgrade[drop] = -1
    return plan


def _cheapest(who: np.ndarray, rank: np.ndarray, use: np.ndarray, excess: float) -> np.ndarray:
    """The fewest of the lowest-ranked `who` whose use covers the excess (at least one)."""
    order = np.argsort(rank, kind="stable")
    covered = np.cumsum(use[order])
    k = int(np.searchsorted(covered, excess - TOLERANCE, side="left")) + 1
    return who[order[: max(1, min(k, len(who)))]]


def polish(inst: Instance, plan: Schedule, movable: np.ndarray | None = None, rounds: int = 6) -> Schedule:
    movable = np.ones(inst.n, dtype=bool) if movable is None else movable
    plan = plan.copy()
    basic_value, none_value = inst.values()
    for _ in range(rounds):
        moved = _basic(inst, plan, movable, basic_value, none_value) + _upgrades(inst, plan, movable)
        if not moved:
            break
    return plan


def _basic(inst: Instance, plan: Schedule, movable: np.ndarray, value: np.ndarray, none: np.ndarray) -> int:
    """Move basic work (with its upgrade, if that stays in order) to a better year with room, or add it."""
    left = room(inst, plan)
    allowed = inst.allowed()
    now = np.where(plan.basic >= 0, value[np.arange(inst.n), np.maximum(plan.basic, 0)], none)
    candidates = np.flatnonzero(movable & inst.active & (inst.pin < 0))
    if not candidates.size:
        return 0
    better = (value[candidates] > now[candidates, None] + 1e-9) & allowed[candidates]
    up = plan.upgrade[candidates]
    better &= (up[:, None] < 0) | (np.arange(inst.t)[None, :] <= up[:, None])
    keep = better.any(axis=1)
    candidates, better = candidates[keep], better[keep]
    if not candidates.size:
        return 0
    better &= fits_basic(inst, left, candidates)  # without its own use: a little cautious, and fast
    keep = better.any(axis=1)
    candidates = candidates[keep]
    moves = 0
    gain = np.max(np.where(allowed[candidates], value[candidates], -np.inf), axis=1) - now[candidates]
    for i in candidates[np.argsort(-gain, kind="stable")]:
        years = np.flatnonzero(allowed[i] & (value[i] > now[i] + 1e-9))
        if plan.upgrade[i] >= 0:
            years = years[years <= plan.upgrade[i]]
        current = int(plan.basic[i])
        take(inst, left, i, current, -1, -1.0)
        for s in years[np.argsort(-value[i, years], kind="stable")]:
            if fits_basic(inst, left, np.array([i]))[0, s]:
                take(inst, left, i, int(s), -1)
                plan.basic[i] = s
                moves += 1
                break
        else:
            take(inst, left, i, current, -1)
    return moves


def _upgrades(inst: Instance, plan: Schedule, movable: np.ndarray) -> int:
    left = room(inst, plan)
    who = np.flatnonzero(inst.has_upgrade & (plan.basic >= 0) & movable & inst.active
                         & ((plan.upgrade < 0) | (plan.upgrade > plan.basic)))
    if not who.size:
        return 0
    years = np.arange(inst.t)
    latest = np.where(plan.upgrade[who] >= 0, plan.upgrade[who], inst.t)
    fits = fits_upgrade(inst, left, who) & (years[None, :] >= plan.basic[who, None]) & (years[None, :] <
                                                                                        latest[:, None])
    who = who[fits.any(axis=1)]
    moves = 0
    up_ratio = score_per_yuan(inst.weight, inst.upgrade_cost)
    for i in who[np.argsort(-up_ratio[who], kind="stable")]:
        now = int(plan.upgrade[i])
        take(inst, left, i, -1, now, -1.0)
        for s in range(int(plan.basic[i]), now if now >= 0 else inst.t):
            if fits_upgrade(inst, left, np.array([i]))[0, s]:
                take(inst, left, i, -1, s)
                plan.upgrade[i] = s
                moves += 1
                break
        else:
            take(inst, left, i, -1, now)
    return moves
