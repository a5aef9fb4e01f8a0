"""Five-year programme optimiser: time, memory, gap to the LP bound and gain over the greedy plan.

    .venv/bin/python bench/planner.py [--sizes 260,10000,220000] [--seed 1] [--capacity] [--time-limit S]

Instances are made up to look like the real thing: basic costs lognormal around 4.5 M yuan, 30–500 households,
7–20 sub-districts, need scores 0–100, a budget of about a fifth of the total cost in each of five years, 2 %
of the communities pinned, 1 % excluded, 10 % with a later earliest year and 10 % with upgrade work (提升类).
--capacity adds a household capacity per year (about a fifth of all households), which makes packing harder.
Each size runs in a fresh process, so its peak memory (max RSS) is its own.
"""

import argparse
import resource
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

YEARS = [2021, 2022, 2023, 2024, 2025]
SUBDISTRICT_SLACK = 1.5  # places per sub-district and year, relative to an even spread of its communities
GOALS = {260: (0.001, 2.0), 10_000: (0.0005, 5.0), 220_000: (0.001, 60.0)}  # gap, seconds


def generate(n: int, seed: int = 1, capacity: bool = False, rules: bool = False):
    """A made-up programme; `rules` adds four funding sources, 60/40 cash flow and a sub-district capacity."""
    import numpy as np

    from gaizao.planning.optimiser import Candidate, PlanInput, Source

    rng = np.random.default_rng(seed)
    n_sd = max(7, n // 37) if rules else int(rng.integers(7, 21))  # Yanhu: 260 communities in 7 sub-districts
    subdistricts = [f"SD{k:04d}" for k in range(n_sd)]
    households = np.clip(np.round(np.exp(rng.normal(np.log(110), 0.6, n))), 30, 500).astype(int)
    cost = np.round(np.exp(rng.normal(np.log(4.5e6), 0.45, n)), -2)
    need = np.round(rng.uniform(0, 100, n), 1)
    upgrade = np.where(rng.random(n) < 0.10, np.round(np.exp(rng.normal(np.log(1.5e6), 0.5, n)), -2), 0.0)
    pinned = rng.random(n) < 0.02
    excluded = (rng.random(n) < 0.01) & ~pinned
    later = (rng.random(n) < 0.10) & ~pinned
    pin_year = rng.integers(0, len(YEARS), n)
    earliest = rng.integers(1, len(YEARS), n)
    where = rng.integers(0, len(subdistricts), n)
    candidates = [
        Candidate(code=f"C{i:06d}", cost_yuan=float(cost[i]), households=int(households[i]),
                  need_score=float(need[i]), subdistrict=subdistricts[where[i]],
                  earliest_year=YEARS[earliest[i]] if later[i] else None,
                  pinned_year=YEARS[pin_year[i]] if pinned[i] else None, excluded=bool(excluded[i]),
                  upgrade_cost_yuan=float(upgrade[i]))
        for i in range(n)
    ]
    total = float(cost.sum())
    budgets = {y: float(np.round(total / len(YEARS) * rng.uniform(0.9, 1.1), -4)) for y in YEARS}
    caps = {y: int(households.sum() / len(YEARS) * 1.05) for y in YEARS} if capacity else None
    if not rules:
        return PlanInput(years=YEARS, budgets=budgets, capacity_households=caps), candidates
    funding = {y: [Source("central_subsidy", round(0.40 * b, -4), "basic"),
                   Source("special_bonds", round(0.30 * b, -4), "all"),
                   Source("local_budget", round(0.27 * b, -4), "all"),
                   Source("provident_fund", round(0.03 * b, -4), "upgrade")] for y, b in budgets.items()}
    per_year = int(np.ceil(n / n_sd / len(YEARS) * SUBDISTRICT_SLACK))
    return PlanInput(years=YEARS, funding=funding, cash_flow=(0.6, 0.4), capacity_households=caps,
                     capacity_subdistrict={"*": {y: per_year for y in YEARS}}), candidates


def _rss_kib() -> int:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * resource.getpagesize() // 1024


def measure(n: int, seed: int, capacity: bool, time_limit: float | None) -> dict:
    from gaizao.planning.optimiser import check_plan, optimise

    plan, candidates = generate(n, seed, capacity)
    before = _rss_kib()
    started = time.perf_counter()
    result = optimise(plan, candidates, time_limit=time_limit)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    problems = check_plan(plan, candidates, result)
    return {"n": n, "method": result.method, "seconds": seconds, "memory_mib": max(0, peak - before) / 1024,
            "objective": result.objective, "bound": result.lp_bound, "gap": result.gap,
            "greedy": result.greedy_objective, "gain": result.objective / result.greedy_objective - 1,
            "feasible": not problems}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="260,10000,220000")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--capacity", action="store_true", help="add a household capacity per year")
    parser.add_argument("--time-limit", type=float, default=None, help="default: the optimiser's own by size")
    args = parser.parse_args()
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]

    rows = []
    for n in sizes:
        with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as pool:
            rows.append(pool.submit(measure, n, args.seed, args.capacity, args.time_limit).result())

    print(f"planner, seed {args.seed}, {'budgets and household capacity' if args.capacity else 'budgets'}, "
          f"{len(YEARS)} years")
    print(f"{'communities':>11}  {'method':<15}{'solve s':>8}{'peak MiB':>9}{'objective':>16}{'LP bound':>16}"
          f"{'gap %':>8}{'greedy':>16}{'gain %':>8}  {'goal'}")
    for r in rows:
        goal = GOALS.get(r["n"])
        verdict = ""
        if goal:
            met = r["gap"] <= goal[0] and r["seconds"] < goal[1]
            verdict = f"{'met' if met else 'MISSED'} ({goal[0] * 100:g} % in {goal[1]:g} s)"
        if not r["feasible"]:
            verdict += " INFEASIBLE"
        print(f"{r['n']:>11,}  {r['method']:<15}{r['seconds']:>8.2f}{r['memory_mib']:>9.0f}{r['objective']:>16,.0f}"
              f"{r['bound']:>16,.0f}{r['gap'] * 100:>8.4f}{r['greedy']:>16,.0f}{r['gain'] * 100:>8.2f}  {verdict}")


if __name__ == "__main__":
    main()
