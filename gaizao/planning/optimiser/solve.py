"""optimise(): the Lagrangian bound, a start from the LP, local search, then HiGHS branch-and-bound.

1. Bound: the Lagrangian dual of the 3·T coupling rows (lagrangian.py) — equal to the LP relaxation, and valid
   at any multipliers. A large programme starts it from the prices of a random sample's LP.
2. Core: every community whose reduced-cost margin is large keeps its best option; the closest calls (the core)
   go to HiGHS, first as an LP (its row prices give a second, often tighter, bound), then as a MIP.
   Up to FULL_MODEL communities the core is everyone, and the MIP's dual bound is a bound as well.
3. Start: the best of three roundings (Lagrangian choice, choice at the LP prices, the LP solution), each
   repaired and polished, then swap search; a small programme also re-packs two years at a time (lns.py).
4. Branch-and-bound from that start for the time left, unless the plan is already within STOP_GAP of the bound.
Every returned plan passes check_plan; should one ever fail, the greedy plan is returned instead.
"""

import time

import numpy as np

from gaizao.planning.optimiser import lns, mip
from gaizao.planning.optimiser.check import check_plan
from gaizao.planning.optimiser.data import Candidate, PlanInput, PlanResult
from gaizao.planning.optimiser.explain import placements
from gaizao.planning.optimiser.greedy import greedy_schedule
from gaizao.planning.optimiser.instance import Instance, Schedule, build_instance, check_pins, objective, usage
from gaizao.planning.optimiser.lagrangian import Dual, multipliers_from_prices
from gaizao.planning.optimiser.repair import polish, repair
from gaizao.planning.optimiser.search import swap_search

FULL_MODEL = 1500  # communities: up to here, branch-and-bound on the whole model
STOP_GAP = 1e-4  # stop searching once this close to the bound
SAMPLE = 3000  # communities in the sample LP whose prices start the dual search of a large programme
LNS_END = 0.85  # share of the time limit after which re-packing gives way to branch-and-bound
SOFT_GAP = 1e-3  # without an explicit time limit, keep going past the default while further than this
EXTRA_TIME = 8.0  # seconds past the default limit at most, for that


def default_time_limit(n_active: int) -> float:
    if n_active <= FULL_MODEL:
        return min(4.0, 1.7 + max(0, n_active - 400) / 500)
    return min(45.0, 3.5 + n_active / 8000)


