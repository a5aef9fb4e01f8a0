"""Reading a scenario's money (issue 17), as plain functions of its inputs and result: which sources pay a
community, each source's use and what is left, what 10 million yuan more of a source would buy, and what a
re-plan moves. No database here; the views and the annual application call these."""

from gaizao.planning.funding import BUDGET_SOURCE, LATER

TEN_MILLION = 10_000_000
DUAL_UNIT = 10_000  # the optimiser gives dual values in objective per 10,000 yuan


def spread(cost: float, start: int | None, cash_flow) -> dict[int, float]:
    """A cost spent from its start year by the cash-flow shares: {year: yuan}."""
    if start is None or not cost:
        return {}
    shares = list(cash_flow or [1.0])
    return {start + k: cost * share for k, share in enumerate(shares) if share}


def spending_by_year(starts: dict[int, float], cash_flow) -> dict[int, float]:
    """What is spent in each year when the costs starting in each year ({year: yuan}) follow the cash flow."""
    spent: dict[int, float] = {}
    for start, cost in starts.items():
        for year, yuan in spread(cost, start, cash_flow).items():
            spent[year] = spent.get(year, 0.0) + yuan
    return spent


def payers_of(cost: float, year: int | None, upgrade_cost: float, upgrade_year: int | None, cash_flow,
              payers: dict, last_year: int) -> dict[str, float]:
    """Yuan per source paying one community: its basic cost from its year and its upgrade cost from its upgrade
    year, spread by the cash flow, each year's part split as that year's spending of its kind is paid
    (`payers` {year: {"basic" | "upgrade": {source: share}}}, the optimiser's, year keys as in the result JSON).
    Spending after `last_year` is the next programme's (`LATER`); a year the result says nothing of is paid by
    the budget (`BUDGET_SOURCE`), as a plan without sources is."""
    paid: dict[str, float] = {}
    for kind, amount, start in (("basic", cost, year), ("upgrade", upgrade_cost, upgrade_year)):
        for spent_in, yuan in spread(amount, start, cash_flow).items():
            if spent_in > last_year:
                paid[LATER] = paid.get(LATER, 0.0) + yuan
                continue
            shares = ((payers or {}).get(str(spent_in)) or (payers or {}).get(spent_in) or {}).get(kind) or {}
            total = sum(shares.values())
            if total <= 0:
                paid[BUDGET_SOURCE] = paid.get(BUDGET_SOURCE, 0.0) + yuan
                continue
            for source, share in shares.items():
                paid[source] = paid.get(source, 0.0) + yuan * share / total
    return {source: yuan for source, yuan in paid.items() if yuan > 0.005}


def source_use(funding_inputs: dict | None, budgets: dict, used: dict, years) -> dict[int, list[dict]]:
    """Per year, each source's amount, what the plan spends of it and what is left: {year: [{code, amount, used,
    left}]}. Amounts from the programme's funding (or its budget as one source); `used` is the result's
    `funding` {year: {source: yuan}}. A source the plan used but the programme no longer has shows amount 0."""
    table = {}
    for year in years:
        key = str(year)
        rows = (funding_inputs or {}).get(key)
        if rows is None:
            rows = [{"code": BUDGET_SOURCE, "amount_yuan": float(budgets.get(key) or budgets.get(year) or 0)}]
        spent = dict((used or {}).get(key) or (used or {}).get(year) or {})
        lines = []
        for row in rows:
            amount = float(row["amount_yuan"])
            use = float(spent.pop(row["code"], 0.0))
            lines.append({"year": year, "code": row["code"], "pays": row.get("pays", "all"), "amount": amount,
                          "used": use, "left": amount - use})
        lines += [{"year": year, "code": code, "pays": "", "amount": 0.0, "used": float(use), "left": -float(use)}
                  for code, use in spent.items() if use]
        table[year] = lines
    return table


def source_matrix(table: dict[int, list[dict]], years) -> list[dict]:
    """`source_use` turned into rows of sources across the years: [{code, cells: [line or None per year]}], sources
    in the order they first appear."""
    rows: dict[str, list] = {}
    for index, year in enumerate(years):
        for line in table.get(year, []):
            rows.setdefault(line["code"], [None] * len(years))[index] = line
    return [{"code": code, "cells": cells} for code, cells in rows.items()]


def mean_need(candidates: list[dict], placements: dict) -> float:
    """The households-weighted mean need score of the communities the plan schedules (0 when none)."""
    weight = value = 0.0
    for row in candidates:
        placed = placements.get(row["code"]) or {}
        if placed.get("year") is not None and row["households"]:
            weight += row["households"]
            value += row["households"] * row["need_score"]
    return value / weight if weight else 0.0


def worth(dual_values: dict, candidates: list[dict], placements: dict) -> list[dict]:
    """For every binding source (dual value > 0): what 10 million yuan more would do, in households brought forward
    a year. The dual is objective per 10,000 yuan; the objective is need score × households × years, so dividing
    by the scheduled households' mean need score gives households (weighted by need). Sorted by year, then value."""
    need = mean_need(candidates, placements)
    rows = []
    for year, sources in (dual_values or {}).items():
        for source, dual in (sources or {}).items():
            if dual and dual > 1e-9:
                objective = dual * TEN_MILLION / DUAL_UNIT
                rows.append({"year": int(year), "source": source, "dual": dual, "objective": objective,
                             "households": objective / need if need else None})
    return sorted(rows, key=lambda r: (r["year"], -r["objective"]))


def replan_summary(inputs: dict, result: dict) -> dict | None:
    """"Moves N communities, gains X %" against the adopted plan, or None when there was none to compare with.
    `gain_percent` is None when the adopted plan no longer fits the money (no previous objective)."""
    if not inputs.get("previous") or not result:
        return None
    moves = result.get("moves") or []
    previous = result.get("previous_objective")
    gain = None
    if previous:
        gain = 100 * (result["objective"] - previous) / previous
    elif previous == 0:
        gain = 0.0
    return {"moves": len(moves), "gain_percent": gain, "fits": previous is not None}
