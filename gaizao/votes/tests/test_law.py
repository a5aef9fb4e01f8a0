"""Art. 278 as a dissenting owner's lawyer would read it: matters fix the thresholds, the electorate is frozen when
the vote opens, the result is stored when it closes, one owner counts once, and nothing changes after the first
ballot except by a recorded act with a reason."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.admin.sites import site
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.utils import timezone

from gaizao.core.models import AuditEntry
from gaizao.households.models import Household
from gaizao.votes import services as votes
from gaizao.votes.models import Vote
from gaizao.votes.tests.test_votes import building_of, household, new_vote, owner, register


def close(vote, days_ago=1):
    """The vote's time has passed (as if the calendar moved on)."""
    Vote.objects.filter(pk=vote.pk).update(closes_at=timezone.now() - datetime.timedelta(days=days_ago),
                                           opens_at=timezone.now() - datetime.timedelta(days=days_ago + 5))
    vote.refresh_from_db()
    return vote


def test_the_matter_fixes_the_thresholds(community, bureau):
    assert len(Vote.Matter.values) == 9  # art. 278's nine matters
    ordinary = new_vote(community, Vote.Matter.PROPERTY_MANAGER, actor=bureau)
    assert (ordinary.pass_area, ordinary.pass_owners, ordinary.pass_strictly_more) == (
        Decimal("0.5000"), Decimal("0.5000"), True)
    for matter in (Vote.Matter.RAISE_FUND, Vote.Matter.REBUILD, Vote.Matter.COMMON_PARTS):
        major = new_vote(community, matter, actor=bureau)
        assert (major.pass_area, major.pass_owners, major.pass_strictly_more) == (
            Decimal("0.7500"), Decimal("0.7500"), False)
        assert major.quorum_area == major.quorum_owners == Decimal("0.6667")
        assert major.rule_set == "《中华人民共和国民法典》第二百七十八条"
    with pytest.raises(ValidationError):
        new_vote(community, "ordinary", actor=bureau)  # not one of the matters


def test_abstentions_take_part_but_do_not_approve(community, bureau):
    homes = register(building_of(community), [(f"{n}01", 50) for n in range(1, 5)])
    passing = new_vote(community, actor=bureau, title="方案一")
    for home, choice in zip(homes, ["yes", "yes", "yes", "no"], strict=True):
        votes.cast_ballot(passing, home, choice)
    assert votes.result(passing)["passed"] is True  # 3 of 4 owners and 150 of 200 m²: more than half
    failing = new_vote(community, actor=bureau, title="方案二")
    for home, choice in zip(homes, ["yes", "yes", "abstain", "no"], strict=True):
        votes.cast_ballot(failing, home, choice)
    found = votes.result(failing)
    assert found["quorum_met"] is True and found["participating"]["voters"] == 4
    assert found["passed"] is False  # 2 of 4 is not more than half: the abstention counts as not in favour


def test_one_buyer_of_a_flat_alone_and_one_with_a_spouse_counts_once(community, bureau):
    b = building_of(community)
    wang, wife = owner(community, "王建国"), owner(community, "李秀兰")
    alone = household(b, "101", 60, wang)
    shared = household(b, "102", 40, wang, wife)
    register(b, [("201", 50)])
    vote = new_vote(community, actor=bureau)
    found = votes.result(vote)
    assert found["total"] == {"voters": 2, "households": 3, "area_m2": Decimal("150.00")}
    votes.cast_ballot(vote, alone, "yes")
    with pytest.raises(votes.AlreadyVoted):
        votes.cast_ballot(vote, shared, "no")
    assert votes.result(vote)["yes"]["area_m2"] == Decimal("100.00")


def test_the_developers_unsold_units_are_one_owner_and_registered_area_counts(community, bureau):
    b = building_of(community)
    for room in ("501", "502", "503"):
        Household.objects.create(building=b, stairwell_unit=1, room=room, exclusive_area_m2=Decimal("80"),
                                 developer_held=True)
    measured = register(b, [("101", 70)])[0]
    Household.objects.filter(pk=measured.pk).update(registered_area_m2=Decimal("68.5"))
    found = votes.result(new_vote(community, actor=bureau))
    assert found["total"] == {"voters": 2, "households": 4, "area_m2": Decimal("308.50")}


