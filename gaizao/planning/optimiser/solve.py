"""optimise(): the bound, a start, then HiGHS branch-and-bound — every step limited by work, never by the clock.

1. Bound: up to FULL_MODEL active communities, the LP relaxation of the whole model; above it, the Lagrangian
   dual (lagrangian.py, a fixed number of evaluations), started from the prices of a fixed random sample's LP.
2. Core: every community whose reduced-cost margin is large keeps its best option; the closest calls (the core)
   go to HiGHS, first as an LP (its row prices give a second bound and a rounding), then as a MIP. A small
   programme's core is everyone, and the MIP's dual bound is a bound as well.
3. Start: the best of the roundings (Lagrangian choice, choice at the LP prices, the LP solution), the adopted plan
   and the greedy plan, each repaired and polished.
4. Branch-and-bound from that start, at most NODES nodes, unless the plan is already within STOP_GAP of the bound.
The same input gives the same plan on any machine and under any load. Every returned plan passes check_plan;
should one ever fail, the greedy plan is returned instead.
"""

import time

import numpy as np

from gaizao.planning.optimiser import funding, lns, mip
from gaizao.planning.optimiser.check import check_plan
from gaizao.planning.optimiser.data import Candidate, InfeasiblePins, PlanInput, PlanResult
from gaizao.planning.optimiser.explain import LazyPlacements, moves, placements
from gaizao.planning.optimiser.greedy import greedy_schedule
from gaizao.planning.optimiser.instance import (
    NO_PREVIOUS,
    Instance,
    Schedule,
    build_instance,
    complete,
    constant,
    gross,
    objective,
    option_total,
    over,
    room,
    usage,
)
from gaizao.planning.optimiser.lagrangian import Dual
from gaizao.planning.optimiser.repair import polish, repair

FULL_MODEL = 1500  # communities: up to here, branch-and-bound on the whole model
STOP_GAP = 1e-4  # stop searching once this close to the bound
SAMPLE = 3000  # communities in the sample LP whose prices start the dual search of a large programme
NODES = 300  # branch-and-bound nodes at most (over the core of a large programme)
DUAL_ITERATIONS = 40  # evaluations of the Lagrangian dual of a large programme


