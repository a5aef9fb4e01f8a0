"""Bureau staff narrow the vote list and download it, and download the programme board."""

import pytest

from gaizao.planning.tests.test_programme import small_programme  # noqa: F401 (fixture)
from gaizao.votes.tests.test_votes import new_vote
from tests.browser.test_summary_flow import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_filter_votes_and_download_the_lists(page, live_server, bureau, small_programme):  # noqa: F811
    community = small_programme.assignments.first().community
    new_vote(community, actor=bureau, title="改造方案表决")
    new_vote(community, actor=bureau, title="加装电梯表决", opens=-10, closes=-2)
    login(page, live_server, "bureau")
    page.wait_for_url(f"{live_server.url}/summary/")
    page.goto(f"{live_server.url}/votes/")
    assert page.locator("#vote-table tbody tr[data-vote]").count() == 2
    page.select_option("#id_state", "open")
    with page.expect_navigation():
        page.click("#filters button[type=submit]")
    assert page.locator("#vote-table tbody tr[data-vote]").all_inner_texts()[0].startswith("改造方案表决")
    assert page.locator("#vote-table tbody tr[data-vote]").count() == 1
    with page.expect_download() as download:
        page.click("#export-xlsx")
    assert download.value.suggested_filename.endswith(".xlsx")
    page.goto(f"{live_server.url}/planning/programmes/{small_programme.pk}/")
    with page.expect_download() as board:
        page.click("#export-xlsx")
    assert board.value.suggested_filename == "测试计划.xlsx"
