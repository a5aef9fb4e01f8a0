"""Programme optimiser: time, memory, gap to the bound, and ratios against baselines measured in the same run.

    .venv/bin/python bench/planner.py [--seed 1] [--quick] [--skip-highs]

Cases (issue 17), each in a fresh process so its peak memory (max RSS) is its own:
  rules-220000   220,000 communities, four sources (central subsidy for basic work, special bonds and the city and
                 district budget for any work, provident fund for upgrades), 60/40 cash flow, sub-district places.
  rules-260      260 communities with the same rules, against the best plan HiGHS finds on the whole model in 60 s.
  replan-220000  the 220,000 again after a 10 % cut of 2023's money, re-planned against the first plan with the
                 current year 2021 frozen and a move penalty: how many communities move.
  small-180…300  district-sized tables with the same rules (several seeds): time, and that no clock stopped them.
  budgets-N      the plan of before (one budget per year) at 260, 10,000 and 220,000 communities.
Instances are made up to look like the real thing: basic costs lognormal around 4.5 M yuan, 30–500 households,
need scores 0–100, money of about a fifth of the total cost in each of five years, 2 % of the communities pinned,
1 % excluded, 10 % with a later earliest year and 10 % with upgrade work (提升类); with the rules, a sub-district
per 37 communities (Yanhu: 260 in 7) with places for 1.5 × an even spread of its communities per year.
"""

import argparse
import dataclasses
import resource
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

YEARS = [2021, 2022, 2023, 2024, 2025]
SUBDISTRICT_SLACK = 1.5  # places per sub-district and year, relative to an even spread of its communities
GOALS = {  # gap to the bound (or to the baseline), seconds
    "rules-220000": (1e-4, 5.0), "rules-260": (5e-4, 5.0), "replan-220000": (None, 5.0), "small": (None, 5.0),
    "budgets-260": (1e-3, 5.0), "budgets-10000": (5e-4, 5.0), "budgets-220000": (1e-3, 60.0),
}
MOVE_PENALTY = 2000.0


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


def _solve(plan, candidates) -> dict:
    from gaizao.planning.optimiser import check_plan, optimise

    before = _rss_kib()
    started = time.perf_counter()
    result = optimise(plan, candidates)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    return {"result": result, "seconds": seconds, "memory_mib": max(0, peak - before) / 1024,
            "feasible": not check_plan(plan, candidates, result)}


def _row(name, run, baseline=None, baseline_name="greedy", extra="") -> dict:
    result = run["result"]
    base = result.greedy_objective if baseline is None else baseline
    return {"case": name, "method": result.method, "seconds": run["seconds"], "memory_mib": run["memory_mib"],
            "objective": result.objective, "bound": result.lp_bound, "gap": result.gap, "baseline": base,
            "baseline_name": baseline_name, "ratio": result.objective / base if base else float("nan"),
            "feasible": run["feasible"], "extra": extra}


def case_budgets(n: int, seed: int) -> dict:
    plan, candidates = generate(n, seed)
    return _row(f"budgets-{n}", _solve(plan, candidates))


def case_rules(n: int, seed: int, highs: bool) -> dict:
    plan, candidates = generate(n, seed, rules=True)
    run = _solve(plan, candidates)
    if not highs:
        return _row(f"rules-{n}", run)
    best = _highs_best(plan, candidates, 60.0)
    return _row(f"rules-{n}", run, best, "HiGHS 60 s", extra=f"HiGHS 60 s plan {best:,.0f}")


def _highs_best(plan, candidates, seconds: float) -> float:
    import numpy as np

    from gaizao.planning.optimiser import mip
    from gaizao.planning.optimiser.instance import Schedule, constant
    from gaizao.planning.optimiser.solve import build_checked

    inst = build_checked(plan, candidates)
    sub = mip.build(inst, np.flatnonzero(inst.active), inst.limit, offset=constant(inst))
    start = Schedule(np.where((inst.pin >= 0) & inst.active, inst.pin, -1), np.full(inst.n, -1))
    _plan, best, _bound = mip.solve(sub, start, nodes=10**9, rel_gap=0.0, time_limit=seconds)
    return best


