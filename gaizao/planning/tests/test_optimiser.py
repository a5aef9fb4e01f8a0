"""The optimiser against brute force, random instances (hypothesis) and the rules it must never break."""

import itertools
import random

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gaizao.planning.optimiser import (
    REASONS,
    Candidate,
    InfeasiblePins,
    PlanInput,
    check_plan,
    greedy,
    optimise,
    result_json,
)

YEARS = [2021, 2022, 2023]


def brute_force(plan: PlanInput, candidates: list[Candidate]) -> float:
    """The best objective by trying every (basic year, upgrade year) for every community."""
    years = sorted(plan.years)
    weight = {y: len(years) - k for k, y in enumerate(years)}
    options = []
    for c in candidates:
        mine = [] if c.pinned_year is not None else [(None, None)]
        if not c.excluded:
            for y in years:
                if (c.pinned_year is not None and y != c.pinned_year) or (c.earliest_year or 0) > y:
                    continue
                mine.append((y, None))
                if c.upgrade_cost_yuan > 0:
                    mine += [(y, u) for u in years if u >= y]
        options.append(mine)
    best = -1.0
    for choice in itertools.product(*options):
        spend = dict.fromkeys(years, 0.0)
        households = dict.fromkeys(years, 0)
        count = dict.fromkeys(years, 0)
        value = 0.0
        for c, (y, u) in zip(candidates, choice, strict=True):
            if y is not None:
                spend[y] += c.cost_yuan
                households[y] += c.households
                count[y] += 1
                value += c.need_score * c.households * weight[y]
            if u is not None:
                spend[u] += c.upgrade_cost_yuan
                value += plan.upgrade_weight * c.need_score * c.households * weight[u]
        if all(spend[y] <= plan.budgets[y] for y in years) and all(
            households[y] <= (plan.capacity_households or {}).get(y, np.inf)
            and count[y] <= (plan.capacity_communities or {}).get(y, np.inf) for y in years
        ):
            best = max(best, value)
    return best


def random_instance(rng: random.Random, n: int, years: list[int], *, pins=True, caps=True):
    candidates = []
    for i in range(n):
        pinned = rng.choice(years) if pins and rng.random() < 0.15 else None
        candidates.append(Candidate(
            code=f"C{i:03d}", cost_yuan=float(rng.randint(10, 60)) * 100_000, households=rng.randint(30, 500),
            need_score=round(rng.uniform(0, 100), 1), subdistrict=rng.choice("ABC"),
            earliest_year=rng.choice(years) if pinned is None and rng.random() < 0.2 else None,
            pinned_year=pinned, excluded=pinned is None and rng.random() < 0.1,
            upgrade_cost_yuan=float(rng.randint(5, 20)) * 100_000 if rng.random() < 0.3 else 0.0))
    total = sum(c.cost_yuan for c in candidates)
    budgets = {y: round(total / len(years) * rng.uniform(0.3, 0.9), -4) for y in years}
    for y in years:  # room for the pins
        budgets[y] += sum(c.cost_yuan for c in candidates if c.pinned_year == y)
    cap_h = cap_k = None
    if caps and rng.random() < 0.5:
        cap_h = {y: rng.randint(300, 2000) + sum(c.households for c in candidates if c.pinned_year == y)
                 for y in years}
    if caps and rng.random() < 0.3:
        cap_k = {y: rng.randint(1, 6) + sum(1 for c in candidates if c.pinned_year == y) for y in years}
    return PlanInput(years=years, budgets=budgets, capacity_households=cap_h, capacity_communities=cap_k,
                     upgrade_weight=rng.choice([0.0, 0.25, 0.5])), candidates


@pytest.mark.parametrize("seed", range(12))
def test_small_instances_match_brute_force(seed):
    rng = random.Random(seed)
    plan, candidates = random_instance(rng, rng.randint(3, 6), YEARS[: rng.randint(2, 3)])
    best = brute_force(plan, candidates)
    result = optimise(plan, candidates)
    assert check_plan(plan, candidates, result) == []
    assert result.objective >= best * (1 - 1e-3) - 1e-6
    assert result.lp_bound >= best - 1e-6 * max(1.0, best)  # a true upper bound
    assert result.greedy_objective <= result.objective + 1e-6


def test_medium_instance_uses_the_core_and_is_close_to_the_bound():
    rng = random.Random(7)
    plan, candidates = random_instance(rng, 3000, [2021, 2022, 2023, 2024, 2025], caps=False)
    result = optimise(plan, candidates)
    assert result.method == "lagrangian-core"
    assert check_plan(plan, candidates, result) == []
    assert result.gap < 5e-4
    assert result.objective > result.greedy_objective


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10**9), n=st.integers(0, 30), t=st.integers(2, 5))
def test_every_plan_keeps_the_rules(seed, n, t):
    rng = random.Random(seed)
    years = list(range(2021, 2021 + t))
    plan, candidates = random_instance(rng, n, years)
    result = optimise(plan, candidates)
    assert len(result.placements) == n  # worked out, so that the check covers them too
    assert check_plan(plan, candidates, result) == []
    baseline = greedy(plan, candidates)
    assert check_plan(plan, candidates, baseline) == []
    assert result.objective >= baseline.objective - 1e-6
    for c in candidates:
        placed = result.placements[c.code]
        assert placed.reason in REASONS
        if c.pinned_year is not None:
            assert placed.year == c.pinned_year and placed.reason == "pinned"
        if c.excluded:
            assert placed.year is None and placed.reason == "excluded"
        if placed.upgrade_year is not None:
            assert placed.year is not None and placed.upgrade_year >= placed.year
        if placed.reason in ("budget", "capacity_households", "capacity_communities"):
            assert placed.detail["blocked_years"] and all(y < placed.year for y in placed.detail["blocked_years"])
        if placed.reason in ("unscheduled_budget", "unscheduled_capacity"):
            possible = [y for y in years if y >= (c.earliest_year or years[0])]
            assert placed.year is None and placed.detail["blocked_years"] == possible


