"""The LP bound through the Lagrangian dual of the coupling rows (money, capacities per year and sub-district).

Relaxing those rows splits the problem into one tiny choice per community: no work, or basic work in year s with
its upgrade, if any, in the best year t ≥ s. The per-community polytope is totally unimodular, so the best
multipliers give the LP relaxation's optimum, and any multipliers give a valid upper bound.

The few district-wide rows (B, U, M, H, K per year: at most 5·T) are priced by a trust-region cutting-plane method
(Kelley's method in a box, master LP in HiGHS). The many sub-district rows (one per sub-district and year) are
priced inside each evaluation by exact coordinate steps: with the other prices fixed, the best price of a
sub-district's year is its (capacity + 1)-th largest gain from starting there. Every evaluation is one numpy pass;
the number of evaluations is fixed, never the clock, so the same input gives the same bound everywhere.
"""

from dataclasses import dataclass

import highspy
import numpy as np

from gaizao.planning.optimiser.highs import new_highs
from gaizao.planning.optimiser.instance import Instance, Schedule, constant, usage

FAMILIES = ("B", "U", "M", "H", "K")


@dataclass
class Choice:
    """Each active community's best option under some prices, and the Lagrangian value there."""

    value: float  # L(μ, σ) in objective units: an upper bound on every feasible plan
    basic: np.ndarray  # year index or −1 (over the active communities)
    upgrade: np.ndarray
    usage: np.ndarray  # per district-wide row
    sigma: np.ndarray  # sub-district prices (D × T)


