"""The joint meeting at the office screen (1366×768): the water company's member logs in, lands on its items,
closes an overdue one with evidence, and the bulletin's ranking of departments by overdue items changes; then
the same member reports its own pipeline work on a 390 px phone. Each page passes axe's accessibility rules and
has no page-level horizontal scroll."""

import datetime
from decimal import Decimal

import pytest
from PIL import Image

from gaizao.coordination import services, utility
from gaizao.coordination.models import CoordinationItem, Department, UtilityProgress
from gaizao.coordination.tests.conftest import department_member
from tests.browser.test_funding_flow import assert_accessible
from tests.browser.test_summary_flow import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DAY = datetime.date(2021, 11, 25)


@pytest.fixture
def joint_meeting(settings, bureau, east_community, west_community):
    """On 2021-11-25 the water company has two overdue items, the power company one."""
    settings.GAIZAO_TODAY = DAY
    water = Department.objects.create(name="盐湖区供水公司", kind=Department.Kind.UTILITY,
                                      service=Department.Service.WATER)
    power = Department.objects.create(name="国网运城供电公司", kind=Department.Kind.UTILITY,
                                      service=Department.Service.POWER)
    meeting = services.record_meeting(bureau, date=datetime.date(2021, 11, 5), title="第四次联席会议",
                                      departments=[water, power])
    first = services.add_item(bureau, meeting, description="康杰中学家属院二次供水设施改造", lead_department=water,
                              due_date=datetime.date(2021, 11, 20), community=east_community)
    services.add_item(bureau, meeting, description="室外供水管道防冻保温", lead_department=water,
                      due_date=datetime.date(2021, 11, 22))
    services.add_item(bureau, meeting, description="棉麻家属院架空线入地", lead_department=power,
                      due_date=datetime.date(2021, 11, 18), community=west_community)
    member = department_member("water", water)
    work = utility.add_work(bureau, community=east_community, utility=water, description="小区供水管网改造",
                            quantity=Decimal("800"), unit="m", cost=Decimal("400000"),
                            utility_share=Decimal("240000"), year=2021)
    return {"item": first, "member": member, "work": work}


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def _rank(page, name: str) -> tuple[str, str]:
    row = page.locator(f"#coordination-ranking tr[data-department='{name}']")
    return row.locator("[data-rank]").inner_text(), row.locator("[data-overdue]").inner_text()


def test_a_department_closes_its_item_and_the_bulletins_ranking_changes(browser, live_server, joint_meeting,
                                                                         tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    evidence = tmp_path / "验收单.pdf"
    evidence.write_bytes(b"%PDF-1.4 signed by the property company and residents")
    office = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 768})
    bureau = office.new_page()
    login(bureau, live_server, "bureau")
    bureau.wait_for_url(f"{live_server.url}/summary/")
    bureau.goto(f"{live_server.url}/works/bulletin/?date=2021-11-25")
    assert _rank(bureau, "国网运城供电公司") == ("1", "1")
    assert _rank(bureau, "盐湖区供水公司") == ("2", "2")
    before = bureau.inner_text("#coordination-paragraph")
    assert_accessible(bureau, "bulletin")

    water = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 768}).new_page()
    login(water, live_server, "water")
    water.wait_for_url(f"{live_server.url}/coordination/")  # a department lands on its items
    assert water.inner_text("[data-figure=overdue]") == "2"
    assert water.locator("#item-table tbody tr").count() == 2  # its own two, never the power company's
    # its menu leads to its own pages only
    links = water.eval_on_selector_all("#nav a.nav-link[href^='/']", "links => links.map(a => a.pathname)")
    assert links and all(link.startswith("/coordination/") for link in links), links
    assert _fits(water)
    assert_accessible(water, "items of the water company")

    item = joint_meeting["item"]
    with water.expect_navigation():
        water.click(f"#item-table a[href='/coordination/items/{item.pk}/'] >> nth=0")
    assert_accessible(water, "item with its close form")
    # Evidence is required: an empty one is refused with a sentence, nothing changes.
    with water.expect_navigation():
        water.click("#close-item")
    assert water.locator("#close-form .alert-danger").is_visible()
    item.refresh_from_db()
    assert item.status == CoordinationItem.Status.OPEN
    water.fill("#id_close-evidence", "水箱已清洗，加压泵已更换并通水，物业和居民代表签字确认。")
    water.set_input_files("#id_close-document", str(evidence))
    assert _fits(water)
    with water.expect_navigation():
        water.click("#close-item")
    assert water.get_attribute("#item-status [data-status]", "data-status") == "done"
    assert "2021年11月25日" in water.inner_text("[data-closed]")
    assert water.locator("#evidence-file").is_visible()
    assert_accessible(water, "closed item")

    bureau.reload()
    assert _rank(bureau, "盐湖区供水公司") == ("1", "1")  # tied with the power company now
    assert _rank(bureau, "国网运城供电公司") == ("1", "1")
    assert bureau.inner_text("#coordination-paragraph") != before
    # The water company's own ranking page says the same.
    water.goto(f"{live_server.url}/coordination/ranking/")
    assert water.locator("tr.table-primary [data-rank]").inner_text() == "1"
    assert_accessible(water, "ranking")
    # another department's item is not there for it
    other = CoordinationItem.objects.get(lead_department__name="国网运城供电公司")
    assert water.goto(f"{live_server.url}/coordination/items/{other.pk}/").status == 404
    office.close()


