"""Personal data stays out of the audit history: owners' names, phone and ID numbers are never stored in an audit
row, and the history pages never show them, however the register changes."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gaizao.core.masking import mask_id, mask_phone
from gaizao.core.models import AuditEntry
from tests.security.conftest import OWNERS, _households_workbook, client_for

# The register changes: 101 gets new numbers, 102 a second owner, 201 a new owner and a larger area.
CHANGED = [
    (0, 1, "101", "70.5", "张立荣", "13811112222", "140802195601011259"),
    (0, 1, "102", "65", "王秀英、刘长海", "13987654321、13566667777", "140802196203150020、140802196608080016"),
    (0, 2, "201", "85", "陈桂兰", "13355556666", "140802197505050038"),
]


def _secrets() -> list[str]:
    found = []
    for rows in (OWNERS, CHANGED):
        for *_place, names, phones, ids in rows:
            for text in (names, phones, ids):
                found += text.split("、")
    return found


def _audit_text() -> str:
    return "\n".join(json.dumps([e.object_repr, e.before, e.after, e.reason], ensure_ascii=False)
                     for e in AuditEntry.objects.all())


@pytest.fixture
def reimported(world, db):
    """The committee's corrected register, imported through the page by bureau staff."""
    before = AuditEntry.objects.count()
    upload = SimpleUploadedFile("住户.xlsx", _households_workbook(world.east, CHANGED))
    response = client_for(world, "bureau").post(reverse("households:households_import", args=[world.east.code]),
                                                {"file": upload})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert AuditEntry.objects.count() > before  # the import was recorded
    return world


def test_the_checked_numbers_are_valid(reimported):
    """The test data passes the import's own checks (else nothing would be recorded at all)."""
    from gaizao.households.models import Owner

    assert Owner.objects.filter(phone="13566667777", id_number="140802196608080016").exists()


def test_audit_rows_hold_no_names_or_numbers(reimported):
    text = _audit_text()
    assert "households" in text or "exclusive_area_m2" in text  # the household changes are there
    leaked = [secret for secret in _secrets() if secret in text]
    assert not leaked, f"personal data in the audit history: {leaked}"


def test_the_history_page_shows_no_names_or_numbers(reimported):
    page = client_for(world := reimported, "bureau").get(reverse("communities:detail", args=[world.east.code]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "2单元201" in body and "80 → 85" in body  # the household changes are in the history
    leaked = [secret for secret in _secrets() if secret in body]
    assert not leaked, f"personal data on the history page: {leaked}"


def test_paper_ballots_and_answers_record_no_personal_data(world, db):
    committee = client_for(world, "committee")
    response = committee.post(reverse("votes:paper", args=[world.vote.pk]), {"household": world.neighbour.pk,
                                                                              "choice": "yes"})
    assert response.status_code == 302
    text = _audit_text()
    assert '"choice": "yes"' in text
    leaked = [secret for secret in _secrets() if secret in text]
    assert not leaked, leaked


def test_pages_other_than_the_bureau_s_mask_the_numbers(world, db):
    """The residents' register: masked for everyone, the bureau included (full numbers only when revealed for
    one household with a reason)."""
    url = reverse("households:manage", args=[world.east.code])
    for persona in ("bureau", "officer", "committee"):
        body = client_for(world, persona).get(url).content.decode()
        for *_place, _name, phone, id_number in OWNERS:
            assert phone not in body and id_number not in body, persona
            assert mask_phone(phone) in body and mask_id(id_number) in body, persona
