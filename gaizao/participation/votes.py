"""Owners' votes (问计) under Civil Code art. 278: who votes, casting ballots, and the lawful result.

The rules, as implemented here:

* **Electorate.** The households of the community, of one building, or of one stairwell unit of a building.
* **Voters.** A voter is the set of owners of a household. Households with the very same owners are one voter:
  an owner of several units votes once, with the areas of their units *inside the electorate* summed; co-owners
  of one unit share one vote. A household with no owner recorded is a voter of its own. (An owner who owns one
  unit alone and co-owns another with someone else is two voters here, because the owner sets differ; the
  register should record such cases as the property certificates do.)
* **Quorum.** Participating area ≥ quorum × all exclusive area AND participating voters ≥ quorum × all voters.
  Every ballot takes part: in favour, against and abstaining alike.
* **Approval.** Ordinary matters: in favour > ½ of the participating area AND > ½ of the participating voters.
  Major matters: in favour ≥ ¾ of both. Abstentions count among the participating, so they weigh like "not in
  favour", as the Civil Code counts "参与表决" owners.
* **Thresholds** are configuration: ``settings.VOTE_RULES`` (default: the Civil Code, quorum 2/3, ordinary 1/2,
  major 3/4) is read by :func:`vote_rules`; a new vote copies the numbers, so a later change of the local rules
  does not change a vote already held. The model keeps four decimals (2/3 is stored as 0.6667); every comparison
  uses :func:`exact`, which returns the simplest fraction that rounds to the stored value, so 0.6667 counts as
  exactly 2/3 and no voter is lost or won to rounding.
* **Ballots.** One ballot per voter and vote, enforced by the database (``one_ballot_per_voter``); under
  concurrent submissions one insert wins and the others update that one row. A resident can change their vote
  online until the deadline. Online and paper ballots are merged and counted once:
  a paper ballot for a voter who already voted online is refused (the owner's own online ballot stands);
  an online ballot for a voter whose paper ballot was entered replaces it (the owner's own, later choice);
  a second paper ballot corrects the first. Paper entries are written to the audit history.
* **Publication.** Results show the building, stairwell unit, room, area and choice: never names, phones or IDs.
"""

import hashlib
import math
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from gaizao.communities.models import Community
from gaizao.core import audit
from gaizao.participation.models import Ballot, CommitteeMember, Household, Ownership, Vote

DEFAULT_VOTE_RULES = {"quorum": "2/3", "ordinary": "1/2", "major": "3/4"}
_PLACES = Decimal("0.0001")
_CENT = Decimal("0.01")
_VOTER_KEY_MAX = Ballot._meta.get_field("voter_key").max_length


# ---- thresholds ---------------------------------------------------------------------------------------------

def _fraction(value) -> Fraction:
    if isinstance(value, Fraction):
        return value
    if isinstance(value, float):
        value = str(value)
    result = Fraction(str(value).strip()) if isinstance(value, str) else Fraction(value)
    if not 0 < result <= 1:
        raise ValueError(f"A vote threshold must be a share in (0, 1], not {value!r}")
    return result


def vote_rules() -> dict[str, Fraction]:
    """The thresholds in force: ``settings.VOTE_RULES`` over the Civil Code default, as exact fractions."""
    configured = {**DEFAULT_VOTE_RULES, **getattr(settings, "VOTE_RULES", {})}
    return {key: _fraction(configured[key]) for key in DEFAULT_VOTE_RULES}


def thresholds_for(matter: str, rules: dict[str, Fraction] | None = None) -> dict:
    """The model fields a new vote of this matter copies (quorum, approval, and > or ≥)."""
    rules = rules or vote_rules()
    approval = rules["major"] if matter == Vote.Matter.MAJOR else rules["ordinary"]
    return {
        "quorum_area": _stored(rules["quorum"]), "quorum_owners": _stored(rules["quorum"]),
        "pass_area": _stored(approval), "pass_owners": _stored(approval),
        # The Civil Code: "more than half" for ordinary matters, "at least three quarters" for major ones.
        "pass_strictly_more": matter != Vote.Matter.MAJOR,
    }


