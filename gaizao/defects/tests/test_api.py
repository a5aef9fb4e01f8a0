"""The defects API: list in scope, report (a resident for their own community, staff in their area), the items
one may report on, answer, confirm or reopen, each refusal a 400 with a sentence."""

import datetime

from django.urls import reverse

from gaizao.defects import services
from gaizao.defects.models import Defect
from gaizao.defects.tests.conftest import TODAY, photo
from gaizao.defects.tests.test_views import EN, identified
from gaizao.works.tests.conftest import make_project


def _report(item, home, text="顶层卧室漏雨"):
    return services.report(item.plan_item.plan.community, item, household=home, text=text).defect


def test_a_resident_reports_through_the_api(client, roof, homes, east_community, builder):
    identified(client, homes[0])
    response = client.post(reverse("api-defects"), {"community": east_community.code, "project_item": roof.pk,
                                                    "text": "屋顶漏水，电话13812345678", "photos": [photo()]})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["responsible"] == "contractor" and body["responsible_name"] == builder.name
    assert body["deadline"] == (TODAY + datetime.timedelta(days=7)).isoformat()
    assert body["warranty_end"] == "2024-10-18" and "138****5678" in body["text"]
    assert len(body["events"][0]["photos"]) == 1
    assert client.get(reverse("api-defects")).json()["count"] == 1


def test_refusals_are_sentences(client, roof, homes, east_community, west_community, west_project):
    identified(client, homes[0])
    url = reverse("api-defects")
    other = client.post(url, {"community": west_community.code, "project_item": roof.pk, "text": "漏水"},
                        content_type="application/json", headers=EN)
    assert other.status_code == 400 and "own community" in other.json()["community"][0]
    foreign_item = west_project.items.first()
    wrong = client.post(url, {"community": east_community.code, "project_item": foreign_item.pk, "text": "漏水"},
                        content_type="application/json", headers=EN)
    assert wrong.status_code == 400 and "this community's work items" in wrong.json()["project_item"][0]
    empty = client.post(url, {"community": east_community.code, "project_item": roof.pk, "text": ""},
                        content_type="application/json")
    assert empty.status_code == 400 and "text" in empty.json()
    fake = client.post(url, {"community": east_community.code, "project_item": roof.pk, "text": "漏水",
                             "photos": [photo("x.png")]}, headers=EN)
    assert fake.status_code == 201  # a real photo passes; a fake one:
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = client.post(url, {"community": east_community.code, "project_item": roof.pk, "text": "漏水",
                            "photos": [SimpleUploadedFile("x.jpg", b"nope", content_type="image/jpeg")]}, headers=EN)
    assert bad.status_code == 400 and "not a photo" in bad.json()["detail"]


def test_work_not_accepted_answers_202_and_becomes_feedback(client, east_community, builder, homes, today):
    item = make_project("P2021", east_community, builder).items.order_by("pk").first()
    identified(client, homes[0])
    response = client.post(reverse("api-defects"), {"community": east_community.code, "project_item": item.pk,
                                                    "text": "外墙空鼓"}, content_type="application/json",
                           headers=EN)
    assert response.status_code == 202 and "not been accepted yet" in response.json()["detail"]
    assert response.json()["feedback"] and not Defect.objects.exists()


def test_the_items_one_may_report_on(client, roof, homes, east_community):
    identified(client, homes[0])
    rows = client.get(reverse("api-defect-items") + f"?community={east_community.code}").json()
    roof_row = next(r for r in rows if r["id"] == roof.pk)
    assert roof_row["within_warranty"] and roof_row["warranty_end"] == "2024-10-18"
    pipes = next(r for r in rows if r["work_item"] == "供水管网改造")
    assert not pipes["within_warranty"]
    assert client.get(reverse("api-defect-items") + "?community=XC001").status_code == 404
    assert client.get(reverse("api-defect-items")).status_code == 400


def test_answer_and_confirm_through_the_api(client, roof, homes, contractor, rival_user):
    defect = _report(roof, homes[0])
    client.force_login(rival_user)
    assert client.post(reverse("api-defect-answer", args=[defect.pk]), {"text": "x"},
                       content_type="application/json").status_code == 404
    client.force_login(contractor)
    answered = client.post(reverse("api-defect-answer", args=[defect.pk]), {"text": "已修", "photos": [photo()]})
    assert answered.status_code == 200 and answered.json()["status"] == "answered"
    client.logout()
    identified(client, homes[0])
    url = reverse("api-defect-confirm", args=[defect.pk])
    no_reason = client.post(url, {"satisfied": False}, content_type="application/json", headers=EN)
    assert no_reason.status_code == 400 and "still wrong" in no_reason.json()["detail"]
    reopened = client.post(url, {"satisfied": False, "text": "还漏"}, content_type="application/json")
    assert reopened.status_code == 200 and reopened.json()["status"] == "open"
    again = client.post(url, {"satisfied": True}, content_type="application/json", headers=EN)
    assert again.status_code == 400 and "no answer to confirm" in again.json()["detail"]


def test_another_households_defect_is_not_found(client, roof, homes):
    defect = _report(roof, homes[1])
    identified(client, homes[0])
    assert client.post(reverse("api-defect-confirm", args=[defect.pk]), {"satisfied": True},
                       content_type="application/json").status_code == 404
    assert client.get(reverse("api-defects")).json()["count"] == 0


def test_filters_refuse_nonsense(client, roof, homes, bureau):
    _report(roof, homes[0])
    client.force_login(bureau)
    assert client.get(reverse("api-defects") + "?overdue=maybe").status_code == 400
    assert client.get(reverse("api-defects") + "?warranty=within").json()["count"] == 1
    assert client.get(reverse("api-defects") + "?warranty=after").json()["count"] == 0


def test_a_community_code_with_a_null_character_is_a_400_not_a_server_error(client, bureau):
    # PostgreSQL cannot compare text holding NUL: found by the API fuzzing on PostgreSQL.
    client.force_login(bureau)
    response = client.get(reverse("api-defect-items") + "?community=YH%00001")
    assert response.status_code == 400 and "community" in response.json()
