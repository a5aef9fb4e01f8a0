"""A resident scans a damaged or old QR code (an unknown community in /r/<code>/) on a 390×844 phone: the page says
the page was not found, in large type, what to do and whom to call, and fits the screen."""

import pytest
from django.utils.translation import gettext

from tests.browser.test_summary_flow import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_resident_with_a_bad_qr_code_sees_the_large_type_resident_error_page(phone, live_server, east_community):
    response = phone.goto(f"{live_server.url}/r/YH-OLD-CODE/")
    assert response.status == 404
    assert phone.locator("h1").inner_text() == gettext("This page was not found")
    assert phone.locator("#error-contacts").is_visible()
    assert gettext("Scan the QR code in your stairwell again.") in phone.locator("#error-page").inner_text()
    # Large type for older eyes: the residents' layout (20 px body text), not the staff pages' 16.8 px.
    body_px = float(phone.evaluate("parseFloat(getComputedStyle(document.body).fontSize)"))
    heading_px = float(phone.evaluate("parseFloat(getComputedStyle(document.querySelector('h1')).fontSize)"))
    assert body_px >= 20 and heading_px >= 25
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    assert phone.locator(".navbar").count() == 0  # no staff menu on a resident's page
    ARTIFACTS.mkdir(exist_ok=True)
    phone.screenshot(path=str(ARTIFACTS / "resident-error-404-phone.png"), full_page=True)