def test_the_register_changed_after_close_leaves_the_result(community, bureau):
    homes = register(building_of(community), [("101", 70), ("102", 70), ("103", 70)])
    vote = new_vote(community, actor=bureau)
    for home in homes:
        votes.cast_ballot(vote, home, "yes")
    close(vote)
    final = votes.result(vote)
    assert final["final"] is True and final["passed"] is True and vote.result is not None
    # Later: households registered, areas corrected, an owner sold up. The decision stands.
    register(building_of(community), [(f"{n}01", 90) for n in range(2, 9)])
    Household.objects.filter(pk=homes[0].pk).update(exclusive_area_m2=Decimal("10"))
    again = votes.result(Vote.objects.get(pk=vote.pk))
    assert again["passed"] is True and again["total"] == final["total"] and again["yes"] == final["yes"]
    # The vote list shows the same stored figure.
    assert votes.participation_of([Vote.objects.get(pk=vote.pk)])[vote.pk] == final["participating"]
    # A recount is an act with a reason; it counts the frozen electorate again and gives the same answer.
    with pytest.raises(ValidationError):
        votes.recount(bureau, vote, "")
    recounted = votes.recount(bureau, vote, "业主对计票有异议")
    assert recounted["total"] == final["total"]
    entry = AuditEntry.objects.get(object_type="votes.vote", action="update")
    assert "业主对计票有异议" in entry.reason and entry.actor == bureau


def test_an_open_vote_counts_its_frozen_electorate(community, bureau):
    register(building_of(community), [("101", 70), ("102", 70)])
    vote = new_vote(community, actor=bureau)
    late = register(building_of(community), [("103", 70)])[0]
    assert votes.result(vote)["total"]["voters"] == 2
    with pytest.raises(ValidationError) as refused:
        votes.cast_ballot(vote, late, "yes")
    assert refused.value.code == "electorate"


def test_an_elevator_vote_is_its_stairwell_and_needs_three_quarters(community, bureau):
    b = building_of(community)
    register(b, [("101", 70), ("102", 70)], unit=1)
    register(b, [("101", 70)], unit=2)
    now = timezone.now()
    times = {"opens_at": now - datetime.timedelta(hours=1), "closes_at": now + datetime.timedelta(days=7)}
    with pytest.raises(ValidationError):
        votes.create_vote(bureau, community, title="加装电梯", subject=Vote.Subject.ELEVATOR,
                          electorate=Vote.Electorate.COMMUNITY, **times)
    one = votes.create_vote(bureau, community, title="1单元加装电梯", subject=Vote.Subject.ELEVATOR,
                            matter=Vote.Matter.OTHER, electorate=Vote.Electorate.UNIT, building=b, stairwell_unit=1,
                            **times)
    assert one.matter == Vote.Matter.REBUILD and one.pass_strictly_more is False
    assert votes.result(one)["total"]["households"] == 2
    each = votes.create_elevator_votes(bureau, community, b, title="加装电梯", **times)
    assert [(v.stairwell_unit, v.matter, votes.result(v)["total"]["households"]) for v in each] == [
        (1, "rebuild", 2), (2, "rebuild", 1)]


def test_nothing_changes_after_the_first_ballot_but_a_reasoned_extension(community, bureau):
    home = register(building_of(community), [("101", 70)])[0]
    vote = new_vote(community, actor=bureau)
    vote.title = "改一个问题"
    vote.save()  # before any ballot the question may still be put right
    votes.cast_ballot(vote, home, "no")
    for field, value in (("title", "另一个问题"), ("matter", Vote.Matter.REBUILD), ("pass_area", Decimal("0.3"))):
        fresh = Vote.objects.get(pk=vote.pk)
        setattr(fresh, field, value)
        with pytest.raises(ValidationError):
            fresh.save()
    earlier = Vote.objects.get(pk=vote.pk)
    earlier.closes_at -= datetime.timedelta(hours=1)
    with pytest.raises(ValidationError):
        earlier.save()
    admin = site._registry[Vote]
    request = RequestFactory().get("/")
    assert set(admin.get_readonly_fields(request, vote)) >= {"title", "matter", "electorate", "closes_at"}
    with pytest.raises(ValidationError):
        votes.extend_vote(bureau, vote, vote.closes_at + datetime.timedelta(days=3), "")
    with pytest.raises(ValidationError):
        votes.extend_vote(bureau, vote, vote.closes_at - datetime.timedelta(days=1), "晚一点")
    later = vote.closes_at + datetime.timedelta(days=3)
    votes.extend_vote(bureau, vote, later, "春节期间很多业主不在家")
    assert Vote.objects.get(pk=vote.pk).closes_at == later
    assert AuditEntry.objects.get(object_type="votes.vote", action="update").reason == "春节期间很多业主不在家"


