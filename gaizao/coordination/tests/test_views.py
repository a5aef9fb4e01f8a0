"""The pages and the API: a department member lands on its items, closes its own with evidence, never sees
another's; the bureau records meetings, items and utilities' works; bad input is refused with a sentence and
what was typed stays."""

import io
import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook

from gaizao.coordination import utility
from gaizao.coordination.models import CoordinationItem, Meeting, UtilityProgress, UtilityWork
from gaizao.coordination.tests.conftest import DAY, png_upload

Status = CoordinationItem.Status


def browser(user) -> Client:
    client = Client(headers={"accept-language": "en"})
    client.force_login(user)
    return client


def test_a_department_member_lands_on_its_items_and_sees_no_others(water, water_item, power_item):
    client = browser(water)
    assert client.get("/").url == "/coordination/"
    page = client.get("/coordination/").content.decode()
    assert "更换供水主管" in page and "架空线入地" not in page
    assert 'data-figure="overdue">1<' in page
    assert client.get(f"/coordination/items/{power_item.pk}/").status_code == 404
    answer = client.post(f"/coordination/items/{power_item.pk}/", {"action": "close", "close-evidence": "done"})
    assert answer.status_code == 404
    power_item.refresh_from_db()
    assert power_item.status == Status.OPEN


def test_closing_needs_evidence_and_keeps_what_was_typed(water, water_item, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = browser(water)
    url = f"/coordination/items/{water_item.pk}/"
    bad = client.post(url, {"action": "close", "close-evidence": "  "})
    assert bad.status_code == 400 and "Describe the evidence" in bad.content.decode()
    fake = SimpleUploadedFile("scan.pdf", b"GIF89a not a pdf")
    bad = client.post(url, {"action": "close", "close-evidence": "主管已通水", "close-document": fake})
    assert bad.status_code == 400 and "主管已通水</textarea>" in bad.content.decode()
    water_item.refresh_from_db()
    assert water_item.status == Status.OPEN
    document = SimpleUploadedFile("验收单.pdf", b"%PDF-1.4 signed")
    done = client.post(url, {"action": "close", "close-evidence": "主管已通水", "close-document": document})
    assert done.status_code == 302
    water_item.refresh_from_db()
    assert water_item.status == Status.DONE and water_item.closed_on == DAY
    file = client.get(f"/coordination/items/{water_item.pk}/evidence/")
    assert file.status_code == 200 and b"".join(file.streaming_content) == b"%PDF-1.4 signed"


def test_a_shared_item_is_seen_but_only_the_lead_closes_it(bureau, power, water_item, meeting, power_company):
    water_item.other_departments.add(power_company)
    client = browser(power)
    page = client.get(f"/coordination/items/{water_item.pk}/")
    assert page.status_code == 200 and 'id="close-form"' not in page.content.decode()
    assert client.post(f"/coordination/items/{water_item.pk}/",
                       {"action": "close", "close-evidence": "x"}).status_code == 403


def test_the_items_list_filters_sorts_searches_and_exports(bureau, water_item, power_item, water_company):
    client = browser(bureau)
    page = client.get("/coordination/?overdue=true").content.decode()
    assert "更换供水主管" in page and "架空线入地" not in page
    page = client.get(f"/coordination/?department={water_company.pk}&sort=-due").content.decode()
    assert "更换供水主管" in page and "架空线入地" not in page
    assert "架空线入地" in client.get("/coordination/?q=架空").content.decode()
    assert "架空线入地" in client.get("/coordination/?community=XC001").content.decode()
    assert client.get("/coordination/?overdue=maybe").status_code == 200  # an odd value filters nothing
    export = client.get("/coordination/?format=xlsx&sort=due")
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert [r[3] for r in rows] == ["更换供水主管", "架空线入地"] and rows[0][9] == "yes"


def test_the_bureau_records_a_meeting_and_a_bad_date_is_kept_with_its_message(bureau, water_company):
    client = browser(bureau)
    typed = {"date": "2021-12-01", "title": "第四次联席会议", "departments": [water_company.pk], "minutes": "纪要"}
    bad = client.post("/coordination/meetings/new/", typed)
    body = bad.content.decode()
    assert bad.status_code == 400 and "cannot be after today" in body and "第四次联席会议" in body
    assert not Meeting.objects.exists()
    good = client.post("/coordination/meetings/new/", {**typed, "date": "2021-11-24"})
    meeting = Meeting.objects.get()
    assert good.url == f"/coordination/meetings/{meeting.pk}/"


def test_an_item_without_lead_or_due_date_is_refused_on_the_page(bureau, meeting, water_company, east_community):
    client = browser(bureau)
    answer = client.post(f"/coordination/meetings/{meeting.pk}/", {"description": "道路开挖审批"})
    body = answer.content.decode()
    assert answer.status_code == 400
    assert "Name the department that leads this item" in body and "Give the date the item is due" in body
    assert "道路开挖审批</textarea>" in body and not CoordinationItem.objects.exists()
    client.post(f"/coordination/meetings/{meeting.pk}/", {"description": "道路开挖审批",
                                                          "lead_department": water_company.pk,
                                                          "due_date": "2021-12-15", "community": "DC001"})
    assert CoordinationItem.objects.get().community == east_community


def test_departments_and_outsiders_may_not_record(water, contractor, meeting):
    assert browser(water).get("/coordination/meetings/new/").status_code == 403
    assert browser(water).post(f"/coordination/meetings/{meeting.pk}/", {"description": "x"}).status_code == 403
    assert browser(contractor).get("/coordination/").status_code == 403
    assert browser(contractor).get(f"/coordination/meetings/{meeting.pk}/").status_code == 404


def test_the_ranking_page_marks_the_users_department(water, water_item, power_item):
    page = browser(water).get("/coordination/ranking/?date=2021-11-25").content.decode()
    assert 'class="table-primary"' in page and "盐湖区供水公司" in page
    assert browser(water).get("/coordination/ranking/?date=25.11.2021").status_code == 400


def test_a_utility_work_is_recorded_by_percentage_and_shown_on_the_plan_and_community_pages(
        bureau, officer, water_company, east_community):
    client = browser(bureau)
    answer = client.post("/coordination/utility-works/new/", {
        "community": "DC001", "utility": water_company.pk, "description": "更换小区供水管网", "quantity": "800",
        "unit": "m", "cost": "400000", "share_percent": "60", "year": "2021"})
    work = UtilityWork.objects.get()
    assert answer.url == f"/coordination/utility-works/{work.pk}/" and work.utility_share == Decimal("240000.00")
    for url in ("/planning/communities/DC001/plan/", "/communities/DC001/"):
        page = browser(officer).get(url).content.decode()
        assert 'id="utility-works"' in page and "更换小区供水管网" in page, url
    bad = client.post("/coordination/utility-works/new/", {
        "community": "DC001", "utility": water_company.pk, "description": "燃气", "quantity": "1", "unit": "m",
        "cost": "100", "share_yuan": "50", "share_percent": "50", "year": "2021"})
    assert bad.status_code == 400 and "not both" in bad.content.decode()


def test_the_utility_reports_on_its_phone_with_a_photo(water, water_work, power, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = browser(water)
    url = f"/coordination/utility-works/{water_work.pk}/report/"
    assert client.get(url).status_code == 200
    bad = client.post(url, {"date": "2021-11-26", "quantity": "120"})
    assert bad.status_code == 400 and "cannot be in the future" in bad.content.decode()
    client.post(url, {"date": "2021-11-24", "quantity": "120", "photos": png_upload()})
    entry = UtilityProgress.objects.get()
    assert entry.quantity == 120 and entry.photos.count() == 1
    photo = client.get(f"/coordination/utility-works/{water_work.pk}/photos/{entry.photos.get().pk}/")
    assert photo.status_code == 200
    assert browser(power).get(url).status_code == 404
    client.post(f"/coordination/utility-works/{water_work.pk}/correct/{entry.pk}/", {"quantity": "-20",
                                                                                     "reason": "多报"})
    assert utility.done_quantity(water_work) == 100


# ---- API -----------------------------------------------------------------------------------------------------

def _post(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


def test_the_api_scopes_items_and_refuses_an_item_without_lead_or_due_date(bureau, water, meeting, water_item,
                                                                          power_item):
    listed = browser(water).get("/api/coordination-items/").json()
    assert [i["id"] for i in listed["results"]] == [water_item.pk] and listed["results"][0]["overdue"]
    assert browser(water).get(f"/api/coordination-items/{power_item.pk}/").status_code == 404
    refused = _post(browser(bureau), "/api/coordination-items/", {"meeting": meeting.pk, "description": "审批"})
    assert refused.status_code == 400
    assert "department that leads" in refused.json()["lead_department"][0]
    assert "date the item is due" in refused.json()["due_date"][0]
    created = _post(browser(bureau), "/api/coordination-items/", {
        "meeting": meeting.pk, "description": "审批", "lead_department": water_item.lead_department_id,
        "due_date": "2021-12-01", "community": "DC001"})
    assert created.status_code == 201 and created.json()["community"] == "DC001"
    assert _post(browser(water), "/api/coordination-items/", {}).status_code == 403


def test_the_api_closes_the_departments_own_item_with_evidence(water, water_item, power_item):
    client = browser(water)
    assert _post(client, f"/api/coordination-items/{water_item.pk}/close/", {"evidence": ""}).status_code == 400
    assert _post(client, f"/api/coordination-items/{power_item.pk}/close/", {"evidence": "x"}).status_code == 404
    progress = _post(client, f"/api/coordination-items/{water_item.pk}/progress/", {"text": "已开工"})
    assert progress.json()["status"] == "in_progress"
    closed = _post(client, f"/api/coordination-items/{water_item.pk}/close/", {"evidence": "已通水"})
    assert closed.status_code == 200
    assert closed.json()["status"] == "done" and closed.json()["closed_on"] == "2021-11-25"
    again = _post(client, f"/api/coordination-items/{water_item.pk}/close/", {"evidence": "已通水"})
    assert again.status_code == 400 and "already done" in again.json()["detail"]


def test_the_api_records_meetings_and_utility_reports(bureau, water, water_company, water_work):
    refused = _post(browser(bureau), "/api/meetings/", {"date": "2021-11-26", "title": "例会",
                                                        "departments": [water_company.pk]})
    assert refused.status_code == 400 and "after today" in refused.json()["detail"]
    assert _post(browser(water), "/api/meetings/", {"date": "2021-11-20", "title": "例会"}).status_code == 403
    report = _post(browser(water), f"/api/utility-works/{water_work.pk}/report/", {"date": "2021-11-25",
                                                                                 "quantity": "50"})
    assert report.status_code == 201 and report.json()["quantity"] == "50.00"
    late = _post(browser(water), f"/api/utility-works/{water_work.pk}/report/", {"date": "2021-11-25",
                                                                               "quantity": "5000"})
    assert late.status_code == 400 and "variation reason" in late.json()["detail"]
    assert browser(water).get("/api/departments/").status_code == 200


@pytest.mark.parametrize("url", ["/coordination/", "/coordination/meetings/", "/coordination/ranking/",
                                 "/coordination/utility-works/", "/api/coordination-items/", "/api/departments/"])
def test_contractors_have_no_joint_meeting_pages(contractor, url):
    assert browser(contractor).get(url).status_code == 403
