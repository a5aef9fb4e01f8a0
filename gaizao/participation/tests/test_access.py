"""Resident access: one-time codes (hashed, 30 days, single use, throttled), the entry and home pages, the QR
code, and who manages committees and codes."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD
from gaizao.accounts.models import User
from gaizao.accounts.services import ensure_user
from gaizao.participation import access
from gaizao.participation.models import AccessCode, Committee, CommitteeMember, Household, Notice, Survey, Vote
from gaizao.participation.resident_session import SESSION_KEY


@pytest.fixture(autouse=True)
def clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def dwellings(east_community):
    first, second = east_community.buildings.order_by("name")
    made = [Household.objects.create(building=first, stairwell_unit=unit, room=room, exclusive_area_m2=Decimal("70"))
            for unit, room in ((1, "101"), (1, "102"), (2, "201"))]
    made.append(Household.objects.create(building=second, stairwell_unit=1, room="101",
                                         exclusive_area_m2=Decimal("60")))
    return made


@pytest.fixture
def member(east_community):
    user = ensure_user("weiyuan", PASSWORD, User.Role.COMMITTEE_MEMBER)
    committee = Committee.objects.create(community=east_community, name="康杰临时管委会")
    CommitteeMember.objects.create(committee=committee, user=user)
    return user


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


# -- scope ----------------------------------------------------------------------------------------------------

def test_who_manages_which_community(east_community, west_community, bureau, officer, member, resident):
    assert set(access.managed_communities(bureau)) == {east_community, west_community}
    assert list(access.managed_communities(officer)) == [east_community]
    assert list(access.managed_communities(member)) == [east_community]
    assert not access.managed_communities(resident).exists()
    assert access.may_work_for(member, east_community) and not access.may_work_for(member, west_community)
    assert access.is_staff_for(officer, east_community) and not access.is_staff_for(officer, west_community)
    assert not access.is_staff_for(member, east_community)


# -- pages ----------------------------------------------------------------------------------------------------

def identify(client, household, code, **extra):
    return client.post(reverse("residents:entry", args=[household.building.community.code]), {
        "building": household.building_id, "unit": household.stairwell_unit, "room": household.room, "code": code},
        **extra)


def test_entry_page_names_the_community(client, east_community):
    response = client.get(reverse("residents:entry", args=["DC001"]))
    assert response.status_code == 200
    assert "康杰中学家属院" in response.content.decode()
    assert b"<script" not in response.content and b'style="' not in response.content
    assert client.get(reverse("residents:entry", args=["NOPE"])).status_code == 404


def test_identify_and_reach_home(client, dwellings):
    code = access.issue_codes(None, [dwellings[0]])[0].code
    response = identify(client, dwellings[0], code)
    assert response.status_code == 302 and response["Location"] == reverse("residents:home", args=["DC001"])
    assert client.session[SESSION_KEY] == dwellings[0].pk
    home = client.get(response["Location"])
    assert home.status_code == 200
    assert "1号楼 1单元 101" in home.content.decode()
    # Back on the entry page, an identified resident goes straight home.
    assert client.get(reverse("residents:entry", args=["DC001"])).status_code == 302


def test_wrong_code_and_unknown_room_give_the_same_answer(client, dwellings):
    access.issue_codes(None, [dwellings[0]])
    wrong = identify(client, dwellings[0], "000000")
    ghost = Household(building=dwellings[0].building, stairwell_unit=1, room="999")
    unknown = identify(client, ghost, "000000")
    assert wrong.status_code == unknown.status_code == 400
    assert SESSION_KEY not in client.session


def test_the_page_says_to_ask_the_committee_when_locked(client, dwellings):
    access.issue_codes(None, [dwellings[0]])
    for _ in range(4):
        identify(client, dwellings[0], "000000")
    response = identify(client, dwellings[0], "000000", HTTP_ACCEPT_LANGUAGE="en")
    assert "ask your residents' committee" in response.content.decode().replace("&#x27;", "'")


def test_home_requires_identifying(client, dwellings):
    response = client.get(reverse("residents:home", args=["DC001"]))
    assert response.status_code == 302 and response["Location"] == reverse("residents:entry", args=["DC001"])


def test_home_lists_votes_surveys_and_notices(client, dwellings, east_community, dongcheng, district,
                                              west_community):
    now = timezone.now()
    hour = datetime.timedelta(hours=1)
    mine, other_unit = dwellings[0], dwellings[2]
    Vote.objects.create(community=east_community, title="小区改造方案表决", opens_at=now - hour, closes_at=now + hour)
    Vote.objects.create(community=east_community, title="加装电梯二单元", electorate=Vote.Electorate.UNIT,
                        building=other_unit.building, stairwell_unit=2, opens_at=now - hour, closes_at=now + hour)
    Vote.objects.create(community=east_community, title="已结束的表决", opens_at=now - 3 * hour,
                        closes_at=now - 2 * hour)
    Survey.objects.create(community=east_community, kind=Survey.Kind.NEEDS, title="改造需求调查",
                          opens_at=now - hour, closes_at=now + hour)
    Notice.objects.create(title="停水通知", body="明日停水", community=east_community, published_at=now - hour)
    Notice.objects.create(title="防冻提示", body="包裹水管", area=district, published_at=now - hour)
    Notice.objects.create(title="办事处通知", body="…", area=dongcheng, published_at=now - hour)
    Notice.objects.create(title="过期通知", body="…", community=east_community, published_at=now - 3 * hour,
                          valid_until=now - hour)
    Notice.objects.create(title="别的小区", body="…", community=west_community, published_at=now - hour)
    client.get("/")  # a session
    code = access.issue_codes(None, [mine])[0].code
    page = client.get(identify(client, mine, code)["Location"]).content.decode()
    vote = Vote.objects.get(title="小区改造方案表决")
    assert f'href="/votes/r/DC001/{vote.pk}/"' in page
    assert "加装电梯二单元" not in page and "已结束的表决" not in page
    assert "改造需求调查" in page
    assert "停水通知" in page and "防冻提示" in page and "办事处通知" in page
    assert "过期通知" not in page and "别的小区" not in page
    assert 'href="/feedback/r/DC001/new/"' in page


def test_a_resident_of_one_community_is_not_let_into_another(client, dwellings, west_community):
    code = access.issue_codes(None, [dwellings[0]])[0].code
    identify(client, dwellings[0], code)
    response = client.get(reverse("residents:home", args=["XC001"]))
    assert response.status_code == 302 and response["Location"] == reverse("residents:entry", args=["XC001"])


def test_leave_forgets_the_household(client, dwellings):
    code = access.issue_codes(None, [dwellings[0]])[0].code
    identify(client, dwellings[0], code)
    response = client.post(reverse("residents:leave", args=["DC001"]))
    assert response.status_code == 302 and SESSION_KEY not in client.session


def test_code_sheet_shows_codes_once_and_they_work(client, dwellings, member):
    client.force_login(member)
    url = reverse("residents:codes", args=["DC001"])
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
    assert client.get(reverse("residents:codes", args=["XC001"])).status_code == 404
    client.force_login(resident)
    assert client.get(reverse("residents:codes", args=["DC001"])).status_code == 404
    leader = ensure_user("leader", PASSWORD, User.Role.LEADER)
    client.force_login(leader)
    assert client.get(reverse("residents:codes", args=["DC001"])).status_code == 403


def test_qr_page_and_svg(client, east_community, officer):
    assert client.get(reverse("residents:qr", args=["DC001"])).status_code == 302  # staff only: log in
    client.force_login(officer)
    page = client.get(reverse("residents:qr", args=["DC001"]))
    assert page.status_code == 200 and b"<script" not in page.content
    assert "http://testserver/r/DC001/" in page.content.decode()
    svg = client.get(reverse("residents:qr_svg", args=["DC001"]))
    assert svg.status_code == 200 and svg["Content-Type"] == "image/svg+xml"
    assert svg.content.lstrip().startswith(b"<?xml") and b"<svg" in svg.content


def test_committee_management(client, east_community, officer, member):
    url = reverse("residents:committee", args=["DC001"])
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