def core_size(n_active: int, years: int) -> int:
    """Enough communities to re-pack every year; fewer when there are many years (the MIP grows with both)."""
    return int(min(n_active, max(500, min(12_500 // max(years, 1), n_active // 40))))


def _noop(*_args):
    return None


def optimise(plan: PlanInput, candidates: list[Candidate], *, time_limit: float | None = None,
             progress=None) -> PlanResult:
    """The best programme found within the work limits, with a proven upper bound; raises InfeasiblePins.

    time_limit (seconds) is only a safety cap for the branch-and-bound: a plan stopped by it depends on the load.
    """
    started = time.perf_counter()
    report = progress or _noop
    inst = build_checked(plan, candidates)
    n_active = int(inst.active.sum())
    report(0, 5, "greedy")
    baseline = greedy_schedule(inst)
    greedy_value = objective(inst, baseline)
    if n_active == 0:
        return _finish(plan, candidates, inst, baseline, greedy_value, greedy_value, "greedy", started, None)

    report(1, 5, "bound")
    full = n_active <= FULL_MODEL
    dual = Dual(inst)
    if full:
        nu, choice = dual.solve(iterations=0)
    else:
        nu, choice = dual.solve(iterations=DUAL_ITERATIONS, tol=1e-6, start=_sample_prices(inst, dual))
    bound = choice.value
    prices = dual.prices(nu)
    choice = dual.within_places(nu, choice)

    report(2, 5, "start")
    core, fixed, sub = _restricted(inst, dual, nu, choice, full)
    starts = [dual.schedule(choice)]
    relaxed = mip.solve_relaxation(sub)
    if relaxed is not None:
        values, lp_value, lp_prices = relaxed
        if full:
            bound = min(bound, lp_value)
            prices = {name: lp_prices[name] for name in ("B", "U", "M", "H", "K")}
            dual.sigma = lp_prices["S"]
        at_lp = dual.choose(dual.nu_from_prices(lp_prices), sweeps=0 if full else 1)
        bound = min(bound, at_lp.value)
        starts += [_merge(fixed, dual.schedule(at_lp), core), mip.schedule_from(sub, values, fixed)]
    starts = [polish(inst, repair(inst, s, core), core) for s in starts]
    others = [_adopted(inst)] if (inst.prev > NO_PREVIOUS).any() else []
    starts += [polish(inst, repair(inst, s), core) for s in others + ([baseline] if full else [])]
    best = max(starts, key=lambda s: objective(inst, s))
    value = objective(inst, best)

    report(3, 5, "search")
    good_enough = bound * (1 - STOP_GAP)
    if full and value < good_enough:
        margin = np.full(inst.n, np.inf)
        margin[dual.idx] = dual.margins(dual.nu_from_prices(prices), dual.sigma)
        best = lns.repack(inst, best, core, good_enough, margin)
        value = objective(inst, best)

    report(4, 5, "branch-and-bound")
    if not full and value < good_enough - 1e-9:  # a small programme's re-packing already did better than B&B
        out, _found, mip_bound = mip.solve(sub, best, nodes=NODES, rel_gap=STOP_GAP, time_limit=time_limit)
        if out is not None:
            out = polish(inst, repair(inst, out, core), core)
            if objective(inst, out) > value:
                best, value = out, objective(inst, out)
    best = polish(inst, repair(inst, best, core), core)
    value = objective(inst, best)
    method = "lns" if full else "lagrangian-core"
    report(5, 5, "explain")
    if greedy_value > value:
        best, value, method = baseline, greedy_value, "greedy"
    return _finish(plan, candidates, inst, best, max(bound, value), greedy_value, method, started, prices)


def build_checked(plan: PlanInput, candidates: list[Candidate]) -> Instance:
    inst = build_instance(plan, candidates)
    check_fixed(inst)
    return inst


def check_fixed(inst: Instance) -> None:
    """Raise InfeasiblePins when the frozen and pinned communities alone overrun a limit of some year."""
    pinned = (inst.pin >= 0) & inst.active
    sched = Schedule(np.where(pinned, inst.pin, -1), np.full(inst.n, -1, dtype=np.int64))
    left = room(inst, sched)
    whole = complete(inst, sched)
    problems = []
    for family, constraint in (("B", "budget"), ("U", "budget"), ("M", "budget"), ("H", "capacity_households"),
                               ("K", "capacity_communities")):
        for t in np.flatnonzero(getattr(left, family) < -1e-6):
            problem = {"year": inst.years[t], "constraint": constraint, "excess": float(-getattr(left, family)[t])}
            if constraint == "budget":
                problem["money"] = {"B": "basic", "U": "upgrade", "M": "all"}[family]
            problem["communities"] = _fixed_codes(inst, whole, t, spending=constraint == "budget")
            problems.append(problem)
    for d, t in np.argwhere(left.S < -1e-6):
        problems.append({"year": inst.years[t], "constraint": "capacity_subdistrict", "excess": float(-left.S[d, t]),
                         "subdistrict": inst.subdistricts[d],
                         "communities": _fixed_codes(inst, whole, t, subdistrict=d)})
    if problems:
        raise InfeasiblePins(problems)


def _fixed_codes(inst: Instance, whole: Schedule, t: int, spending: bool = False, subdistrict: int = -1) -> list:
    lags = len(inst.shares)
    fixed = inst.frozen | ((inst.pin >= 0) & inst.active)
    if spending:
        there = ((t - whole.basic >= 0) & (t - whole.basic < lags) & (whole.basic >= 0)) | (
            (t - whole.upgrade >= 0) & (t - whole.upgrade < lags) & (whole.upgrade >= 0))
    else:
        there = whole.basic == t
    if subdistrict >= 0:
        there &= inst.sd == subdistrict
    return [inst.codes[i] for i in np.flatnonzero(fixed & there)]


def _adopted(inst: Instance) -> Schedule:
    """The adopted plan as a start (an empty plan when there is none)."""
    basic = np.where(inst.prev >= 0, inst.prev, -1).astype(np.int64)
    upgrade = np.where((basic >= 0) & inst.has_upgrade, inst.prev_upgrade, -1).astype(np.int64)
    return Schedule(basic, upgrade)


def _sample_prices(inst: Instance, dual: Dual) -> np.ndarray | None:
    """Multipliers from the LP of a fixed random sample with its share of every district-wide limit: a close start
    for a large programme, where each evaluation of the dual is a pass over all communities. With sub-district
    capacities the sample is of whole sub-districts, so that their rows are in the LP as they are."""
    if len(dual.idx) <= 2 * SAMPLE:
        return None
    rng = np.random.default_rng(0)
    if np.isfinite(inst.limit.S).any():
        order = rng.permutation(inst.d)
        sizes = np.bincount(inst.sd[dual.idx], minlength=inst.d)[order]
        chosen = order[: int(np.searchsorted(np.cumsum(sizes), SAMPLE)) + 1]
        picked = np.zeros(inst.d, dtype=bool)
        picked[chosen] = True
        sample = dual.idx[picked[inst.sd[dual.idx]]]
    else:
        sample = np.sort(rng.choice(dual.idx, SAMPLE, replace=False))
    share = len(sample) / len(dual.idx)
    left = inst.limit.copy()
    for part in left.parts()[:5]:
        part *= share
    sub = mip.build(inst, sample, left, integer=False)
    relaxed = mip.solve_relaxation(sub)
    if relaxed is None:
        return None
    return dual.nu_from_prices(relaxed[2])


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
    left = inst.limit.minus(usage(inst, fixed))
    offset = option_total(inst, fixed, inst.active & ~core) + constant(inst)
    sub = mip.build(inst, np.flatnonzero(core), left, offset=offset)
    return core, fixed, sub


def _core(inst: Instance, dual: Dual, nu: np.ndarray, choice, full: bool) -> np.ndarray:
    """Communities left to the MIP: all of them for a small programme, else the smallest margins — grown until
    the communities fixed at their Lagrangian choice fit every limit."""
    core = np.zeros(inst.n, dtype=bool)
    if full:
        core[dual.idx] = True
        return core
    margin = dual.margins(nu, choice.sigma)
    order = np.argsort(margin, kind="stable")
    size = core_size(len(order), inst.t)
    core[dual.idx[order[:size]]] = True
    plan = dual.schedule(choice)
    rank = np.full(inst.n, np.inf)
    rank[dual.idx[order]] = np.arange(len(order))
    lags = len(inst.shares)
    for _ in range(50):
        fixed = plan.copy()
        fixed.basic[core] = -1
        fixed.upgrade[core] = -1
        left = room(inst, fixed)
        bad_years = np.zeros(inst.t, dtype=bool)
        for part in left.parts()[:5]:
            bad_years |= part < -1e-6
        bad_sd = left.S < -1e-6
        if not bad_years.any() and not bad_sd.any():
            break
        for t in np.flatnonzero(bad_years):
            spends = ((t - fixed.basic >= 0) & (t - fixed.basic < lags) & (fixed.basic >= 0)) | (
                (t - fixed.upgrade >= 0) & (t - fixed.upgrade < lags) & (fixed.upgrade >= 0))
            _grow(core, rank, spends & ~core & (inst.pin < 0))
        for d, t in np.argwhere(bad_sd):
            _grow(core, rank, ~core & (fixed.basic == t) & (inst.sd == d) & (inst.pin < 0))
    return core


def _grow(core: np.ndarray, rank: np.ndarray, there: np.ndarray) -> None:
    there = np.flatnonzero(there)
    there = there[np.argsort(rank[there], kind="stable")]
    core[there[: max(10, len(there) // 20)]] = True


def _finish(plan: PlanInput, candidates: list[Candidate], inst: Instance, best: Schedule, bound: float,
            greedy_value: float, method: str, started: float, prices) -> PlanResult:
    result = assemble(inst, candidates, best, bound, greedy_value, method, started, prices)
    problems = check_plan(plan, candidates, result)
    if problems and method != "greedy":
        baseline = greedy_schedule(inst)
        result = assemble(inst, candidates, baseline, bound, greedy_value, "greedy", started, prices)
        problems = check_plan(plan, candidates, result)
    if problems:
        raise RuntimeError("the optimiser produced an infeasible plan: " + "; ".join(problems[:5]))
    return result


def assemble(inst: Instance, candidates: list[Candidate], sched: Schedule, bound: float, greedy_value: float,
             method: str, started: float, prices) -> PlanResult:
    value = objective(inst, sched)
    whole = complete(inst, sched)
    used = usage(inst, whole)
    used_by, payers, duals = funding.report(inst.sources, inst.years, used.B, used.U, prices)
    years = {}
    for t, year in enumerate(inst.years):
        money = sum(s.amount_yuan for s in inst.sources.by_year.get(year, []))
        years[year] = {
            "communities": [inst.codes[i] for i in np.flatnonzero(whole.basic == t)],
            "cost_yuan": float(used.M[t]),
            "basic_yuan": float(used.B[t]),
            "upgrade_yuan": float(used.U[t]),
            "households": int(round(used.H[t])),
            "upgrades": [inst.codes[i] for i in np.flatnonzero(whole.upgrade == t)],
            "budget_left": float(money - used.M[t]),
        }
    unscheduled = [inst.codes[i] for i in np.flatnonzero(whole.basic < 0)]
    gap = (bound - value) / bound if bound > 0 else 0.0
    has_previous = bool((inst.prev > NO_PREVIOUS).any() or inst.frozen.any())
    previous = _adopted_value(inst) if has_previous else None
    explained = LazyPlacements(lambda: placements(inst, sched, candidates, whole))
    return PlanResult(objective=value, lp_bound=max(bound, value), gap=max(0.0, gap), greedy_objective=greedy_value,
                      method=method, seconds=time.perf_counter() - started, years=years, unscheduled=unscheduled,
                      placements=explained, funding=used_by, dual_values=duals,
                      moves=moves(inst, sched), gross_objective=gross(inst, sched), previous_objective=previous,
                      payers=payers)


def _adopted_value(inst: Instance) -> float | None:
    """The adopted plan's value under these inputs, None when it no longer fits them (or breaks a pin)."""
    plan = _adopted(inst)
    plan.basic[~inst.active] = -1
    plan.upgrade[plan.basic < 0] = -1
    pinned = (inst.pin >= 0) & inst.active
    placed = inst.active & (plan.basic >= 0)
    if (plan.basic[pinned] != inst.pin[pinned]).any() or (plan.basic[placed] < inst.first[placed]).any():
        return None
    if over(room(inst, plan)):
        return None
    return gross(inst, plan)


def greedy(plan: PlanInput, candidates: list[Candidate]) -> PlanResult:
    """The baseline plan (score per yuan, each year in turn), with the Lagrangian bound for its gap."""
    started = time.perf_counter()
    inst = build_checked(plan, candidates)
    sched = greedy_schedule(inst)
    value = objective(inst, sched)
    bound = value
    prices = None
    if inst.active.any():
        dual = Dual(inst)
        nu, choice = dual.solve(iterations=DUAL_ITERATIONS)
        bound, prices = max(value, choice.value), dual.prices(nu)
    return _finish(plan, candidates, inst, sched, bound, value, "greedy", started, prices)


def result_json(result: PlanResult) -> dict:
    return {
        "objective": result.objective,
        "gross_objective": result.gross_objective,
        "lp_bound": result.lp_bound,
        "gap": result.gap,
        "greedy_objective": result.greedy_objective,
        "method": result.method,
        "seconds": round(result.seconds, 3),
        "years": {str(year): dict(bucket) for year, bucket in result.years.items()},
        "unscheduled": list(result.unscheduled),
        "funding": {str(year): used for year, used in result.funding.items()},
        "dual_values": {str(year): values for year, values in result.dual_values.items()},
        "payers": {str(year): shares for year, shares in result.payers.items()},
        "moves": list(result.moves),
        "previous_objective": result.previous_objective,
    }