def test_refusals_say_what_happened_in_chinese(community, bureau):
    home, other = register(building_of(community), [("101", 70), ("102", 70)])
    vote = new_vote(community, actor=bureau)
    votes.cast_ballot(vote, home, "yes")
    with pytest.raises(votes.AlreadyVoted) as twice:
        votes.cast_ballot(vote, home, "no")
    assert "已经投过票" in twice.value.messages[0] and "线上" in twice.value.messages[0]
    close(vote)
    with pytest.raises(ValidationError) as late:
        votes.cast_ballot(vote, other, "yes")
    assert "不在表决期间" in late.value.messages[0]


def test_ballots_cast_before_the_freeze_move_to_their_owner(community, bureau):
    """A vote opened under the first release: its ballots were keyed by each unit's exact owner set."""
    from gaizao.votes.models import Ballot, ElectorateUnit

    b = building_of(community)
    wang, wife = owner(community, "王建国"), owner(community, "李秀兰")
    alone, shared = household(b, "101", 60, wang), household(b, "102", 40, wang, wife)
    vote = new_vote(community, actor=bureau)
    ElectorateUnit.objects.filter(vote=vote).delete()
    Vote.objects.filter(pk=vote.pk).update(frozen_at=None)
    vote.refresh_from_db()
    Ballot.objects.create(vote=vote, voter_key=f"o:{wang.pk}", household=alone, choice="yes")
    Ballot.objects.create(vote=vote, voter_key=f"o:{min(wang.pk, wife.pk)},{max(wang.pk, wife.pk)}",
                          household=shared, choice="no")
    found = votes.result(vote)  # freezes now
    assert found["total"]["voters"] == 1 and found["participating"]["voters"] == 1
    assert found["yes"]["voters"] == 1 and found["no"]["voters"] == 0  # the earlier ballot of the one buyer
    assert Ballot.objects.filter(vote=vote, voter_key__startswith="legacy:").count() == 1


def test_the_page_opens_one_elevator_vote_per_stairwell(community, officer):
    from django.test import Client
    from django.urls import reverse

    b = building_of(community)
    register(b, [("101", 70)], unit=1)
    register(b, [("101", 70)], unit=2)
    client = Client()
    client.force_login(officer)
    now = timezone.localtime()
    response = client.post(reverse("votes:create"), {
        "community": community.pk, "title": "1号楼加装电梯", "subject": "elevator", "matter": "other",
        "electorate": "community", "building": b.pk,
        "opens_at": (now - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "closes_at": (now + datetime.timedelta(days=7)).strftime("%Y-%m-%dT%H:%M")})
    assert response.status_code == 302
    assert sorted(Vote.objects.values_list("title", "stairwell_unit", "matter", "electorate")) == [
        ("1号楼加装电梯（1单元）", 1, "rebuild", "unit"), ("1号楼加装电梯（2单元）", 2, "rebuild", "unit")]


def test_the_votes_clock_freezes_opened_votes_and_stores_closed_results(community, bureau):
    from io import StringIO

    from django.core.management import call_command

    from gaizao.votes.models import ElectorateUnit

    home = register(building_of(community), [("101", 70)])[0]
    later = new_vote(community, actor=bureau, opens=1, closes=5, title="下周的表决")
    assert later.frozen_at is None  # not open yet: nothing to freeze
    ended = new_vote(community, actor=bureau, title="已结束的表决")
    votes.cast_ballot(ended, home, "yes")
    close(ended)
    Vote.objects.filter(pk=later.pk).update(opens_at=timezone.now() - datetime.timedelta(minutes=5))
    out = StringIO()
    call_command("tick_votes", stdout=out)
    assert "Froze 1" in out.getvalue() and "stored 1" in out.getvalue()
    assert ElectorateUnit.objects.filter(vote=later).count() == 1
    assert Vote.objects.get(pk=ended.pk).result["passed"] is True
    call_command("tick_votes", stdout=out)  # at most once
    assert ElectorateUnit.objects.filter(vote=later).count() == 1
