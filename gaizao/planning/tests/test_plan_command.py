"""`gaizao plan`: a planning table in, the programme out (JSON or a readable table); bad tables refused."""

import csv
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from gaizao.planning.optimiser import Candidate, PlanInput, check_plan, optimise

HEADER = ["code", "cost_yuan", "households", "need_score", "subdistrict", "earliest_year", "pinned_year", "excluded",
          "upgrade_cost_yuan"]
ROWS = [
    ["DC001", 3000000, 72, 88.5, "东城", "", "", "否", 1500000],
    ["DC002", "4,200,000", 120, 61, "东城", "", 2022, "no", ""],
    ["XC001", 5100000, 300, 75, "西城", 2022, "", 0, ""],
    ["XC002", 2500000, 48, 40, "西城", "", "", "是", ""],
    ["NC001", 4800000, 210, 93, "南城", "", "", "false", 800000],
    ["NC002", 3900000, 95, 55, "南城", "", "", "", ""],
    [140802001, 2200000, 64, 70, "北城", "", "", "1", ""],
]
BUDGETS = "2021=9000000,2022=9000000,2023=8000000"
KEYS = {"objective", "lp_bound", "gap", "greedy_objective", "years", "unscheduled", "method", "seconds",
        "gross_objective", "funding", "dual_values", "payers", "moves", "previous_objective"}