def test_pins_that_overflow_a_budget_name_the_year_and_excess():
    candidates = [Candidate("A", 3e6, 100, 50, pinned_year=2021), Candidate("B", 2e6, 100, 50, pinned_year=2021),
                  Candidate("C", 1e6, 100, 50, pinned_year=2022)]
    plan = PlanInput(years=[2021, 2022], budgets={2021: 4e6, 2022: 5e6}, capacity_households={2022: 50})
    with pytest.raises(InfeasiblePins) as raised:
        optimise(plan, candidates)
    assert raised.value.problems == [
        {"year": 2021, "constraint": "budget", "excess": 1e6, "money": "all", "communities": ["A", "B"]},
        {"year": 2022, "constraint": "capacity_households", "excess": 50.0, "communities": ["C"]},
    ]


def test_explanations_name_what_held_a_community_back():
    # A is worth most per yuan and fills 2021; B would fit 2021's budget alone but waits for 2022
    candidates = [Candidate("A", 5e6, 100, 90), Candidate("B", 4e6, 100, 10),
                  Candidate("X", 1e6, 10, 99, excluded=True), Candidate("P", 1e6, 10, 1, pinned_year=2022),
                  Candidate("E", 1e6, 10, 80, earliest_year=2022), Candidate("Z", 9e6, 100, 80)]
    plan = PlanInput(years=[2021, 2022], budgets={2021: 6e6, 2022: 6e6})
    result = optimise(plan, candidates)
    reasons = {code: (p.year, p.reason) for code, p in result.placements.items()}
    assert reasons["A"] == (2021, "first_year")
    assert reasons["B"] == (2022, "budget")
    assert result.placements["B"].detail["blocked_years"] == [2021]
    assert reasons["X"] == (None, "excluded")
    assert reasons["P"] == (2022, "pinned")
    assert reasons["E"] == (2022, "earliest_year")
    assert reasons["Z"] == (None, "unscheduled_budget")
    assert check_plan(plan, candidates, result) == []


def test_upgrade_waits_for_basic_work_and_capacity_binds():
    candidates = [Candidate("A", 1e6, 400, 50, upgrade_cost_yuan=1e6), Candidate("B", 1e6, 400, 40)]
    plan = PlanInput(years=[2021, 2022], budgets={2021: 3.5e6, 2022: 2e6}, capacity_households={2021: 500})
    result = optimise(plan, candidates)
    assert result.placements["A"].year == 2021
    assert result.placements["A"].upgrade_year == 2021
    assert result.placements["B"].year == 2022
    assert result.placements["B"].reason == "capacity_households"
    assert check_plan(plan, candidates, result) == []


def test_result_json_has_the_documented_keys():
    candidates = [Candidate("A", 1e6, 100, 50), Candidate("B", 2e6, 100, 60)]
    plan = PlanInput(years=[2021, 2022], budgets={2021: 1.5e6, 2022: 2e6})
    document = result_json(optimise(plan, candidates))
    assert set(document) == {"objective", "lp_bound", "gap", "greedy_objective", "years", "unscheduled", "method",
                             "seconds", "gross_objective", "funding", "dual_values", "payers", "moves",
                             "previous_objective"}
    assert set(document["years"]) == {"2021", "2022"}
    assert set(document["years"]["2021"]) == {"communities", "cost_yuan", "basic_yuan", "upgrade_yuan", "households",
                                              "upgrades", "budget_left"}


def test_the_checker_catches_a_broken_plan():
    candidates = [Candidate("A", 1e6, 100, 50, pinned_year=2022), Candidate("B", 2e6, 100, 60)]
    plan = PlanInput(years=[2021, 2022], budgets={2021: 2e6, 2022: 2e6})
    result = optimise(plan, candidates)
    assert check_plan(plan, candidates, result) == []
    result.years[2021]["communities"].append("A")
    result.placements["A"].year = 2021
    problems = check_plan(plan, candidates, result)
    assert any("twice" in p for p in problems)
    result.years[2022]["communities"].remove("A")
    problems = check_plan(plan, candidates, result)
    assert any("pinned to 2022" in p for p in problems)
    assert any("over the money that may pay it" in p for p in problems)


def test_contradictory_input_is_a_value_error():
    plan = PlanInput(years=[2021, 2022], budgets={2021: 1e6, 2022: 1e6})
    with pytest.raises(ValueError, match="2030"):
        optimise(plan, [Candidate("A", 1e6, 100, 50, pinned_year=2030)])
    with pytest.raises(ValueError, match="duplicate"):
        optimise(plan, [Candidate("A", 1e6, 100, 50), Candidate("A", 1e6, 100, 50)])
