"""Funding sources per year: the three money limits they make, which source pays what, and what money is worth.

A year's sources are of three kinds: A may pay only basic and improvement work, P only upgrade work, L any work.
The year's basic spending b and upgrade spending u can be paid, each source paying only what it may and never
more than its amount, exactly when
    b ≤ A + L,    u ≤ P + L,    b + u ≤ A + P + L
(the transport problem's Hall condition for two kinds of spending). These are the rows B, U and M. A row that the
others imply is left out (as no limit): with only sources that pay everything, B and U; with none, M.
"""

import math
from dataclasses import dataclass

import numpy as np

from gaizao.planning.optimiser.data import BUDGET_SOURCE, PAYS, PlanInput, Source

SHARE_TOLERANCE = 1e-6


@dataclass
class Sources:
    years: list[int]
    by_year: dict[int, list[Source]]

    def totals(self, year: int) -> tuple[float, float, float]:
        """Money of the year that pays basic only, upgrade only, and anything."""
        a = p = l_ = 0.0
        for source in self.by_year.get(year, []):
            if source.pays == "basic":
                a += source.amount_yuan
            elif source.pays == "upgrade":
                p += source.amount_yuan
            else:
                l_ += source.amount_yuan
        return a, p, l_

    def limits(self, t: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The B, U and M limits per year (inf where a row is implied by the others)."""
        b, u, m = (np.full(t, math.inf) for _ in range(3))
        for k, year in enumerate(self.years[:t]):
            a, p, l_ = self.totals(year)
            if a > 0 or p > 0:
                b[k], u[k] = a + l_, p + l_
            if l_ > 0 or (a == 0 and p == 0):
                m[k] = a + p + l_
        return b, u, m

    def allocate(self, year: int, basic: float, upgrade: float) -> tuple[dict[str, float], dict[str, float]]:
        """Who pays the year's spending: restricted sources first, then those that pay anything, each in the order
        given. Returns yuan per source for basic work and for upgrade work."""
        for_basic: dict[str, float] = {}
        for_upgrade: dict[str, float] = {}
        left = {"basic": basic, "upgrade": upgrade}
        sources = self.by_year.get(year, [])
        for kind, paid in (("basic", for_basic), ("upgrade", for_upgrade)):
            for source in sources:
                if source.pays == kind and left[kind] > 0:
                    take = min(source.amount_yuan, left[kind])
                    paid[source.code] = paid.get(source.code, 0.0) + take
                    left[kind] -= take
        for source in sources:
            if source.pays != "all":
                continue
            money = source.amount_yuan
            for kind, paid in (("basic", for_basic), ("upgrade", for_upgrade)):
                take = min(money, left[kind])
                if take > 0:
                    paid[source.code] = paid.get(source.code, 0.0) + take
                    left[kind] -= take
                    money -= take
        return for_basic, for_upgrade

    def value_per_yuan(self, year_index: int, source: Source, prices: dict[str, np.ndarray]) -> float:
        """One more yuan of this source raises the limits it feeds: B and M (basic), U and M (upgrade), all three."""
        rows = {"basic": ("B", "M"), "upgrade": ("U", "M"), "all": ("B", "U", "M")}[source.pays]
        return float(sum(prices[row][year_index] for row in rows))


def sources_of(plan: PlanInput, years: list[int]) -> Sources:
    """The plan's sources, checked: funding per year, or the yearly budgets as one source that pays everything."""
    if plan.funding is not None:
        by_year: dict[int, list[Source]] = {}
        for year, sources in plan.funding.items():
            if year not in years:
                raise ValueError(f"funding for {year}, which is not a year of the plan {years[0]}–{years[-1]}")
            seen = set()
            for source in sources:
                if source.pays not in PAYS:
                    raise ValueError(f"{year} {source.code}: pays must be basic, upgrade or all, not {source.pays!r}")
                if not math.isfinite(source.amount_yuan) or source.amount_yuan < 0:
                    raise ValueError(f"{year} {source.code}: the amount must be a number ≥ 0")
                if source.code in seen:
                    raise ValueError(f"{year} {source.code}: the source is given twice")
                seen.add(source.code)
            by_year[year] = list(sources)
        return Sources(years, by_year)
    budgets = plan.budgets or {}
    missing = [y for y in years if y not in budgets]
    if missing:
        raise ValueError(f"no budget for year(s) {missing}")
    by_year = {}
    for year in years:
        amount = float(budgets[year])
        if not math.isfinite(amount) or amount < 0:
            raise ValueError("budgets must be numbers ≥ 0")
        by_year[year] = [Source(BUDGET_SOURCE, amount, "all")]
    return Sources(years, by_year)


def cash_flow_of(shares) -> np.ndarray:
    values = np.array([float(s) for s in (shares or (1.0,))], dtype=float)
    if not len(values) or (~np.isfinite(values)).any() or (values < 0).any():
        raise ValueError("cash-flow shares must be numbers ≥ 0, e.g. 0.6,0.4")
    if abs(values.sum() - 1.0) > SHARE_TOLERANCE:
        raise ValueError(f"cash-flow shares must add up to 1 (they add up to {values.sum():g})")
    while len(values) > 1 and values[-1] == 0:
        values = values[:-1]
    return values


def report(sources: Sources, years: list[int], basic: np.ndarray, upgrade: np.ndarray, prices: dict | None):
    """Per year: yuan used per source, who pays basic and upgrade spending (shares), and the value of money."""
    used, payers, duals = {}, {}, {}
    for k, year in enumerate(years):
        for_basic, for_upgrade = sources.allocate(year, float(basic[k]), float(upgrade[k]))
        used[year] = {s.code: for_basic.get(s.code, 0.0) + for_upgrade.get(s.code, 0.0)
                      for s in sources.by_year.get(year, [])}
        payers[year] = {"basic": _shares(for_basic, basic[k]), "upgrade": _shares(for_upgrade, upgrade[k])}
        duals[year] = {s.code: (1e4 * sources.value_per_yuan(k, s, prices) if prices else 0.0)
                       for s in sources.by_year.get(year, [])}
    return used, payers, duals


def _shares(paid: dict[str, float], total: float) -> dict[str, float]:
    return {code: float(yuan / total) for code, yuan in paid.items()} if total > 0 else {}