def _stored(share: Fraction) -> Decimal:
    return (Decimal(share.numerator) / Decimal(share.denominator)).quantize(_PLACES, rounding=ROUND_HALF_UP)


def exact(stored: Decimal) -> Fraction:
    """The simplest fraction that a four-decimal stored threshold is the rounding of: 0.6667 → 2/3, 0.5 → 1/2."""
    stored = Decimal(stored).quantize(_PLACES)
    for denominator in range(1, 10001):
        numerator = int((stored * denominator).to_integral_value(rounding=ROUND_HALF_UP))
        candidate = Fraction(numerator, denominator)
        if _stored(candidate) == stored:
            return candidate
    return Fraction(stored)  # unreachable: denominator 10000 always matches


# ---- who votes ----------------------------------------------------------------------------------------------

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
    return _voters_from(households, _owners_of(Ownership.objects.filter(household__in=[h.pk for h in households])))


def _owners_of(ownerships) -> dict[int, list[int]]:
    owners = defaultdict(list)
    for household_id, owner_id in ownerships.values_list("household_id", "owner_id"):
        owners[household_id].append(owner_id)
    return owners


def _voters_from(households, owners: dict[int, list[int]]) -> dict[str, Voter]:
    found: dict[str, Voter] = {}
    for household in households:
        key = _key(household.pk, owners.get(household.pk, ()))
        voter = found.setdefault(key, Voter(key, [], Decimal(0)))
        voter.households.append(household)
        voter.area += household.exclusive_area_m2
    return found


# ---- who may do what ----------------------------------------------------------------------------------------

def votes_visible_to(user):
    """Votes in the user's scope: their communities (bureau, officers) and those of their committees."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Vote.objects.none()
    return Vote.objects.filter(
        Q(community__in=Community.objects.visible_to(user)) | Q(community__committees__members__user=user)
    ).distinct()


def may_create_vote(user, community: Community) -> bool:
    """Bureau staff and the officers of the community's sub-district."""
    return bool(user.is_authenticated and user.can_edit_census
                and Community.objects.visible_to(user).filter(pk=community.pk).exists())


def may_enter_paper(user, vote: Vote) -> bool:
    """Members of the community's residents' committee, and bureau staff."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser or user.role == user.Role.BUREAU:
        return True
    return CommitteeMember.objects.filter(user=user, committee__community_id=vote.community_id).exists()


# ---- creating a vote and casting ballots --------------------------------------------------------------------

def status(vote: Vote, now=None) -> str:
    now = now or timezone.now()
    if now < vote.opens_at:
        return "upcoming"
    return "open" if now < vote.closes_at else "closed"


def is_open(vote: Vote, now=None) -> bool:
    return status(vote, now) == "open"


def create_vote(actor, community: Community, **fields) -> Vote:
    """A new vote with the thresholds in force for its matter copied in."""
    if not may_create_vote(actor, community):
        raise PermissionDenied(_("Only the bureau or the community's sub-district can call a vote."))
    matter = fields.get("matter", Vote.Matter.ORDINARY)
    vote = Vote(community=community, created_by=actor, **fields, **thresholds_for(matter))
    if vote.electorate == Vote.Electorate.COMMUNITY:
        vote.building, vote.stairwell_unit = None, None
    elif vote.electorate == Vote.Electorate.BUILDING:
        vote.stairwell_unit = None
    vote.full_clean()
    if vote.building_id and vote.building.community_id != community.pk:
        raise ValidationError(_("The building is not in this community."))
    with transaction.atomic():
        vote.save()
        audit.record(actor, [audit.Change("create", vote, None, audit.snapshot(vote, _VOTE_FIELDS),
                                          parent=community)])
    return vote


_VOTE_FIELDS = ["title", "subject", "matter", "electorate", "building", "stairwell_unit", "opens_at", "closes_at",
                "quorum_area", "quorum_owners", "pass_area", "pass_owners", "pass_strictly_more"]


@dataclass
class Cast:
    ballot: Ballot
    outcome: str  # "created", "changed" (the voter's earlier ballot updated) or "replaced_paper"

    @property
    def created(self) -> bool:
        return self.outcome == "created"


class AlreadyVotedOnline(ValidationError):
    """A paper ballot for a voter who voted online themselves: refused, the online ballot stands."""


def cast_ballot(vote: Vote, household: Household, choice: str, *, channel: str = Ballot.Channel.ONLINE,
                entered_by=None) -> Cast:
    """Record a household's choice: one ballot per voter, changeable until the deadline (see the module doc)."""
    if choice not in Ballot.Choice.values:
        raise ValidationError(_("Choose in favour, against or abstain."), code="choice")
    if channel not in Ballot.Channel.values:
        raise ValidationError(_("Unknown channel."), code="channel")
    if channel == Ballot.Channel.PAPER and not may_enter_paper(entered_by, vote):
        raise PermissionDenied(_("Only the residents' committee or the bureau enter paper ballots."))
    if not is_open(vote):
        raise ValidationError(_("This vote is not open: it runs from %(opens)s to %(closes)s.") % {
            "opens": timezone.localtime(vote.opens_at).strftime("%Y-%m-%d %H:%M"),
            "closes": timezone.localtime(vote.closes_at).strftime("%Y-%m-%d %H:%M")}, code="closed")
    if not in_electorate(vote, household):
        raise ValidationError(_("This household is not among those who vote on this question."),
                              code="electorate")
    key = voter_key(household)
    entered_by = entered_by if channel == Ballot.Channel.PAPER else None
    with transaction.atomic():
        try:
            # The database decides who was first: a savepoint, so a lost race leaves the transaction usable.
            with transaction.atomic():
                ballot = Ballot.objects.create(vote=vote, voter_key=key, household=household, choice=choice,
                                               channel=channel, entered_by=entered_by)
        except IntegrityError:
            ballot = Ballot.objects.select_for_update().filter(vote=vote, voter_key=key).first()
            if ballot is None:  # an integrity error of another kind
                raise
            return _change(ballot, household, choice, channel, entered_by)
        if channel == Ballot.Channel.PAPER:
            audit.record(entered_by, [audit.Change("create", ballot, None, _ballot_snapshot(ballot), parent=vote)],
                         reason=_("Paper ballot"))
    return Cast(ballot, "created")


