"""A bureau officer logs in, reads the summary with its chart, and follows a figure to its rows."""

import os
from pathlib import Path

import pytest

from conftest import PASSWORD
from tests.browser.sweep import axe_problems

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ARTIFACTS = Path(os.environ.get("TEST_ARTIFACTS", "test-artifacts"))


def login(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")


def test_login_and_read_the_summary(page, live_server, bureau, east_community, west_community):
    login(page, live_server, "bureau")
    page.wait_for_url(f"{live_server.url}/summary/")
    assert page.inner_text("[data-figure=total]") == "2"
    assert page.inner_text("[data-figure=eligible]") == "2"
    # ECharts drew the chart from the local copy of the library (no CDN).
    page.wait_for_selector("#subdistrict-chart[data-rendered=true] canvas")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "summary.png"), full_page=True)
    page.click("#by-subdistrict a:has-text('东城办事处')")
    page.wait_for_selector("#community-table")
    # The map shows the filtered communities that have coordinates, even with no tile server configured.
    page.wait_for_selector("#community-map[data-rendered=true]")
    assert page.locator("#community-map .leaflet-interactive, #community-map canvas").count() >= 1
    assert "康杰中学家属院" in page.inner_text("#community-table")
    assert "棉麻家属院" not in page.inner_text("#community-table")


def test_summary_reads_on_a_phone(phone, live_server, officer, east_community):
    login(phone, live_server, "dongcheng")
    phone.wait_for_url(f"{live_server.url}/summary/")
    assert phone.inner_text("[data-figure=total]") == "1"
    # Nothing wider than the screen: the page does not scroll sideways.
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    ARTIFACTS.mkdir(exist_ok=True)
    phone.screenshot(path=str(ARTIFACTS / "summary-phone.png"), full_page=True)


def test_a_map_of_many_communities_opens_a_subdistricts_rows(page, live_server, monkeypatch, bureau, east_community,
                                                              west_community, dongcheng):
    from decimal import Decimal

    from conftest import make_community
    from gaizao.communities import views

    make_community(dongcheng, "DC010", "东城二号院", latitude=Decimal("35.030"), longitude=Decimal("111.011"))
    monkeypatch.setattr(views, "MAP_POINT_LIMIT", 1)  # the live server runs in this process
    login(page, live_server, "bureau")
    page.wait_for_url(f"{live_server.url}/summary/")
    page.goto(f"{live_server.url}/communities/?eligible=true")
    page.wait_for_selector("#community-map[data-rendered=true][data-grouped=true]")
    # The legend says what a circle is (the dots' legend is replaced).
    assert "街道" in page.inner_text("#community-map .map-legend")
    assert axe_problems(page) == []
    # One circle for 东城 (two located communities), opening that sub-district's list.
    page.locator("#community-map canvas").first.wait_for()
    response = page.request.get(f"{live_server.url}/communities/map.json?eligible=true")
    (east,) = response.json()["points"]
    assert east["count"] == 2
    page.goto(f"{live_server.url}{east['url']}")
    assert "东城二号院" in page.inner_text("#community-table")
    assert "棉麻家属院" not in page.inner_text("#community-table")
