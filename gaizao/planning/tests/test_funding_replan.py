"""Re-planning with the optimiser's own numbers (issue 17): a run's money adds up to what its plan spends, the
communities under way never move and a plan that cannot hold them fails naming them, a cut in one year's bonds
moves communities against the adopted plan, and the money's worth reads on the page."""

from decimal import Decimal

import pytest
from django.urls import reverse

from gaizao.planning import funding
from gaizao.planning import programme as programmes
from gaizao.planning.tests.test_funding_pages import SOURCES, funded, run  # noqa: F401 (fixture)
from gaizao.planning.tests.test_programme import small_programme  # noqa: F401 (fixture)


@pytest.fixture
def adopted(funded, bureau):  # noqa: F811
    programmes.adopt(bureau, run(funded))
    return funded


def test_the_money_used_adds_up_to_what_the_plan_spends(funded, bureau):  # noqa: F811
    funding.save_rules(bureau, funded, cash_flow=[0.6, 0.4], capacity_subdistrict=None, move_penalty=Decimal(0))
    scenario = run(funded)
    assert scenario.status == "done", scenario.message
    result = scenario.result
    rows = {row["code"]: row for row in programmes.candidate_rows(scenario.inputs)}
    spent = {}
    for code, placed in result["placements"].items():
        if placed["year"] is not None:
            for k, share in enumerate([0.6, 0.4]):
                spent[placed["year"] + k] = spent.get(placed["year"] + k, 0) + rows[code]["cost_yuan"] * share
    for year in funded.years:
        used = result["funding"][str(year)]
        assert sum(used.values()) == pytest.approx(spent.get(year, 0), abs=1)
        assert used.get("central_subsidy", 0) <= 2_000_000 + 1 and used.get("special_bonds", 0) <= 2_000_000 + 1
    # Each source pays no more than it has, and the board says so.
    programmes.adopt(bureau, scenario)


def test_communities_under_way_stay_and_a_plan_that_cannot_hold_them_fails(adopted, bureau):
    under_way = {a.community.code: a.year for a in adopted.assignments.filter(year=2022).select_related("community")}
    assert under_way
    again = run(adopted)
    assert again.status == "done", again.message
    assert {code: again.result["placements"][code]["year"] for code in under_way} == under_way
    # 2022's money cut below what its communities cost: the run fails, naming them; nothing adopted changes.
    funding.save_year_funding(bureau, adopted, 2022, [{"code": "special_bonds", "amount_yuan": 1_000_000,
                                                       "pays": "all"}])
    failed = run(adopted)
    assert failed.status == "failed" and failed.result is None
    assert "2022" in failed.message
    assert any(name in failed.message for name in adopted.assignments.filter(year=2022)
               .values_list("community__name", flat=True))
    assert dict(adopted.assignments.filter(year=2022).values_list("community__code", "year")) == under_way


def test_a_cut_in_bonds_moves_communities_and_the_page_says_so(adopted, bureau, client):
    inputs = programmes.default_inputs(adopted)
    inputs["funding"] = funding.apply_variant(inputs["funding"], "bonds_cut", 2023)
    inputs["funding"]["2023"][1]["amount_yuan"] = 0  # no bonds in 2023 at all: one community no longer fits
    inputs["budgets"] = funding.budgets_of(inputs["funding"])
    scenario = run(adopted, inputs=inputs)
    assert scenario.status == "done", scenario.message
    moves = scenario.result["moves"]
    assert any(m["from"] == 2023 and m["reason"] == "budget" for m in moves)
    client.force_login(bureau)
    page = client.get(reverse("planning:scenario", args=[scenario.pk])).content.decode()
    assert f'data-moves="{len(moves)}"' in page and page.count("data-move=") == len(moves)


def test_a_binding_source_has_its_sentence_and_a_slack_one_none(funded, bureau, client):  # noqa: F811
    funding.save_year_funding(bureau, funded, 2024, [*SOURCES, {"code": "local_budget", "amount_yuan": 50_000_000,
                                                                "pays": "all"}])
    scenario = run(funded)
    duals = scenario.result["dual_values"]
    assert duals["2024"]["local_budget"] == 0
    client.force_login(bureau)
    page = client.get(reverse("planning:scenario", args=[scenario.pk])).content.decode()
    assert 'data-worth="2024-local_budget"' not in page
    binding = [(year, source) for year, values in duals.items() for source, value in values.items() if value > 0]
    assert binding and all(f'data-worth="{year}-{source}"' in page for year, source in binding)
