"""The plan the money allows (issue 17), as rules: who may pay what, cash flow, sub-district places, re-planning."""

import multiprocessing
import random

import pytest

from gaizao.planning.optimiser import (
    Adopted,
    Candidate,
    InfeasiblePins,
    PlanInput,
    Source,
    check_plan,
    optimise,
    result_json,
)

YEARS = [2021, 2022, 2023, 2024, 2025]


def district(seed: int, n: int = 180):
    """A made-up district with four sources, 60/40 cash flow, sub-district places and a household cap."""
    rng = random.Random(seed)
    candidates = [Candidate(f"C{i:03d}", rng.randint(15, 80) * 100_000, rng.randint(30, 400),
                            round(rng.uniform(0, 100), 1), subdistrict=f"SD{i % 7}",
                            upgrade_cost_yuan=rng.choice([0, 0, 0, rng.randint(5, 20) * 100_000]))
                  for i in range(n)]
    yearly = sum(c.cost_yuan for c in candidates) / 5
    funding = {y: [Source("central_subsidy", round(0.4 * yearly, -4), "basic"),
                   Source("special_bonds", round(0.3 * yearly, -4), "all"),
                   Source("local_budget", round(0.25 * yearly, -4), "all"),
                   Source("provident_fund", round(0.05 * yearly, -4), "upgrade")] for y in YEARS}
    households = sum(c.households for c in candidates) // 5
    return PlanInput(YEARS, funding=funding, cash_flow=(0.6, 0.4), capacity_households=dict.fromkeys(YEARS, households),
                     capacity_subdistrict={"*": dict.fromkeys(YEARS, 7)}), candidates


def _burn(seconds: float) -> None:
    import time

    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        pass


def test_the_same_table_gives_the_same_plan_twice_and_under_load():
    plan, candidates = district(3, 120)
    first = result_json(optimise(plan, candidates))
    burners = [multiprocessing.get_context("spawn").Process(target=_burn, args=(15,)) for _ in range(3)]
    for burner in burners:
        burner.start()
    try:
        loaded = result_json(optimise(plan, candidates))
    finally:
        for burner in burners:
            burner.terminate()
    again = result_json(optimise(plan, candidates))
    for other in (loaded, again):
        assert other["years"] == first["years"]
        assert other["objective"] == first["objective"]


def test_a_central_subsidy_never_pays_upgrade_work():
    candidates = [Candidate("A", 1e6, 100, 80, upgrade_cost_yuan=5e5), Candidate("B", 1e6, 100, 70,
                                                                                 upgrade_cost_yuan=5e5)]
    only_subsidy = PlanInput([2021, 2022], funding={y: [Source("central_subsidy", 5e6, "basic")] for y in (2021, 2022)})
    result = optimise(only_subsidy, candidates)
    assert all(not bucket["upgrades"] for bucket in result.years.values())
    assert result.placements["A"].year == 2021 and result.placements["B"].year == 2021
    with_bonds = PlanInput([2021, 2022], funding={y: [Source("central_subsidy", 5e6, "basic"),
                                                      Source("special_bonds", 6e5, "all")] for y in (2021, 2022)})
    result = optimise(with_bonds, candidates)
    assert check_plan(with_bonds, candidates, result) == []
    for year in (2021, 2022):
        assert "central_subsidy" not in result.payers[year]["upgrade"]
        assert result.funding[year].get("special_bonds", 0) >= result.years[year]["upgrade_yuan"] - 1e-6


def test_cash_flow_puts_40_percent_of_a_2025_start_into_2026():
    plan = PlanInput([2025, 2026], funding={2025: [Source("special_bonds", 1e6, "all")],
                                            2026: [Source("special_bonds", 1e6, "all")]}, cash_flow=(0.6, 0.4))
    result = optimise(plan, [Candidate("A", 1e6, 100, 50)])
    assert result.placements["A"].year == 2025
    assert result.funding[2025]["special_bonds"] == pytest.approx(600_000)
    assert result.funding[2026]["special_bonds"] == pytest.approx(400_000)
    # 700,000 yuan in 2025 cannot take 60 % of a 1.2 million start, so it waits; its 40 % falls after the programme
    tight = PlanInput([2025, 2026], funding={2025: [Source("special_bonds", 7e5, "all")],
                                             2026: [Source("special_bonds", 8e5, "all")]}, cash_flow=(0.6, 0.4))
    result = optimise(tight, [Candidate("A", 1.2e6, 100, 50)])
    assert result.placements["A"].year == 2026
    assert result.funding[2026]["special_bonds"] == pytest.approx(720_000)


