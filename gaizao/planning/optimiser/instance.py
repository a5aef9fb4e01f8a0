"""Candidates and limits as numpy arrays, checked once; every solver works on an Instance.

The limits are row families, all "used ≤ limit" per year (and per sub-district for S):
  B  basic spending ≤ the money of the sources that may pay basic work     (a source paying basic or all)
  U  upgrade spending ≤ the money of the sources that may pay upgrades     (upgrade or all)
  M  all spending ≤ all the money                                          (every source)
  H  households starting basic work, K communities starting basic work, S the same per sub-district.
B, U and M together are exactly the condition under which the sources can pay the year (funding.py). With cash
flow, a community's cost is spent over its start year and the next ones by shares; spending after the last year
belongs to the next programme. Frozen communities (adopted for a year already under way) are fixed: their use is
taken off the limits before any solver sees them, and their value is a constant.
"""

import math
from dataclasses import dataclass

import numpy as np

from gaizao.planning.optimiser import funding
from gaizao.planning.optimiser.data import Candidate, PlanInput

NO_CAP = math.inf
NO_PREVIOUS, PREVIOUSLY_NONE = -2, -1


@dataclass
class Use:
    """What a schedule uses (or what is left) of every limit: B, U, M, H, K per year; S sub-district × year."""

    B: np.ndarray
    U: np.ndarray
    M: np.ndarray
    H: np.ndarray
    K: np.ndarray
    S: np.ndarray

    def minus(self, other: "Use") -> "Use":
        return Use(*(a - b for a, b in zip(self.parts(), other.parts(), strict=True)))

    def parts(self) -> tuple:
        return self.B, self.U, self.M, self.H, self.K, self.S

    def copy(self) -> "Use":
        return Use(*(a.copy() for a in self.parts()))


@dataclass
class Schedule:
    """A plan as two arrays of year indices: basic[i], upgrade[i] (−1 = none)."""

    basic: np.ndarray
    upgrade: np.ndarray

    def copy(self) -> "Schedule":
        return Schedule(self.basic.copy(), self.upgrade.copy())


@dataclass
class Instance:
    years: list[int]
    codes: list[str]
    weight: np.ndarray  # need_score × households
    cost: np.ndarray  # basic cost, yuan
    households: np.ndarray  # float, for arithmetic
    upgrade_cost: np.ndarray  # 0 = no upgrade work
    first: np.ndarray  # index of the first year the basic work may start (T = never)
    pin: np.ndarray  # pinned year index, −1 = not pinned
    excluded: np.ndarray  # bool
    frozen: np.ndarray  # bool: fixed by the adopted plan (basic and upgrade year)
    fixed: "Schedule"  # the frozen communities' years (−1 elsewhere)
    sd: np.ndarray  # sub-district index
    subdistricts: list[str]
    limit: Use  # what is left for the free communities once the frozen ones are paid
    shares: np.ndarray  # cash flow
    sources: funding.Sources
    prev: np.ndarray  # adopted basic year index, PREVIOUSLY_NONE, or NO_PREVIOUS (new, frozen, or outside)
    prev_upgrade: np.ndarray  # adopted upgrade year index, −1 = none
    penalty: float
    alpha: float

    @property
    def n(self) -> int:
        return len(self.codes)

    @property
    def t(self) -> int:
        return len(self.years)

    @property
    def d(self) -> int:
        return len(self.subdistricts)

    @property
    def active(self) -> np.ndarray:
        """Communities the solvers place."""
        return ~self.excluded & ~self.frozen & (self.first < self.t)

    @property
    def has_upgrade(self) -> np.ndarray:
        return self.upgrade_cost > 0

    def allowed(self) -> np.ndarray:
        """N × T: may the basic work start in year t?"""
        idx = np.arange(self.t)
        allowed = (idx[None, :] >= self.first[:, None]) & self.active[:, None]
        pinned = (self.pin >= 0) & self.active
        allowed[pinned] = idx[None, :] == self.pin[pinned, None]
        return allowed

    def year_value(self) -> np.ndarray:
        """T − t + 1 for t = 1..T."""
        return np.arange(self.t, 0, -1, dtype=float)

    def values(self) -> tuple[np.ndarray, np.ndarray]:
        """Value of basic work in each year (N × T, with the bonus of staying put) and of no work (N)."""
        basic = self.weight[:, None] * self.year_value()[None, :]
        none = np.zeros(self.n)
        if self.penalty > 0:
            stays = self.prev >= 0
            basic[np.flatnonzero(stays), self.prev[stays]] += self.penalty
            none[self.prev == PREVIOUSLY_NONE] = self.penalty
        return basic, none


