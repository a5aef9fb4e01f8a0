"""The pages: the accepted communities' list (filters, sort, search, Excel), the form (officer scoping, bad input
kept), the agreement file, the settings, and the sections on the community, dashboard, bulletin and satisfaction
pages."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from gaizao.aftercare import services
from gaizao.aftercare.models import AftercareSettings, ManagementArrangement, ReturnVisit
from gaizao.aftercare.tests.conftest import values
from gaizao.surveys import services as surveys

PDF = b"%PDF-1.4 agreement"


def form(**changes) -> dict:
    data = {key: (value.isoformat() if isinstance(value, datetime.date) else value)
            for key, value in values(**changes).items() if value is not None and value is not False}
    if data.get("has_maintenance_fund") is True:
        data["has_maintenance_fund"] = "on"
    return data


@pytest.fixture
def both(east_project, west_project):
    return east_project, west_project


def test_the_list_filters_sorts_searches_and_flags(client, bureau, both, east_community):
    services.record_arrangement(bureau, east_community, values())
    client.force_login(bureau)
    url = reverse("aftercare:list")
    page = client.get(url).content.decode()
    assert "康杰中学家属院" in page and "棉麻家属院" in page and 'data-figure="share">50.0%' in page
    assert "13912345678" in page  # bureau staff see the contact in full
    assert "棉麻家属院" not in client.get(url, {"flag": "with"}).content.decode()
    assert "康杰中学家属院" not in client.get(url, {"kind": "none"}).content.decode()
    assert "棉麻家属院" not in client.get(url, {"q": "安居物业"}).content.decode()
    assert "棉麻家属院" not in client.get(url, {"subdistrict": east_community.subdistrict_id}).content.decode()
    ordered = client.get(url, {"sort": "-accepted"}).content.decode()
    assert ordered.index("棉麻家属院") < ordered.index("康杰中学家属院")
    # 棉麻家属院, accepted on 1 October, is 55 days in: not yet flagged.
    assert "data-flag" not in page and "康杰中学家属院" not in client.get(url, {"flag": "overdue"}).content.decode()


def test_the_list_exports_what_it_shows_with_masked_contacts_for_a_leader(client, leader, bureau, both,
                                                                          east_community):
    services.record_arrangement(bureau, east_community, values())
    client.force_login(leader)
    response = client.get(reverse("aftercare:list"), {"format": "xlsx", "flag": "with"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert len(rows) == 2 and rows[1][0] == "DC001"
    assert "139****5678" in rows[1] and "13912345678" not in rows[1] and "王**" in rows[1]


def test_an_officer_sees_and_records_only_in_their_sub_district(client, officer, both, east_community,
                                                                west_community):
    client.force_login(officer)
    page = client.get(reverse("aftercare:list")).content.decode()
    assert "康杰中学家属院" in page and "棉麻家属院" not in page
    assert client.get(reverse("aftercare:new", args=[west_community.code])).status_code == 404
    response = client.post(reverse("aftercare:new", args=[east_community.code]), form())
    assert response.status_code == 302
    assert east_community.management_arrangements.get().recorded_by == officer


@pytest.mark.parametrize("persona, status", [("leader", 403), ("contractor", 403), ("member", 403)])
def test_others_do_not_record(client, request, both, east_community, persona, status):
    client.force_login(request.getfixturevalue(persona))
    assert client.post(reverse("aftercare:new", args=[east_community.code]), form()).status_code in (status, 404)
    assert not ManagementArrangement.objects.exists()


def test_bad_input_changes_nothing_and_keeps_what_was_typed(client, bureau, both, east_community):
    client.force_login(bureau)
    url = reverse("aftercare:new", args=[east_community.code])
    for data in (form(since=datetime.date(2022, 1, 1)), form(since=datetime.date(2021, 5, 1)),
                 form(contact_phone="call me"), form(collection_rate="120"), form(has_maintenance_fund=False)):
        response = client.post(url, data)
        assert response.status_code == 200, data
        assert "运城市盐湖区安居物业服务有限公司" in response.content.decode()
    assert not ManagementArrangement.objects.exists()


def test_a_replacement_needs_a_reason_on_the_page(client, bureau, both, east_community):
    services.record_arrangement(bureau, east_community, values())
    client.force_login(bureau)
    url = reverse("aftercare:new", args=[east_community.code])
    assert client.post(url, form(since=datetime.date(2021, 10, 1))).status_code == 200
    assert client.post(url, form(since=datetime.date(2021, 10, 1), reason="换物业")).status_code == 302
    page = client.get(reverse("aftercare:community", args=[east_community.code])).content.decode()
    assert page.count("data-arrangement=") == 2 and "换物业" in page


def test_the_agreement_is_checked_and_served_only_within_scope(client, bureau, west_officer, both, east_community,
                                                               settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(bureau)
    url = reverse("aftercare:new", args=[east_community.code])
    bad = SimpleUploadedFile("agreement.pdf", b"MZ not a pdf", content_type="application/pdf")
    assert client.post(url, {**form(), "agreement": bad}).status_code == 200
    good = SimpleUploadedFile("物业服务合同.pdf", PDF, content_type="application/pdf")
    assert client.post(url, {**form(), "agreement": good}).status_code == 302
    arrangement = east_community.management_arrangements.get()
    served = client.get(reverse("aftercare:agreement", args=[east_community.code, arrangement.pk]))
    assert served.status_code == 200 and b"".join(served.streaming_content) == PDF
    assert "attachment" in served["Content-Disposition"]
    client.force_login(west_officer)
    assert client.get(reverse("aftercare:agreement", args=[east_community.code, arrangement.pk])).status_code == 404


def test_the_current_arrangement_is_corrected_on_its_page(client, bureau, both, east_community):
    arrangement = services.record_arrangement(bureau, east_community, values())
    client.force_login(bureau)
    url = reverse("aftercare:edit", args=[east_community.code, arrangement.pk])
    assert "13912345678" in client.get(url).content.decode()
    assert client.post(url, form(contact_phone="0359-2285106", reason="换联系电话")).status_code == 302
    arrangement.refresh_from_db()
    assert arrangement.contact_phone == "0359-2285106"


def test_bureau_staff_change_the_settings(client, bureau, leader, both):
    url = reverse("aftercare:settings")
    client.force_login(leader)
    assert client.get(url).status_code == 403
    client.force_login(bureau)
    data = {"overdue_days": "30", "first_visit_months": "3", "second_visit_months": "2", "visit_open_days": "30"}
    assert client.post(url, data).status_code == 200
    assert not AftercareSettings.objects.exists()
    assert client.post(url, {**data, "second_visit_months": "12"}).status_code == 302
    assert AftercareSettings.current().overdue_days == 30
    # 棉麻家属院 was accepted 55 days ago without an arrangement: now flagged.
    assert [f["code"] for f in services.management_by_subdistrict(datetime.date(2021, 11, 25))["flagged"]] == [
        "DC001", "XC001"]


def test_the_community_page_shows_management_and_return_visits(client, officer, bureau, both, east_community,
                                                               west_community):
    client.force_login(officer)
    page = client.get(reverse("communities:detail", args=[east_community.code])).content.decode()
    assert 'id="aftercare"' in page and 'id="aftercare-overdue"' in page
    assert 'data-visit="3"' in page and 'data-state="closed"' in page and 'data-visit="12"' in page
    services.record_arrangement(bureau, east_community, values())
    page = client.get(reverse("communities:detail", args=[east_community.code])).content.decode()
    assert "运城市盐湖区安居物业服务有限公司" in page and 'id="aftercare-overdue"' not in page


def test_a_community_not_accepted_shows_no_section(client, bureau, east_community, today):
    client.force_login(bureau)
    page = client.get(reverse("communities:detail", args=[east_community.code])).content.decode()
    assert 'id="aftercare"' not in page


def test_dashboard_and_bulletin_show_the_share_and_the_flagged(client, bureau, both, east_community):
    client.force_login(bureau)
    dashboard = client.get(reverse("works:dashboard")).content.decode()
    assert 'data-figure="management-share">0.0%' in dashboard and 'id="dashboard-management-share"' in dashboard
    bulletin = client.get(reverse("works:bulletin")).content.decode()
    assert 'id="management-flagged"' in bulletin and "康杰中学家属院" in bulletin.split('id="management-flagged"')[1]
    services.record_arrangement(bureau, east_community, values())
    dashboard = client.get(reverse("works:dashboard")).content.decode()
    assert 'data-figure="management-share">50.0%' in dashboard
    document = Document(io.BytesIO(client.get(reverse("works:bulletin_docx")).content))
    cells = [[cell.text for cell in row.cells] for table in document.tables for row in table.rows]
    assert ["东城办事处", "1", "1", "100.00%", "0"] in cells and ["西城办事处", "1", "0", "0.00%", "0"] in cells
    workbook = load_workbook(io.BytesIO(client.get(reverse("works:bulletin_xlsx")).content))
    rows = [row for sheet in workbook.worksheets for row in sheet.values]
    assert ("东城办事处", 1, 1, 1.0, 0) in rows and ("西城办事处", 1, 0, 0.0, 0) in rows

def test_a_long_flagged_list_names_the_first_and_opens_the_rest(client, bureau, both, monkeypatch, settings):
    from gaizao.aftercare import bulletin as section

    settings.GAIZAO_TODAY = datetime.date(2022, 3, 1)  # both accepted more than 90 days before
    client.force_login(bureau)
    flagged = services.management_by_subdistrict(settings.GAIZAO_TODAY)["flagged"]
    assert len(flagged) == 2
    monkeypatch.setattr(section, "FLAGGED_SHOWN", 1)
    page = client.get(reverse("works:bulletin")).content.decode()
    listed = page.split('id="management-flagged"')[1].split("</ul>")[0]
    first, second = flagged[0]["name"], flagged[1]["name"]
    assert first in listed and second not in listed
    paragraph = page.split('id="management-paragraph"')[1].split("</p>")[0]
    assert first in paragraph and second not in paragraph
    more = page.split('id="management-flagged-more"')[1].split("</p>")[0]
    assert f'href="{reverse("aftercare:list")}?flag=overdue"' in more
    # The files keep every flagged community.
    workbook = load_workbook(io.BytesIO(client.get(reverse("works:bulletin_xlsx")).content))
    names = {cell for sheet in workbook.worksheets for row in sheet.values for cell in row}
    assert {first, second} <= names


def test_the_contractors_record_shows_its_return_visits(client, contractor, both, east_community, dwellings,
                                                        settings):
    settings.GAIZAO_TODAY = datetime.date(2021, 9, 3)
    survey = ReturnVisit.objects.get(community=east_community, months=3).survey
    surveys.submit_response(survey, dwellings[0], {"content": "satisfied", "process": "satisfied",
                                                   "management": "basic", "overall": "satisfied"})
    client.force_login(contractor)
    page = client.get(reverse("surveys:satisfaction")).content.decode()
    section = page.split('id="satisfaction-return-visits"')[1]
    assert "康杰中学家属院" in section and "棉麻家属院" not in page
    assert 'data-answers>1 / 4' in section and "100.0%" in section
