"""The LP bound through the Lagrangian dual of the few coupling rows (a budget and capacities per year).

Relaxing those rows splits the problem into one tiny choice per community: no work, or basic work in year s with
its upgrade, if any, in the best year t ≥ s. The per-community polytope (cumulative "upgrade no earlier than basic"
rows) is totally unimodular, so the best multipliers give exactly the LP relaxation's optimum, and any
multipliers give a valid upper bound. The dual has at most 3·T variables; a trust-region cutting-plane method
(Kelley's method with a box around the best point, master LP in HiGHS) finds them in a few dozen evaluations,
each one pass of numpy over the communities.
"""

import time
from dataclasses import dataclass

import highspy
import numpy as np

from gaizao.planning.optimiser.highs import new_highs
from gaizao.planning.optimiser.instance import Instance, Schedule

BUDGET, HOUSEHOLDS, COMMUNITIES = 0, 1, 2


@dataclass
class Rows:
    """The coupling rows that are present: kind and year index, limit and scale."""

    kind: np.ndarray
    year: np.ndarray
    limit: np.ndarray
    scale: np.ndarray

    @classmethod
    def of(cls, inst: Instance) -> "Rows":
        kinds, years, limits = [], [], []
        for kind, limit in ((BUDGET, inst.budget), (HOUSEHOLDS, inst.cap_households),
                            (COMMUNITIES, inst.cap_communities)):
            for t in range(inst.t):
                if np.isfinite(limit[t]):
                    kinds.append(kind)
                    years.append(t)
                    limits.append(float(limit[t]))
        limit = np.array(limits)
        return cls(np.array(kinds, dtype=np.int64), np.array(years, dtype=np.int64), limit,
                   np.where(limit > 0, limit, 1.0))

    @property
    def m(self) -> int:
        return len(self.kind)


@dataclass
class Choice:
    """Each active community's best option under some multipliers, and the Lagrangian value there."""

    value: float  # L(μ), in objective units: an upper bound on every feasible plan
    basic: np.ndarray  # year index or −1 (over the active communities)
    upgrade: np.ndarray
    usage: np.ndarray  # per coupling row