def build_instance(plan: PlanInput, candidates: list[Candidate]) -> Instance:
    """Arrays for the solvers; ValueError for contradictory input (a pin outside the years, a duplicate code …)."""
    years = sorted(plan.years)
    if not years or len(set(years)) != len(years):
        raise ValueError("years must be a non-empty list of distinct years")
    sources = funding.sources_of(plan, years)
    shares = funding.cash_flow_of(plan.cash_flow)
    position = {y: i for i, y in enumerate(years)}
    n = len(candidates)
    codes = [c.code for c in candidates]
    if len(set(codes)) != n:
        seen, dupes = set(), []
        for code in codes:
            if code in seen:
                dupes.append(code)
            seen.add(code)
        raise ValueError(f"duplicate community code(s): {sorted(set(dupes))[:10]}")
    cost = np.array([c.cost_yuan for c in candidates], dtype=float)
    households = np.array([c.households for c in candidates], dtype=float)
    need = np.array([c.need_score for c in candidates], dtype=float)
    upgrade = np.array([c.upgrade_cost_yuan or 0.0 for c in candidates], dtype=float)
    for name, values in (("cost_yuan", cost), ("households", households), ("need_score", need),
                         ("upgrade_cost_yuan", upgrade)):
        bad = ~np.isfinite(values) | (values < 0)
        if bad.any():
            raise ValueError(f"{name} must be a number ≥ 0 (community {codes[int(np.argmax(bad))]})")
    pin = np.full(n, -1, dtype=np.int64)
    excluded = np.array([bool(c.excluded) for c in candidates], dtype=bool)
    earliest = np.array([c.earliest_year if c.earliest_year is not None else years[0] for c in candidates],
                        dtype=np.int64)
    first = np.searchsorted(np.array(years), earliest, side="left").astype(np.int64) if n else np.zeros(0, np.int64)
    for i, c in enumerate(candidates):
        if c.pinned_year is not None:
            if c.excluded:
                raise ValueError(f"community {c.code} is both pinned and excluded")
            if c.pinned_year not in position:
                raise ValueError(f"community {c.code} is pinned to {c.pinned_year}, outside the years {years}")
            if c.earliest_year is not None and c.pinned_year < c.earliest_year:
                raise ValueError(f"community {c.code} is pinned to {c.pinned_year}, before its earliest year "
                                 f"{c.earliest_year}")
            pin[i] = position[c.pinned_year]
    names = sorted({c.subdistrict for c in candidates})
    sd_index = {name: k for k, name in enumerate(names)}
    sd = np.array([sd_index[c.subdistrict] for c in candidates], dtype=np.int64)
    frozen, fixed, prev, prev_upgrade = _adopted(plan, candidates, codes, position, years)
    caps = Use(*sources.limits(len(years)), _caps(plan.capacity_households, years),
               _caps(plan.capacity_communities, years), _subdistrict_caps(plan, names, years))
    penalty = float(plan.move_penalty or 0.0)
    if not math.isfinite(penalty) or penalty < 0:
        raise ValueError("the move penalty must be a number ≥ 0")
    inst = Instance(
        years=years, codes=codes, weight=need * households, cost=cost, households=households,
        upgrade_cost=upgrade, first=first, pin=pin, excluded=excluded & ~frozen, frozen=frozen, fixed=fixed, sd=sd,
        subdistricts=names, limit=caps, shares=shares, sources=sources, prev=prev, prev_upgrade=prev_upgrade,
        penalty=penalty,
        alpha=float(plan.upgrade_weight),
    )
    inst.limit = caps.minus(usage(inst, fixed))
    return inst


def _adopted(plan: PlanInput, candidates, codes, position, years):
    """Frozen communities, their fixed years, and every other community's adopted basic year (for penalties)."""
    n = len(codes)
    frozen = np.zeros(n, dtype=bool)
    fixed = Schedule(np.full(n, -1, dtype=np.int64), np.full(n, -1, dtype=np.int64))
    prev = np.full(n, NO_PREVIOUS, dtype=np.int64)
    prev_upgrade = np.full(n, -1, dtype=np.int64)
    previous = plan.previous or {}
    through = plan.frozen_through
    for i, code in enumerate(codes):
        adopted = previous.get(code)
        if adopted is None:
            continue
        year, upgrade = adopted.year, adopted.upgrade_year
        if upgrade is not None and year is None:
            raise ValueError(f"community {code}: an upgrade year without a basic year in the adopted plan")
        if year is not None and upgrade is not None and upgrade < year:
            raise ValueError(f"community {code}: upgrade year {upgrade} before basic year {year} in the adopted plan")
        if through is not None and year is not None and year <= through:
            if year not in position:
                continue  # started before this programme: its money is the earlier programme's
            frozen[i] = True
            fixed.basic[i] = position[year]
            fixed.upgrade[i] = position.get(upgrade, -1) if candidates[i].upgrade_cost_yuan > 0 else -1
        elif year is None:
            prev[i] = PREVIOUSLY_NONE
        elif year in position:
            prev[i] = position[year]
            prev_upgrade[i] = position.get(upgrade, -1) if upgrade is not None else -1
    return frozen, fixed, prev, prev_upgrade


def _caps(caps: dict | None, years: list[int]) -> np.ndarray:
    if not caps:
        return np.full(len(years), NO_CAP)
    values = np.array([float(caps[y]) if caps.get(y) is not None else NO_CAP for y in years])
    if (np.isnan(values) | (values < 0)).any():
        raise ValueError("capacities must be numbers ≥ 0")
    return values


