"""A resident reports a leak on a 390 px phone → the contractor sees it with its deadline → answers with a photo →
the resident confirms the repair. Every page fits the phone and passes axe's accessibility rules."""

import datetime
from decimal import Decimal

import pytest
from PIL import Image

from gaizao.defects.models import Defect
from gaizao.defects.tests.conftest import EAST_ACCEPTED, accepted_project
from gaizao.households import access
from gaizao.households.models import Household
from tests.browser.conftest import identify_on_phone
from tests.browser.test_funding_flow import assert_accessible
from tests.browser.test_summary_flow import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TODAY = datetime.date(2021, 11, 25)


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_a_leak_reported_on_a_phone_is_repaired_and_confirmed(browser, phone, live_server, east_community, builder,
                                                             contractor, bureau, settings, tmp_path):
    settings.GAIZAO_TODAY = TODAY
    settings.MEDIA_ROOT = tmp_path
    project = accepted_project("P2019", east_community, builder, EAST_ACCEPTED)
    roof = project.items.get(plan_item__item__name="屋面防水")
    building = east_community.buildings.order_by("name").first()
    home = Household.objects.create(building=building, stairwell_unit=1, room="401", exclusive_area_m2=Decimal("70"))
    code = access.issue_codes(bureau, [home])[0].code
    leak, repaired = tmp_path / "leak.jpg", tmp_path / "repaired.jpg"
    Image.new("RGB", (80, 60), "gray").save(leak, "JPEG")
    Image.new("RGB", (80, 60), "white").save(repaired, "JPEG")

    # The resident, on the phone, from the home page to the report form.
    identify_on_phone(phone, live_server, east_community, building, "401", code)
    with phone.expect_navigation():
        phone.click("#report-defect")
    assert_accessible(phone, "report form")
    assert fits(phone)
    choice = f"input[name=item][value='{roof.pk}']"
    phone.check(choice)
    label = phone.locator(f"label[for='{phone.get_attribute(choice, 'id')}']")
    assert label.bounding_box()["height"] >= 44  # a large choice, easy to tap
    phone.fill("#id_location", "1号楼1单元401 卧室顶棚")
    phone.fill("#id_text", "下雨后卧室顶棚漏水，墙角发霉")
    phone.set_input_files("#id_photos", str(leak))
    with phone.expect_navigation():
        phone.click("#send-defect")
    defect = Defect.objects.get()
    assert defect.company == builder and defect.deadline == TODAY + datetime.timedelta(days=7)
    card = phone.locator(f"#defect-{defect.pk}")
    assert card.get_attribute("data-status") == "open"
    assert "2021年12月2日" in card.inner_text() or "2 Dec 2021" in card.inner_text()
    assert_accessible(phone, "my defects")
    assert fits(phone)

    # The contractor, on a phone too, finds it in its list with the deadline and answers with a photo.
    site = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True,
                               has_touch=True, device_scale_factor=2).new_page()
    login(site, live_server, "site")
    site.wait_for_url(f"{live_server.url}/works/")
    site.goto(f"{live_server.url}/defects/")
    row = site.locator(f"[data-defect='{defect.pk}']")
    assert row.locator("[data-deadline]").get_attribute("data-deadline") == "2021-12-02"
    assert_accessible(site, "contractor's list")
    assert fits(site)
    with site.expect_navigation():
        row.locator("a").first.click()
    assert site.get_attribute("#defect-deadline", "data-deadline") == "2021-12-02"
    site.fill("#id_text", "已重做屋面防水层，闭水试验合格")
    site.set_input_files("#id_photos", str(repaired))
    assert_accessible(site, "contractor's answer form")
    assert fits(site)
    with site.expect_navigation():
        site.click("#send-answer")
    assert site.get_attribute("#defect-status [data-status]", "data-status") == "answered"
    assert site.locator("#defect-events img.defect-photo").count() == 2  # the resident's and the repair's
    site.context.close()

    # The resident reads the answer with its photo and confirms the repair.
    phone.goto(f"{live_server.url}/defects/r/{east_community.code}/mine/")
    card = phone.locator(f"#defect-{defect.pk}")
    assert "已重做屋面防水层" in card.inner_text()
    assert card.locator("img.r-photo").count() == 2
    assert fits(phone)
    card.locator("input[value=yes]").check()
    with phone.expect_navigation():
        card.locator(f"[data-confirm='{defect.pk}']").click()
    assert phone.locator(f"#defect-{defect.pk}").get_attribute("data-status") == "closed"
    defect.refresh_from_db()
    assert defect.status == Defect.Status.CLOSED
    assert_accessible(phone, "confirmed")