class Dual:
    def __init__(self, inst: Instance):
        self.inst = inst
        self.rows = Rows.of(inst)
        self.idx = np.flatnonzero(inst.active)
        t = inst.t
        vt = inst.year_value()
        w = inst.weight[self.idx]
        self.c = inst.cost[self.idx]
        self.h = inst.households[self.idx]
        self.uc = inst.upgrade_cost[self.idx]
        self.up = self.uc > 0
        self.pinned = inst.pin[self.idx] >= 0
        self.allowed = inst.allowed()[self.idx]
        self.forbidden = np.where(self.allowed, 0.0, -np.inf)
        self.up_idx = np.flatnonzero(self.up)
        self.basic_value = w[:, None] * vt[None, :]
        self.scale = max(float(np.sum(w)) * t * (1 + inst.alpha), 1e-9)
        self.evaluations = 0
        self.rhs = self.rows.limit / self.rows.scale
        self._t = t

    def prices(self, nu: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Multipliers per yuan, per household and per community and year from the scaled dual vector."""
        mu = nu * self.scale / self.rows.scale
        out = [np.zeros(self._t) for _ in range(3)]
        for j in range(self.rows.m):
            out[self.rows.kind[j]][self.rows.year[j]] = mu[j]
        return out[0], out[1], out[2]

    def reduced(self, nu: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Reduced values of basic work (N × T, −inf where not allowed) and of upgrade work (N × T)."""
        lam, eta, kap = self.prices(nu)
        basic = self.basic_value - self.c[:, None] * lam[None, :] - self.h[:, None] * eta[None, :] - kap[None, :]
        basic[~self.allowed] = -np.inf
        upgrade = self.inst.alpha * self.basic_value - self.uc[:, None] * lam[None, :]
        upgrade[~self.up] = -np.inf
        return basic, upgrade

    def choose(self, nu: np.ndarray) -> Choice:
        """Each community's best option at the multipliers, and L there (one vectorised pass)."""
        self.evaluations += 1
        lam, eta, kap = self.prices(nu)
        total = np.multiply.outer(self.c, -lam)
        total += self.basic_value
        if eta.any():
            total -= np.multiply.outer(self.h, eta)
        if kap.any():
            total -= kap[None, :]
        total += self.forbidden  # −inf where the basic work may not start
        up = self.up_idx
        n, t = total.shape
        up_year_of = np.full((len(up), t), -1, dtype=np.int64)
        if len(up):
            # best upgrade year from s on (suffix maximum; no upgrade = 0), for the communities with upgrade work
            upgrade = self.inst.alpha * self.basic_value[up] - np.multiply.outer(self.uc[up], lam)
            best = np.zeros(len(up))
            arg = np.full(len(up), -1, dtype=np.int64)
            for s in range(t - 1, -1, -1):
                better = (upgrade[:, s] >= best) & (upgrade[:, s] > 0)
                best[better] = upgrade[better, s]
                arg[better] = s
                total[up, s] += best
                up_year_of[:, s] = arg
        year = np.argmax(total, axis=1)
        top = total[np.arange(n), year]
        none = ~self.pinned & (top <= 0)
        year[none] = -1
        top[none] = 0.0
        up_year = np.full(n, -1, dtype=np.int64)
        if len(up):
            chosen = year[up]
            up_year[up] = np.where(chosen >= 0, up_year_of[np.arange(len(up)), np.maximum(chosen, 0)], -1)
        mu = nu * self.scale / self.rows.scale
        value = float(np.sum(top)) + float(mu @ self.rows.limit)
        return Choice(value, year, up_year, self._usage(year, up_year))

    def _usage(self, year: np.ndarray, up_year: np.ndarray) -> np.ndarray:
        t = self._t
        b = year >= 0
        u = up_year >= 0
        spend = np.bincount(year[b], self.c[b], t) + np.bincount(up_year[u], self.uc[u], t)
        per_kind = (spend, np.bincount(year[b], self.h[b], t), np.bincount(year[b], minlength=t).astype(float))
        return np.array([per_kind[k][y] for k, y in zip(self.rows.kind, self.rows.year, strict=True)])

    def schedule(self, choice: Choice) -> Schedule:
        """The choice as a (possibly infeasible) schedule over all communities."""
        basic = np.full(self.inst.n, -1, dtype=np.int64)
        upgrade = np.full(self.inst.n, -1, dtype=np.int64)
        basic[self.idx] = choice.basic
        upgrade[self.idx] = choice.upgrade
        return Schedule(basic, upgrade)

    def margins(self, nu: np.ndarray) -> np.ndarray:
        """How much worse each active community's second-best option is than its best, in objective units.

        Any plan that gives community i another option than its best one is at least margin[i] below L(μ);
        communities with a large margin keep their best option in every near-optimal plan.
        """
        basic, upgrade = self.reduced(nu)
        none = np.where(self.pinned, -np.inf, 0.0)
        margin = _top_two_gap(np.column_stack([none, basic]))
        up = self.up_idx
        if len(up):  # with upgrade work, every (basic year, upgrade year ≥ it) pair is an option too
            t = self._t
            pairs = [basic[up, s] + upgrade[up, u] for s in range(t) for u in range(s, t)]
            margin[up] = _top_two_gap(np.column_stack([none[up], basic[up], *pairs]))
        return margin

    def solve(self, deadline: float, tol: float = 1e-7, max_iter: int = 400, start: np.ndarray | None = None
              ) -> tuple[np.ndarray, Choice]:
        """Minimise L over μ ≥ 0 by cutting planes in a box around the best point; returns the best found."""
        m = self.rows.m
        center = np.zeros(m) if start is None else np.maximum(np.asarray(start, dtype=float), 0.0)
        best = self.choose(center)
        best_point = center
        f_center = best.value / self.scale
        if m == 0:
            return center, best
        master = new_highs()
        master.setOptionValue("random_seed", 1)
        # columns: nu_0..nu_{m-1}, theta; minimise theta
        inf = highspy.kHighsInf
        master.addCols(m + 1, np.r_[np.zeros(m), 1.0], np.r_[np.zeros(m), -inf], np.full(m + 1, inf), 0,
                       np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.int32), np.zeros(0))
        delta = 0.05 if start is None else max(0.1 * float(np.max(center, initial=0.0)), 1e-4)
        self._cut(master, center, best)
        for _ in range(max_iter):
            if time.perf_counter() > deadline:
                break
            low = np.maximum(center - delta, 0.0)
            high = center + delta
            master.changeColsBounds(m, np.arange(m, dtype=np.int32), low, high)
            master.run()
            solution = np.array(master.getSolution().col_value)
            point, model = solution[:m], solution[m]
            predicted = f_center - model
            on_box = np.any((np.abs(point - high) < 1e-12) | ((np.abs(point - low) < 1e-12) & (low > 0)))
            if predicted <= tol * abs(f_center):
                if on_box:
                    delta *= 4
                    continue
                break
            choice = self.choose(point)
            self._cut(master, point, choice)
            f_point = choice.value / self.scale
            if choice.value < best.value:
                best, best_point = choice, point
            if f_center - f_point >= 0.1 * predicted:
                if on_box and f_center - f_point >= 0.5 * predicted:
                    delta *= 2
                center, f_center = point, f_point
            else:
                delta = max(delta * 0.5, 1e-9)
        return best_point, best

    def _cut(self, master: highspy.Highs, point: np.ndarray, choice: Choice) -> None:
        # theta >= f + g·(nu − point), g = rhs − usage/scale (scaled)
        m = self.rows.m
        g = self.rhs - choice.usage / self.rows.scale
        f = choice.value / self.scale
        master.addRows(1, np.array([f - g @ point]), np.array([highspy.kHighsInf]), m + 1,
                       np.array([0], dtype=np.int32), np.arange(m + 1, dtype=np.int32), np.r_[-g, 1.0])


def _top_two_gap(matrix: np.ndarray) -> np.ndarray:
    """Per row, the best value minus the second best (inf when there is only one finite option)."""
    top2 = np.partition(matrix, matrix.shape[1] - 2, axis=1)[:, -2:]
    with np.errstate(invalid="ignore"):
        gap = top2[:, 1] - top2[:, 0]
    gap[~np.isfinite(gap)] = np.inf
    return gap


def multipliers_from_prices(dual: Dual, lam: np.ndarray, eta: np.ndarray, kap: np.ndarray) -> np.ndarray:
    """The scaled dual vector for prices per yuan, household and community (e.g. an LP's row duals)."""
    by_kind = (lam, eta, kap)
    mu = np.array([by_kind[k][y] for k, y in zip(dual.rows.kind, dual.rows.year, strict=True)])
    return np.maximum(mu, 0.0) * dual.rows.scale / dual.scale
