"""A city's leader at the office screen (1366×768) opens the roll-up, sees 运城市's districts ranked with the chart,
drills down to 盐湖区's sub-districts, and downloads the national monthly report. Each page passes axe's rules and
fits the screen."""

import io

import openpyxl
import pytest

from gaizao.rollup.tests.conftest import city_leader, province  # noqa: F401 (fixtures)
from tests.browser.test_funding_flow import assert_accessible
from tests.browser.test_summary_flow import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def office(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 768}, accept_downloads=True)
    page = context.new_page()
    yield page
    context.close()


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_a_city_leader_ranks_districts_drills_down_and_downloads_the_monthly_report(office, live_server,
                                                                                      city_leader):  # noqa: F811
    page = office
    login(page, live_server, "yuncheng")
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/rollup/?date=2021-11-25")
    page.wait_for_selector("#rollup-ranking")
    assert "运城市" in page.inner_text("#rollup-title")
    names = page.locator("#rollup-ranking tbody td:nth-child(2)").all_inner_texts()
    assert sorted(names) == ["永济市", "盐湖区"] and "尧都区" not in names
    page.wait_for_selector("#rollup-chart-box[data-rendered=true]")
    assert fits(page)
    assert_accessible(page, "the city's roll-up")
    with page.expect_navigation():
        page.click("[data-drill='140802']")
    page.wait_for_selector("#rollup-ranking")
    assert "东城办事处" in page.inner_text("#rollup-ranking")
    assert page.locator("#district-pages").count() == 1
    assert fits(page)
    assert_accessible(page, "the district's roll-up")
    page.goto(f"{live_server.url}/rollup/monthly/")
    page.fill("#month", "2021-11")
    with page.expect_download() as download:
        page.click("#monthly-download")
    content = open(download.value.path(), "rb").read()
    names = [row[0].strip() for row in openpyxl.load_workbook(io.BytesIO(content)).active.iter_rows(
        min_row=2, values_only=True)]
    assert "盐湖区" in names and "尧都区" not in names
    assert fits(page)
    assert_accessible(page, "the monthly report page")
