"""From the roll-up to a district's own pages: 运城市's leader opens the city's roll-up, drills down to 盐湖区,
opens its dashboard (named 盐湖区 and showing its figures only), changes the date (the district stays), and goes on
to its bulletin; the same at the office screen (1366×768) and on a phone (390×844), each page within the screen's
width and passing axe's rules."""

import pytest

from gaizao.rollup.tests.conftest import city_leader, province  # noqa: F401 (fixtures)
from tests.browser.test_funding_flow import assert_accessible
from tests.browser.test_rollup_flow import fits
from tests.browser.test_summary_flow import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(params=[(1366, 768), (390, 844)], ids=["office", "phone"])
def screen(browser, request):
    width, height = request.param
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": height},
                                  is_mobile=width < 500, has_touch=width < 500)
    page = context.new_page()
    yield page
    context.close()


def test_rollup_to_a_districts_dashboard_and_bulletin(screen, live_server, city_leader):  # noqa: F811
    page = screen
    login(page, live_server, "yuncheng")
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/rollup/140800/?date=2021-11-25")
    page.wait_for_selector("#rollup-ranking")
    with page.expect_navigation():
        page.click("[data-drill='140802']")
    page.wait_for_selector("#district-pages")
    with page.expect_navigation():
        page.click("#district-dashboard")
    page.wait_for_selector("#dashboard-figures")
    assert page.inner_text("#dashboard-title").startswith("盐湖区 · ")
    assert page.title().startswith("盐湖区 · ")
    assert "district=140802" in page.url
    # A city's leader sees two districts: the choice is a select, 盐湖区 chosen.
    assert page.locator("#district").input_value() == "140802"
    assert fits(page), "the district's dashboard is wider than the screen"
    assert_accessible(page, "a district's dashboard")

    page.fill("#date", "2021-10-31")
    with page.expect_navigation():
        page.locator("#date").press("Enter")
    page.wait_for_selector("#dashboard-figures")
    assert "district=140802" in page.url and "date=2021-10-31" in page.url
    assert page.inner_text("#dashboard-title").startswith("盐湖区 · ")

    with page.expect_navigation():
        page.click("a.btn[href*='/works/bulletin/']")
    page.wait_for_selector("#bulletin-title")
    assert "盐湖区" in page.inner_text("#bulletin-title") and page.title().startswith("盐湖区 · ")
    assert "district=140802" in page.locator("#download-docx").get_attribute("href")
    assert fits(page), "the district's bulletin is wider than the screen"
    assert_accessible(page, "a district's bulletin")


def test_a_citys_bulletin_ranks_its_districts_and_opens_each(screen, live_server, city_leader):  # noqa: F811
    page = screen
    login(page, live_server, "yuncheng")
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/works/bulletin/?date=2021-11-25")
    page.wait_for_selector("#ranking")
    ranking = page.inner_text("#ranking")
    assert page.locator("#ranking thead th").nth(1).inner_text().strip() == "区"  # not 街道办事处
    assert "盐湖区" in ranking and "永济市" in ranking and "东城办事处" not in ranking
    assert fits(page), "the city's bulletin is wider than the screen"
    assert_accessible(page, "a city's bulletin")
    with page.expect_navigation():
        page.click("#ranking a:has-text('盐湖区')")
    page.wait_for_selector("#ranking")
    assert "district=140802" in page.url and "date=2021-11-25" in page.url
    assert page.title().startswith("盐湖区 · ")
    assert "东城办事处" in page.inner_text("#ranking")  # a district's bulletin ranks its sub-districts


def test_a_citys_summary_lists_its_districts_and_opens_each(screen, live_server, city_leader):  # noqa: F811
    page = screen
    login(page, live_server, "yuncheng")
    page.wait_for_selector("#summary-figures")
    table = page.inner_text("#by-district")
    assert "盐湖区" in table and "永济市" in table
    page.wait_for_selector("#subdistrict-chart canvas")
    assert fits(page), "the city's summary is wider than the screen"
    assert_accessible(page, "a city's summary")
    with page.expect_navigation():
        page.click("#by-district a:has-text('盐湖区')")
    page.wait_for_selector("#by-subdistrict")
    assert "district=140802" in page.url and page.title().startswith("盐湖区 · ")
    assert "东城办事处" in page.inner_text("#by-subdistrict")