def write_csv(path, rows, header=HEADER):
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_xlsx(path, rows, header=HEADER):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append([None if v == "" else v for v in row])
    workbook.save(path)
    return path


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("plan", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.parametrize("writer, name", [(write_csv, "table.csv"), (write_xlsx, "table.xlsx")])
def test_json_from_a_table(tmp_path, writer, name):
    path = writer(tmp_path / name, ROWS)
    out, _err = run("--candidates", str(path), "--budgets", BUDGETS, "--capacity-households", "400", "--json")
    document = json.loads(out)
    assert set(document) == KEYS
    assert set(document["years"]) == {"2021", "2022", "2023"}
    for bucket in document["years"].values():
        assert {"communities", "cost_yuan", "households"} <= set(bucket)
        assert bucket["households"] <= 400
    assert "DC002" in document["years"]["2022"]["communities"]  # pinned
    assert "XC002" in document["unscheduled"] and "140802001" in document["unscheduled"]  # excluded
    assert "XC001" not in document["years"]["2021"]["communities"]  # earliest 2022
    assert document["objective"] <= document["lp_bound"] + 1e-6
    assert document["objective"] >= document["greedy_objective"] - 1e-6


def test_the_cli_matches_the_library_and_keeps_the_rules(tmp_path):
    path = write_csv(tmp_path / "t.csv", ROWS)
    out, _err = run("--candidates", str(path), "--budgets", BUDGETS, "--json")
    document = json.loads(out)
    candidates = [
        Candidate("DC001", 3e6, 72, 88.5, upgrade_cost_yuan=1.5e6),
        Candidate("DC002", 4.2e6, 120, 61, pinned_year=2022),
        Candidate("XC001", 5.1e6, 300, 75, earliest_year=2022), Candidate("XC002", 2.5e6, 48, 40, excluded=True),
        Candidate("NC001", 4.8e6, 210, 93, upgrade_cost_yuan=8e5), Candidate("NC002", 3.9e6, 95, 55),
        Candidate("140802001", 2.2e6, 64, 70, excluded=True)]
    plan = PlanInput(years=[2021, 2022, 2023], budgets={2021: 9e6, 2022: 9e6, 2023: 8e6})
    result = optimise(plan, candidates)
    assert check_plan(plan, candidates, result) == []
    assert document["objective"] == pytest.approx(result.objective, rel=1e-3)


def test_the_cli_is_within_a_tenth_of_a_percent_of_the_exact_optimum(tmp_path):
    import random

    import numpy as np

    from gaizao.planning.optimiser import mip
    from gaizao.planning.optimiser.instance import Schedule, build_instance, constant

    rng = random.Random(4)
    rows = [[f"R{i:02d}", rng.randint(20, 60) * 100_000, rng.randint(30, 500), round(rng.uniform(0, 100), 1), "", "",
             "", "", rng.choice([0, 0, 0, 1_000_000])] for i in range(25)]
    path = write_csv(tmp_path / "t.csv", rows)
    total = sum(r[1] for r in rows)
    budgets = {2021: round(total * 0.35, -5), 2022: round(total * 0.3, -5), 2023: round(total * 0.25, -5)}
    capacity = sum(r[2] for r in rows) // 3
    out, _err = run("--candidates", str(path), "--budgets", ",".join(f"{y}={b:.0f}" for y, b in budgets.items()),
                    "--capacity-households", str(capacity), "--json")
    document = json.loads(out)
    candidates = [Candidate(r[0], r[1], r[2], r[3], upgrade_cost_yuan=r[8]) for r in rows]
    plan = PlanInput([2021, 2022, 2023], budgets, capacity_households=dict.fromkeys(budgets, capacity))
    inst = build_instance(plan, candidates)
    sub = mip.build(inst, np.arange(inst.n), inst.limit, offset=constant(inst))
    empty = Schedule(np.full(inst.n, -1), np.full(inst.n, -1))
    _plan, best, _bound = mip.solve(sub, empty, nodes=10**7, rel_gap=0.0, time_limit=20)
    assert document["objective"] >= best * 0.999
    assert document["lp_bound"] >= best - 1e-6 * best


def test_readable_table(tmp_path):
    path = write_csv(tmp_path / "t.csv", ROWS)
    out, _err = run("--candidates", str(path), "--budgets", BUDGETS, "--capacity-communities", "2021=2,2022=3",
                    "--upgrade-weight", "0.5", "--time-limit", "1")
    lines = out.splitlines()
    assert any(line.strip().startswith("2021") for line in lines)
    assert any(line.strip().startswith("2023") for line in lines)
    assert "%" in out and "lns" in out


@pytest.mark.parametrize("rows, header, row, column", [
    (ROWS, [h for h in HEADER if h != "need_score"], "1", "need_score"),
    ([*ROWS[:2], ["X1", "lots", 10, 5, "", "", "", "", ""]], HEADER, "4", "cost_yuan"),
    ([*ROWS[:2], ["DC001", 100, 10, 5, "", "", "", "", ""]], HEADER, "4", "code"),
    ([*ROWS[:2], ["X1", 100, 10, 5, "", "", 2030, "", ""]], HEADER, "4", "pinned_year"),
    ([*ROWS[:2], ["X1", 100, 10.5, 5, "", "", "", "", ""]], HEADER, "4", "households"),
    ([*ROWS[:2], ["X1", 100, 10, 5, "", "", "", "maybe", ""]], HEADER, "4", "excluded"),
])
def test_a_bad_table_is_refused_naming_row_and_column(tmp_path, rows, header, row, column):
    if column == "need_score":
        rows = [r[:3] + r[4:] for r in rows]
    path = write_csv(tmp_path / "bad.csv", rows, header)
    out = StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("plan", "--candidates", str(path), "--budgets", BUDGETS, "--json", stdout=out)
    message = str(raised.value)
    assert column in message and row in message
    assert out.getvalue() == ""


def test_a_bad_xlsx_cell_is_refused(tmp_path):
    path = write_xlsx(tmp_path / "bad.xlsx", [*ROWS[:1], ["X1", -5, 10, 5, "", "", "", "", ""]])
    with pytest.raises(CommandError, match="cost_yuan"):
        run("--candidates", str(path), "--budgets", BUDGETS)


def test_pins_beyond_the_budget_name_the_year(tmp_path):
    path = write_csv(tmp_path / "t.csv", ROWS)
    with pytest.raises(CommandError) as raised:
        run("--candidates", str(path), "--budgets", "2021=9000000,2022=4000000,2023=8000000", "--json")
    assert "2022" in str(raised.value) and "200,000" in str(raised.value)


@pytest.mark.parametrize("args", [
    ["--budgets", "2021:9000000"],
    ["--budgets", BUDGETS, "--capacity-households", "2030=5"],
    ["--budgets", BUDGETS, "--capacity-households", "many"],
])
def test_bad_options(tmp_path, args):
    path = write_csv(tmp_path / "t.csv", ROWS)
    with pytest.raises(CommandError):
        run("--candidates", str(path), *args)


def test_a_csv_saved_by_excel_in_chinese(tmp_path):
    path = tmp_path / "gbk.csv"
    lines = [",".join(HEADER)] + [",".join(str(v).replace(",", "") for v in row) for row in ROWS]
    path.write_bytes("\r\n".join(lines).encode("gb18030"))
    out, _err = run("--candidates", str(path), "--budgets", BUDGETS, "--json")
    assert "XC002" in json.loads(out)["unscheduled"]  # 是 read as excluded


def test_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="nothing.csv"):
        run("--candidates", str(tmp_path / "nothing.csv"), "--budgets", BUDGETS)
