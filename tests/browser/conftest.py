"""Playwright against Debian's chromium (no browser download: intranet machines and CI have none)."""

import os
import shutil

import pytest

CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"chromium not found at {CHROMIUM}; install Debian's chromium package (make test does).")
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls from the test are still
    # plain synchronous calls, so this is safe here.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run", "--disable-quic"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def phone(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True,
                                  has_touch=True, device_scale_factor=2)
    page = context.new_page()
    yield page
    context.close()


def identify_on_phone(phone, live_server, community, building, room, code, unit=1):
    """What a resident does after scanning the stairwell's QR code: pick the home, type the committee's code."""
    phone.goto(f"{live_server.url}/r/{community.code}/")
    phone.select_option("#id_building", str(building.pk))
    phone.fill("#id_unit", str(unit))
    phone.fill("#id_room", room)
    phone.fill("#id_code", code)
    phone.click("#identify-submit")
    phone.wait_for_url(f"{live_server.url}/r/{community.code}/home/")
