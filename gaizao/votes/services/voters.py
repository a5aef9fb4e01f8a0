"""Who votes: the electorate of a vote and the voters in it (the owners of a household, once however many
units they own)."""

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from gaizao.households.models import Household, Ownership
from gaizao.votes.models import Ballot, Vote

_VOTER_KEY_MAX = Ballot._meta.get_field("voter_key").max_length


def electorate(vote: Vote):
    """The households that may vote."""
    households = Household.objects.filter(building__community_id=vote.community_id)
    if vote.electorate in (Vote.Electorate.BUILDING, Vote.Electorate.UNIT):
        households = households.filter(building_id=vote.building_id)
    if vote.electorate == Vote.Electorate.UNIT:
        households = households.filter(stairwell_unit=vote.stairwell_unit)
    return households


def in_electorate(vote: Vote, household: Household) -> bool:
    return electorate(vote).filter(pk=household.pk).exists()


def votes_for_household(household: Household):
    """The votes this household takes part in (the converse of :func:`electorate`)."""
    return Vote.objects.filter(community_id=household.building.community_id).filter(
        Q(electorate=Vote.Electorate.COMMUNITY)
        | Q(electorate=Vote.Electorate.BUILDING, building_id=household.building_id)
        | Q(electorate=Vote.Electorate.UNIT, building_id=household.building_id,
            stairwell_unit=household.stairwell_unit))


def open_votes_for(household: Household, now=None):
    """The votes open now that this household takes part in, the one closing first on top."""
    now = now or timezone.now()
    return votes_for_household(household).filter(opens_at__lte=now, closes_at__gt=now).order_by("closes_at")


def _key(household_id: int, owner_ids) -> str:
    if not owner_ids:
        return f"h:{household_id}"
    key = "o:" + ",".join(str(o) for o in sorted(set(owner_ids)))
    if len(key) > _VOTER_KEY_MAX:
        # Dozens of co-owners (an inherited flat): still one stable key that fits the column.
        key = "o#" + hashlib.sha256(key.encode()).hexdigest()
    return key


def voter_key(household: Household) -> str:
    """The voter a household belongs to: its sorted owner ids ("o:12,15"), or "h:<id>" without owners."""
    return _key(household.pk, Ownership.objects.filter(household=household).values_list("owner_id", flat=True))


@dataclass
class Voter:
    key: str
    households: list
    area: Decimal


def voters(vote: Vote) -> dict[str, Voter]:
    """The voters of the electorate, each with their households and summed exclusive area inside it."""
    households = list(electorate(vote).select_related("building").order_by("building__name", "stairwell_unit",
                                                                           "room", "pk"))
    return voters_from(households, owners_of(Ownership.objects.filter(household__in=[h.pk for h in households])))


def owners_of(ownerships) -> dict[int, list[int]]:
    owners = defaultdict(list)
    for household_id, owner_id in ownerships.values_list("household_id", "owner_id"):
        owners[household_id].append(owner_id)
    return owners


def voters_from(households, owners: dict[int, list[int]]) -> dict[str, Voter]:
    found: dict[str, Voter] = {}
    for household in households:
        key = _key(household.pk, owners.get(household.pk, ()))
        voter = found.setdefault(key, Voter(key, [], Decimal(0)))
        voter.households.append(household)
        voter.area += household.exclusive_area_m2
    return found
