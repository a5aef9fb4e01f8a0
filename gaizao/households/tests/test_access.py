"""One-time codes (hashed, 30 days, single use, throttled), who manages a community's residents'
work, the code sheet, the QR poster and the committee pages."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD
from gaizao.accounts.models import User
from gaizao.accounts.services import ensure_user
from gaizao.households import access
from gaizao.households.models import AccessCode, Committee, CommitteeMember, Household
from gaizao.residents.tests.test_entry import identify

pytestmark = pytest.mark.usefixtures("fresh_cache")  # wrong-code counts live in the cache


def test_codes_are_six_digits_stored_hashed(dwellings, member):
    issued = access.issue_codes(member, dwellings[:2])
    assert all(re.fullmatch(r"\d{6}", item.code) for item in issued)
    stored = AccessCode.objects.get(household=dwellings[0])
    assert issued[0].code not in stored.code_hash
    assert stored.created_by == member
    expected = timezone.now() + datetime.timedelta(days=30)
    assert abs((stored.expires_at - expected).total_seconds()) < 60


def test_a_code_works_once(dwellings):
    code = access.issue_codes(None, [dwellings[0]])[0].code
    assert access.verify(dwellings[0], code) == access.Verdict.OK
    assert access.verify(dwellings[0], code) == access.Verdict.WRONG


def test_a_code_is_for_its_household_only(dwellings):
    code = access.issue_codes(None, [dwellings[0]])[0].code
    assert access.verify(dwellings[1], code) == access.Verdict.WRONG


def test_full_width_digits_are_accepted(dwellings):
    code = access.issue_codes(None, [dwellings[0]])[0].code
    wide = "".join(chr(ord(d) + 0xFEE0) for d in code)
    assert access.verify(dwellings[0], f" {wide} ") == access.Verdict.OK


def test_an_expired_code_fails(dwellings):
    code = access.issue_codes(None, [dwellings[0]])[0].code
    AccessCode.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert access.verify(dwellings[0], code) == access.Verdict.WRONG


def test_issuing_again_replaces_the_unused_code(dwellings):
    old = access.issue_codes(None, [dwellings[0]])[0].code
    new = access.issue_codes(None, [dwellings[0]])[0].code
    if old != new:
        assert access.verify(dwellings[0], old) == access.Verdict.WRONG
    assert access.verify(dwellings[0], new) == access.Verdict.OK


def test_five_wrong_codes_lock_the_household(dwellings):
    code = access.issue_codes(None, [dwellings[0]])[0].code
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    verdicts = [access.verify(dwellings[0], wrong) for _ in range(5)]
    assert verdicts == [access.Verdict.WRONG] * 4 + [access.Verdict.LOCKED]
    assert access.verify(dwellings[0], code) == access.Verdict.LOCKED  # even the right code, for 15 minutes
    assert access.verify(dwellings[1], "123456") == access.Verdict.WRONG  # other households are not affected
    access.issue_codes(None, [dwellings[0]])  # the committee hands out a new code: the lock is lifted
    assert not access.is_locked(dwellings[0])


def test_unknown_channel_is_refused(settings, dwellings):
    from django.core.exceptions import ImproperlyConfigured

    settings.RESIDENT_CODE_CHANNEL = "sms"
    with pytest.raises(ImproperlyConfigured):
        access.issue_codes(None, dwellings[:1])


def test_who_manages_which_community(east_community, west_community, bureau, officer, member, resident):
    assert set(access.managed_communities(bureau)) == {east_community, west_community}
    assert list(access.managed_communities(officer)) == [east_community]
    assert list(access.managed_communities(member)) == [east_community]
    assert not access.managed_communities(resident).exists()
    assert access.may_work_for(member, east_community) and not access.may_work_for(member, west_community)
    assert access.is_staff_for(officer, east_community) and not access.is_staff_for(officer, west_community)
    assert not access.is_staff_for(member, east_community)


def test_code_sheet_shows_codes_once_and_they_work(client, dwellings, member):
    client.force_login(member)
    url = reverse("households:codes", args=["DC001"])
    assert client.get(url).status_code == 200
    response = client.post(url, {"building": dwellings[0].building_id, "only_without_code": "on"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    codes = re.findall(r"data-code>(\d{6})<", response.content.decode())
    assert len(codes) == 3  # the three dwellings of building 1
    assert AccessCode.objects.filter(used_at__isnull=True).count() == 3
    # Again, only households without a valid code: none left in that building.
    again = client.post(url, {"building": dwellings[0].building_id, "only_without_code": "on"})
    assert again.status_code == 302
    # One unit only, replacing its codes.
    unit = client.post(url, {"building": dwellings[0].building_id, "unit": 2})
    assert len(re.findall(r"data-code>(\d{6})<", unit.content.decode())) == 1
    client.logout()
    household = Household.objects.get(pk=dwellings[0].pk)
    sheet_code = codes[0]  # slips are in unit and room order: 1-101 first
    assert identify(client, household, sheet_code).status_code == 302


def test_codes_scope(client, dwellings, officer, resident, west_community, member):
    client.force_login(member)
    assert client.get(reverse("households:codes", args=["XC001"])).status_code == 404
    client.force_login(resident)
    assert client.get(reverse("households:codes", args=["DC001"])).status_code == 404
    leader = ensure_user("leader", PASSWORD, User.Role.LEADER)
    client.force_login(leader)
    assert client.get(reverse("households:codes", args=["DC001"])).status_code == 403


def test_qr_page_and_svg(client, east_community, officer):
    assert client.get(reverse("households:qr", args=["DC001"])).status_code == 302  # staff only: log in
    client.force_login(officer)
    page = client.get(reverse("households:qr", args=["DC001"]))
    assert page.status_code == 200 and b"<script" not in page.content
    assert "http://testserver/r/DC001/" in page.content.decode()
    svg = client.get(reverse("households:qr_svg", args=["DC001"]))
    assert svg.status_code == 200 and svg["Content-Type"] == "image/svg+xml"
    assert svg.content.lstrip().startswith(b"<?xml") and b"<svg" in svg.content


def test_committee_management(client, east_community, officer, member):
    url = reverse("households:committee", args=["DC001"])
    client.force_login(officer)
    response = client.post(url, {"action": "create", "committee-kind": "owners", "committee-name": "业主委员会"})
    assert response.status_code == 302
    committee = Committee.objects.get(name="业主委员会")
    added = client.post(url, {"action": "add", "committee": committee.pk, "member-username": "newmember",
                              "member-full_name": "王大妈", "member-role": "chair",
                              "member-password": "a-long-pass-2024"})
    assert added.status_code == 302
    new = User.objects.get(username="newmember")
    assert new.role == User.Role.COMMITTEE_MEMBER and new.check_password("a-long-pass-2024")
    assert CommitteeMember.objects.get(user=new).role == "chair"
    # An account with another role cannot be made a member.
    refused = client.post(url, {"action": "add", "committee": committee.pk, "member-username": "dongcheng",
                                "member-role": "member"})
    assert refused.status_code == 200 and not CommitteeMember.objects.filter(user=officer).exists()
    # A committee member sees the committee but cannot change it.
    client.force_login(member)
    assert client.get(url).status_code == 200
    assert client.post(url, {"action": "remove", "member": CommitteeMember.objects.get(user=new).pk}).status_code == 403
