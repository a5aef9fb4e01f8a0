"""The count: quorum and approval by area and by voters, turnout, and participation for many votes at once."""

import math
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from gaizao.households.models import Household, Ownership
from gaizao.votes.models import Ballot, Vote
from gaizao.votes.services.ballots import status
from gaizao.votes.services.rules import exact
from gaizao.votes.services.voters import Voter, owners_of, voters, voters_from

_CENT = Decimal("0.01")


def _share(part, whole) -> float:
    return float(Fraction(part) / Fraction(whole)) if whole else 0.0


def _cents(value) -> Decimal:
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    return Decimal(value).quantize(_CENT, rounding=ROUND_HALF_UP)


def _threshold(actual_area, actual_count, total_area, total_count, area_share: Fraction, count_share: Fraction,
          strictly_more: bool) -> dict:
    """One threshold on area and headcount: met or not, the requirement, and the margin (negative: short by)."""
    area_needed = area_share * Fraction(total_area)
    count_needed = count_share * total_count
    if strictly_more:
        area_met = Fraction(actual_area) > area_needed
        count_min = math.floor(count_needed) + 1
    else:
        area_met = Fraction(actual_area) >= area_needed
        count_min = math.ceil(count_needed)
    count_min = max(count_min, 0)
    count_met = actual_count >= count_min and total_count > 0
    return {
        "met": area_met and count_met and total_count > 0,
        "area": {"met": area_met and total_count > 0, "required_share": str(area_share),
                 "strictly_more": strictly_more, "threshold_m2": _cents(area_needed),
                 "actual_m2": _cents(actual_area), "margin_m2": _cents(Fraction(actual_area) - area_needed)},
        "owners": {"met": count_met, "required_share": str(count_share), "strictly_more": strictly_more,
                   "required": count_min, "actual": actual_count, "margin": actual_count - count_min},
    }


def _counted(found: dict[str, Voter], ballots) -> tuple[dict[int, Voter], dict[str, Ballot]]:
    """Household id → voter, and voter key → the ballot that counts (ballots oldest first)."""
    by_household = {h.pk: voter for voter in found.values() for h in voter.households}
    # Map ballots to today's voters through their household: if the register changed after a ballot was cast,
    # a voter still counts once (their latest ballot).
    counted: dict[str, Ballot] = {}
    for ballot in ballots:
        voter = by_household.get(ballot.household_id) or found.get(ballot.voter_key)
        if voter is not None:
            counted[voter.key] = ballot
    return by_household, counted


def result(vote: Vote, now=None) -> dict:
    """The count as it stands (final once the vote has closed); see the module doc for the rules."""
    found = voters(vote)
    by_household, counted = _counted(found, Ballot.objects.filter(vote=vote).order_by("updated_at", "pk"))

    total_area = sum((v.area for v in found.values()), Decimal(0))
    total_voters = len(found)
    tally = {c: {"voters": 0, "households": 0, "area": Decimal(0)} for c in Ballot.Choice.values}
    for key, ballot in counted.items():
        voter = found[key]
        tally[ballot.choice]["voters"] += 1
        tally[ballot.choice]["households"] += len(voter.households)
        tally[ballot.choice]["area"] += voter.area
    part_voters = sum(t["voters"] for t in tally.values())
    part_area = sum((t["area"] for t in tally.values()), Decimal(0))
    part_households = sum(t["households"] for t in tally.values())

    quorum = _threshold(part_area, part_voters, total_area, total_voters, exact(vote.quorum_area),
                   exact(vote.quorum_owners), strictly_more=False)
    approval = _threshold(tally["yes"]["area"], tally["yes"]["voters"], part_area, part_voters, exact(vote.pass_area),
                     exact(vote.pass_owners), strictly_more=vote.pass_strictly_more)

    def choice_block(choice):
        t = tally[choice]
        return {"voters": t["voters"], "households": t["households"], "area_m2": _cents(t["area"]),
                "share_voters": _share(t["voters"], part_voters), "share_area": _share(t["area"], part_area)}

    rows = []
    for voter in found.values():
        ballot = counted.get(voter.key)
        for household in voter.households:
            rows.append({"building": household.building.name, "stairwell_unit": household.stairwell_unit,
                         "room": household.room, "area_m2": _cents(household.exclusive_area_m2),
                         "choice": ballot.choice if ballot else None,
                         "channel": ballot.channel if ballot else None})
    rows.sort(key=lambda r: (r["building"], r["stairwell_unit"], r["room"]))
    state = status(vote, now)
    return {
        "vote": vote.pk, "title": vote.title, "community": vote.community.code, "matter": vote.matter,
        "electorate": vote.electorate, "status": state, "final": state == "closed",
        "opens_at": vote.opens_at, "closes_at": vote.closes_at,
        "total": {"voters": total_voters, "households": len(by_household), "area_m2": _cents(total_area)},
        "participating": {"voters": part_voters, "households": part_households, "area_m2": _cents(part_area),
                          "share_voters": _share(part_voters, total_voters),
                          "share_area": _share(part_area, total_area)},
        "yes": choice_block("yes"), "no": choice_block("no"), "abstain": choice_block("abstain"),
        "quorum": quorum, "approval": approval,
        "quorum_met": quorum["met"], "passed": quorum["met"] and approval["met"],
        "published_rows": rows,
    }


