"""Owners' votes (问计): the Civil Code rules worked out by hand, through the API and the pages.

Each case has its own small community; owners carry phone and ID numbers so that every response can be checked
for leaks.
"""

import datetime
import threading
from decimal import Decimal
from fractions import Fraction

import pytest
from django.conf import settings
from django.contrib.sessions.middleware import SessionMiddleware
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD, make_community
from gaizao.accounts.models import User
from gaizao.accounts.services import ensure_user
from gaizao.communities.models import Building
from gaizao.core.models import AuditEntry
from gaizao.households.models import Committee, CommitteeMember, Household, Owner, Ownership
from gaizao.residents.session import identify
from gaizao.votes import services as votes
from gaizao.votes.models import Ballot, Vote

ALL_PHONES: list[str] = []
ALL_IDS: list[str] = []
ALL_NAMES: list[str] = []


# ---- the register, built by hand --------------------------------------------------------------------------

def owner(community, name):
    number = len(ALL_PHONES) + 1
    person = Owner.objects.create(community=community, name=name, phone=f"1391234{number:04d}",
                                  id_number=f"14080219700101{number:04d}")
    ALL_PHONES.append(person.phone)
    ALL_IDS.append(person.id_number)
    ALL_NAMES.append(name)
    return person


def household(building, room, area, *owners, unit=1):
    found = Household.objects.create(building=building, stairwell_unit=unit, room=room,
                                     exclusive_area_m2=Decimal(str(area)))
    for person in owners:
        Ownership.objects.create(household=found, owner=person)
    return found


def register(building, rows, unit=1):
    """rows of (room, area): one owner each, named after the room."""
    return [household(building, room, area, owner(building.community, f"业主{building.pk}-{unit}-{room}"), unit=unit)
            for room, area in rows]


def new_vote(community, matter=Vote.Matter.OTHER, *, actor, electorate=Vote.Electorate.COMMUNITY, building=None,
             stairwell_unit=None, opens=-1, closes=1, title="改造方案表决"):
    now = timezone.now()
    return votes.create_vote(actor, community, title=title, matter=matter, electorate=electorate, building=building,
                             stairwell_unit=stairwell_unit, opens_at=now + datetime.timedelta(days=opens),
                             closes_at=now + datetime.timedelta(days=closes))


def as_resident(household_):
    """A browser whose session has identified this household (as the residents' entry page does)."""
    client = Client()
    request = RequestFactory().get("/")
    SessionMiddleware(lambda r: None).process_request(request)
    identify(request, household_)
    request.session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = request.session.session_key
    return client


class Responses(list):
    """Every body the tests read, to be searched for personal data at the end."""

    def __call__(self, response):
        self.append(response.content.decode())
        return response


@pytest.fixture
def seen():
    bodies = Responses()
    yield bodies
    for body in bodies:
        for secret in (*ALL_PHONES, *ALL_IDS, *ALL_NAMES):
            assert secret not in body, f"personal data {secret!r} in a response"


def ballot_via_api(client, vote, household_, choice, seen):
    return seen(client.post(reverse("api-vote-ballots", args=[vote.pk]),
                            {"household": household_.pk, "choice": choice}, content_type="application/json"))


def result_via_api(client, vote, seen):
    response = seen(client.get(reverse("api-vote-result", args=[vote.pk])))
    assert response.status_code == 200, response.content
    return response.json()


@pytest.fixture
def committee_member(db):
    return ensure_user("weiyuan", PASSWORD, User.Role.COMMITTEE_MEMBER, full_name="李委员")


@pytest.fixture
def staff(bureau):
    client = Client()
    client.force_login(bureau)
    return client


def building_of(community):
    return community.buildings.get(name="1号楼")


# ---- the hand-worked cases, through the API ---------------------------------------------------------------

