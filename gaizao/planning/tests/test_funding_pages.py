"""Funding sources on the programme's pages (issue 17): the model's rules, editing a year's sources and the rules of
re-planning, what the board and a scenario say of the money, quick variants, comparing, the API, and who may."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from gaizao.core.models import AuditEntry
from gaizao.planning import funding
from gaizao.planning import programme as programmes
from gaizao.planning.models import Programme, ProgrammeFunding, Scenario
from gaizao.planning.tests.test_programme import run, small_programme  # noqa: F401 (fixture)

SOURCES = [{"code": "central_subsidy", "amount_yuan": 2_000_000, "pays": "basic"},
           {"code": "special_bonds", "amount_yuan": 2_000_000, "pays": "all"}]


@pytest.fixture
def funded(small_programme):  # noqa: F811
    for year in small_programme.years:
        funding.save_year_funding(None, small_programme, year, SOURCES)
    return small_programme


def fake_result(scenario, **extra):
    """A finished run with the money fields the optimiser reports (so pages can be read without its numbers)."""
    codes = [row["code"] for row in programmes.candidate_rows(scenario.inputs)]
    result = {"objective": 1004.0, "lp_bound": 1010.0, "gap": 0.006, "greedy_objective": 990.0, "gain_percent": 1.4,
              "years": {}, "unscheduled": [],
              "placements": {code: {"year": 2022 if n < 2 else 2023, "upgrade_year": None, "reason": "budget",
                                    "detail": {}} for n, code in enumerate(codes)},
              "funding": {"2022": {"central_subsidy": 2_000_000, "special_bonds": 1_500_000}},
              "payers": {"2022": {"basic": {"central_subsidy": 0.6, "special_bonds": 0.4}, "upgrade": {}}},
              "dual_values": {"2023": {"special_bonds": 90.0, "central_subsidy": 0.0}},
              "moves": [{"code": codes[0], "from": 2023, "to": 2022, "reason": "room"},
                        {"code": codes[1], "from": 2022, "to": None, "reason": "budget", "source": "special_bonds"}],
              "gross_objective": 1010.0, "previous_objective": 1000.0, **extra}
    Scenario.objects.filter(pk=scenario.pk).update(status=Scenario.Status.DONE, result=result)
    scenario.refresh_from_db()
    return scenario


# -- the model ---------------------------------------------------------------------------------------------------
def test_the_database_refuses_negative_amounts_unknown_pays_and_a_source_twice(funded):
    for values in ({"source": "local_budget", "amount_yuan": Decimal(-1), "pays": "all"},
                   {"source": "local_budget", "amount_yuan": Decimal(1), "pays": "elevators"},
                   {"source": "special_bonds", "amount_yuan": Decimal(1), "pays": "all"}):
        with pytest.raises(IntegrityError), transaction.atomic():
            ProgrammeFunding.objects.create(programme=funded, year=2022, **values)
    funded.capacity_subdistrict = 0
    with pytest.raises(IntegrityError), transaction.atomic():
        funded.save(update_fields=["capacity_subdistrict"])


def test_a_cash_flow_adds_up_to_one(funded):
    funded.cash_flow = [0.6, 0.3]
    with pytest.raises(ValidationError) as error:
        funded.full_clean()
    assert "cash_flow" in error.value.message_dict
    funded.cash_flow = [0.6, 0.4]
    funded.full_clean()


def test_saving_a_year_sets_its_budget_to_the_sum_and_keeps_history(funded, bureau):
    funding.save_year_funding(bureau, funded, 2023, [{"code": "local_budget", "amount_yuan": 1_500_000, "pays": "all"},
                                                     {"code": "provident_fund", "amount_yuan": 500_000,
                                                      "pays": "upgrade"}])
    assert funded.year_rows.get(year=2023).budget_yuan == 2_000_000
    assert list(funded.funding_rows.filter(year=2023).values_list("source", "position")) == [
        ("local_budget", 0), ("provident_fund", 1)]
    entry = AuditEntry.objects.filter(actor=bureau).latest("pk")
    assert entry.after["funding 2023"][0]["source"] == "local_budget"
    with pytest.raises(ValidationError) as error:
        funding.save_year_funding(bureau, funded, 2030, SOURCES)
    assert "2030" in error.value.messages[0]


# -- the inputs --------------------------------------------------------------------------------------------------
def test_the_inputs_carry_the_money_the_rules_and_the_adopted_plan(funded, bureau):
    funding.save_rules(bureau, funded, cash_flow=[0.6, 0.4], capacity_subdistrict=2, move_penalty=Decimal(2000))
    inputs = programmes.default_inputs(funded)
    assert inputs["funding"]["2022"] == SOURCES and inputs["budgets"]["2022"] == 4_000_000
    assert inputs["cash_flow"] == [0.6, 0.4] and inputs["move_penalty"] == 2000
    assert inputs["capacity_subdistrict"] == {"*": {"2022": 2, "2023": 2, "2024": 2}}
    assert inputs["frozen_through"] == 2022 and inputs["previous"] is None
    scenario = run(funded)
    programmes.adopt(bureau, scenario)
    previous = programmes.default_inputs(funded)["previous"]
    assert set(previous) == {f"P{n}" for n in range(6)}
    assert all(previous[a.community.code] == [a.year, a.upgrade_year]
               for a in funded.assignments.select_related("community"))


def test_a_programme_without_sources_plans_against_its_budgets(small_programme):  # noqa: F811
    inputs = programmes.default_inputs(small_programme)
    assert inputs["funding"] is None and inputs["budgets"]["2023"] == 4_000_000
    plan = programmes.plan_input(small_programme, inputs)
    assert plan.funding is None and plan.budgets[2023] == 4_000_000 and plan.cash_flow == (1.0,)


def test_a_scenario_keeps_its_candidates_and_a_rerun_gives_the_same_plan(funded, bureau, client,
                                                                         django_capture_on_commit_callbacks):
    first = run(funded)
    table = first.inputs["candidates"]
    assert table["columns"][:4] == ["code", "cost_yuan", "households", "need_score"] and len(table["rows"]) == 6
    plan = programmes.plan_input(funded, first.inputs)
    assert [s.code for s in plan.funding[2022]] == ["central_subsidy", "special_bonds"]
    assert plan.funding[2022][0].pays == "basic"
    # The census changes afterwards; running the scenario's inputs again still gives its plan.
    funded.assignments.update(cost_yuan=Decimal(1))
    client.force_login(bureau)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("planning:rerun", args=[first.pk]))
    again = Scenario.objects.exclude(pk=first.pk).get(programme=funded)
    assert response["Location"] == reverse("planning:scenario", args=[again.pk])
    assert again.inputs["candidates"] == table
    assert again.result["placements"] == first.result["placements"]
    assert again.result["objective"] == first.result["objective"]


def test_bad_inputs_fail_the_scenario_naming_the_row_and_change_nothing(funded, bureau):
    programmes.adopt(bureau, run(funded))
    before = list(funded.assignments.values_list("community__code", "year"))
    inputs = programmes.default_inputs(funded)
    inputs["funding"]["2023"][1]["amount_yuan"] = -300
    inputs["funding"]["2024"][0]["pays"] = "elevators"
    inputs["cash_flow"] = [0.5, 0.4]
    scenario = run(funded, inputs=inputs)
    assert scenario.status == "failed" and scenario.result is None
    for words in (("2023", "专项债券", "-300"), ("2024", "中央补助资金", "elevators"), ("50%", "40%", "90%")):
        assert all(word in scenario.message for word in words), scenario.message
    assert list(funded.assignments.values_list("community__code", "year")) == before


def test_frozen_communities_that_no_longer_fit_fail_naming_them(funded, bureau, monkeypatch):
    from gaizao.planning import optimiser

    def refuse(plan, candidates, **kwargs):
        raise optimiser.InfeasiblePins([{"year": 2022, "constraint": "budget", "excess": 1_000_000,
                                         "source": "special_bonds", "communities": ["P0", "P1"]}])

    monkeypatch.setattr(optimiser, "optimise", refuse)
    scenario = run(funded)
    assert scenario.status == "failed"
    for word in ("2022", "专项债券", "1,000,000", "小区0（P0）", "小区1（P1）"):
        assert word in scenario.message


def test_adopting_never_moves_a_community_already_under_way(funded, bureau):
    programmes.adopt(bureau, run(funded))
    under_way = funded.assignments.filter(year=2022).select_related("community").first()
    later = fake_result(run(funded))
    later.result["placements"][under_way.community.code]["year"] = 2024
    Scenario.objects.filter(pk=later.pk).update(result=later.result)
    later.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        programmes.adopt(bureau, later)
    assert under_way.community.name in error.value.messages[0]
    assert funded.assignments.get(pk=under_way.pk).year == 2022


# -- pages -------------------------------------------------------------------------------------------------------
def test_staff_edit_a_years_sources_and_bad_input_is_shown_again(funded, client, bureau):
    client.force_login(bureau)
    url = reverse("planning:funding", args=[funded.pk, 2023])
    page = client.get(url).content.decode()
    assert 'id="funding-table"' in page and 'name="amount_special_bonds" id="id_amount_special_bonds" value="200"' \
        in page
    bad = client.post(url, {"amount_special_bonds": "-50", "pays_special_bonds": "all", "order_special_bonds": "1",
                            "amount_central_subsidy": "abc", "pays_central_subsidy": "basic"})
    text = bad.content.decode()
    assert bad.status_code == 200 and 'value="-50"' in text and 'value="abc"' in text
    errors = bad.context["form"].errors
    assert "2023" in errors["amount_special_bonds"][0] and "专项债券" in errors["amount_special_bonds"][0]
    assert "-50" in errors["amount_special_bonds"][0] and "abc" in errors["amount_central_subsidy"][0]
    assert funded.funding_rows.get(year=2023, source="special_bonds").amount_yuan == 2_000_000
    good = client.post(url, {"amount_special_bonds": "160", "pays_special_bonds": "all", "order_special_bonds": "1",
                             "amount_central_subsidy": "250", "pays_central_subsidy": "basic",
                             "order_central_subsidy": "2", "amount_provident_fund": "30",
                             "pays_provident_fund": "upgrade"})
    assert good["Location"] == reverse("planning:board", args=[funded.pk])
    rows = list(funded.funding_rows.filter(year=2023).values_list("source", "amount_yuan", "pays"))
    assert rows == [("special_bonds", 1_600_000, "all"), ("central_subsidy", 2_500_000, "basic"),
                    ("provident_fund", 300_000, "upgrade")]
    assert funded.year_rows.get(year=2023).budget_yuan == 4_400_000
    assert client.get(reverse("planning:funding", args=[funded.pk, 2031])).status_code == 404


def test_staff_set_the_cash_flow_capacity_and_move_penalty(funded, client, bureau):
    client.force_login(bureau)
    url = reverse("planning:rules", args=[funded.pk])
    bad = client.post(url, {"cash_flow": "60, 30", "capacity_subdistrict": "0", "move_penalty": "-1"})
    errors = bad.context["form"].errors
    assert "90%" in errors["cash_flow"][0] and set(errors) == {"cash_flow", "capacity_subdistrict", "move_penalty"}
    assert 'value="60, 30"' in bad.content.decode()
    client.post(url, {"cash_flow": "60，40", "capacity_subdistrict": "3", "move_penalty": "2000"})
    funded.refresh_from_db()
    assert (funded.cash_flow, funded.capacity_subdistrict, funded.move_penalty) == ([0.6, 0.4], 3, 2000)
    assert 'value="60, 40"' in client.get(url).content.decode()


def test_only_bureau_staff_change_the_money(funded, client, officer):
    from gaizao.accounts.models import User
    from gaizao.accounts.services import ensure_user

    leader = ensure_user("lingdao", "x-pass-2021", User.Role.LEADER)
    urls = [reverse("planning:funding", args=[funded.pk, 2023]), reverse("planning:rules", args=[funded.pk]),
            reverse("planning:application", args=[funded.pk])]
    for user in (officer, leader):
        client.force_login(user)
        assert [client.get(url).status_code for url in urls] == [403, 403, 403]
        assert client.post(urls[0], {"amount_special_bonds": "1"}).status_code == 403
        board = client.get(reverse("planning:board", args=[funded.pk])).content.decode()
        assert "data-edit-funding" not in board and 'id="application-xlsx"' not in board
    assert funded.funding_rows.get(year=2023, source="special_bonds").amount_yuan == 2_000_000


def test_the_board_shows_each_sources_use_and_who_pays_a_community(funded, client, bureau):
    scenario = fake_result(run(funded))
    programmes.adopt(bureau, scenario)
    client.force_login(bureau)
    page = client.get(reverse("planning:board", args=[funded.pk])).content.decode()
    bonds = page.split('data-source-use="2022-special_bonds">')[1].split("</td>")[0]
    assert "150万元 / 200万元" in bonds and "50万元" in bonds  # used / amount, left
    # A 2,000,000 yuan community of 2022 is paid 60 % by the central subsidy, 40 % by bonds.
    card = page.split(f'data-paid-by="{funded.assignments.filter(year=2022).first().community.code}"')[1]
    assert card.split("</div>")[0].count("万元") == 2 and "120万元" in card and "80万元" in card
    assert 'data-edit-funding="2024"' in page and 'id="application-xlsx"' in page


def test_the_scenario_page_says_what_moves_and_what_money_is_worth(funded, client, bureau):
    programmes.adopt(bureau, run(funded))
    scenario = fake_result(run(funded))
    client.force_login(bureau)
    page = client.get(reverse("planning:scenario", args=[scenario.pk])).content.decode()
    assert 'data-moves="2"' in page and "0.40%" in page
    assert page.count("data-move=") == 2
    # 90 per 10,000 yuan × 1,000 = 90,000 per 10 million yuan, over the scheduled households' mean need score.
    rows = programmes.candidate_rows(scenario.inputs)
    need = sum(r["households"] * r["need_score"] for r in rows) / sum(r["households"] for r in rows)
    sentence = page.split('data-worth="2023-special_bonds">')[1].split("</li>")[0]
    assert "2023" in sentence and "专项债券" in sentence and f"{90_000 / need:.0f}" in sentence
    assert 'data-worth="2023-central_subsidy"' not in page and 'id="worth-note"' in page
    assert 'data-source="2022-special_bonds"' in page
    no_fit = fake_result(run(funded), previous_objective=None)
    page = client.get(reverse("planning:scenario", args=[no_fit.pk])).content.decode()
    assert 'id="replan"' in page and "alert-warning" in page.split('id="replan"')[0].rsplit("<div", 1)[1]


def test_quick_variants_cut_bonds_in_a_year_or_drop_the_provident_fund(funded, client, bureau,
                                                                       django_capture_on_commit_callbacks):
    funding.save_year_funding(bureau, funded, 2024, [*SOURCES, {"code": "provident_fund", "amount_yuan": 1_000_000,
                                                                "pays": "upgrade"}])
    client.force_login(bureau)
    url = reverse("planning:scenario_new", args=[funded.pk])
    form = client.get(url).context["form"]
    assert "budget_2023" not in form.fields and "variant" in form.fields
    base = {"upgrade_weight": "0.25", "cash_flow": "100", "move_penalty": "0"}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {**base, "name": "债券减两成", "variant": "bonds_cut", "variant_year": "2023"})
        client.post(url, {**base, "name": "无公积金", "variant": "no_provident_fund", "variant_year": "2023"})
    cut = Scenario.objects.get(name="债券减两成").inputs
    assert [r["amount_yuan"] for r in cut["funding"]["2023"]] == [2_000_000, 1_600_000]
    assert cut["budgets"]["2023"] == 3_600_000 and cut["funding"]["2022"] == SOURCES
    dropped = Scenario.objects.get(name="无公积金").inputs
    assert [r["code"] for r in dropped["funding"]["2024"]] == ["central_subsidy", "special_bonds"]
    assert funded.funding_rows.filter(source="provident_fund").exists()  # the programme keeps its own
    compare = client.get(reverse("planning:compare", args=[funded.pk]), {
        "a": Scenario.objects.get(name="债券减两成").pk, "b": Scenario.objects.get(name="无公积金").pk})
    text = compare.content.decode()
    assert text.count("compare-funding") == 2 and 'data-source="2023-special_bonds"' in text
    assert "160万元" in text and 'id="moved"' in text


def test_the_api_gives_the_funding_and_the_scenarios_money(funded, client, bureau, officer, contractor):
    programmes.adopt(bureau, run(funded))
    scenario = fake_result(run(funded))
    client.force_login(bureau)
    body = client.get(f"/api/programmes/{funded.pk}/").json()
    assert body["funding"][:2] == [
        {"year": 2022, "source": "central_subsidy", "amount_yuan": "2000000.00", "pays": "basic", "position": 0},
        {"year": 2022, "source": "special_bonds", "amount_yuan": "2000000.00", "pays": "all", "position": 1}]
    assert body["cash_flow"] == [1.0] and body["move_penalty"] == "0.00"
    found = client.get(f"/api/scenarios/{scenario.pk}/").json()
    assert found["dual_values"]["2023"]["special_bonds"] == 90.0 and found["previous_objective"] == 1000.0
    assert found["funding"]["2022"]["special_bonds"] == 1_500_000 and len(found["moves"]) == 2
    assert client.get("/api/scenarios/", {"programme": funded.pk, "adopted": "true"}).json()["count"] == 1
    client.force_login(officer)  # 东城办事处: only its own communities' moves
    mine = {m["code"] for m in client.get(f"/api/scenarios/{scenario.pk}/").json()["moves"]}
    assert mine <= set(funded.assignments.filter(community__subdistrict=officer.subdistrict)
                       .values_list("community__code", flat=True))
    client.force_login(contractor)
    assert client.get("/api/scenarios/").json()["count"] == 0


def test_a_programme_created_without_money_rules_has_the_defaults(district):
    programme = Programme.objects.create(name="x", district=district, first_year=2022, last_year=2023,
                                         current_year=2022)
    assert (programme.cash_flow, programme.capacity_subdistrict, programme.move_penalty) == ([1.0], None, 0)


def test_the_boards_yearly_spending_follows_the_cash_flow(funded, client, bureau):
    funding.save_rules(bureau, funded, cash_flow=[0.6, 0.4], capacity_subdistrict=None, move_penalty=Decimal(0))
    programmes.adopt(bureau, fake_result(run(funded)))  # 2 communities start in 2022, 4 in 2023, 2,000,000 each
    client.force_login(bureau)
    columns = {c["year"]: c for c in client.get(reverse("planning:board", args=[funded.pk])).context["columns"]}
    assert [columns[year]["used"] for year in (2022, 2023, 2024)] == [2_400_000, 6_400_000, 3_200_000]
    assert [columns[year]["count"] for year in (2022, 2023, 2024)] == [2, 4, 0]