def core_size(n_active: int, years: int) -> int:
    """Enough communities to re-pack every year; fewer when there are many years (the MIP grows with both)."""
    return int(min(n_active, max(500, min(12_500 // max(years, 1), n_active // 40))))


def _noop(*_args):
    return None


def optimise(plan: PlanInput, candidates: list[Candidate], *, time_limit: float | None = None,
             progress=None) -> PlanResult:
    """The best programme found within the time limit, with a proven upper bound; raises InfeasiblePins.

    Without a time limit, the default by size applies (about 2 s for a district, 3.5–45 s for bigger tables),
    extended by up to EXTRA_TIME while the plan is still more than SOFT_GAP below the bound.
    """
    started = time.perf_counter()
    report = progress or _noop
    inst = build_instance(plan, candidates)
    check_pins(inst)
    n_active = int(inst.active.sum())
    if time_limit is None:
        limit = default_time_limit(n_active)
        hard_deadline = started + limit + EXTRA_TIME
    else:
        limit = max(0.1, float(time_limit))
        hard_deadline = started + limit
    deadline = started + limit
    report(0, 5, "greedy")
    baseline = greedy_schedule(inst)
    greedy_value = objective(inst, baseline)
    if n_active == 0:
        return _finish(plan, candidates, inst, baseline, greedy_value, greedy_value, "greedy", started)

    report(1, 5, "bound")
    full = n_active <= FULL_MODEL
    dual = Dual(inst)
    nu, choice = dual.solve(started + 0.3 * limit, tol=1e-7 if full else 1e-6, start=_sample_prices(inst, dual))
    bound = choice.value

    report(2, 5, "start")
    core, fixed, sub = _restricted(inst, dual, nu, choice, full)
    starts = [dual.schedule(choice)]
    relaxed = mip.solve_relaxation(sub)
    if relaxed is not None:
        values, _lp_value, prices = relaxed
        at_lp = dual.choose(multipliers_from_prices(dual, *prices))
        bound = min(bound, at_lp.value)
        starts += [_merge(fixed, dual.schedule(at_lp), core), mip.schedule_from(sub, values, fixed)]
        nu = multipliers_from_prices(dual, *prices)
    starts = [polish(inst, repair(inst, s, core), core) for s in starts]
    best = max(starts, key=lambda s: objective(inst, s))
    best, _moves = swap_search(inst, best, core, min(deadline, time.perf_counter() + 0.1 * limit))
    best = polish(inst, best, core)
    value = objective(inst, best)

    report(3, 5, "search")
    good_enough = bound * (1 - STOP_GAP)
    if full and value < good_enough:
        margin = np.full(inst.n, np.inf)
        margin[dual.idx] = dual.margins(nu)
        best = lns.repack(inst, best, core, started + LNS_END * limit, good_enough, margin)
        value = objective(inst, best)

    report(4, 5, "branch-and-bound")
    # until the soft limit; then on to the hard limit only while the plan is further than SOFT_GAP from the bound
    stages = [(deadline, False)] + ([(hard_deadline, True)] if hard_deadline > deadline else [])
    for until, extension in stages:
        left = until - time.perf_counter()
        if value >= good_enough or left <= 0.05 or (extension and value >= bound * (1 - SOFT_GAP)):
            continue
        out, _found, mip_bound = mip.solve(sub, best, time_limit=left, rel_gap=STOP_GAP)
        if full and np.isfinite(mip_bound):
            bound = min(bound, mip_bound)
            good_enough = bound * (1 - STOP_GAP)
        if out is not None:
            out = polish(inst, repair(inst, out))
            if objective(inst, out) > value:
                best, value = out, objective(inst, out)
        if out is not None and _found >= mip_bound * (1 - STOP_GAP):
            break  # branch-and-bound finished: nothing more to gain over this core
    best = polish(inst, repair(inst, best))
    value = objective(inst, best)
    method = "mip" if full else "lagrangian-core"
    report(5, 5, "explain")
    if greedy_value > value:
        best, value, method = baseline, greedy_value, "greedy"
    return _finish(plan, candidates, inst, best, max(bound, value), greedy_value, method, started)


def _sample_prices(inst: Instance, dual: Dual) -> np.ndarray | None:
    """Multipliers from the LP of a random sample with its share of every limit: a close start for a large
    programme, where each evaluation of the dual is a pass over all communities."""
    if len(dual.idx) <= 2 * SAMPLE:
        return None
    rng = np.random.default_rng(0)
    sample = np.sort(rng.choice(dual.idx, SAMPLE, replace=False))
    share = SAMPLE / len(dual.idx)
    sub = mip.build(inst, sample, inst.budget * share, inst.cap_households * share, inst.cap_communities * share,
                    integer=False)
    relaxed = mip.solve_relaxation(sub)
    if relaxed is None:
        return None
    return multipliers_from_prices(dual, *relaxed[2])


def _merge(fixed: Schedule, other: Schedule, core: np.ndarray) -> Schedule:
    out = fixed.copy()
    out.basic[core] = other.basic[core]
    out.upgrade[core] = other.upgrade[core]
    return out


def _restricted(inst: Instance, dual: Dual, nu: np.ndarray, choice, full: bool):
    """The core, the plan of everyone else (their best option at nu), and the MIP over the core."""
    core = _core(inst, dual, nu, choice, full)
    fixed = dual.schedule(choice)
    fixed.basic[core] = -1
    fixed.upgrade[core] = -1
    spend, hh, count = usage(inst, fixed)
    sub = mip.build(inst, np.flatnonzero(core), inst.budget - spend, inst.cap_households - hh,
                    inst.cap_communities - count, offset=objective(inst, fixed))
    return core, fixed, sub


def _core(inst: Instance, dual: Dual, nu: np.ndarray, choice, full: bool) -> np.ndarray:
    """Communities left to the MIP: all of them for a small programme, else the smallest margins — grown until
    the communities fixed at their Lagrangian choice fit every limit."""
    core = np.zeros(inst.n, dtype=bool)
    if full:
        core[dual.idx] = True
        return core
    margin = dual.margins(nu)
    order = np.argsort(margin, kind="stable")
    size = core_size(len(order), inst.t)
    core[dual.idx[order[:size]]] = True
    plan = dual.schedule(choice)
    rank = np.full(inst.n, np.inf)
    rank[dual.idx[order]] = np.arange(len(order))
    for _ in range(50):
        fixed = plan.copy()
        fixed.basic[core] = -1
        fixed.upgrade[core] = -1
        spend, hh, count = usage(inst, fixed)
        over = (spend > inst.budget) | (hh > inst.cap_households) | (count > inst.cap_communities)
        if not over.any():
            break
        for t in np.flatnonzero(over):
            there = np.flatnonzero(~core & ((fixed.basic == t) | (fixed.upgrade == t)) & (inst.pin < 0))
            there = there[np.argsort(rank[there], kind="stable")]
            core[there[: max(10, len(there) // 20)]] = True
    return core


def _finish(plan: PlanInput, candidates: list[Candidate], inst: Instance, best: Schedule, bound: float,
            greedy_value: float, method: str, started: float) -> PlanResult:
    value = objective(inst, best)
    result = assemble(inst, candidates, best, value, bound, greedy_value, method, started)
    problems = check_plan(plan, candidates, result)
    if problems and method != "greedy":
        baseline = greedy_schedule(inst)
        result = assemble(inst, candidates, baseline, greedy_value, bound, greedy_value, "greedy", started)
        problems = check_plan(plan, candidates, result)
    if problems:
        raise RuntimeError("the optimiser produced an infeasible plan: " + "; ".join(problems[:5]))
    return result


def assemble(inst: Instance, candidates: list[Candidate], sched: Schedule, value: float, bound: float,
             greedy_value: float, method: str, started: float) -> PlanResult:
    spend, hh, _count = usage(inst, sched)
    years = {}
    for t, year in enumerate(inst.years):
        years[year] = {
            "communities": [inst.codes[i] for i in np.flatnonzero(sched.basic == t)],
            "cost_yuan": float(spend[t]),
            "households": int(round(hh[t])),
            "upgrades": [inst.codes[i] for i in np.flatnonzero(sched.upgrade == t)],
            "budget_left": float(inst.budget[t] - spend[t]),
        }
    unscheduled = [inst.codes[i] for i in np.flatnonzero(sched.basic < 0)]
    gap = (bound - value) / bound if bound > 0 else 0.0
    return PlanResult(objective=value, lp_bound=bound, gap=max(0.0, gap), greedy_objective=greedy_value,
                      method=method, seconds=time.perf_counter() - started, years=years, unscheduled=unscheduled,
                      placements=placements(inst, sched, candidates))


def greedy(plan: PlanInput, candidates: list[Candidate]) -> PlanResult:
    """The baseline plan (score per yuan, each year in turn), with the Lagrangian bound for its gap."""
    started = time.perf_counter()
    inst = build_instance(plan, candidates)
    check_pins(inst)
    sched = greedy_schedule(inst)
    value = objective(inst, sched)
    bound = value
    if inst.active.any():
        bound = max(value, Dual(inst).solve(started + 2.0)[1].value)
    return _finish(plan, candidates, inst, sched, bound, value, "greedy", started)


def result_json(result: PlanResult) -> dict:
    return {
        "objective": result.objective,
        "lp_bound": result.lp_bound,
        "gap": result.gap,
        "greedy_objective": result.greedy_objective,
        "method": result.method,
        "seconds": round(result.seconds, 3),
        "years": {str(year): dict(bucket) for year, bucket in result.years.items()},
        "unscheduled": list(result.unscheduled),
    }