def test_quorum_missed_by_exactly_one_owner(community, bureau, staff, seen):
    # Nine owners, 950 m². Quorum: 6 owners (2/3 of 9) and 633.33 m² (2/3 of 950).
    big = register(building_of(community), [(f"{n}01", 150) for n in range(1, 6)])
    register(building_of(community), [(f"{n}02", 50) for n in range(1, 5)])
    vote = new_vote(community, actor=bureau)
    for home in big:  # five owners holding 750 m² all vote in favour
        assert ballot_via_api(as_resident(home), vote, home, "yes", seen).status_code == 201

    found = result_via_api(staff, vote, seen)
    assert found["total"] == {"voters": 9, "households": 9, "area_m2": 950.0}
    assert found["participating"]["voters"] == 5
    assert found["quorum"]["area"]["met"] is True
    assert found["quorum"]["area"]["margin_m2"] == pytest.approx(116.67)
    assert found["quorum"]["owners"] == {"met": False, "required_share": "2/3", "strictly_more": False,
                                         "required": 6, "actual": 5, "margin": -1}
    assert found["quorum_met"] is False
    assert found["approval"]["met"] is True  # unanimous, but too few took part
    assert found["passed"] is False


def test_passed_on_headcount_but_not_on_area(community, bureau, staff, seen):
    # Nine owners, 725 m². Six vote: exactly 2/3 of the owners (quorum met although 6/9 < 0.6667) and 500 m².
    # In favour: four owners with 200 m²; against: two owners with 300 m².
    b = building_of(community)
    small = register(b, [("101", 50), ("102", 50), ("201", 50), ("202", 50)])
    large = register(b, [("301", 150), ("302", 150)])
    register(b, [("401", 75), ("402", 75), ("501", 75)])
    vote = new_vote(community, actor=bureau)
    assert vote.quorum_owners == Decimal("0.6667")
    for home in small:
        assert ballot_via_api(as_resident(home), vote, home, "yes", seen).status_code == 201
    for home in large:
        assert ballot_via_api(as_resident(home), vote, home, "no", seen).status_code == 201

    found = result_via_api(staff, vote, seen)
    assert found["quorum"]["owners"]["required"] == 6 and found["quorum"]["owners"]["margin"] == 0
    assert found["quorum_met"] is True
    assert found["yes"]["voters"] == 4 and found["yes"]["area_m2"] == 200.0
    assert found["no"]["voters"] == 2 and found["no"]["area_m2"] == 300.0
    # More than half of 6 owners: 4 needed, 4 in favour. More than half of 500 m²: 250 needed, 200 in favour.
    assert found["approval"]["owners"]["met"] is True and found["approval"]["owners"]["margin"] == 0
    assert found["approval"]["area"]["met"] is False and found["approval"]["area"]["margin_m2"] == -50.0
    assert found["passed"] is False


def test_an_owner_of_two_units_votes_once_with_the_areas_summed(community, bureau, staff, seen):
    b = building_of(community)
    wang = owner(community, "王建国")
    unit_101 = household(b, "101", 60, wang)
    unit_102 = household(b, "102", 40, wang)
    a, c, d = register(b, [("201", 50), ("202", 50), ("301", 50)])
    vote = new_vote(community, actor=bureau)

    first = ballot_via_api(as_resident(unit_101), vote, unit_101, "yes", seen)
    assert first.status_code == 201
    # From the other unit: the same owner, who has voted: refused, saying when and how the first ballot came.
    again = ballot_via_api(as_resident(unit_102), vote, unit_102, "no", seen)
    assert again.status_code == 409 and again.json()["code"] == "already_voted"
    assert "101" in again.json()["detail"]
    assert Ballot.objects.filter(vote=vote).get().choice == "yes"
    ballot_via_api(as_resident(a), vote, a, "yes", seen)
    ballot_via_api(as_resident(c), vote, c, "no", seen)
    ballot_via_api(as_resident(d), vote, d, "no", seen)

    found = result_via_api(staff, vote, seen)
    assert found["total"] == {"voters": 4, "households": 5, "area_m2": 250.0}
    assert found["yes"] == {"voters": 2, "households": 3, "area_m2": 150.0, "share_voters": 0.5, "share_area": 0.6}
    # 150 of 250 m² is more than half, but 2 of 4 owners is not: counted as two voters, 王 would have carried it.
    assert found["approval"]["area"]["met"] is True
    assert found["approval"]["owners"] == {"met": False, "required_share": "1/2", "strictly_more": True,
                                           "required": 3, "actual": 2, "margin": -1}
    assert found["passed"] is False
    # Both of 王's units are published with the one choice.
    rows = {r["room"]: r["choice"] for r in found["published_rows"]}
    assert rows["101"] == rows["102"] == "yes"