def test_a_subdistrict_at_capacity_pushes_its_next_community_a_year():
    candidates = [Candidate("A", 1e6, 100, 90, subdistrict="东城"), Candidate("B", 1e6, 100, 80, subdistrict="东城"),
                  Candidate("C", 1e6, 100, 10, subdistrict="西城")]
    plan = PlanInput([2021, 2022], budgets={2021: 1e7, 2022: 1e7}, capacity_subdistrict={"东城": {2021: 1, 2022: 1}})
    result = optimise(plan, candidates)
    assert result.placements["A"].year == 2021
    assert result.placements["B"].year == 2022
    assert result.placements["B"].reason == "capacity_subdistrict"
    assert result.placements["C"].year == 2021
    every = PlanInput([2021, 2022], budgets={2021: 1e7, 2022: 1e7}, capacity_subdistrict={"*": {2021: 1}})
    assert optimise(every, candidates).placements["B"].year == 2022


def test_frozen_communities_never_move():
    # A was adopted for 2021 (under way); B is worth far more and would take its money, but A stays
    candidates = [Candidate("A", 1e6, 100, 10, upgrade_cost_yuan=1e5), Candidate("B", 1e6, 100, 90)]
    plan = PlanInput([2021, 2022], budgets={2021: 1.1e6, 2022: 1.1e6}, previous={"A": Adopted(2021, 2022)},
                     frozen_through=2021)
    result = optimise(plan, candidates)
    assert (result.placements["A"].year, result.placements["A"].upgrade_year) == (2021, 2022)
    assert result.placements["A"].reason == "frozen"
    assert result.placements["B"].year == 2022
    assert check_plan(plan, candidates, result) == []


def test_a_frozen_community_that_no_longer_fits_is_refused_naming_it():
    plan = PlanInput([2021, 2022], funding={2021: [Source("central_subsidy", 5e5, "basic")],
                                            2022: [Source("central_subsidy", 5e6, "basic")]},
                     previous={"A": Adopted(2021)}, frozen_through=2021)
    with pytest.raises(InfeasiblePins) as raised:
        optimise(plan, [Candidate("A", 1e6, 100, 50), Candidate("B", 1e6, 100, 50)])
    problem = raised.value.problems[0]
    assert problem["year"] == 2021 and problem["constraint"] == "budget" and problem["communities"] == ["A"]
    assert problem["excess"] == pytest.approx(5e5)


def _replan(penalty: float):
    """Twelve communities adopted over 2022–2024; 2022's bonds are then cut by half."""
    candidates = [Candidate(f"C{i:02d}", 1e6, 100, 50 + i, subdistrict="SD") for i in range(12)]
    adopted = {c.code: Adopted(2022 + i % 3) for i, c in enumerate(candidates)}
    funding = {2022: [Source("special_bonds", 2e6, "all")], 2023: [Source("special_bonds", 4e6, "all")],
               2024: [Source("special_bonds", 4e6, "all")]}
    plan = PlanInput([2022, 2023, 2024], funding=funding, previous=adopted, move_penalty=penalty)
    return plan, candidates, optimise(plan, candidates)


def test_the_move_penalty_trades_objective_for_fewer_moves():
    free_plan, candidates, free = _replan(0.0)
    _plan, _candidates, stable = _replan(10_000.0)
    assert check_plan(free_plan, candidates, free) == []
    assert len(stable.moves) < len(free.moves)
    assert stable.gross_objective <= free.gross_objective
    assert stable.objective == pytest.approx(stable.gross_objective - 10_000.0 * len(stable.moves))
    # 2022 can hold two of its four adopted communities: at least two move, each for 2022's bonds running out
    pushed = [m for m in stable.moves if m["from"] == 2022]
    assert len(pushed) >= 2
    assert all(m["reason"] == "budget" and m["source"] == "special_bonds" for m in pushed)


def test_a_binding_source_has_a_positive_dual_value_and_a_slack_one_none():
    candidates = [Candidate(f"C{i}", 1e6, 100, 50 + i, upgrade_cost_yuan=1e5 if i < 2 else 0) for i in range(8)]
    plan = PlanInput([2021, 2022], funding={y: [Source("central_subsidy", 3e6, "basic"),
                                                Source("provident_fund", 5e6, "upgrade")] for y in (2021, 2022)})
    result = optimise(plan, candidates)
    assert result.dual_values[2021]["central_subsidy"] > 0
    assert result.dual_values[2021]["provident_fund"] == 0
    assert result.funding[2021]["provident_fund"] < 5e6


@pytest.mark.parametrize("change, words", [
    ({"funding": {2021: [Source("special_bonds", -1, "all")]}}, "≥ 0"),
    ({"funding": {2021: [Source("special_bonds", 1e6, "elevators")]}}, "basic, upgrade or all"),
    ({"funding": {2030: [Source("special_bonds", 1e6, "all")]}}, "2030"),
    ({"cash_flow": (0.6, 0.3)}, "add up to 1"),
])
def test_bad_money_is_refused_with_what_to_change(change, words):
    base = {"years": [2021, 2022], "funding": {2021: [Source("special_bonds", 1e6, "all")]}}
    with pytest.raises(ValueError, match=words):
        optimise(PlanInput(**{**base, **change}), [Candidate("A", 1e6, 100, 50)])
