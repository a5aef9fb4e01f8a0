"""A bureau officer uploads a census workbook, reads the preview, imports it, and finds the community."""

import pytest

from conftest import workbook_bytes
from gaizao.communities.models import Community
from tests.browser.test_summary_flow import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_upload_preview_and_import(page, live_server, bureau, dongcheng, tmp_path):
    good = tmp_path / "普查.xlsx"
    good.write_bytes(workbook_bytes([["W001", "农机家属院", "东城", 1991]], [["W001", "1号楼", 5, 40, 3300]]))
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(workbook_bytes([["W002", "供销社家属院", "东城", "九一年"]]))

    login(page, live_server, "bureau")
    page.goto(f"{live_server.url}/communities/import/")
    page.set_input_files("input[type=file]", str(bad))
    page.click("#upload-form button[type=submit]")
    page.wait_for_selector("#error-table")
    assert "建成年份" in page.inner_text("#error-table")
    assert not Community.objects.exists()

    page.goto(f"{live_server.url}/communities/import/")
    page.set_input_files("input[type=file]", str(good))
    page.click("#upload-form button[type=submit]")
    page.wait_for_selector("#confirm-import")
    assert page.inner_text("[data-count=community-create]") == "1"
    assert not Community.objects.exists()
    page.click("#confirm-import")
    page.wait_for_selector("#import-done")
    page.click("#see-communities")
    page.wait_for_selector("#community-table")
    page.click("#community-table a:has-text('农机家属院')")
    assert "1号楼" in page.inner_text("#buildings")
    assert Community.objects.get(code="W001").buildings.count() == 1
