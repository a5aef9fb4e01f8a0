"""An independent feasibility check of a returned plan, in plain Python on the original candidates."""

from gaizao.planning.optimiser.data import Candidate, PlanInput, PlanResult


def _over(used: float, limit: float) -> bool:
    return used > limit + 1e-9 * max(1.0, abs(limit)) + 1e-6


def check_plan(plan: PlanInput, candidates: list[Candidate], result: PlanResult) -> list[str]:
    """Every broken rule of the plan (budget, capacity, pin, exclusion, earliest year, basic before upgrade, once
    only) and every figure of the result that does not add up; an empty list means the plan is sound."""
    problems = []
    years = sorted(plan.years)
    by_code = {c.code: c for c in candidates}
    seen: dict[str, int] = {}
    for year in result.years:
        if year not in years:
            problems.append(f"year {year} is not in the plan's years")
    for year, bucket in result.years.items():
        for code in bucket["communities"]:
            if code in seen:
                problems.append(f"{code} is scheduled twice ({seen[code]} and {year})")
            seen[code] = year
            if code not in by_code:
                problems.append(f"{code} is not a candidate")
    upgrades: dict[str, int] = {}
    for year, bucket in result.years.items():
        for code in bucket.get("upgrades", []):
            if code in upgrades:
                problems.append(f"the upgrade of {code} is scheduled twice")
            upgrades[code] = year
    spend = {y: 0.0 for y in years}
    households = {y: 0 for y in years}
    count = {y: 0 for y in years}
    value = 0.0
    weight = {y: len(years) - k for k, y in enumerate(years)}
    for c in candidates:
        year = seen.get(c.code)
        upgrade = upgrades.get(c.code)
        placement = result.placements.get(c.code)
        if placement is None:
            problems.append(f"{c.code} has no placement")
        elif placement.year != year or placement.upgrade_year != upgrade:
            problems.append(f"{c.code}: placement says {placement.year}/{placement.upgrade_year}, "
                            f"years say {year}/{upgrade}")
        if c.excluded and (year is not None or upgrade is not None):
            problems.append(f"{c.code} is excluded but scheduled")
        if c.pinned_year is not None and year != c.pinned_year:
            problems.append(f"{c.code} is pinned to {c.pinned_year} but placed in {year}")
        if year is not None and c.earliest_year is not None and year < c.earliest_year:
            problems.append(f"{c.code} starts in {year}, before its earliest year {c.earliest_year}")
        if upgrade is not None:
            if not c.upgrade_cost_yuan > 0:
                problems.append(f"{c.code} has no upgrade work but an upgrade year")
            if year is None:
                problems.append(f"{c.code} has upgrade work without its basic work")
            elif upgrade < year:
                problems.append(f"{c.code}: upgrade in {upgrade} before basic work in {year}")
        if year in spend:
            spend[year] += c.cost_yuan
            households[year] += c.households
            count[year] += 1
            value += c.need_score * c.households * weight[year]
        if upgrade in spend:
            spend[upgrade] += c.upgrade_cost_yuan
            value += plan.upgrade_weight * c.need_score * c.households * weight[upgrade]
    for year in years:
        if _over(spend[year], plan.budgets[year]):
            problems.append(f"{year}: spend {spend[year]:.2f} over the budget {plan.budgets[year]:.2f}")
        cap = (plan.capacity_households or {}).get(year)
        if cap is not None and households[year] > cap:
            problems.append(f"{year}: {households[year]} households started, capacity {cap}")
        cap = (plan.capacity_communities or {}).get(year)
        if cap is not None and count[year] > cap:
            problems.append(f"{year}: {count[year]} communities started, capacity {cap}")
        bucket = result.years.get(year)
        if bucket is None:
            problems.append(f"{year} is missing from the result")
            continue
        if abs(bucket["cost_yuan"] - spend[year]) > 1e-6 * max(1.0, spend[year]):
            problems.append(f"{year}: reported cost {bucket['cost_yuan']} but the communities cost {spend[year]}")
        if bucket["households"] != households[year]:
            problems.append(f"{year}: reported {bucket['households']} households, counted {households[year]}")
    if abs(result.objective - value) > 1e-7 * max(1.0, abs(value)):
        problems.append(f"objective {result.objective} but the plan is worth {value}")
    unscheduled = {c.code for c in candidates if c.code not in seen}
    if set(result.unscheduled) != unscheduled:
        problems.append("the unscheduled list does not match the plan")
    if result.lp_bound < result.objective - 1e-7 * max(1.0, abs(value)):
        problems.append(f"the bound {result.lp_bound} is below the objective {result.objective}")
    return problems
