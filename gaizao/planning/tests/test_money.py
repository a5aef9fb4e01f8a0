"""The plain functions that read a scenario's money: who pays a community, each source's use, what money is worth,
what a re-plan moves; and the checks of funding rows and cash flows."""

import pytest

from gaizao.planning import funding, money

PAYERS = {
    "2023": {"basic": {"central_subsidy": 0.5, "special_bonds": 0.5}, "upgrade": {"provident_fund": 1.0}},
    "2024": {"basic": {"special_bonds": 1.0}, "upgrade": {"special_bonds": 0.25, "provident_fund": 0.75}},
}


def test_a_community_is_paid_as_its_years_spending_is_paid():
    paid = money.payers_of(2_000_000, 2023, 0, None, [1.0], PAYERS, last_year=2025)
    assert paid == {"central_subsidy": 1_000_000, "special_bonds": 1_000_000}


def test_the_cash_flow_spreads_a_cost_and_its_payers_over_the_years():
    # 60 % in 2023 (half central subsidy, half bonds), 40 % in 2024 (bonds).
    paid = money.payers_of(1_000_000, 2023, 0, None, [0.6, 0.4], PAYERS, last_year=2025)
    assert paid == pytest.approx({"central_subsidy": 300_000, "special_bonds": 700_000})
    assert money.spread(1_000_000, 2025, [0.6, 0.4]) == pytest.approx({2025: 600_000, 2026: 400_000})
    # A year's spending: 40 % of what started the year before and 60 % of what starts in it.
    spent = money.spending_by_year({2023: 1_000_000, 2024: 2_000_000}, [0.6, 0.4])
    assert spent == pytest.approx({2023: 600_000, 2024: 1_600_000, 2025: 800_000})


def test_upgrade_work_is_paid_from_its_own_year_by_those_who_pay_upgrades():
    paid = money.payers_of(1_000_000, 2023, 400_000, 2024, [1.0], PAYERS, last_year=2025)
    assert paid == pytest.approx({"central_subsidy": 500_000, "special_bonds": 600_000, "provident_fund": 300_000})
    assert "provident_fund" not in money.payers_of(1_000_000, 2023, 400_000, None, [1.0], PAYERS, 2025)


def test_spending_after_the_last_year_belongs_to_the_next_programme():
    paid = money.payers_of(1_000_000, 2024, 0, None, [0.6, 0.4], PAYERS, last_year=2024)
    assert paid == pytest.approx({"special_bonds": 600_000, funding.LATER: 400_000})


def test_without_payers_the_budget_pays_everything():
    assert money.payers_of(800_000, 2022, 0, None, [1.0], {}, last_year=2025) == {funding.BUDGET_SOURCE: 800_000}
    assert money.payers_of(800_000, None, 0, None, [1.0], PAYERS, last_year=2025) == {}


def test_each_source_shows_its_use_and_what_is_left():
    sources = {"2023": [{"code": "central_subsidy", "amount_yuan": 5_000_000, "pays": "basic"},
                        {"code": "special_bonds", "amount_yuan": 3_000_000, "pays": "all"}]}
    used = {"2023": {"central_subsidy": 5_000_000, "special_bonds": 1_200_000}}
    table = money.source_use(sources, {}, used, [2023, 2024])
    assert [(r["code"], r["used"], r["left"]) for r in table[2023]] == [
        ("central_subsidy", 5_000_000, 0), ("special_bonds", 1_200_000, 1_800_000)]
    # A year without sources has its budget as the one source.
    assert money.source_use(None, {"2024": 4_000_000}, {}, [2024])[2024] == [
        {"year": 2024, "code": "budget", "pays": "all", "amount": 4_000_000, "used": 0.0, "left": 4_000_000}]
    # Across the years, a source missing in a year has no cell there.
    sources["2024"] = [{"code": "special_bonds", "amount_yuan": 1_000_000}]
    matrix = money.source_matrix(money.source_use(sources, {}, used, [2023, 2024]), [2023, 2024])
    assert [row["code"] for row in matrix] == ["central_subsidy", "special_bonds"]
    assert matrix[0]["cells"][1] is None and matrix[1]["cells"][1]["amount"] == 1_000_000


