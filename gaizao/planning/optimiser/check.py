"""An independent feasibility check of a returned plan, in plain Python on the original candidates and sources."""

from gaizao.planning.optimiser.data import Candidate, PlanInput, PlanResult


def _over(used: float, limit: float) -> bool:
    return used > limit + 1e-9 * max(1.0, abs(limit)) + 1e-6


def _money(plan: PlanInput, years: list[int]) -> dict[int, tuple[float, float, float]]:
    """Per year: money that pays basic only, upgrade only, anything."""
    if plan.funding is None:
        return {y: (0.0, 0.0, float(plan.budgets[y])) for y in years}
    out = {}
    for y in years:
        a = p = anything = 0.0
        for source in plan.funding.get(y, []):
            if source.pays == "basic":
                a += source.amount_yuan
            elif source.pays == "upgrade":
                p += source.amount_yuan
            else:
                anything += source.amount_yuan
        out[y] = (a, p, anything)
    return out


def check_plan(plan: PlanInput, candidates: list[Candidate], result: PlanResult) -> list[str]:
    """Every broken rule of the plan (money by source, capacities, pin, exclusion, earliest year, frozen years, basic
    before upgrade, once only) and every figure of the result that does not add up; empty means the plan is sound."""
    problems = []
    # explanations not yet worked out (explain.LazyPlacements) are checked when they are: they are read off the
    # same plan as the years
    explained = getattr(result.placements, "made", True)
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
    shares = list(plan.cash_flow or (1.0,))
    basic = {y: 0.0 for y in years}
    upgrade_spend = {y: 0.0 for y in years}
    households = {y: 0 for y in years}
    count = {y: 0 for y in years}
    per_sd: dict[tuple[str, int], int] = {}
    value = 0.0
    weight = {y: len(years) - k for k, y in enumerate(years)}
    previous = plan.previous or {}
    through = plan.frozen_through
    moves = 0
    for c in candidates:
        year = seen.get(c.code)
        upgrade = upgrades.get(c.code)
        placement = result.placements.get(c.code) if explained else None
        adopted = previous.get(c.code)
        frozen = (adopted is not None and through is not None and adopted.year is not None
                  and adopted.year <= through and adopted.year in weight)
        if explained and placement is None:
            problems.append(f"{c.code} has no placement")
        elif placement is not None and (placement.year != year or placement.upgrade_year != upgrade):
            problems.append(f"{c.code}: placement says {placement.year}/{placement.upgrade_year}, "
                            f"years say {year}/{upgrade}")
        if frozen:
            kept = adopted.upgrade_year if c.upgrade_cost_yuan > 0 and adopted.upgrade_year in weight else None
            if year != adopted.year or upgrade != kept:
                problems.append(f"{c.code} is frozen in {adopted.year}/{kept} but placed in {year}/{upgrade}")
        else:
            if c.excluded and (year is not None or upgrade is not None):
                problems.append(f"{c.code} is excluded but scheduled")
            if c.pinned_year is not None and year != c.pinned_year:
                problems.append(f"{c.code} is pinned to {c.pinned_year} but placed in {year}")
            if year is not None and c.earliest_year is not None and year < c.earliest_year:
                problems.append(f"{c.code} starts in {year}, before its earliest year {c.earliest_year}")
            if adopted is not None and (adopted.year is None or adopted.year in weight) and year != adopted.year:
                moves += 1
        if upgrade is not None:
            if not c.upgrade_cost_yuan > 0:
                problems.append(f"{c.code} has no upgrade work but an upgrade year")
            if year is None:
                problems.append(f"{c.code} has upgrade work without its basic work")
            elif upgrade < year:
                problems.append(f"{c.code}: upgrade in {upgrade} before basic work in {year}")
        if year in weight:
            for lag, share in enumerate(shares):
                if year + lag in basic:
                    basic[year + lag] += c.cost_yuan * share
            households[year] += c.households
            count[year] += 1
            per_sd[(c.subdistrict, year)] = per_sd.get((c.subdistrict, year), 0) + 1
            value += c.need_score * c.households * weight[year]
        if upgrade in weight:
            for lag, share in enumerate(shares):
                if upgrade + lag in upgrade_spend:
                    upgrade_spend[upgrade + lag] += c.upgrade_cost_yuan * share
            value += plan.upgrade_weight * c.need_score * c.households * weight[upgrade]
    money = _money(plan, years)
    caps_sd = plan.capacity_subdistrict or {}
    for (subdistrict, year), n in per_sd.items():
        cap = (caps_sd.get(subdistrict) or {}).get(year, (caps_sd.get("*") or {}).get(year))
        if cap is not None and n > cap:
            problems.append(f"{year}: {n} communities start in {subdistrict}, capacity {cap}")
    for year in years:
        a, p, anything = money[year]
        b, u = basic[year], upgrade_spend[year]
        for used, limit, what in ((b, a + anything, "basic spending"), (u, p + anything, "upgrade spending"),
                                  (b + u, a + p + anything, "spending")):
            if _over(used, limit):
                problems.append(f"{year}: {what} {used:.2f} over the money that may pay it {limit:.2f}")
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
        if abs(bucket["cost_yuan"] - b - u) > 1e-6 * max(1.0, b + u):
            problems.append(f"{year}: reported spending {bucket['cost_yuan']} but the communities spend {b + u}")
        if bucket["households"] != households[year]:
            problems.append(f"{year}: reported {bucket['households']} households, counted {households[year]}")
        used = sum((result.funding.get(year) or {}).values())
        if result.funding and abs(used - b - u) > 1e-6 * max(1.0, b + u):
            problems.append(f"{year}: the sources are said to pay {used:.2f} of {b + u:.2f}")
    net = value - float(plan.move_penalty or 0.0) * moves
    if abs(result.objective - net) > 1e-7 * max(1.0, abs(net)):
        problems.append(f"objective {result.objective} but the plan is worth {net} ({moves} moves)")
    if len(result.moves) != moves:
        problems.append(f"{len(result.moves)} moves listed, {moves} counted")
    unscheduled = {c.code for c in candidates if c.code not in seen}
    if set(result.unscheduled) != unscheduled:
        problems.append("the unscheduled list does not match the plan")
    if result.lp_bound < result.objective - 1e-7 * max(1.0, abs(value)):
        problems.append(f"the bound {result.lp_bound} is below the objective {result.objective}")
    return problems
