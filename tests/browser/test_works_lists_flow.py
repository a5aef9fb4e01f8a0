"""Bureau staff narrow the project list, page through it, download it, and follow the bulletin to every
lagging project."""

import pytest

from gaizao.works.tests.test_lists import lagging, many  # noqa: F401 (fixtures)
from tests.browser.test_summary_flow import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_filter_the_project_list_and_reach_every_lagging_project(page, live_server, bureau, lagging):  # noqa: F811
    login(page, live_server, "bureau")
    page.wait_for_url(f"{live_server.url}/summary/")
    page.goto(f"{live_server.url}/works/")
    assert page.locator("#project-table tbody tr").count() == 50  # 60 projects, 50 a page
    page.select_option("#id_status", "under_construction")
    page.fill("#id_q", "康杰")
    with page.expect_navigation():
        page.click("#filters button[type=submit]")
    rows = page.locator("#project-table tbody tr")
    assert rows.count() == 10  # every third project is under way; half of those are in 康杰中学家属院
    assert all("康杰中学家属院" in text for text in rows.all_inner_texts())
    # The filters survive in the form, and the download carries the same rows.
    assert page.input_value("#id_q") == "康杰"
    with page.expect_download() as download:
        page.click("#export-xlsx")
    assert download.value.suggested_filename.endswith(".xlsx")
    # The bulletin shows the first lagging projects and leads to all of them.
    page.goto(f"{live_server.url}/works/bulletin/?date=2021-11-25")
    with page.expect_navigation():
        page.click("#lagging-all")
    assert "/works/bulletin/lagging/" in page.url
    assert "40" in page.inner_text("h1")