class Dual:
    def __init__(self, inst: Instance):
        self.inst = inst
        self.idx = np.flatnonzero(inst.active)
        t = inst.t
        basic, none = inst.values()
        self.basic_value = basic[self.idx]
        self.none = np.where(inst.pin[self.idx] >= 0, -np.inf, none[self.idx])
        w = inst.weight[self.idx]
        self.c = inst.cost[self.idx]
        self.h = inst.households[self.idx]
        self.uc = inst.upgrade_cost[self.idx]
        self.sd = inst.sd[self.idx]
        self.up_idx = np.flatnonzero(self.uc > 0)
        self.upgrade_value = inst.alpha * w[self.up_idx, None] * inst.year_value()[None, :]
        self.forbidden = np.where(inst.allowed()[self.idx], 0.0, -np.inf)
        limits = dict(zip(FAMILIES, inst.limit.parts()[:5], strict=True))
        rows = [(f, y, float(limits[f][y])) for f in FAMILIES for y in range(t) if np.isfinite(limits[f][y])]
        self.row_family = [f for f, _y, _l in rows]
        self.row_year = np.array([y for _f, y, _l in rows], dtype=np.int64)
        self.limit = np.array([lim for _f, _y, lim in rows])
        self.row_scale = np.where(self.limit > 0, self.limit, 1.0)
        self.cap_s = inst.limit.S
        self.s_rows = np.isfinite(self.cap_s)
        self.scale = max(float(np.sum(w)) * t * (1 + inst.alpha) + inst.penalty * len(self.idx), 1e-9)
        self.rhs = self.limit / self.row_scale
        self.constant = constant(inst)
        self.sigma = np.zeros_like(self.cap_s)
        self._t = t
        self.runs = [(a, b) for a in range(t) for b in range(a + 1, t)]

    @property
    def m(self) -> int:
        return len(self.limit)

    def prices(self, nu: np.ndarray) -> dict[str, np.ndarray]:
        """Prices per unit of each district-wide row family and year from the scaled dual vector."""
        mu = nu * self.scale / self.row_scale
        out = {f: np.zeros(self._t) for f in FAMILIES}
        for j, family in enumerate(self.row_family):
            out[family][self.row_year[j]] = mu[j]
        return out

    def start_prices(self, p: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
        """Price per yuan of basic and of upgrade spending started in each year, through the cash flow."""
        t = self._t
        pb, pu = np.zeros(t), np.zeros(t)
        for k, share in enumerate(self.inst.shares):
            pb[: t - k] += share * (p["B"][k:] + p["M"][k:])
            pu[: t - k] += share * (p["U"][k:] + p["M"][k:])
        return pb, pu

    def _totals(self, nu: np.ndarray) -> tuple[np.ndarray, np.ndarray, dict]:
        """Reduced value of basic work in each year with the best upgrade from then on (sub-district prices not
        yet taken off), and the best upgrade year for each start year."""
        p = self.prices(nu)
        pb, pu = self.start_prices(p)
        total = self.basic_value - np.multiply.outer(self.c, pb)
        if p["H"].any():
            total -= np.multiply.outer(self.h, p["H"])
        if p["K"].any():
            total -= p["K"][None, :]
        total += self.forbidden
        up = self.up_idx
        t = self._t
        up_year_of = np.full((len(up), t), -1, dtype=np.int64)
        if len(up):
            upgrade = self.upgrade_value - np.multiply.outer(self.uc[up], pu)
            best = np.zeros(len(up))
            arg = np.full(len(up), -1, dtype=np.int64)
            for s in range(t - 1, -1, -1):
                better = (upgrade[:, s] >= best) & (upgrade[:, s] > 0)
                best[better] = upgrade[better, s]
                arg[better] = s
                total[up, s] += best
                up_year_of[:, s] = arg
        return total, up_year_of, p

    def choose(self, nu: np.ndarray, sweeps: int = 1) -> Choice:
        """Each community's best option at the prices (sub-district prices improved by `sweeps` coordinate
        steps from the last ones), and L there."""
        total, up_year_of, _p = self._totals(nu)
        sigma = self.sigma
        if self.s_rows.any():
            with np.errstate(invalid="ignore"):
                for k in range(sweeps):
                    sigma = self._sweep(total, sigma, runs=k == sweeps - 1)
            self.sigma = sigma
            total = total - sigma[self.sd]
        options = np.column_stack([total, self.none])
        year = np.argmax(options, axis=1)
        n, t = total.shape
        top = options[np.arange(n), year]
        year[year == t] = -1
        up = self.up_idx
        up_year = np.full(n, -1, dtype=np.int64)
        if len(up):
            chosen = year[up]
            up_year[up] = np.where(chosen >= 0, up_year_of[np.arange(len(up)), np.maximum(chosen, 0)], -1)
        mu = nu * self.scale / self.row_scale
        value = float(np.sum(top)) + float(mu @ self.limit) + float(np.sum(sigma[self.s_rows] *
                                                                          self.cap_s[self.s_rows]))
        return Choice(value + self.constant, year, up_year, self._usage(year, up_year), sigma.copy())

    def _sweep(self, total: np.ndarray, sigma: np.ndarray, runs: bool = True) -> np.ndarray:
        """One exact coordinate step per year on the sub-district prices (and per run of years, with runs)."""
        sigma = sigma.copy()
        t = self._t
        net = total - sigma[self.sd]
        d = self.inst.d
        for s in range(t):
            rows = self.s_rows[:, s]
            if not rows.any():
                continue
            others = [net[:, k] for k in range(t) if k != s] + [self.none]
            other = np.maximum.reduce(others)
            gain = total[:, s] - other
            keep = np.flatnonzero(rows[self.sd] & (gain > 0))
            sigma[:, s] = 0.0
            if keep.size:
                group, g = self.sd[keep], gain[keep]
                order = np.lexsort((-g, group))
                group, g = group[order], g[order]
                starts = np.searchsorted(group, np.arange(d))
                rank = np.arange(len(group)) - starts[group]
                at = rank == self.cap_s[group, s]  # the (capacity + 1)-th best gain in its sub-district
                sigma[group[at], s] = np.maximum(np.minimum(g[at], 1e18), 0.0)
            net[:, s] = total[:, s] - sigma[self.sd, s]
        # single prices stall where a community is torn between two full years: move runs of years together
        for first, last in self.runs if runs else []:
            self._shift(total, net, sigma, first, last)
        return sigma

    def _shift(self, total, net, sigma, first: int, last: int) -> None:
        """The exact step that moves the prices of years first..last of each sub-district by the same amount."""
        d, t = self.inst.d, self._t
        inside = np.zeros(t, dtype=bool)
        inside[first:last + 1] = True
        rows = self.s_rows[:, inside].all(axis=1)
        if not rows.any():
            return
        best_in = net[:, inside].max(axis=1)
        best_out = np.maximum.reduce([net[:, k] for k in range(t) if not inside[k]] + [self.none])
        gain = best_in - best_out
        members = rows[self.sd]
        floor = -sigma[:, inside].min(axis=1)  # no price below 0
        delta = floor.copy()
        keep = np.flatnonzero(members & (gain > -np.inf))
        if keep.size:
            group, g = self.sd[keep], gain[keep]
            order = np.lexsort((-g, group))
            group, g = group[order], g[order]
            starts = np.searchsorted(group, np.arange(d))
            rank = np.arange(len(group)) - starts[group]
            places = self.cap_s[:, inside].sum(axis=1)
            at = rank == places[group]
            delta[group[at]] = np.maximum(np.minimum(g[at], 1e18), floor[group[at]])
        delta[~rows] = 0.0
        sigma[:, inside] += delta[:, None]
        net[:, inside] = total[:, inside] - sigma[self.sd][:, inside]

    def within_places(self, nu: np.ndarray, choice: "Choice", passes: int = 8) -> "Choice":
        """The choice made to respect every sub-district's places: where a sub-district's year is over, the
        communities that lose least by it move to their next best option, pass after pass."""
        if not self.s_rows.any():
            return choice
        total, up_year_of, _p = self._totals(nu)
        total = total - choice.sigma[self.sd]
        n, t = total.shape
        cap = np.where(np.isfinite(self.cap_s), self.cap_s, np.inf)
        for last in range(passes + 1):
            options = np.column_stack([total, self.none])
            year = np.argmax(options, axis=1)
            year[year == t] = -1
            placed = np.flatnonzero(year >= 0)
            key = self.sd[placed] * t + year[placed]
            counts = np.bincount(key, minlength=self.inst.d * t).reshape(self.inst.d, t)
            if not (counts > cap).any():
                break
            best = options[placed, year[placed]]
            second = options[placed].copy()
            second[np.arange(len(placed)), year[placed]] = -np.inf
            regret = best - second.max(axis=1)
            order = np.lexsort((-regret, key))
            sorted_key = key[order]
            starts = np.searchsorted(sorted_key, np.arange(self.inst.d * t))
            rank = np.empty(len(placed), dtype=np.int64)
            rank[order] = np.arange(len(placed)) - starts[sorted_key]
            bumped = placed[rank >= cap.reshape(-1)[key]]
            if last == passes:
                year[bumped] = -1
                break
            total[bumped, year[bumped]] = -np.inf
        up = self.up_idx
        up_year = np.full(n, -1, dtype=np.int64)
        if len(up):
            chosen = year[up]
            up_year[up] = np.where(chosen >= 0, up_year_of[np.arange(len(up)), np.maximum(chosen, 0)], -1)
        return Choice(choice.value, year, up_year, self._usage(year, up_year), choice.sigma)

    def _usage(self, year: np.ndarray, up_year: np.ndarray) -> np.ndarray:
        used = usage(self.inst, self.schedule_of(year, up_year), per_subdistrict=False)
        by_family = dict(zip(FAMILIES, used.parts()[:5], strict=True))
        return np.array([by_family[f][y] for f, y in zip(self.row_family, self.row_year, strict=True)])

    def schedule_of(self, year: np.ndarray, up_year: np.ndarray) -> Schedule:
        basic = np.full(self.inst.n, -1, dtype=np.int64)
        upgrade = np.full(self.inst.n, -1, dtype=np.int64)
        basic[self.idx] = year
        upgrade[self.idx] = up_year
        return Schedule(basic, upgrade)

    def schedule(self, choice: Choice) -> Schedule:
        """The choice as a (possibly infeasible) schedule over all communities."""
        return self.schedule_of(choice.basic, choice.upgrade)

    def margins(self, nu: np.ndarray, sigma: np.ndarray) -> np.ndarray:
        """How much worse each active community's second-best option is than its best, in objective units:
        communities with a large margin keep their best option in every near-optimal plan."""
        total, _up, _p = self._totals(nu)
        total = total - sigma[self.sd]
        return _top_two_gap(np.column_stack([self.none, total]))

    def solve(self, iterations: int = 60, tol: float = 1e-7, start: np.ndarray | None = None, rounds: int = 3
              ) -> tuple[np.ndarray, Choice]:
        """Minimise L over μ ≥ 0 and σ ≥ 0: rounds of cutting planes on μ (σ held) and exact coordinate steps
        on σ (μ held). Returns the best point found; every evaluated point is a valid bound."""
        point = np.zeros(self.m) if start is None else np.maximum(np.asarray(start, dtype=float), 0.0)
        best = self.choose(point, sweeps=2 if self.s_rows.any() else 0)
        best_point = point
        for _ in range(rounds if self.s_rows.any() else 1):
            point, choice = self._kelley(point, max(1, iterations // rounds) if self.s_rows.any() else iterations,
                                         tol)
            if choice.value < best.value:
                best, best_point = choice, point
            if not self.s_rows.any():
                break
            before = self.sigma.copy()
            choice = self.choose(point, sweeps=2)
            if choice.value < best.value:
                best, best_point = choice, point
            else:
                self.sigma = before
        self.sigma = best.sigma.copy()
        return best_point, best

    def _kelley(self, center: np.ndarray, iterations: int, tol: float) -> tuple[np.ndarray, Choice]:
        """Cutting planes in a box around the best point, with the sub-district prices held."""
        m = self.m
        best = self.choose(center, sweeps=0)
        best_point = center
        f_center = best.value / self.scale
        if m == 0 or iterations == 0:
            return center, best
        master = new_highs()
        master.setOptionValue("random_seed", 1)
        inf = highspy.kHighsInf
        master.addCols(m + 1, np.r_[np.zeros(m), 1.0], np.r_[np.zeros(m), -inf], np.full(m + 1, inf), 0,
                       np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.int32), np.zeros(0))
        delta = max(0.1 * float(np.max(center, initial=0.0)), 1e-4) if center.any() else 0.05
        self._cut(master, center, best)
        for _ in range(iterations):
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
            choice = self.choose(point, sweeps=0)
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
        m = self.m
        g = self.rhs - choice.usage / self.row_scale
        f = choice.value / self.scale
        master.addRows(1, np.array([f - g @ point]), np.array([highspy.kHighsInf]), m + 1,
                       np.array([0], dtype=np.int32), np.arange(m + 1, dtype=np.int32), np.r_[-g, 1.0])

    def nu_from_prices(self, prices: dict[str, np.ndarray]) -> np.ndarray:
        """The scaled dual vector for prices per unit (e.g. an LP's row duals)."""
        mu = np.array([prices[f][y] for f, y in zip(self.row_family, self.row_year, strict=True)])
        return np.maximum(mu, 0.0) * self.row_scale / self.scale


def _top_two_gap(matrix: np.ndarray) -> np.ndarray:
    """Per row, the best value minus the second best (inf when there is only one finite option)."""
    top2 = np.partition(matrix, matrix.shape[1] - 2, axis=1)[:, -2:]
    with np.errstate(invalid="ignore"):
        gap = top2[:, 1] - top2[:, 0]
    gap[~np.isfinite(gap)] = np.inf
    return gap
