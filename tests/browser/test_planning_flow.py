"""Programme office: open the board, run the optimiser, read why, adopt; then draft and edit a community plan."""

from decimal import Decimal

import pytest

from conftest import make_community
from gaizao.planning import programme as programmes
from gaizao.planning.models import Programme, ProgrammeYear
from tests.browser.test_summary_flow import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def programme(district, dongcheng):
    for n in range(5):
        make_community(dongcheng, f"B{n}", f"小区{n}", year_built=1982 + n, buildings=((5, 40 + 5 * n, "3000"),),
                       investment_estimate=Decimal(2_000_000))
    programme = Programme.objects.create(name="五年计划", district=district, first_year=2022, last_year=2024,
                                         current_year=2022)
    for year in (2022, 2023, 2024):
        ProgrammeYear.objects.create(programme=programme, year=year, budget_yuan=Decimal(4_000_000))
    programmes.sync_assignments(programme)
    return programme


def test_run_the_optimiser_and_adopt(page, live_server, bureau, programme):
    login(page, live_server, "bureau")
    page.goto(f"{live_server.url}/planning/programmes/{programme.pk}/")
    with page.expect_navigation():
        page.click("text=运行优化")
    page.fill("#id_name", "方案甲")
    page.click("#run")
    page.wait_for_selector("#scenario[data-status=done]")
    assert page.locator("#explanations tbody tr").count() == 5
    with page.expect_navigation():
        page.click("#adopt")
    assert page.locator("[data-year='2022'] .board-card").count() == 2


def test_draft_a_plan_from_the_census_and_fund_it(page, live_server, bureau, east_community):
    login(page, live_server, "bureau")
    page.goto(f"{live_server.url}/planning/communities/DC001/plan/")
    with page.expect_navigation():
        page.click("#propose")
    total = page.inner_text("[data-figure=plan-total]").replace(",", "")
    page.fill("#fund_local_budget", total)
    with page.expect_navigation():
        page.click("button[value=save]")
    assert page.input_value("#fund_local_budget").replace(",", "") == total
    with page.expect_navigation():
        page.click("button[value=publish]")
    assert page.inner_text("#plan-status") == "已公示"
    assert page.locator("#plan-items input").count() == 0  # a published plan is frozen
