"""Site photos and acceptance documents reach only those who see the project; nothing is public media."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from gaizao.works import services
from gaizao.works.models import Acceptance, AcceptanceDocument
from gaizao.works.photos import attach_photo
from gaizao.works.tests.conftest import item

DAY = datetime.date(2021, 6, 10)


@pytest.fixture
def files(project, rival_project, contractor, bureau, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "blue").save(buffer, "PNG")
    [entry] = services.record_progress(contractor, project, DAY, {item(project, "塑钢窗更换").pk: Decimal(1)})
    photo = attach_photo(entry, SimpleUploadedFile("site.png", buffer.getvalue()), "during")
    acceptance = Acceptance.objects.create(project=project, date=DAY, participants="居民代表")
    document = AcceptanceDocument.objects.create(acceptance=acceptance, title="验收纪要.pdf",
                                                 file=SimpleUploadedFile("minutes.pdf", b"%PDF-1.4 minutes"))
    return photo, document


def test_the_project_page_links_photos_and_documents_through_the_checked_views(files, client, contractor):
    photo, document = files
    client.force_login(contractor)
    photos = client.get(reverse("works:detail", args=["P1"]) + "?tab=photos").content.decode()
    assert reverse("works:photo", args=["P1", photo.pk]) in photos and 'class="photo-thumb"' in photos
    html = client.get(reverse("works:detail", args=["P1"]) + "?tab=acceptance").content.decode()
    assert reverse("works:document", args=["P1", document.pk]) in html
    assert "/media/" not in html
    response = client.get(reverse("works:photo", args=["P1", photo.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == "private, max-age=3600"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    download = client.get(reverse("works:document", args=["P1", document.pk]))
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")


def test_others_get_nothing(files, client, rival_user, officer, resident):
    photo, document = files
    urls = [reverse("works:photo", args=["P1", photo.pk]), reverse("works:document", args=["P1", document.pk]),
            # the right file under another project's code
            reverse("works:photo", args=["P2", photo.pk]), reverse("works:document", args=["P2", document.pk])]
    for user in (rival_user, resident):
        client.force_login(user)
        assert [client.get(url).status_code for url in urls] == [404, 404, 404, 404], user
    client.logout()
    assert all(client.get(url).status_code == 302 for url in urls)  # to the login page
    client.force_login(officer)  # 东城's officer sees 东城's project P1
    assert client.get(urls[0]).status_code == 200


def test_a_missing_file_is_a_404_not_a_server_error(files, client, bureau):
    photo, _document = files
    photo.image.storage.delete(photo.image.name)
    client.force_login(bureau)
    assert client.get(reverse("works:photo", args=["P1", photo.pk])).status_code == 404