def case_replan(n: int, seed: int) -> dict:
    from gaizao.planning.optimiser import Adopted, Source, optimise

    plan, candidates = generate(n, seed, rules=True)
    first = optimise(plan, candidates)
    adopted = {code: Adopted(p.year, p.upgrade_year) for code, p in first.placements.items()}
    cut = {y: [Source(s.code, s.amount_yuan * (0.9 if y == 2023 else 1.0), s.pays) for s in sources]
           for y, sources in plan.funding.items()}
    again = dataclasses.replace(plan, funding=cut, previous=adopted, frozen_through=2021, move_penalty=MOVE_PENALTY)
    run = _solve(again, candidates)
    result = run["result"]
    moved = len(result.moves)
    # what the penalty buys: the moves of a free re-plan, and the fewest the money forces (a huge penalty)
    free = len(optimise(dataclasses.replace(again, move_penalty=0.0), candidates).moves)
    fewest = len(optimise(dataclasses.replace(again, move_penalty=1e6), candidates).moves)  # > any one value
    money_2023 = sum(s.amount_yuan for s in plan.funding[2023])
    extra = (f"{moved:,} moves (penalty {MOVE_PENALTY:g}; {free:,} without a penalty, {fewest:,} at the least); "
             + (f"gains {result.objective / result.previous_objective - 1:.3%}" if result.previous_objective
                else "the first plan no longer fits"))
    extra += f"; 2023 cut by {0.1 * money_2023 / 1e8:.1f} 亿元"
    return _row(f"replan-{n}", run, extra=extra)


def case_small(seed: int) -> dict:
    n = 180 + 30 * (seed % 5)
    plan, candidates = generate(n, seed, rules=True)
    return _row(f"small-{n} (seed {seed})", _solve(plan, candidates))


def _fresh(function, *args) -> dict:
    with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as pool:
        return pool.submit(function, *args).result()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--quick", action="store_true", help="leave out the 220,000-community cases")
    parser.add_argument("--skip-highs", action="store_true", help="no 60 s HiGHS baseline for rules-260")
    args = parser.parse_args()
    rows = [_fresh(case_rules, 260, args.seed, not args.skip_highs)]
    rows += [_fresh(case_small, args.seed + k) for k in range(5)]
    if not args.quick:
        rows += [_fresh(case_rules, 220_000, args.seed, False), _fresh(case_replan, 220_000, args.seed)]
    rows += [_fresh(case_budgets, n, args.seed) for n in ((260, 10_000) if args.quick else (260, 10_000, 220_000))]

    print(f"planner, seed {args.seed}, {len(YEARS)} years")
    print(f"{'case':<22}{'method':<16}{'solve s':>8}{'peak MiB':>9}{'objective':>17}{'bound':>17}{'gap %':>8}"
          f"  {'ratio to baseline':<28}goal")
    for r in rows:
        key = r["case"].split(" ")[0]
        goal = GOALS.get(key) or GOALS.get(key.split("-")[0], (None, None))
        verdict = ""
        if goal[1] is not None:
            limit_gap = goal[0]
            gap = r["gap"] if not r["baseline_name"].startswith("HiGHS") else max(0.0, 1 - r["ratio"])
            met = r["seconds"] < goal[1] and (limit_gap is None or gap <= limit_gap)
            verdict = (f"{'met' if met else 'MISSED'} (" + (f"{limit_gap * 100:g} % " if limit_gap else "")
                       + f"in {goal[1]:g} s)")
        if not r["feasible"]:
            verdict += " INFEASIBLE"
        ratio = f"{r['ratio']:.5f} × {r['baseline_name']}"
        print(f"{r['case']:<22}{r['method']:<16}{r['seconds']:>8.2f}{r['memory_mib']:>9.0f}{r['objective']:>17,.0f}"
              f"{r['bound']:>17,.0f}{r['gap'] * 100:>8.4f}  {ratio:<28}{verdict}")
        if r["extra"]:
            print(f"{'':<22}{r['extra']}")


if __name__ == "__main__":
    main()
