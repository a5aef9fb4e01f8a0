"""At the office screen (1366×768): bureau staff set a year's funding sources on the board, run the optimiser, read
what 10 million yuan more of a source would buy, adopt the plan and download next year's plan application. Each
page passes axe's accessibility rules."""

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from conftest import make_community
from gaizao.planning import funding
from gaizao.planning import programme as programmes
from gaizao.planning.models import Programme, ProgrammeYear
from tests.browser.test_summary_flow import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def assert_accessible(page, where: str) -> None:
    """axe-core's rules (WCAG 2 A and AA) over the page's main content: no violation."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, context="main", options={"runOnly": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"],
                                                       "resultTypes": ["violations"]})
    assert results.violations_count == 0, f"{where}:\n{results.generate_report()}"


@pytest.fixture
def programme(district, dongcheng, xicheng):
    for n in range(8):
        make_community(dongcheng if n % 2 else xicheng, f"F{n}", f"资金小区{n}", year_built=1980 + n,
                       buildings=((5, 30 + 8 * n, "3000"),), investment_estimate=Decimal(2_000_000))
    programme = Programme.objects.create(name="资金五年计划", district=district, first_year=2022, last_year=2024,
                                         current_year=2022)
    for year in (2022, 2023, 2024):
        ProgrammeYear.objects.create(programme=programme, year=year, budget_yuan=Decimal(6_000_000))
        funding.save_year_funding(None, programme, year, [
            {"code": "central_subsidy", "amount_yuan": 4_000_000, "pays": "basic"},
            {"code": "special_bonds", "amount_yuan": 2_000_000, "pays": "all"}])
    programmes.sync_assignments(programme)
    return programme


def test_set_the_money_run_read_its_worth_and_download_the_application(page, live_server, bureau, programme):
    page.set_viewport_size({"width": 1366, "height": 768})
    login(page, live_server, "bureau")
    page.wait_for_url(f"{live_server.url}/summary/")
    board = f"{live_server.url}/planning/programmes/{programme.pk}/"
    page.goto(board)
    assert_accessible(page, "board")

    # 2023: the bonds are cut to 100万元 and a mistyped amount is shown again with its error.
    with page.expect_navigation():
        page.click("[data-edit-funding='2023']")
    page.fill("#id_amount_special_bonds", "-100")
    with page.expect_navigation():
        page.click("#save-funding")
    assert page.input_value("#id_amount_special_bonds") == "-100"
    assert "专项债券" in page.inner_text("#id_amount_special_bonds-error")
    assert_accessible(page, "funding form with an error")
    page.fill("#id_amount_special_bonds", "100")
    with page.expect_navigation():
        page.click("#save-funding")
    assert page.url == board
    assert programme.funding_rows.get(year=2023, source="special_bonds").amount_yuan == 1_000_000
    assert "100万元" in page.inner_text("[data-source-use='2023-special_bonds']")

    # Run the optimiser: the money of 2023 and 2024 runs out, and the page says what more of it would buy.
    with page.expect_navigation():
        page.click(f"a[href='/planning/programmes/{programme.pk}/run/']")
    page.fill("#id_name", "债券减少")
    page.click("#run")
    page.wait_for_selector("#scenario[data-status=done]", timeout=60_000)
    sentences = page.locator("#worth li")
    assert sentences.count() >= 1
    first = sentences.first.inner_text()
    assert "万" in first or "million" in first
    assert page.locator("#worth-note").is_visible()
    # the headline in one sentence, and households per year drawn (the result arrived by htmx, after the page)
    assert page.locator("#scenario-headline").is_visible()
    page.wait_for_selector("#scenario-years-chart[data-rendered=true]")
    assert page.locator("#scenario-funding [data-source='2023-special_bonds']").count() == 1
    assert_accessible(page, "scenario")

    with page.expect_navigation():
        page.click("#adopt")
    assert page.locator("[data-paid-by]").count() >= 1
    with page.expect_download() as download:
        page.click("#application-xlsx")
    sheet = load_workbook(io.BytesIO(download.value.path().read_bytes())).active
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    batch = set(programme.assignments.filter(year=2023).values_list("community__code", flat=True))
    assert batch and {r[2] for r in rows if r[0]} == batch
    assert rows[-1][5] == sum(r[5] for r in rows if r[0])  # the total row adds up the households
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