def test_co_owners_of_one_unit_share_one_vote(community, bureau, staff, seen):
    b = building_of(community)
    husband, wife = owner(community, "张伟"), owner(community, "刘芳")
    shared = household(b, "201", 80, husband, wife)
    p, q = register(b, [("202", 60), ("203", 60)])
    vote = new_vote(community, actor=bureau)
    # Both spouses vote from their own phones: the first ballot is the unit's one vote, the second is refused.
    assert ballot_via_api(as_resident(shared), vote, shared, "yes", seen).status_code == 201
    assert ballot_via_api(as_resident(shared), vote, shared, "no", seen).status_code == 409
    ballot_via_api(as_resident(p), vote, p, "yes", seen)
    ballot_via_api(as_resident(q), vote, q, "no", seen)

    found = result_via_api(staff, vote, seen)
    assert found["total"]["voters"] == 3
    assert found["participating"]["voters"] == 3
    assert (found["yes"]["voters"], found["no"]["voters"]) == (2, 1)
    assert found["yes"]["area_m2"] == 140.0
    assert found["quorum_met"] is True and found["passed"] is True  # 2 of 3 owners, 140 of 200 m²
    assert Ballot.objects.get(vote=vote, household=shared).voter_key == f"o:{min(husband.pk, wife.pk)}," \
                                                                         f"{max(husband.pk, wife.pk)}"


def test_paper_and_online_for_the_same_household_count_once(community, bureau, staff, committee_member, seen):
    b = building_of(community)
    online_first, paper_first, other = register(b, [("101", 70), ("102", 70), ("103", 70)])
    committee = Committee.objects.create(community=community, name="东关家属院临时管委会")
    CommitteeMember.objects.create(committee=committee, user=committee_member)
    member = Client()
    member.force_login(committee_member)
    vote = new_vote(community, actor=bureau)

    # Online, then a paper ballot for the same household: refused, the online ballot stands.
    assert ballot_via_api(as_resident(online_first), vote, online_first, "yes", seen).status_code == 201
    refused = ballot_via_api(member, vote, online_first, "no", seen)
    assert refused.status_code == 409 and refused.json()["code"] == "already_voted"
    # Paper, then the owner online: refused too; the first ballot stands whichever way it came.
    entered = ballot_via_api(member, vote, paper_first, "no", seen)
    assert entered.status_code == 201 and entered.json()["channel"] == "paper"
    assert ballot_via_api(as_resident(paper_first), vote, paper_first, "yes", seen).status_code == 409
    # A paper ballot entered wrongly is corrected by the committee, as an act with a reason.
    assert ballot_via_api(member, vote, other, "yes", seen).status_code == 201
    assert ballot_via_api(member, vote, other, "abstain", seen).status_code == 409
    paper_page = reverse("votes:paper", args=[vote.pk])
    member.post(paper_page, {"household": other.pk, "choice": "abstain", "correct": "1", "reason": ""})
    assert Ballot.objects.get(vote=vote, household=other).choice == "yes"  # no reason, no correction
    member.post(paper_page, {"household": other.pk, "choice": "abstain", "correct": "1",
                             "reason": "纸质选票勾选的是弃权，录入时点错"})
    # An owner's own online ballot is never "corrected".
    with pytest.raises(ValidationError):
        votes.correct_paper_ballot(vote, online_first, "no", entered_by=committee_member, reason="x")

    found = result_via_api(staff, vote, seen)
    assert Ballot.objects.filter(vote=vote).count() == 3
    assert found["participating"]["voters"] == 3
    assert (found["yes"]["voters"], found["no"]["voters"], found["abstain"]["voters"]) == (1, 1, 1)
    assert found["passed"] is False
    assert Ballot.objects.get(vote=vote, household=other).entered_by == committee_member
    # The committee's entries and its correction, with the reason, are in the audit history.
    history = AuditEntry.objects.filter(object_type="votes.ballot")
    assert history.filter(actor=committee_member).count() == 3
    correction = history.get(action="update")
    assert (correction.before["choice"], correction.after["choice"]) == ("yes", "abstain")
    assert correction.reason == "纸质选票勾选的是弃权，录入时点错"