def _ballot_snapshot(ballot: Ballot) -> dict:
    return audit.snapshot(ballot, ["household", "choice", "channel", "entered_by"])


def _change(ballot: Ballot, household: Household, choice: str, channel: str, entered_by) -> Cast:
    if channel == Ballot.Channel.PAPER and ballot.channel == Ballot.Channel.ONLINE:
        raise AlreadyVotedOnline(
            _("This household already voted online; that ballot stands and is counted once. "
              "The paper ballot was not entered."), code="already_voted_online")
    before = _ballot_snapshot(ballot)
    outcome = "replaced_paper" if ballot.channel == Ballot.Channel.PAPER and channel == Ballot.Channel.ONLINE \
        else "changed"
    ballot.choice, ballot.channel, ballot.entered_by, ballot.household = choice, channel, entered_by, household
    ballot.save(update_fields=["choice", "channel", "entered_by", "household", "updated_at"])
    if channel == Ballot.Channel.PAPER or outcome == "replaced_paper":
        audit.record(entered_by, [audit.Change("update", ballot, before, _ballot_snapshot(ballot), parent=ballot.vote)],
                     reason=_("Online ballot replaces the paper one") if outcome == "replaced_paper"
                     else _("Paper ballot corrected"))
    return Cast(ballot, outcome)


def ballot_for(vote: Vote, household: Household) -> Ballot | None:
    """The ballot that counts for the household's voter, if any."""
    return Ballot.objects.filter(vote=vote, voter_key=voter_key(household)).first()


# ---- the result ---------------------------------------------------------------------------------------------

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
    owners = _owners_of(Ownership.objects.filter(household__building__community_id__in=communities))
    ballots = defaultdict(list)
    for vote_id, household_id, voter_key in (Ballot.objects.filter(vote__in=vote_list).order_by("updated_at", "pk")
                                             .values_list("vote_id", "household_id", "voter_key")):
        ballots[vote_id].append(_Ballot(household_id, voter_key))
    found = {}
    for vote in vote_list:
        voters_ = _voters_from([h for h in by_community[vote.community_id] if _votes_in(vote, h)], owners)
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
