"""Who votes: the electorate of a vote, frozen when it opens, and the owners in it as the headcount counts them."""

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import CharField, Q, Value
from django.db.models.functions import Cast, Concat

from gaizao.core import clock
from gaizao.households.models import Household, Ownership
from gaizao.votes.models import Ballot, ElectorateUnit, Vote

_VOTER_KEY_MAX = Ballot._meta.get_field("voter_key").max_length


def electorate(vote: Vote):
    """The households that may vote."""
    households = Household.objects.filter(building__community_id=vote.community_id)
    if vote.electorate in (Vote.Electorate.BUILDING, Vote.Electorate.UNIT):
        households = households.filter(building_id=vote.building_id)
    if vote.electorate == Vote.Electorate.UNIT:
        households = households.filter(stairwell_unit=vote.stairwell_unit)
    return households


def votes_for_household(household: Household):
    """The votes this household takes part in (the converse of :func:`electorate`)."""
    return Vote.objects.filter(community_id=household.building.community_id).filter(
        Q(electorate=Vote.Electorate.COMMUNITY)
        | Q(electorate=Vote.Electorate.BUILDING, building_id=household.building_id)
        | Q(electorate=Vote.Electorate.UNIT, building_id=household.building_id,
            stairwell_unit=household.stairwell_unit))


def open_votes_for(household: Household, now=None):
    """The votes open now that this household takes part in, the one closing first on top."""
    now = now or clock.now()
    return votes_for_household(household).filter(opens_at__lte=now, closes_at__gt=now).order_by("closes_at")


def _key(owner_ids) -> str:
    key = "o:" + ",".join(str(o) for o in sorted(set(owner_ids)))
    if len(key) > _VOTER_KEY_MAX:
        # Dozens of co-owners (an inherited flat): still one stable key that fits the column.
        key = "o#" + hashlib.sha256(key.encode()).hexdigest()
    return key


DEVELOPER = "d:developer"


def owner_keys(households, owners: dict[int, list[int]]) -> dict[int, str]:
    """Household id → the owner it counts for in the headcount (SPC interpretation of building-unit ownership,
    art. 9): one unit is one owner, co-owners of a unit together; units that share an owner are one owner (the
    same buyer, our reading: a person who owns one flat alone and another with a spouse is one buyer); the
    developer's unsold or undelivered units are one owner; a unit without a registered owner is one of its own."""
    parent: dict[int, int] = {}

    def find(owner):
        parent.setdefault(owner, owner)
        while parent[owner] != owner:
            parent[owner] = parent[parent[owner]]
            owner = parent[owner]
        return owner

    for household in households:
        ids = owners.get(household.pk, ())
        for other in ids[1:]:
            parent[find(other)] = find(ids[0])
    groups: dict[int, set[int]] = defaultdict(set)
    for owner in list(parent) + [o for h in households for o in owners.get(h.pk, ())]:
        groups[find(owner)].add(owner)
    keys = {}
    for household in households:
        ids = owners.get(household.pk, ())
        if household.developer_held:
            keys[household.pk] = DEVELOPER
        elif ids:
            keys[household.pk] = _key(groups[find(ids[0])])
        else:
            keys[household.pk] = f"h:{household.pk}"
    return keys


def freeze(vote: Vote, now=None) -> bool:
    """Take the electorate's snapshot once the vote has opened (at most once): its units with their voting area
    and owner. Returns whether it was taken now."""
    now = now or clock.now()
    if vote.frozen_at is not None or now < vote.opens_at:
        return False
    with transaction.atomic():
        locked = Vote.objects.select_for_update().get(pk=vote.pk)
        if locked.frozen_at is not None:
            vote.frozen_at = locked.frozen_at
            return False
        households = list(electorate(vote).select_related("building"))
        owners = owners_of(Ownership.objects.filter(household__in=[h.pk for h in households]))
        keys = owner_keys(households, owners)
        ElectorateUnit.objects.bulk_create([
            ElectorateUnit(vote=vote, household=h, building=h.building.name, stairwell_unit=h.stairwell_unit,
                           room=h.room, area_m2=h.voting_area_m2, owner_key=keys[h.pk]) for h in households
        ], batch_size=1000)
        _realign_ballots(vote, keys)
        vote.frozen_at = now
        Vote.objects.filter(pk=vote.pk).update(frozen_at=now)
    return True


def _realign_ballots(vote: Vote, keys: dict[int, str]) -> None:
    """Ballots cast before the electorate was frozen (votes opened under the first release, which keyed owners by
    their exact set) are moved to their unit's owner; where one owner has two, the earlier counts and the later
    keeps a key of its own ("legacy:<id>") that no owner has, so it stays on record but is not counted."""
    ballots = list(Ballot.objects.filter(vote=vote).order_by("cast_at", "pk"))
    if all(keys.get(b.household_id) == b.voter_key for b in ballots):
        return
    taken, final = set(), {}
    for ballot in ballots:
        key = keys.get(ballot.household_id)
        final[ballot.pk] = key if key is not None and key not in taken else f"legacy:{ballot.pk}"
        taken.add(final[ballot.pk])
    Ballot.objects.filter(vote=vote).update(voter_key=Concat(Value("tmp:"), Cast("pk", CharField())))
    for pk, key in final.items():
        Ballot.objects.filter(pk=pk).update(voter_key=key)


def unit_of(vote: Vote, household: Household) -> ElectorateUnit | None:
    """The household's unit in the vote's frozen electorate (None: it does not vote on this question)."""
    freeze(vote)
    if vote.frozen_at is None:
        return None
    return ElectorateUnit.objects.filter(vote=vote, household=household).first()


def in_electorate(vote: Vote, household: Household) -> bool:
    if vote.frozen_at is None and clock.now() < vote.opens_at:
        return electorate(vote).filter(pk=household.pk).exists()
    return unit_of(vote, household) is not None


def voter_key(vote: Vote, household: Household) -> str | None:
    unit = unit_of(vote, household)
    return unit.owner_key if unit else None


@dataclass
class Voter:
    key: str
    units: list
    area: Decimal


def voters_of(units) -> dict[str, Voter]:
    """The owners of a frozen electorate (headcount), each with their units and summed area."""
    found: dict[str, Voter] = {}
    for unit in units:
        voter = found.setdefault(unit.owner_key, Voter(unit.owner_key, [], Decimal(0)))
        voter.units.append(unit)
        voter.area += unit.area_m2
    return found


def voters(vote: Vote) -> dict[str, Voter]:
    freeze(vote)
    return voters_of(ElectorateUnit.objects.filter(vote=vote).order_by("building", "stairwell_unit", "room", "pk"))


def owners_of(ownerships) -> dict[int, list[int]]:
    owners = defaultdict(list)
    for household_id, owner_id in ownerships.order_by("owner_id").values_list("household_id", "owner_id"):
        owners[household_id].append(owner_id)
    return owners