def test_an_elevator_for_one_stairwell_unit_needs_three_quarters(dongcheng, bureau, staff, seen):
    community = make_community(dongcheng, "DC102", "盐湖小区", buildings=((6, 24, "2400"),))
    b = building_of(community)
    unit_one = register(b, [(f"{f}0{n}", 70) for f in range(1, 5) for n in (1, 2)], unit=1)  # 8 owners, 560 m²
    unit_two = register(b, [("101", 90), ("102", 90)], unit=2)
    vote = new_vote(community, Vote.Matter.REBUILD, actor=bureau, electorate=Vote.Electorate.UNIT, building=b,
                    stairwell_unit=1, title="1单元加装电梯")
    assert (vote.pass_area, vote.pass_strictly_more) == (Decimal("0.75"), False)
    for home in unit_one[:6]:
        ballot_via_api(as_resident(home), vote, home, "yes", seen)
    for home in unit_one[6:]:
        ballot_via_api(as_resident(home), vote, home, "no", seen)
    # The neighbours in unit 2 do not vote on unit 1's elevator.
    outside = ballot_via_api(as_resident(unit_two[0]), vote, unit_two[0], "no", seen)
    assert outside.status_code == 400 and outside.json()["code"] == "electorate"

    found = result_via_api(staff, vote, seen)
    assert found["total"] == {"voters": 8, "households": 8, "area_m2": 560.0}
    # Exactly three quarters in favour, by owners (6 of 8) and by area (420 of 560 m²): "at least" is met.
    assert found["approval"]["owners"]["required"] == 6 and found["approval"]["owners"]["margin"] == 0
    assert found["approval"]["area"]["margin_m2"] == 0.0 and found["approval"]["area"]["met"] is True
    assert found["passed"] is True
    assert len(found["published_rows"]) == 8
    # One vote less in favour and the elevator fails.
    Ballot.objects.filter(vote=vote, household=unit_one[0]).update(choice="abstain")
    assert result_via_api(staff, vote, seen)["passed"] is False


def test_a_vote_outside_its_time_window_is_refused(community, bureau, seen):
    home, = register(building_of(community), [("101", 70)])
    closed = new_vote(community, actor=bureau, opens=-3, closes=-1, title="已结束")
    upcoming = new_vote(community, actor=bureau, opens=1, closes=3, title="未开始")
    resident = as_resident(home)
    for vote in (closed, upcoming):
        response = ballot_via_api(resident, vote, home, "yes", seen)
        assert response.status_code == 400 and response.json()["code"] == "closed"
    assert not Ballot.objects.exists()


def test_a_household_outside_the_electorate_is_refused(dongcheng, community, bureau, seen):
    other_building = Building.objects.create(community=community, name="2号楼", floors=5, households=10,
                                             floor_area_m2=Decimal("900"))
    inside, = register(building_of(community), [("101", 70)])
    outside, = register(other_building, [("101", 80)])
    elsewhere_community = make_community(dongcheng, "DC103", "别的小区")
    stranger, = register(building_of(elsewhere_community), [("101", 60)])
    vote = new_vote(community, actor=bureau, electorate=Vote.Electorate.BUILDING, building=building_of(community))

    assert ballot_via_api(as_resident(inside), vote, inside, "yes", seen).status_code == 201
    response = ballot_via_api(as_resident(outside), vote, outside, "yes", seen)
    assert response.status_code == 400 and response.json()["code"] == "electorate"
    # A resident of another community does not even see the vote.
    assert ballot_via_api(as_resident(stranger), vote, stranger, "yes", seen).status_code == 404
    # Nor may a resident vote for a neighbour's household.
    assert ballot_via_api(as_resident(inside), vote, outside, "yes", seen).status_code == 403
    assert Ballot.objects.count() == 1


