"""The defect pages: a resident reports and confirms on the phone, the contractor sees and answers its own, an
officer sees what was escalated, the list filters, sorts, searches and exports, the bureau sets the deadline."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from conftest import PASSWORD
from gaizao.accounts.models import User
from gaizao.accounts.services import ensure_user
from gaizao.defects import services
from gaizao.defects.models import Defect, DefectSettings
from gaizao.defects.tests.conftest import TODAY, photo
from gaizao.feedback.models import Feedback
from gaizao.residents.session import SESSION_KEY
from gaizao.works.tests.conftest import make_project

EN = {"accept-language": "en"}


def identified(client, household):
    session = client.session
    session[SESSION_KEY] = household.pk
    session.save()
    return client


def _report(item, home, text="顶层卧室漏雨"):
    return services.report(item.plan_item.plan.community, item, household=home, text=text).defect


def test_a_resident_reports_a_leak_and_it_goes_to_the_contractor(client, roof, homes, east_community, builder):
    identified(client, homes[0])
    url = reverse("defects:new", args=[east_community.code])
    page = client.get(url, headers=EN)
    assert page.status_code == 200 and "屋面防水 (accepted 2019, under warranty until" in page.content.decode()
    response = client.post(url, {"item": roof.pk, "location": "601卧室", "text": "下雨天屋顶漏水",
                                 "photos": [photo()]}, headers=EN)
    defect = Defect.objects.get()
    assert response.status_code == 302 and response.url.endswith(f"/mine/#defect-{defect.pk}")
    assert (defect.household, defect.company, defect.photos.count()) == (homes[0], builder, 1)
    mine = client.get(reverse("defects:mine", args=[east_community.code]), headers=EN).content.decode()
    assert "下雨天屋顶漏水" in mine and builder.name in mine and "answer due by" in mine


def test_a_wrong_photo_is_refused_and_what_was_typed_is_kept(client, roof, homes, east_community):
    identified(client, homes[0])
    fake = SimpleUploadedFile("leak.jpg", b"not a photo at all", content_type="image/jpeg")
    response = client.post(reverse("defects:new", args=[east_community.code]),
                           {"item": roof.pk, "text": "墙面渗水", "photos": [fake]}, headers=EN)
    assert response.status_code == 400 and not Defect.objects.exists()
    body = response.content.decode()
    assert "This file is not a photo (JPEG, PNG or WebP)." in body and "墙面渗水" in body


def test_a_photo_too_large_is_refused(client, roof, homes, east_community, monkeypatch):
    from gaizao.works import photos

    monkeypatch.setattr(photos, "MAX_BYTES", 10)
    identified(client, homes[0])
    response = client.post(reverse("defects:new", args=[east_community.code]),
                           {"item": roof.pk, "text": "墙面渗水", "photos": [photo()]}, headers=EN)
    assert response.status_code == 400 and "larger than 10 MB" in response.content.decode()


def test_a_report_on_work_not_accepted_becomes_feedback_with_a_message(client, east_community, builder, homes, today):
    project = make_project("P2021", east_community, builder)
    item = project.items.order_by("pk").first()
    identified(client, homes[0])
    response = client.post(reverse("defects:new", args=[east_community.code]), {"item": item.pk, "text": "漏风"},
                           headers=EN, follow=True)
    assert response.redirect_chain[-1][0] == reverse("feedback:mine", args=[east_community.code])
    assert "has not been accepted yet" in response.content.decode()
    assert Feedback.objects.get().household == homes[0] and not Defect.objects.exists()


def test_the_resident_confirms_or_reopens_their_own_only(client, roof, homes, contractor, east_community):
    defect = _report(roof, homes[0])
    other = _report(roof, homes[1])
    services.answer(contractor, defect, "已修好")
    services.answer(contractor, other, "已修好")
    identified(client, homes[0])
    confirm = reverse("defects:confirm", args=[east_community.code, other.pk])
    assert client.post(confirm, {f"c{other.pk}-satisfied": "yes"}).status_code == 404
    reopen = client.post(reverse("defects:confirm", args=[east_community.code, defect.pk]),
                         {f"c{defect.pk}-satisfied": "no", f"c{defect.pk}-text": "还漏"})
    assert reopen.status_code == 302
    defect.refresh_from_db()
    assert defect.status == Defect.Status.OPEN and defect.deadline == TODAY + datetime.timedelta(days=7)
    services.answer(contractor, defect, "再次修复")
    client.post(reverse("defects:confirm", args=[east_community.code, defect.pk]), {f"c{defect.pk}-satisfied": "yes"})
    defect.refresh_from_db()
    assert defect.status == Defect.Status.CLOSED
    # Another household's photos are not served to this phone.
    other_photo = services.answer(contractor, other, "补充照片", [photo()]).photos.get()
    assert client.get(reverse("defects:photo", args=[other_photo.pk])).status_code == 404


def test_the_contractor_sees_its_own_with_the_deadline_and_answers_with_a_photo(client, roof, homes, contractor,
                                                                               west_project, west_home):
    mine = _report(roof, homes[0])
    west_item = west_project.items.order_by("pk").first()
    theirs = services.report(west_item.plan_item.plan.community, west_item, household=west_home, text="西城漏水").defect
    client.force_login(contractor)
    listing = client.get(reverse("defects:list"), headers=EN).content.decode()
    assert f'data-defect="{mine.pk}"' in listing and f'data-defect="{theirs.pk}"' not in listing
    assert f'data-deadline="{mine.deadline.isoformat()}"' in listing
    assert client.get(reverse("defects:detail", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("defects:detail", args=[theirs.pk]), {"action": "answer", "text": "x"}
                       ).status_code == 404
    page = client.get(reverse("defects:detail", args=[mine.pk]), headers=EN).content.decode()
    assert 'id="answer-form"' in page and 'id="defect-deadline"' in page
    response = client.post(reverse("defects:detail", args=[mine.pk]),
                           {"action": "answer", "text": "已重做防水", "photos": [photo("fixed.jpg", "JPEG")]})
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.status == Defect.Status.ANSWERED and mine.photos.count() == 1
    photo_url = reverse("defects:photo", args=[mine.photos.get().pk])
    assert client.get(photo_url).status_code == 200


def test_an_answer_without_text_is_refused_and_kept(client, roof, homes, contractor):
    defect = _report(roof, homes[0])
    client.force_login(contractor)
    response = client.post(reverse("defects:detail", args=[defect.pk]), {"action": "answer", "text": " "},
                           headers=EN)
    assert response.status_code == 400
    defect.refresh_from_db()
    assert defect.status == Defect.Status.OPEN


def test_an_overdue_defect_is_escalated_to_the_officer(client, roof, homes, officer, settings):
    defect = _report(roof, homes[0])
    settings.GAIZAO_TODAY = TODAY + datetime.timedelta(days=9)
    client.force_login(officer)
    page = client.get(reverse("defects:list"), headers=EN).content.decode()
    assert 'id="escalated"' in page and "passed up to your office" in page
    overdue = client.get(reverse("defects:list") + "?overdue=true").content.decode()
    assert f'data-defect="{defect.pk}"' in overdue
    detail = client.get(reverse("defects:detail", args=[defect.pk]), headers=EN).content.decode()
    assert 'id="overdue-note"' in detail and 'id="answer-form"' not in detail


def test_the_list_filters_sorts_searches_and_exports(client, roof, pipes, homes, bureau, settings):
    settings.GAIZAO_TODAY = TODAY - datetime.timedelta(days=1)
    within = _report(roof, homes[0], "屋顶漏雨")
    settings.GAIZAO_TODAY = TODAY
    after = _report(pipes, homes[1], "水管漏水")
    client.force_login(bureau)
    url = reverse("defects:list")

    def shown(query):
        body = client.get(url + query).content.decode()
        return {d.pk for d in (within, after) if f'data-defect="{d.pk}"' in body}

    assert shown("?warranty=within") == {within.pk}
    assert shown("?warranty=after") == {after.pk}
    assert shown("?q=水管") == {after.pk}
    assert shown(f"?company={roof.project.contractor_id}") == {within.pk}
    assert shown(f"?subdistrict={roof.plan_item.plan.community.subdistrict_id}") == {within.pk, after.pk}
    assert shown("?status=closed") == set()
    body = client.get(url + "?sort=deadline").content.decode()
    assert body.index(f'data-defect="{within.pk}"') < body.index(f'data-defect="{after.pk}"')
    export = client.get(url + "?format=xlsx&warranty=after")
    sheet = load_workbook(io.BytesIO(export.content)).active
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == [after.pk]


def test_the_bureau_sets_the_days_and_bad_input_is_refused(client, bureau, officer, db):
    url = reverse("defects:settings")
    client.force_login(officer)
    assert client.get(url).status_code == 403
    client.force_login(bureau)
    bad = client.post(url, {"response_days": "0"})
    assert bad.status_code == 400 and 'value="0"' in bad.content.decode()
    assert client.post(url, {"response_days": "5"}).status_code == 302
    assert DefectSettings.current().response_days == 5


def test_an_officer_reports_in_their_sub_district_only(client, roof, officer, west_community, east_community):
    client.force_login(officer)
    assert client.get(reverse("defects:report") + f"?community={west_community.code}").status_code == 404
    response = client.post(reverse("defects:report"), {"community": east_community.code, "item": roof.pk,
                                                       "text": "屋面起鼓", "location": "2号楼"})
    defect = Defect.objects.get()
    assert response.status_code == 302 and defect.reported_by == officer and defect.household is None


def test_the_community_page_shows_each_items_warranty_end(client, roof, bureau, east_community):
    client.force_login(bureau)
    page = client.get(reverse("communities:detail", args=[east_community.code])).content.decode()
    assert 'id="warranty-table"' in page and 'data-warranty-end="2024-10-18"' in page


def test_the_project_page_shows_the_warranty_ends(client, roof, bureau, east_project):
    client.force_login(bureau)
    page = client.get(reverse("works:detail", args=[east_project.code])).content.decode()
    assert 'data-warranty-end="2024-10-18"' in page and 'data-warranty-end="2021-10-18"' in page


def test_the_contractors_record_shows_its_defects_beside_satisfaction(client, roof, homes, contractor, bureau,
                                                                       settings):
    _report(roof, homes[0])
    settings.GAIZAO_TODAY = TODAY + datetime.timedelta(days=8)
    _report(roof, homes[1])
    client.force_login(contractor)
    page = client.get(reverse("surveys:satisfaction"), headers=EN).content.decode()
    assert "Your company has 2 defects open, 1 of them past their deadline." in page
    client.force_login(bureau)
    page = client.get(reverse("surveys:satisfaction")).content.decode()
    assert 'id="contractor-defects"' in page and '<td class="num text-danger fw-semibold">1</td>' in page


def test_the_bulletin_shows_the_defects(client, roof, homes, bureau, settings):
    _report(roof, homes[0])
    settings.GAIZAO_TODAY = TODAY + datetime.timedelta(days=8)
    client.force_login(bureau)
    page = client.get(reverse("works:bulletin")).content.decode()
    assert 'id="defects-by-subdistrict"' in page and "data-overdue>1</td>" in page
    from docx import Document

    word = client.get(reverse("works:bulletin_docx"), headers=EN)
    text = "\n".join(p.text for p in Document(io.BytesIO(word.content)).paragraphs)
    assert "Defects in accepted work: 1 open, 1 of them within the warranty" in text
    workbook = load_workbook(io.BytesIO(client.get(reverse("works:bulletin_xlsx"), headers=EN).content))
    rows = list(workbook["Defects by sub-district"].iter_rows(values_only=True))
    assert rows[1][1:] == (1, 1, 1)


def test_the_dashboard_card_agrees_with_the_bulletin_and_opens_the_overdue_list(client, roof, homes, bureau,
                                                                                 settings):
    _report(roof, homes[0])
    _report(roof, homes[1], "楼道墙面渗水")
    client.force_login(bureau)
    page = client.get(reverse("works:dashboard")).content.decode()
    assert 'data-figure="defects-overdue">0 / 2<' in page
    settings.GAIZAO_TODAY = TODAY + datetime.timedelta(days=8)
    page = client.get(reverse("works:dashboard")).content.decode()
    assert 'data-figure="defects-overdue">2 / 2<' in page
    assert page.split('id="defects-card"')[1].startswith(f' href="{reverse("defects:list")}?overdue=true"')


@pytest.mark.parametrize("role", [User.Role.LEADER, User.Role.BUREAU])
def test_district_staff_see_every_defect(client, roof, homes, role):
    defect = _report(roof, homes[0])
    client.force_login(ensure_user("someone", PASSWORD, role))
    assert client.get(reverse("defects:detail", args=[defect.pk])).status_code == 200