def turnout(vote: Vote) -> dict:
    """What a resident sees after voting: participation by headcount and by area, no one's choice."""
    found = result(vote)
    return {"status": found["status"], "total": found["total"], "participating": found["participating"],
            "quorum": {"met": found["quorum_met"],
                       "owners": {k: found["quorum"]["owners"][k] for k in ("required", "actual", "margin")},
                       "area": {k: found["quorum"]["area"][k] for k in ("threshold_m2", "actual_m2", "margin_m2")}}}


@dataclass(frozen=True)
class _Household:  # what counting needs of a household (the vote list reads thousands)
    pk: int
    building_id: int
    stairwell_unit: int
    exclusive_area_m2: Decimal


@dataclass(frozen=True)
class _Ballot:
    household_id: int
    voter_key: str


def participation_of(vote_list) -> dict[int, dict]:
    """Vote id → participating voters, households and area with their shares, as :func:`result` counts them,
    for many votes in four queries (the vote list)."""
    vote_list = list(vote_list)
    communities = {v.community_id for v in vote_list}
    by_community = defaultdict(list)
    for pk, building_id, unit, area, community_id in (
            Household.objects.filter(building__community_id__in=communities).order_by("pk")
            .values_list("pk", "building_id", "stairwell_unit", "exclusive_area_m2", "building__community_id")):
        by_community[community_id].append(_Household(pk, building_id, unit, area))
    owners = owners_of(Ownership.objects.filter(household__building__community_id__in=communities))
    ballots = defaultdict(list)
    for vote_id, household_id, voter_key in (Ballot.objects.filter(vote__in=vote_list).order_by("updated_at", "pk")
                                             .values_list("vote_id", "household_id", "voter_key")):
        ballots[vote_id].append(_Ballot(household_id, voter_key))
    found = {}
    for vote in vote_list:
        voters_ = voters_from([h for h in by_community[vote.community_id] if _votes_in(vote, h)], owners)
        _by_household, counted = _counted(voters_, ballots[vote.pk])
        part_area = sum((voters_[key].area for key in counted), Decimal(0))
        total_area = sum((v.area for v in voters_.values()), Decimal(0))
        found[vote.pk] = {
            "voters": len(counted), "households": sum(len(voters_[key].households) for key in counted),
            "area_m2": _cents(part_area), "share_voters": _share(len(counted), len(voters_)),
            "share_area": _share(part_area, total_area)}
    return found


def _votes_in(vote: Vote, household: Household) -> bool:
    """Whether a household of the vote's community is in its electorate (:func:`electorate`, in Python)."""
    if vote.electorate in (Vote.Electorate.BUILDING, Vote.Electorate.UNIT) \
            and household.building_id != vote.building_id:
        return False
    return vote.electorate != Vote.Electorate.UNIT or household.stairwell_unit == vote.stairwell_unit