def test_who_may_cast_and_read(community, bureau, officer, xicheng, committee_member, seen):
    home, = register(building_of(community), [("101", 70)])
    vote = new_vote(community, actor=bureau)
    anonymous = Client()
    assert seen(anonymous.get(reverse("api-vote-result", args=[vote.pk]))).status_code == 404
    assert ballot_via_api(anonymous, vote, home, "yes", seen).status_code == 404
    # An officer of the sub-district reads the result but does not enter paper ballots.
    officer_client = Client()
    officer_client.force_login(officer)
    assert seen(officer_client.get(reverse("api-vote-result", args=[vote.pk]))).status_code == 200
    assert ballot_via_api(officer_client, vote, home, "yes", seen).status_code == 403
    # An officer of another sub-district does not see it; a committee member of another community neither.
    stranger = ensure_user("xicheng", PASSWORD, User.Role.SUBDISTRICT_OFFICER, subdistrict=xicheng)
    stranger_client = Client()
    stranger_client.force_login(stranger)
    assert seen(stranger_client.get(reverse("api-vote-result", args=[vote.pk]))).status_code == 404
    member = Client()
    member.force_login(committee_member)
    assert seen(member.get(reverse("api-vote-result", args=[vote.pk]))).status_code == 404
    assert seen(member.get(reverse("api-votes"))).json()["results"] == []
    # The identified resident reads the turnout but not each unit's choice until the vote closes.
    resident = as_resident(home)
    ballot_via_api(resident, vote, home, "yes", seen)
    mine = result_via_api(resident, vote, seen)
    assert mine["participating"]["voters"] == 1 and mine["published_rows"] == []
    assert [v["id"] for v in seen(resident.get(reverse("api-votes"))).json()["results"]] == [vote.pk]


def test_residents_posting_without_the_csrf_token_are_refused(community, bureau):
    home, = register(building_of(community), [("101", 70)])
    vote = new_vote(community, actor=bureau)
    resident = as_resident(home)
    resident.handler.enforce_csrf_checks = True
    response = resident.post(reverse("api-vote-ballots", args=[vote.pk]), {"household": home.pk, "choice": "yes"},
                             content_type="application/json")
    assert response.status_code == 403 and "CSRF" in response.json()["detail"]
    assert not Ballot.objects.exists()


def test_the_api_lists_votes_in_scope_and_is_in_the_schema(community, bureau, officer, staff, seen):
    vote = new_vote(community, actor=bureau)
    listed = seen(staff.get(reverse("api-votes"))).json()["results"]
    assert listed[0]["id"] == vote.pk and listed[0]["status"] == "open" and listed[0]["community"] == "DC101"
    schema = staff.get(reverse("api-schema")).content.decode()
    for path in ("/api/votes/", "/api/votes/{vote_id}/result/", "/api/votes/{vote_id}/ballots/"):
        assert path in schema


# ---- the rules ----------------------------------------------------------------------------------------------

def test_stored_thresholds_are_compared_as_exact_fractions():
    assert votes.exact(Decimal("0.6667")) == Fraction(2, 3)
    assert votes.exact(Decimal("0.5")) == Fraction(1, 2)
    assert votes.exact(Decimal("0.75")) == Fraction(3, 4)
    assert votes.exact(Decimal("0.6")) == Fraction(3, 5)
    assert votes.exact(Decimal("0.3333")) == Fraction(1, 3)


def test_thresholds_are_configuration(settings, community, bureau):
    settings.VOTE_RULES = {"major": "2/3"}  # a local rule: two thirds for major matters
    assert votes.vote_rules() == {"quorum": Fraction(2, 3), "ordinary": Fraction(1, 2), "major": Fraction(2, 3)}
    vote = new_vote(community, Vote.Matter.REBUILD, actor=bureau)
    assert (vote.pass_area, vote.pass_owners, vote.quorum_area) == (Decimal("0.6667"),) * 3
    # A vote keeps the thresholds it was created with.
    settings.VOTE_RULES = {}
    vote.refresh_from_db()
    assert vote.pass_area == Decimal("0.6667")
    settings.VOTE_RULES = {"ordinary": "3/2"}
    with pytest.raises(ValueError):
        votes.vote_rules()


def test_a_household_without_recorded_owners_is_its_own_voter(community, bureau):
    b = building_of(community)
    lone = household(b, "101", 70)
    vote = new_vote(community, actor=bureau)
    cast = votes.cast_ballot(vote, lone, "yes")
    assert cast.ballot.voter_key == f"h:{lone.pk}"
    assert votes.result(vote)["total"]["voters"] == 1


def test_nobody_voting_is_neither_quorum_nor_passed(community, bureau):
    register(building_of(community), [("101", 70)])
    found = votes.result(new_vote(community, actor=bureau))
    assert (found["quorum_met"], found["passed"], found["participating"]["share_voters"]) == (False, False, 0.0)


