"""The annual plan application (年度改造计划申报) for next year as Excel: next year's batch of the adopted plan, with
content by tier from the approved plans, investment by source, sub-district subtotals and a total that agree
with the board."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from gaizao.catalog.models import WorkItem
from gaizao.planning import application
from gaizao.planning import programme as programmes
from gaizao.planning.models import CommunityPlan, PlanItem, Scenario
from gaizao.planning.tests.test_funding_pages import funded, run  # noqa: F401 (fixture)
from gaizao.planning.tests.test_programme import small_programme  # noqa: F401 (fixture)

PAYERS = {"2023": {"basic": {"central_subsidy": 0.75, "special_bonds": 0.25}, "upgrade": {"special_bonds": 1.0}},
          "2024": {"basic": {"special_bonds": 1.0}, "upgrade": {"special_bonds": 1.0}}}


@pytest.fixture
def adopted(funded, bureau):  # noqa: F811
    """Four communities in 2023 (two per sub-district) in the adopted plan, paid 75/25 by subsidy and bonds, and
    60 % / 40 % cash flow so that a part falls into 2024."""
    scenario = run(funded)
    codes = sorted(scenario.result["placements"])
    for n, code in enumerate(codes):
        scenario.result["placements"][code]["year"] = 2023 if n < 4 else 2024
    scenario.result["payers"] = PAYERS
    scenario.inputs["cash_flow"] = [0.6, 0.4]
    Scenario.objects.filter(pk=scenario.pk).update(result=scenario.result, inputs=scenario.inputs)
    scenario.refresh_from_db()
    programmes.adopt(bureau, scenario)
    return funded


def _approve(community, items):
    plan = CommunityPlan.objects.create(community=community, version=1, status=CommunityPlan.Status.APPROVED,
                                        cost_date="2022-01-01")
    for code in items:
        PlanItem.objects.create(plan=plan, item=WorkItem.objects.get(code=code), quantity=Decimal(10),
                                unit_cost=Decimal(100))


def _sheet(client, programme):
    response = client.get(reverse("planning:application", args=[programme.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(response.content)).active


def test_the_application_lists_next_years_batch_with_subtotals_and_a_total(adopted, client, bureau):
    client.force_login(bureau)
    sheet = _sheet(client, adopted)
    title, header, *rows = list(sheet.iter_rows(values_only=True))
    assert "2023" in title[0] and "盐湖区" in title[0]
    assert sheet.freeze_panes == "A3" and len(header) == 15
    communities = [r for r in rows if r[0]]
    assert [r[0] for r in communities] == [1, 2, 3, 4]
    in_2023 = adopted.assignments.filter(year=2023).select_related("community")
    assert {r[2] for r in communities} == {a.community.code for a in in_2023}
    subtotals = [r for r in rows if not r[0] and r[1] and r[3]]
    assert len(subtotals) == 2 and {r[1] for r in subtotals} == {"东城办事处", "西城办事处"}
    total = rows[-1]
    # The totals agree with the board's 2023 column: communities' households and cost.
    board = client.get(reverse("planning:board", args=[adopted.pk])).context["columns"]
    column = next(c for c in board if c["year"] == 2023)
    assert total[5] == column["households"] == sum(r[5] for r in communities)
    assert len(communities) == column["count"]
    assert total[12] == pytest.approx(sum(float(a.cost_yuan) for a in column["cards"]) / 10_000)
    assert total[4] == sum(r[4] for r in communities) and total[6] == pytest.approx(sum(r[6] for r in communities))
    # Investment by source: 60 % in 2023 (75 % subsidy, 25 % bonds), 40 % in 2024 (bonds) of 200万元 each.
    sources = header[13:]
    assert len(sources) == 2 and "中央补助资金" in sources[0] and "专项债券" in sources[1]
    assert communities[0][13:] == pytest.approx((90.0, 110.0))
    assert total[13] + total[14] == pytest.approx(total[12])
    for subtotal in subtotals:
        members = [r for r in communities if r[1] == subtotal[1]]
        assert subtotal[5] == sum(r[5] for r in members)
        assert subtotal[13] == pytest.approx(sum(r[13] for r in members))
    assert sheet.cell(row=3, column=7).number_format == "#,##0.00"


def test_the_content_comes_from_the_approved_plan_by_tier(adopted, client, bureau):
    assignment = adopted.assignments.filter(year=2023).select_related("community").first()
    basic, improvement, upgrade = (WorkItem.objects.filter(tier=tier, active=True).order_by("code").first()
                                   for tier in ("basic", "improvement", "upgrade"))
    _approve(assignment.community, [basic.code, improvement.code, upgrade.code])
    lines, _sources = application.application_rows(adopted)
    line = next(line for line in lines if line.code == assignment.community.code)
    assert line.content == {"basic": basic.name, "improvement": improvement.name, "upgrade": upgrade.name}
    client.force_login(bureau)
    row = next(r for r in _sheet(client, adopted).iter_rows(min_row=3, values_only=True)
               if r[2] == assignment.community.code)
    assert row[7:10] == (basic.name, improvement.name, upgrade.name)


def test_without_payers_the_budget_pays_and_the_last_year_has_no_application(funded, client, bureau):  # noqa: F811
    programmes.adopt(bureau, run(funded))
    client.force_login(bureau)
    rows = list(_sheet(client, funded).iter_rows(values_only=True))
    assert rows[1][-1] and len(rows) >= 2
    funded.current_year = 2024
    funded.save(update_fields=["current_year"])
    response = client.get(reverse("planning:application", args=[funded.pk]))
    assert response.status_code == 302 and application.application_year(funded) is None

