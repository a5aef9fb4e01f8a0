"""At the office screen (1366×768), on the demo's day: bureau staff set the residents' satisfaction the district
requires, read a project's rate against it, are refused an acceptance dated after today (what they typed stays),
record it, find it final, and correct its date with a reason; the first record stays on the page with the
correction's history. Each page passes axe's accessibility rules and has no sideways scroll."""

import datetime
from decimal import Decimal

import pytest

from gaizao.core import clock
from gaizao.households.models import Household
from gaizao.surveys import services as surveys
from gaizao.surveys.models import Survey
from gaizao.works import services
from gaizao.works.models import Acceptance, Project
from gaizao.works.tests.conftest import item, make_project
from tests.browser.test_funding_flow import assert_accessible
from tests.browser.test_summary_flow import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TODAY = datetime.date(2021, 11, 25)
GOOD = {"content": "satisfied", "process": "basic", "management": "satisfied", "overall": "satisfied"}
BAD = {"content": "unsatisfied", "process": "unsatisfied", "management": "unsatisfied", "overall": "unsatisfied"}


@pytest.fixture
def office(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 768})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def judged_project(east_community, builder, contractor, settings):
    """P1: reported on 1 June and 20 November, its residents 75 percent satisfied (3 households of 4)."""
    settings.GAIZAO_TODAY = TODAY
    project = make_project("P1", east_community, builder)
    windows = item(project, "塑钢窗更换")
    services.record_progress(contractor, project, datetime.date(2021, 6, 1), {windows.pk: Decimal(60)})
    services.record_progress(contractor, project, datetime.date(2021, 11, 20), {windows.pk: Decimal(12)})
    Project.objects.filter(pk=project.pk).update(status=Project.Status.COMPLETED)
    building = east_community.buildings.order_by("name").first()
    now = clock.now()
    survey = Survey.objects.create(community=east_community, kind=Survey.Kind.SATISFACTION, title="满意度测评",
                                   project=project, opens_at=now - datetime.timedelta(hours=1),
                                   closes_at=now + datetime.timedelta(days=1))
    for n, answers in enumerate([GOOD, GOOD, GOOD, BAD], start=1):
        home = Household.objects.create(building=building, stairwell_unit=1, room=f"{n}01",
                                        exclusive_area_m2=Decimal("70"))
        surveys.submit_response(survey, home, answers)
    return project


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_bureau_records_a_final_acceptance_and_corrects_it_with_a_reason(office, phone, live_server, judged_project,
                                                                          bureau):
    page = office
    login(page, live_server, "bureau")
    page.wait_for_url(f"{live_server.url}/summary/")

    # The district's minimum: 80 percent blocks a project at 75; the bureau decides on 70.
    page.goto(f"{live_server.url}/works/acceptance-settings/")
    field = page.locator("#minimum-form input[name^=min_]")
    field.fill("80")
    with page.expect_navigation():
        page.click("#save-minimum")
    page.goto(f"{live_server.url}/works/P1/acceptance/")
    box = page.inner_text("#satisfaction")
    assert "75%" in box and "80%" in box
    assert page.is_disabled("#record-acceptance") and page.is_visible("#satisfaction-next")
    page.goto(f"{live_server.url}/works/acceptance-settings/")
    page.locator("#minimum-form input[name^=min_]").fill("70")
    with page.expect_navigation():
        page.click("#save-minimum")
    assert "70%" in page.inner_text("#minimum-in-force")
    assert_accessible(page, "settings")

    # After the platform's today: refused with the allowed range, and what was typed stays.
    page.goto(f"{live_server.url}/works/P1/")
    with page.expect_navigation():
        page.click("a[href='/works/P1/acceptance/']")
    assert "75%" in page.inner_text("#satisfaction") and "70%" in page.inner_text("#satisfaction")
    assert page.is_enabled("#record-acceptance")
    page.fill("#id_date", "2021-12-31")
    page.fill("#id_participants", "住建局 王科长\n监理 宁晓峰\n居民代表 张立荣")
    page.check("input[name=checks][value=residents]")
    for reason in page.locator("input[name^=reason_]").all():
        reason.fill("居民议事会决定不做")
    with page.expect_navigation():
        page.click("#record-acceptance")
    errors = page.inner_text("#acceptance-errors")
    assert "2021年11月20日" in errors and "2021年11月25日" in errors
    assert page.input_value("#id_date") == "2021-12-31" and "宁晓峰" in page.input_value("#id_participants")
    assert page.is_checked("input[name=checks][value=residents]")
    assert not Acceptance.objects.exists()
    assert fits(page)
    assert_accessible(page, "acceptance refused")

    page.fill("#id_date", "2021-11-24")
    with page.expect_navigation():
        page.click("#record-acceptance")
    assert "2021年11月24日" in page.inner_text("#acceptance")

    # Final: the page now shows the record, read only, and the way to a correction.
    with page.expect_navigation():
        page.click("#acceptance-record-link")
    assert page.locator("#acceptance-form").count() == 0
    assert page.inner_text("#acceptance-date") == "2021年11月24日"
    with page.expect_navigation():
        page.click("#correct-acceptance")
    assert page.input_value("#id_date") == "2021-11-24"  # filled in with the record
    page.fill("#id_date", "2021-11-22")
    with page.expect_navigation():
        page.click("#save-correction")
    assert page.locator("#id_reason + .text-danger, #id_reason ~ .text-danger").count() == 1  # a reason is needed
    assert page.input_value("#id_date") == "2021-11-22"
    page.fill("#id_reason", "验收纪要记载的验收日期为11月22日，录入有误")
    with page.expect_navigation():
        page.click("#save-correction")
    assert page.inner_text("#acceptance-date") == "2021年11月22日"
    assert "2021年11月24日" in page.inner_text("#first-record")
    history = page.inner_text("#acceptance-history")
    assert "录入有误" in history and "bureau" in history and "2021年11月24日" in history
    assert fits(page)
    assert_accessible(page, "acceptance record")
    assert Acceptance.objects.get().date == datetime.date(2021, 11, 22)
    # The same pages on a phone: no sideways scroll.
    login(phone, live_server, "bureau")
    phone.wait_for_url(f"{live_server.url}/summary/")
    for path in ("/works/P1/acceptance/", "/works/P1/acceptance/correct/", "/works/acceptance-settings/"):
        phone.goto(f"{live_server.url}{path}")
        assert fits(phone), path