def _subdistrict_caps(plan: PlanInput, names: list[str], years: list[int]) -> np.ndarray:
    caps = np.full((len(names), len(years)), NO_CAP)
    given = plan.capacity_subdistrict or {}
    default = given.get("*") or {}
    for k, name in enumerate(names):
        by_year = {**default, **(given.get(name) or {})}
        for t, year in enumerate(years):
            value = by_year.get(year)
            if value is not None:
                if not (value >= 0):
                    raise ValueError(f"sub-district capacity of {name} in {year} must be ≥ 0")
                caps[k, t] = float(value)
    return caps


def usage(inst: Instance, plan: Schedule, per_subdistrict: bool = True) -> Use:
    """What a schedule uses of every limit (the frozen communities count only when they are in the schedule);
    without per_subdistrict, S is left empty (the dual's cuts do not need it)."""
    t = inst.t
    b = plan.basic >= 0
    u = plan.upgrade >= 0
    spend_b = spread(inst.shares, plan.basic[b], inst.cost[b], t)
    spend_u = spread(inst.shares, plan.upgrade[u], inst.upgrade_cost[u], t)
    hh = np.bincount(plan.basic[b], inst.households[b], t)
    count = np.bincount(plan.basic[b], minlength=t).astype(float)
    if per_subdistrict:
        per_sd = np.bincount(inst.sd[b] * t + plan.basic[b], minlength=inst.d * t).reshape(inst.d, t).astype(float)
    else:
        per_sd = np.zeros((inst.d, t))
    return Use(spend_b, spend_u, spend_b + spend_u, hh, count, per_sd)


def spread(shares: np.ndarray, start: np.ndarray, amount: np.ndarray, t: int) -> np.ndarray:
    """Spending per year of costs started in `start`, paid by cash-flow shares (what falls after T is dropped)."""
    out = np.zeros(t + len(shares))
    for k, share in enumerate(shares):
        if share:
            out += np.bincount(start + k, amount * share, t + len(shares))
    return out[:t]


def room(inst: Instance, plan: Schedule) -> Use:
    return inst.limit.minus(usage(inst, plan))


TOLERANCE = 1e-6  # yuan, households: rounding in the sums of shares


def over(left: Use) -> bool:
    return any((part < -TOLERANCE).any() for part in left.parts())


def objective(inst: Instance, plan: Schedule) -> float:
    """The objective: need × households × years of benefit (upgrades weighted) less the move penalties."""
    return gross(inst, plan) - inst.penalty * float(np.count_nonzero(moved(inst, plan)))


def constant(inst: Instance) -> float:
    """objective = Σ over the active communities of their option's value in values() + constant(inst)."""
    active = inst.active
    forced_moves = ~active & ~inst.frozen & (inst.prev >= 0)
    return frozen_value(inst) - inst.penalty * float(np.count_nonzero(active & (inst.prev > NO_PREVIOUS))
                                                     + np.count_nonzero(forced_moves))


def frozen_value(inst: Instance) -> float:
    vt = inst.year_value()
    b = inst.fixed.basic >= 0
    u = inst.fixed.upgrade >= 0
    return float(np.sum(inst.weight[b] * vt[inst.fixed.basic[b]]) + inst.alpha * np.sum(inst.weight[u] *
                                                                                       vt[inst.fixed.upgrade[u]]))


def gross(inst: Instance, plan: Schedule) -> float:
    """need × households × years of benefit, upgrades weighted, of the whole plan (frozen included)."""
    vt = inst.year_value()
    whole = complete(inst, plan)
    b = whole.basic >= 0
    u = whole.upgrade >= 0
    return float(np.sum(inst.weight[b] * vt[whole.basic[b]]) + inst.alpha * np.sum(inst.weight[u] *
                                                                                   vt[whole.upgrade[u]]))


def complete(inst: Instance, plan: Schedule) -> Schedule:
    """The schedule with the frozen communities in their adopted years."""
    out = plan.copy()
    out.basic[inst.frozen] = inst.fixed.basic[inst.frozen]
    out.upgrade[inst.frozen] = inst.fixed.upgrade[inst.frozen]
    return out


def moved(inst: Instance, plan: Schedule) -> np.ndarray:
    """Communities whose basic year differs from the adopted plan (counted against the penalty)."""
    has = (inst.prev > NO_PREVIOUS) & ~inst.frozen
    return has & (plan.basic != np.where(inst.prev >= 0, inst.prev, -1))


def option_total(inst: Instance, plan: Schedule, mask: np.ndarray) -> float:
    """Σ over `mask` of each community's option value (values(): with the bonus of keeping its adopted year)."""
    basic, none = inst.values()
    b = mask & (plan.basic >= 0)
    u = mask & (plan.upgrade >= 0)
    return float(np.sum(basic[b, plan.basic[b]]) + np.sum(none[mask & (plan.basic < 0)])
                 + inst.alpha * np.sum(inst.weight[u] * inst.year_value()[plan.upgrade[u]]))
