"""The residents' phone pages: identifying with a code, home with what other apps add, leaving."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from gaizao.households import access
from gaizao.households.models import Household
from gaizao.notices.models import Notice
from gaizao.residents.session import SESSION_KEY
from gaizao.surveys.models import Survey
from gaizao.votes.models import Vote

pytestmark = pytest.mark.usefixtures("fresh_cache")  # wrong-code counts live in the cache


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