def test_what_ten_million_more_buys_in_households_brought_forward():
    candidates = [{"code": "A", "households": 100, "need_score": 60.0},
                  {"code": "B", "households": 300, "need_score": 40.0},
                  {"code": "C", "households": 500, "need_score": 90.0}]  # not scheduled: not in the mean
    placements = {"A": {"year": 2023}, "B": {"year": 2024}, "C": {"year": None}}
    assert money.mean_need(candidates, placements) == pytest.approx(45.0)  # (100·60 + 300·40) / 400
    duals = {"2023": {"special_bonds": 90.0, "central_subsidy": 0.0}, "2024": {"local_budget": 4.5}}
    rows = money.worth(duals, candidates, placements)
    # 90 per 10,000 yuan → 90,000 per 10 million yuan → / 45 = 2,000 households a year earlier.
    assert [(r["year"], r["source"], r["households"]) for r in rows] == [
        (2023, "special_bonds", pytest.approx(2000)), (2024, "local_budget", pytest.approx(100))]


def test_a_replan_counts_its_moves_and_gain_against_the_adopted_plan():
    inputs = {"previous": {"A": [2023, None]}}
    result = {"objective": 1004.0, "previous_objective": 1000.0, "moves": [{"code": "A", "from": 2023, "to": 2024}]}
    assert money.replan_summary(inputs, result) == {"moves": 1, "gain_percent": pytest.approx(0.4), "fits": True}
    assert money.replan_summary(inputs, {**result, "previous_objective": None})["fits"] is False
    assert money.replan_summary({"previous": None}, result) is None


@pytest.mark.parametrize(("rows", "expected"), [
    ([{"code": "special_bonds", "amount_yuan": -5, "pays": "all"}], ["2023", "专项债券", "-5"]),
    ([{"code": "special_bonds", "amount_yuan": 5, "pays": "elevators"}], ["2023", "专项债券", "elevators"]),
    ([{"code": "gold", "amount_yuan": 5, "pays": "all"}], ["2023", "gold", "special_bonds"]),
    ([{"code": "special_bonds", "amount_yuan": "lots", "pays": "all"}], ["2023", "专项债券", "lots"]),
])
def test_bad_funding_rows_are_named(rows, expected):
    problems = funding.funding_problems({"2023": rows}, [2022, 2023, 2024])
    assert len(problems) == 1 and all(word in problems[0] for word in expected)


def test_a_year_outside_the_programme_is_named_with_the_programmes_years():
    problems = funding.funding_problems({"2030": [{"code": "central_subsidy", "amount_yuan": 1, "pays": "basic"}]},
                                        [2022, 2023, 2024])
    assert len(problems) == 1 and all(word in problems[0] for word in ("2030", "中央补助资金", "2022", "2024"))


def test_cash_flow_shares_must_add_up_to_one():
    assert funding.cash_flow_problems([0.6, 0.4]) == []
    assert funding.cash_flow_problems([1.0]) == []
    (problem,) = funding.cash_flow_problems([0.6, 0.3])
    assert "60%" in problem and "30%" in problem and "90%" in problem
    (negative,) = funding.cash_flow_problems([1.2, -0.2])
    assert "-20%" in negative
    assert funding.cash_flow_problems([])


def test_quick_variants_edit_a_copy_of_the_funding():
    original = {"2023": [{"code": "special_bonds", "amount_yuan": 10_000_000, "pays": "all"},
                         {"code": "provident_fund", "amount_yuan": 2_000_000, "pays": "upgrade"}],
                "2024": [{"code": "special_bonds", "amount_yuan": 10_000_000, "pays": "all"}]}
    cut = funding.apply_variant(original, "bonds_cut", 2023)
    assert cut["2023"][0]["amount_yuan"] == 8_000_000 and cut["2024"][0]["amount_yuan"] == 10_000_000
    assert original["2023"][0]["amount_yuan"] == 10_000_000
    dropped = funding.apply_variant(original, "no_provident_fund")
    assert [r["code"] for r in dropped["2023"]] == ["special_bonds"]
    assert funding.budgets_of(dropped) == {"2023": 10_000_000, "2024": 10_000_000}