def test_only_the_bureau_and_the_sub_district_call_votes(community, officer, committee_member):
    leader = ensure_user("leader", PASSWORD, User.Role.LEADER)
    for user in (leader, committee_member):
        with pytest.raises(PermissionDenied):
            new_vote(community, actor=user)
    assert new_vote(community, actor=officer).created_by == officer


# ---- pages --------------------------------------------------------------------------------------------------

def test_staff_create_a_vote_and_watch_the_count(community, officer, seen):
    b = building_of(community)
    register(b, [("101", 70), ("102", 70)])
    client = Client()
    client.force_login(officer)
    assert seen(client.get(reverse("votes:create") + "?community=DC101")).status_code == 200
    now = timezone.localtime()
    response = client.post(reverse("votes:create"), {
        "community": community.pk, "title": "1号楼加装电梯", "subject": "elevator", "matter": "rebuild",
        "electorate": "unit", "building": b.pk, "stairwell_unit": 1,
        "opens_at": (now - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "closes_at": (now + datetime.timedelta(days=7)).strftime("%Y-%m-%dT%H:%M")})
    vote = Vote.objects.get()
    assert response.status_code == 302 and response.url == reverse("votes:detail", args=[vote.pk])
    assert (vote.pass_owners, vote.pass_strictly_more, vote.created_by) == (Decimal("0.75"), False, officer)
    page = seen(client.get(reverse("votes:detail", args=[vote.pk])))
    assert 'hx-trigger="every 3s"' in page.content.decode()
    assert seen(client.get(reverse("votes:live", args=[vote.pk]))).status_code == 200
    listing = seen(client.get(reverse("votes:list"))).content.decode()
    assert "1号楼加装电梯" in listing
    # No inline script or style on these pages (the CSP forbids them).
    for body in seen[-3:]:
        assert "<script>" not in body and 'style="' not in body


def test_a_vote_form_with_a_unit_but_no_building_is_refused(community, bureau):
    client = Client()
    client.force_login(bureau)
    now = timezone.localtime()
    response = client.post(reverse("votes:create"), {
        "community": community.pk, "title": "电梯", "subject": "elevator", "matter": "rebuild", "electorate": "unit",
        "opens_at": now.strftime("%Y-%m-%dT%H:%M"),
        "closes_at": (now + datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")})
    assert response.status_code == 200 and not Vote.objects.exists()


def test_the_committee_enters_paper_ballots_on_the_page(community, bureau, committee_member, seen):
    home, neighbour = register(building_of(community), [("101", 70), ("102", 70)])
    committee = Committee.objects.create(community=community, name="管委会")
    CommitteeMember.objects.create(committee=committee, user=committee_member)
    vote = new_vote(community, actor=bureau)
    member = Client()
    member.force_login(committee_member)
    assert seen(member.get(reverse("votes:list"))).status_code == 200
    page = seen(member.get(reverse("votes:paper", args=[vote.pk])))
    assert page.status_code == 200 and f'data-household="{home.pk}"' in page.content.decode()
    seen(member.post(reverse("votes:paper", args=[vote.pk]), {"household": home.pk, "choice": "no"}))
    ballot = Ballot.objects.get()
    assert (ballot.channel, ballot.choice, ballot.entered_by) == ("paper", "no", committee_member)
    # Someone who is not on the committee (an officer) reads the count but gets no paper form.
    assert seen(member.get(reverse("votes:detail", args=[vote.pk]))).status_code == 200
    votes.cast_ballot(vote, neighbour, "yes")
    refused = seen(member.post(reverse("votes:paper", args=[vote.pk]), {"household": neighbour.pk, "choice": "no"}))
    assert refused.status_code == 302
    assert Ballot.objects.get(household=neighbour).choice == "yes"  # the online ballot stands


def test_an_officer_cannot_open_the_paper_form(community, bureau, officer):
    vote = new_vote(community, actor=bureau)
    client = Client()
    client.force_login(officer)
    assert client.get(reverse("votes:paper", args=[vote.pk])).status_code == 403


def test_a_resident_votes_once(community, bureau, seen):
    home, neighbour = register(building_of(community), [("101", 70), ("102", 70)])
    vote = new_vote(community, actor=bureau)
    url = reverse("votes:resident_vote", args=[community.code, vote.pk])
    resident = as_resident(home)
    page = seen(resident.get(url)).content.decode()
    assert vote.title in page and 'value="yes"' in page and 'value="abstain"' in page
    assert seen(resident.post(url, {"choice": "yes"})).status_code == 302
    thanks = seen(resident.get(url)).content.decode()
    assert 'id="thank-you"' in thanks and 'id="vote-buttons"' not in thanks
    assert 'data-figure="turnout-voters"' in thanks
    refused = seen(resident.post(url, {"choice": "no"}, follow=True)).content.decode()
    assert "已经投过票" in refused
    assert Ballot.objects.get().choice == "yes"
    assert seen(resident.get(reverse("votes:resident_turnout", args=[community.code, vote.pk]))).status_code == 200
    listing = seen(resident.get(reverse("votes:resident_list", args=[community.code]))).content.decode()
    assert vote.title in listing


def test_resident_pages_need_an_identified_household(community, bureau):
    vote = new_vote(community, actor=bureau)
    response = Client().get(reverse("votes:resident_vote", args=[community.code, vote.pk]))
    assert response.status_code == 302 and response.url.startswith(f"/r/{community.code}/")


def test_a_unit_vote_is_not_shown_to_other_units(dongcheng, bureau):
    community = make_community(dongcheng, "DC104", "电梯小区")
    b = building_of(community)
    register(b, [("101", 70)], unit=1)
    other, = register(b, [("101", 70)], unit=2)
    vote = new_vote(community, Vote.Matter.REBUILD, actor=bureau, electorate=Vote.Electorate.UNIT, building=b,
                    stairwell_unit=1)
    neighbour = as_resident(other)
    assert neighbour.get(reverse("votes:resident_vote", args=[community.code, vote.pk])).status_code == 404
    assert neighbour.get(reverse("api-votes")).json()["results"] == []
    assert vote.title not in neighbour.get(reverse("votes:resident_list", args=[community.code])).content.decode()


# ---- concurrency (PostgreSQL) -------------------------------------------------------------------------------

@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_ballots_for_one_household_leave_exactly_one(dongcheng, bureau):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL; SQLite serialises them")
    community = make_community(dongcheng, "DC199", "并发小区")
    b = building_of(community)
    home, = register(b, [("101", 70)])
    vote = new_vote(community, actor=bureau)
    start = threading.Barrier(50)
    outcomes, errors, refused = [], [], []

    def submit(n):
        from django.db import connection as thread_connection

        try:
            start.wait()
            outcomes.append(votes.cast_ballot(vote, home, ("yes", "no", "abstain")[n % 3]).outcome)
        except votes.AlreadyVoted:
            refused.append(n)
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=submit, args=(n,)) for n in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert outcomes == ["created"] and len(refused) == 49
    assert Ballot.objects.filter(vote=vote).count() == 1
    assert votes.result(vote)["participating"]["voters"] == 1


def test_the_vote_list_filters_searches_and_exports(community, bureau, staff):
    import io

    from openpyxl import load_workbook

    home, _neighbour = register(building_of(community), [("101", 70), ("102", 70)])
    open_vote = new_vote(community, actor=bureau, title="改造方案表决")
    new_vote(community, actor=bureau, title="加装电梯表决", opens=-10, closes=-2)
    votes.cast_ballot(open_vote, home, "yes")
    listing = staff.get(reverse("votes:list"), {"state": "open"})
    assert [r["vote"].title for r in listing.context["rows"]] == ["改造方案表决"]
    searched = staff.get(reverse("votes:list"), {"q": "电梯"}).context["rows"]
    assert [r["vote"].title for r in searched] == ["加装电梯表决"]
    assert 'id="export-xlsx"' in listing.content.decode()
    assert staff.get(reverse("votes:list"), {"state": "nonsense"}).status_code == 200  # ignored, not a 500
    response = staff.get(reverse("votes:list"), {"format": "xlsx", "state": "open"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    header, *rows = list(sheet.iter_rows(values_only=True))
    assert header[:3] == ("小区编码", "小区", "表决事项")
    assert len(rows) == 1 and rows[0][0] == "DC101" and rows[0][7] == 1 and rows[0][8] == 50.0
