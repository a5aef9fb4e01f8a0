"""The committee issues access codes; a resident opens the community's link on a phone, identifies with the
code and lands on the home page with the open survey and notices, then answers the needs survey."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from conftest import PASSWORD
from gaizao.accounts.models import User
from gaizao.accounts.services import ensure_user
from gaizao.households.models import Committee, CommitteeMember, Household
from gaizao.notices.models import Notice
from gaizao.surveys.models import Survey, SurveyResponse
from tests.browser.test_summary_flow import ARTIFACTS, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def committee_member(east_community):
    user = ensure_user("weiyuan", PASSWORD, User.Role.COMMITTEE_MEMBER, full_name="王委员")
    committee = Committee.objects.create(community=east_community, name="康杰临时管委会")
    CommitteeMember.objects.create(committee=committee, user=user)
    return user


@pytest.fixture
def register(east_community):
    building = east_community.buildings.get(name="1号楼")
    return [Household.objects.create(building=building, stairwell_unit=unit, room=room,
                                     exclusive_area_m2=Decimal("68.5"))
            for unit, room in ((1, "101"), (1, "102"), (2, "201"))]


def test_committee_issues_a_code_and_a_resident_enters_on_a_phone(page, phone, live_server, east_community,
                                                                  committee_member, register):
    now = timezone.now()
    survey = Survey.objects.create(community=east_community, kind=Survey.Kind.NEEDS, title="康杰小区改造需求调查",
                                   opens_at=now - datetime.timedelta(hours=1),
                                   closes_at=now + datetime.timedelta(days=7))
    Notice.objects.create(title="施工期间停水通知", body="5月8日8:00至12:00停水。", community=east_community,
                          published_at=now - datetime.timedelta(hours=2))

    # The committee member prints the codes of building 1 (the only time the codes are shown).
    login(page, live_server, "weiyuan")
    page.goto(f"{live_server.url}/r/manage/DC001/codes/")
    page.select_option("#id_building", label="1号楼")
    with page.expect_navigation():
        page.click("#issue-codes")
    slip = page.locator(f"[data-household='{register[2].pk}']")
    code = slip.locator("[data-code]").inner_text().strip()
    assert len(code) == 6 and code.isdigit()
    assert page.locator("#code-slips .slip").count() == 3
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "resident-code-sheet.png"), full_page=True)

    # The resident scans the stairwell QR code: the community's link opens on the phone.
    phone.goto(f"{live_server.url}/r/DC001/")
    assert phone.inner_text("#community-name").strip() == "康杰中学家属院"
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    font_px = phone.evaluate("parseFloat(getComputedStyle(document.querySelector('#id_room')).fontSize)")
    assert font_px >= 1.2 * 16
    assert phone.evaluate("document.scripts.length") == 0  # nothing to download but the page and its CSS
    phone.screenshot(path=str(ARTIFACTS / "resident-entry.png"), full_page=True)

    # A wrong code first: refused, and nothing is remembered.
    phone.select_option("#id_building", label="1号楼")
    phone.fill("#id_unit", "2")
    phone.fill("#id_room", "201")
    phone.fill("#id_code", "000000" if code != "000000" else "111111")
    with phone.expect_navigation():
        phone.click("#identify-submit")
    assert phone.locator("#identify-problem").is_visible()

    phone.select_option("#id_building", label="1号楼")
    phone.fill("#id_unit", "2")
    phone.fill("#id_room", "201")
    phone.fill("#id_code", code)
    with phone.expect_navigation():
        phone.click("#identify-submit")
    assert phone.url == f"{live_server.url}/r/DC001/home/"
    assert "1号楼 2单元 201" in phone.inner_text("#household-label")
    assert "康杰小区改造需求调查" in phone.inner_text("#open-surveys")
    assert "施工期间停水通知" in phone.inner_text("#notices")
    assert phone.locator("#report-problem").get_attribute("href") == "/feedback/r/DC001/new/"
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    phone.screenshot(path=str(ARTIFACTS / "resident-home.png"), full_page=True)

    # The resident answers the needs survey: two items, most important first.
    with phone.expect_navigation():
        phone.click(f"[data-survey='{survey.pk}']")
    phone.select_option("#id_choice_1", "JC11")
    phone.select_option("#id_choice_2", "JC04")
    phone.screenshot(path=str(ARTIFACTS / "resident-needs-survey.png"), full_page=True)
    with phone.expect_navigation():
        phone.click("#survey-submit")
    assert phone.url == f"{live_server.url}/r/DC001/home/"
    assert SurveyResponse.objects.get(household=register[2]).answers == {"items": ["JC11", "JC04"]}

    # The code was used up: on a second phone the same code no longer works.
    phone.context.clear_cookies()
    phone.goto(f"{live_server.url}/r/DC001/")
    phone.select_option("#id_building", label="1号楼")
    phone.fill("#id_unit", "2")
    phone.fill("#id_room", "201")
    phone.fill("#id_code", code)
    with phone.expect_navigation():
        phone.click("#identify-submit")
    assert phone.locator("#identify-problem").is_visible()