def test_a_utility_reports_its_own_work_on_a_phone(phone, live_server, joint_meeting, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    photo = tmp_path / "pipe.jpg"
    Image.new("RGB", (60, 40), "gray").save(photo, "JPEG")
    login(phone, live_server, "water")
    phone.wait_for_url(f"{live_server.url}/coordination/")
    assert _fits(phone)
    work = joint_meeting["work"]
    phone.goto(f"{live_server.url}/coordination/utility-works/{work.pk}/")
    with phone.expect_navigation():
        phone.click("#report-link")
    phone.fill("#id_date", "2021-11-26")  # tomorrow: refused, what was typed stays
    phone.fill("#id_quantity", "120")
    with phone.expect_navigation():
        phone.click("#submit-report")
    assert "施工日期不能晚于今天" in phone.inner_text("#report-errors")
    assert phone.input_value("#id_quantity") == "120"
    phone.fill("#id_date", "2021-11-24")
    phone.set_input_files("#id_photos", str(photo))
    assert _fits(phone)
    assert_accessible(phone, "utility report on a phone")
    with phone.expect_navigation():
        phone.click("#submit-report")
    assert phone.inner_text("[data-figure=done]") == "120"
    entry = UtilityProgress.objects.get()
    assert entry.quantity == 120 and entry.photos.count() == 1
    assert _fits(phone)


def test_the_bureau_extends_an_items_deadline_with_a_reason_and_the_ranking_follows(browser, live_server,
                                                                                     joint_meeting):
    office = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 768})
    page = office.new_page()
    login(page, live_server, "bureau")
    page.wait_for_url(f"{live_server.url}/summary/")
    page.goto(f"{live_server.url}/coordination/items/{joint_meeting['item'].pk}/")
    page.click("#correct-link")
    assert_accessible(page, "revise an item")
    page.fill("#id_correct-due_date", "2021-12-31")
    page.click("#correct-submit")  # no reason: refused, the typed date kept
    assert page.locator(".alert-danger, #id_correct-reason-error").count() >= 1
    assert page.input_value("#id_correct-due_date") == "2021-12-31"
    page.fill("#id_correct-reason", "第五次联席会议同意延期至年底")
    page.click("#correct-submit")
    page.wait_for_url(f"{live_server.url}/coordination/items/{joint_meeting['item'].pk}/")
    assert page.inner_text("[data-due]") == "2021年12月31日"
    assert "第五次联席会议同意延期至年底" in page.inner_text("#item-updates")
    page.goto(f"{live_server.url}/works/bulletin/?date=2021-11-25")
    assert _rank(page, "盐湖区供水公司") == ("1", "1")  # one overdue left, level with the power company

    phone = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}).new_page()
    login(phone, live_server, "bureau")
    phone.goto(f"{live_server.url}/coordination/items/{joint_meeting['item'].pk}/correct/")
    assert _fits(phone)
