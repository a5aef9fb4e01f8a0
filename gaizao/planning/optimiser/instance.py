"""Candidates and budgets as numpy arrays, checked once; every solver works on an Instance."""

import math
from dataclasses import dataclass

import numpy as np

from gaizao.planning.optimiser.data import Candidate, InfeasiblePins, PlanInput

NO_CAP = math.inf


@dataclass
class Instance:
    years: list[int]
    codes: list[str]
    weight: np.ndarray  # need_score × households
    cost: np.ndarray  # basic cost, yuan
    households: np.ndarray  # float, for arithmetic
    upgrade_cost: np.ndarray  # 0 = no upgrade work
    first: np.ndarray  # index of the first year the basic work may start (T = never)
    pin: np.ndarray  # pinned year index, -1 = not pinned
    excluded: np.ndarray  # bool
    budget: np.ndarray  # per year
    cap_households: np.ndarray  # per year, inf = no cap
    cap_communities: np.ndarray
    alpha: float

    @property
    def n(self) -> int:
        return len(self.codes)

    @property
    def t(self) -> int:
        return len(self.years)

    @property
    def active(self) -> np.ndarray:
        """Communities that can be scheduled at all."""
        return ~self.excluded & (self.first < self.t)

    @property
    def has_upgrade(self) -> np.ndarray:
        return self.upgrade_cost > 0

    def allowed(self) -> np.ndarray:
        """N × T: may the basic work start in year t?"""
        idx = np.arange(self.t)
        allowed = (idx[None, :] >= self.first[:, None]) & self.active[:, None]
        pinned = self.pin >= 0
        allowed[pinned] = idx[None, :] == self.pin[pinned, None]
        return allowed

    def year_value(self) -> np.ndarray:
        """T − t + 1 for t = 1..T."""
        return np.arange(self.t, 0, -1, dtype=float)


def build_instance(plan: PlanInput, candidates: list[Candidate]) -> Instance:
    """Arrays for the solvers; ValueError for contradictory input (a pin outside the years, a duplicate code …)."""
    years = sorted(plan.years)
    if not years or len(set(years)) != len(years):
        raise ValueError("years must be a non-empty list of distinct years")
    missing = [y for y in years if y not in plan.budgets]
    if missing:
        raise ValueError(f"no budget for year(s) {missing}")
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
    first = np.zeros(n, dtype=np.int64)
    pin = np.full(n, -1, dtype=np.int64)
    excluded = np.array([bool(c.excluded) for c in candidates], dtype=bool)
    earliest = np.array([c.earliest_year if c.earliest_year is not None else years[0] for c in candidates],
                        dtype=np.int64)
    if n:
        first = np.searchsorted(np.array(years), earliest, side="left").astype(np.int64)
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
    budget = np.array([float(plan.budgets[y]) for y in years])
    if (~np.isfinite(budget) | (budget < 0)).any():
        raise ValueError("budgets must be numbers ≥ 0")
    return Instance(
        years=years, codes=codes, weight=need * households, cost=cost, households=households,
        upgrade_cost=upgrade, first=first, pin=pin, excluded=excluded, budget=budget,
        cap_households=_caps(plan.capacity_households, years), cap_communities=_caps(plan.capacity_communities, years),
        alpha=float(plan.upgrade_weight),
    )


def _caps(caps: dict | None, years: list[int]) -> np.ndarray:
    if not caps:
        return np.full(len(years), NO_CAP)
    values = np.array([float(caps[y]) if caps.get(y) is not None else NO_CAP for y in years])
    if (np.isnan(values) | (values < 0)).any():
        raise ValueError("capacities must be numbers ≥ 0")
    return values


def check_pins(inst: Instance) -> None:
    """Raise InfeasiblePins when the pinned basic work alone overflows a year."""
    pinned = inst.pin >= 0
    at = inst.pin[pinned]
    usage = {
        "budget": (np.bincount(at, inst.cost[pinned], inst.t), inst.budget),
        "capacity_households": (np.bincount(at, inst.households[pinned], inst.t), inst.cap_households),
        "capacity_communities": (np.bincount(at, minlength=inst.t).astype(float), inst.cap_communities),
    }
    problems = []
    for t, year in enumerate(inst.years):
        for name, (used, limit) in usage.items():
            if used[t] > limit[t]:
                problems.append({"year": year, "constraint": name, "excess": float(used[t] - limit[t])})
    if problems:
        raise InfeasiblePins(problems)


@dataclass
class Schedule:
    """A plan as two arrays of year indices: basic[i], upgrade[i] (−1 = none)."""

    basic: np.ndarray
    upgrade: np.ndarray

    def copy(self) -> "Schedule":
        return Schedule(self.basic.copy(), self.upgrade.copy())


def usage(inst: Instance, plan: Schedule) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Spend (basic + upgrade), households started and communities started per year."""
    b = plan.basic >= 0
    u = plan.upgrade >= 0
    spend = np.bincount(plan.basic[b], inst.cost[b], inst.t)
    spend += np.bincount(plan.upgrade[u], inst.upgrade_cost[u], inst.t)
    hh = np.bincount(plan.basic[b], inst.households[b], inst.t)
    count = np.bincount(plan.basic[b], minlength=inst.t).astype(float)
    return spend, hh, count


def objective(inst: Instance, plan: Schedule) -> float:
    value = inst.year_value()
    b = plan.basic >= 0
    u = plan.upgrade >= 0
    return float(np.sum(inst.weight[b] * value[plan.basic[b]])
                 + inst.alpha * np.sum(inst.weight[u] * value[plan.upgrade[u]]))
