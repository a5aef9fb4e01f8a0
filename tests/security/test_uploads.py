"""Every upload refuses a file over its limit, says so in Chinese, and changes nothing.

The limits: census workbook CENSUS_UPLOAD_MAX_BYTES (30 MB; lowered here), households and catalog workbooks
10 MB, site and feedback photos 10 MB (lowered here through works.photos.MAX_BYTES), acceptance documents 20 MB.
"""

import datetime
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gaizao.catalog.models import UnitCost, WorkItem
from gaizao.communities.models import CensusImportJob
from gaizao.core.models import AuditEntry
from gaizao.feedback.models import Feedback
from gaizao.households.models import Household
from gaizao.works.models import Acceptance, AcceptanceDocument, Photo, ProgressEntry
from tests.security.conftest import WORK_DAY, client_for, png_bytes

MB = 1024 * 1024


def xlsx_of(size: int) -> SimpleUploadedFile:
    """A file that starts like a workbook (a zip archive) and is `size` bytes long."""
    return SimpleUploadedFile("大文件.xlsx", b"PK\x03\x04" + b"\0" * (size - 4))


def png_of(size: int) -> SimpleUploadedFile:
    head = png_bytes()
    return SimpleUploadedFile("大照片.png", head + b"\0" * (size - len(head)), content_type="image/png")


def counts(*models) -> list[int]:
    return [model.objects.count() for model in (*models, AuditEntry)]


@pytest.fixture
def small_photo_limit(monkeypatch):
    monkeypatch.setattr("gaizao.works.photos.MAX_BYTES", 64 * 1024)


def test_census_workbook(world, db, settings):
    settings.CENSUS_UPLOAD_MAX_BYTES = 1 * MB
    before = counts(CensusImportJob)
    response = client_for(world, "bureau").post(reverse("communities:import"), {"file": xlsx_of(MB + 1)})
    assert response.status_code == 200
    assert "文件超过1 MB，请拆分为多个工作簿后分别上传。" in response.content.decode()
    assert counts(CensusImportJob) == before


def test_households_workbook(world, db):
    before = counts(Household)
    response = client_for(world, "bureau").post(reverse("households:households_import", args=[world.east.code]),
                                                {"file": xlsx_of(10 * MB + 1)})
    assert response.status_code == 200
    assert "文件超过 10 MB。" in response.content.decode()
    assert counts(Household) == before


def test_catalog_workbook(world, db):
    before = counts(WorkItem, UnitCost)
    response = client_for(world, "bureau").post(reverse("catalog:import"), {"file": xlsx_of(10 * MB + 1)},
                                                follow=True)
    assert response.status_code == 200
    assert "文件超过 10 MB。" in response.content.decode()
    assert counts(WorkItem, UnitCost) == before


def test_a_catalog_upload_without_a_file_still_says_to_choose_one(world, db):
    response = client_for(world, "bureau").post(reverse("catalog:import"), {}, follow=True)
    assert "文件超过" not in response.content.decode()
    assert response.redirect_chain and response.redirect_chain[-1][0] == reverse("catalog:list")


def test_site_photos(world, db, small_photo_limit):
    item = world.project.items.order_by("pk").first()
    before = counts(ProgressEntry, Photo)
    response = client_for(world, "contractor").post(reverse("works:report", args=[world.project.code]), {
        "date": (WORK_DAY + datetime.timedelta(days=1)).isoformat(), f"qty_{item.pk}": "1", "stage": "during",
        "photos": [png_of(64 * 1024 + 1)]})
    assert response.status_code == 200
    assert "照片超过10 MB，请调低分辨率后重新拍摄。" in response.content.decode()
    assert counts(ProgressEntry, Photo) == before


def test_acceptance_documents(world, db):
    before = counts(Acceptance, AcceptanceDocument)
    big = SimpleUploadedFile("验收记录.pdf", b"%PDF-1.4\n" + b"\0" * (20 * MB))
    response = client_for(world, "bureau").post(reverse("works:acceptance", args=[world.project.code]), {
        "date": "2021-12-01", "participants": "住建局\n居民代表", "documents": [big]})
    assert response.status_code == 200
    assert "验收记录.pdf超过20 MB。" in response.content.decode()
    assert counts(Acceptance, AcceptanceDocument) == before


def test_feedback_photo_on_the_phone(world, db, small_photo_limit):
    before = counts(Feedback)
    response = client_for(world, "resident").post(reverse("feedback:new", args=[world.east.code]), {
        "category": "noise", "text": "夜里施工太吵", "photo": png_of(64 * 1024 + 1)})
    assert response.status_code == 400
    assert "照片超过10 MB，请调低分辨率后重新拍摄。" in response.content.decode()
    assert counts(Feedback) == before


def test_feedback_photo_through_the_api(world, db, small_photo_limit):
    before = counts(Feedback)
    response = client_for(world, "resident").post(reverse("api-feedback"), {
        "category": "noise", "text": "夜里施工太吵", "photo": png_of(64 * 1024 + 1)})
    assert response.status_code == 400
    assert "照片超过10 MB，请调低分辨率后重新拍摄。" in json.dumps(response.json(), ensure_ascii=False)
    assert counts(Feedback) == before
