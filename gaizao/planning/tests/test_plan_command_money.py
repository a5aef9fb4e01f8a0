"""`gaizao plan` with the money's rules: funding file, cash flow, sub-district places, the adopted plan (issue 17)."""

import json

import pytest
from django.core.management import CommandError

from gaizao.planning.tests.test_plan_command import ROWS, run, write_csv

FUNDING = ["source", "year", "amount_yuan", "pays"]
SOURCES = [["central_subsidy", 2021, 6_000_000, "basic"], ["special_bonds", 2021, 3_000_000, "all"],
           ["provident_fund", 2021, 1_000_000, "upgrade"], ["central_subsidy", 2022, 6_000_000, "basic"],
           ["专项债券", 2022, 3_000_000, "全部"], ["central_subsidy", 2023, 5_000_000, "basic"],
           ["local_budget", 2023, 3_000_000, "all"]]


def table(tmp_path):
    return str(write_csv(tmp_path / "t.csv", ROWS))


def funding(tmp_path, rows=SOURCES):
    return str(write_csv(tmp_path / "funding.csv", rows, FUNDING))


def test_funding_file_cash_flow_and_subdistrict_capacity(tmp_path):
    out, _err = run("--candidates", table(tmp_path), "--funding", funding(tmp_path), "--cash-flow", "0.6,0.4",
                    "--capacity-subdistrict", "1", "--json")
    document = json.loads(out)
    assert set(document["funding"]) == {"2021", "2022", "2023"}
    assert set(document["funding"]["2022"]) == {"central_subsidy", "special_bonds"}
    for year, used in document["funding"].items():
        assert sum(used.values()) == pytest.approx(document["years"][year]["cost_yuan"])
        assert "central_subsidy" not in document["payers"][year]["upgrade"]
    starts = {}
    for year, bucket in document["years"].items():
        for code in bucket["communities"]:
            starts.setdefault((year, code[:2]), []).append(code)
    assert all(len(codes) == 1 for codes in starts.values())  # one start per sub-district and year
    assert all(value >= 0 for values in document["dual_values"].values() for value in values.values())


def test_previous_plan_frozen_and_penalised(tmp_path):
    previous = write_csv(tmp_path / "previous.csv", [["DC001", 2021, ""], ["NC002", 2023, ""], ["NC001", "", ""]],
                         ["code", "year", "upgrade_year"])
    out, _err = run("--candidates", table(tmp_path), "--funding", funding(tmp_path), "--previous", str(previous),
                    "--frozen-through", "2021", "--move-penalty", "100000", "--json")
    document = json.loads(out)
    assert "DC001" in document["years"]["2021"]["communities"]
    assert document["objective"] == pytest.approx(document["gross_objective"] - 100000 * len(document["moves"]))
    for move in document["moves"]:
        assert {"code", "from", "to", "reason"} <= set(move)
    text, _err = run("--candidates", table(tmp_path), "--funding", funding(tmp_path), "--previous", str(previous),
                     "--frozen-through", "2021")
    assert "2021" in text and "central_subsidy" in text


@pytest.mark.parametrize("rows, words", [
    ([["central_subsidy", 2021, -5, "basic"]], ["funding.csv", "2", "amount_yuan"]),
    ([["central_subsidy", 2021, 5, "elevators"]], ["2", "pays", "basic"]),
    ([["central_subsidy", 2030, 5, "basic"]], ["2030", "2021–2023"]),
    ([["", 2021, 5, "basic"]], ["funding.csv", "2", "source"]),
])
def test_a_bad_funding_row_is_refused_naming_it(tmp_path, rows, words):
    with pytest.raises(CommandError) as raised:
        run("--candidates", table(tmp_path), "--funding", funding(tmp_path, rows), "--years", "2021-2023")
    for word in words:
        assert word in str(raised.value)


def test_cash_flow_that_does_not_add_up_is_refused(tmp_path):
    with pytest.raises(CommandError, match="0.9"):
        run("--candidates", table(tmp_path), "--funding", funding(tmp_path), "--cash-flow", "0.6,0.3")


def test_a_frozen_community_that_no_longer_fits_is_refused_naming_it(tmp_path):
    previous = write_csv(tmp_path / "previous.csv", [["XC001", 2021, ""], ["NC001", 2021, ""]],
                         ["code", "year", "upgrade_year"])
    poor = [["central_subsidy", 2021, 6_000_000, "basic"], ["central_subsidy", 2022, 6_000_000, "basic"]]
    with pytest.raises(CommandError) as raised:
        run("--candidates", table(tmp_path), "--funding", funding(tmp_path, poor), "--previous", str(previous),
            "--frozen-through", "2021")
    assert "2021" in str(raised.value) and "XC001" in str(raised.value) and "NC001" in str(raised.value)


def test_budgets_and_funding_are_one_or_the_other(tmp_path):
    with pytest.raises(CommandError):
        run("--candidates", table(tmp_path), "--funding", funding(tmp_path), "--budgets", "2021=1")
