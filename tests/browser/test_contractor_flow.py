"""A contractor on a phone reports a quantity with a photo; the project's progress moves."""

import pytest
from PIL import Image

from gaizao.works.services import done_quantity
from gaizao.works.tests.conftest import item, make_project
from tests.browser.test_summary_flow import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone_project(east_community, builder, contractor):
    return make_project("P1", east_community, builder)


def test_contractor_reports_with_a_photo_on_a_phone(phone, live_server, phone_project, contractor, tmp_path,
                                                    settings):
    settings.MEDIA_ROOT = tmp_path
    photo = tmp_path / "site.jpg"
    Image.new("RGB", (60, 40), "gray").save(photo, "JPEG")
    login(phone, live_server, "site")
    phone.goto(f"{live_server.url}/works/dashboard/")
    before = phone.inner_text("[data-figure=done-value]")
    # The map's points are not in the page: its script fetches them and draws the company's one community.
    phone.wait_for_selector("#works-map[data-points='1']")
    assert phone.locator("#works-map .leaflet-overlay-pane canvas").count() == 1
    assert phone.is_hidden("#map-error") and phone.is_hidden("#map-empty")
    phone.goto(f"{live_server.url}/")
    phone.wait_for_selector("#project-table")  # contractors land on their projects
    with phone.expect_navigation():
        phone.click("#project-table a:has-text('P1')")
    with phone.expect_navigation():
        phone.click("#report-link")
    windows = item(phone_project, "塑钢窗更换")
    phone.fill(f"#id_qty_{windows.pk}", "12")
    phone.set_input_files("#id_photos", str(photo))
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    with phone.expect_navigation():
        phone.click("#submit-report")
    assert phone.inner_text("[data-item=JC02] [data-done]") == "12"
    assert done_quantity(windows) == 12
    assert phone_project.items.get(pk=windows.pk).entries.get().photos.count() == 1
    # The dashboard moves: the value done now includes the 12 windows.
    phone.goto(f"{live_server.url}/works/dashboard/")
    assert phone.inner_text("[data-figure=done-value]") != before

