"""The platform on the demo's day (#13): every page says so, and a contractor's report form offers that day."""

import datetime

import pytest

from gaizao.core import clock
from gaizao.works.models import ProgressEntry
from gaizao.works.tests.conftest import item, make_project
from tests.browser.test_summary_flow import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEMO_DAY = datetime.date(2021, 11, 25)


def test_the_banner_shows_and_the_report_form_offers_the_demos_day(page, live_server, east_community, builder,
                                                                   contractor):
    project = make_project("P1", east_community, builder)
    clock.store_day(DEMO_DAY)  # what load_demo does
    login(page, live_server, "site")
    page.wait_for_selector("#project-table")
    banner = page.locator("#platform-day")
    assert banner.is_visible() and "2021年11月25日" in banner.inner_text()
    page.goto(f"{live_server.url}/works/P1/report/")
    assert page.locator("#platform-day").is_visible()
    assert page.input_value("#id_date") == "2021-11-25"
    windows = item(project, "塑钢窗更换")
    page.fill(f"#id_qty_{windows.pk}", "3")
    with page.expect_navigation():
        page.click("#submit-report")
    assert ProgressEntry.objects.get().date == DEMO_DAY
    # The dashboard opens on the same day, with the same banner.
    page.goto(f"{live_server.url}/works/dashboard/")
    assert page.input_value("#date") == "2021-11-25" and page.locator("#platform-day").is_visible()
