"""Pinned SQL counts: the vote pages cost as many queries for a few rows as for three times as many."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import make_community
from gaizao.communities.models import Building
from gaizao.households.models import Household, Owner, Ownership
from gaizao.votes import services as votes
from gaizao.votes.models import Ballot


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def add_households(building, start, stop):
    """Households with one owner each; every third shares the owner of the one before (one voter, two units)."""
    found = []
    for n in range(start, stop):
        household = Household.objects.create(building=building, stairwell_unit=1 + n % 2, room=f"{100 + n}",
                                             exclusive_area_m2=Decimal("60.5") + n)
        if n % 3 == 2 and found:
            owner = Ownership.objects.filter(household=found[-1]).first().owner
        else:
            owner = Owner.objects.create(community=building.community, name=f"业主{n}", phone=f"1390000{n:04d}")
        Ownership.objects.create(household=household, owner=owner)
        found.append(household)
    return found


def add_vote(bureau, community, ballots=2):
    now = timezone.now()
    vote = votes.create_vote(bureau, community, title=f"{community.name}改造方案表决",
                             opens_at=now - datetime.timedelta(days=1), closes_at=now + datetime.timedelta(days=3))
    paper(vote, Household.objects.filter(building__community=community).order_by("pk")[:ballots], Ballot.Choice.YES,
          bureau)
    return vote


def paper(vote, households, choice, actor):
    """Paper ballots for these households; a household whose owner has voted for another unit is skipped."""
    for household in households:
        try:
            votes.cast_ballot(vote, household, choice, channel=Ballot.Channel.PAPER, entered_by=actor)
        except votes.AlreadyVoted:
            pass


def add_communities_with_votes(bureau, subdistricts, start, stop):
    for n in range(start, stop):
        community = make_community(subdistricts[n % 2], f"V{n}", f"表决小区{n}")
        add_households(community.buildings.get(), 0, 4)
        add_vote(bureau, community)


@pytest.mark.parametrize("url", ["/votes/", "/api/votes/"])
def test_vote_lists_do_not_grow_with_votes(client, bureau, dongcheng, xicheng, url):
    client.force_login(bureau)
    add_communities_with_votes(bureau, [dongcheng, xicheng], 0, 2)
    few = queries(client, url)
    add_communities_with_votes(bureau, [dongcheng, xicheng], 2, 6)
    assert queries(client, url) == few


@pytest.mark.parametrize("page", ["/votes/{id}/", "/api/votes/{id}/result/", "/votes/{id}/live/"])
def test_vote_result_does_not_grow_with_households(client, bureau, east_community, page):
    client.force_login(bureau)
    building = east_community.buildings.order_by("name").first()
    add_households(building, 0, 6)
    small = add_vote(bureau, east_community, ballots=3)
    few = queries(client, page.format(id=small.pk))
    second = Building.objects.create(community=east_community, name="9号楼", floors=6, households=12,
                                     floor_area_m2=Decimal("900"))
    add_households(building, 6, 12)
    add_households(second, 12, 18)
    large = add_vote(bureau, east_community, ballots=12)  # three times the electorate, four times the ballots
    assert queries(client, page.format(id=large.pk)) == few


def test_vote_list_shows_the_turnout_the_result_counts(client, bureau, east_community):
    """The list counts all its votes at once; each figure is the one the vote's own result gives."""
    client.force_login(bureau)
    first, second = east_community.buildings.order_by("name")
    add_households(first, 0, 9)
    add_households(second, 9, 14)
    everyone = add_vote(bureau, east_community, ballots=5)
    building = votes.create_vote(bureau, east_community, title="加装电梯", electorate="building", building=second,
                                 opens_at=everyone.opens_at, closes_at=everyone.closes_at)
    unit = votes.create_vote(bureau, east_community, title="单元门", electorate="unit", building=first,
                             stairwell_unit=2, opens_at=everyone.opens_at, closes_at=everyone.closes_at)
    paper(building, Household.objects.filter(building=second)[:3], Ballot.Choice.NO, bureau)
    paper(unit, Household.objects.filter(building=first, stairwell_unit=2)[:2], Ballot.Choice.ABSTAIN, bureau)
    found = votes.participation_of([everyone, building, unit])
    for vote in (everyone, building, unit):
        assert found[vote.pk] == {k: v for k, v in votes.result(vote)["participating"].items()}
        assert found[vote.pk]["voters"] > 0
    assert client.get("/votes/").status_code == 200
