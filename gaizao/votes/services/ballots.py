"""Who may open and enter votes, opening and extending them, and casting ballots (one per owner, first stands)."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from gaizao.communities.models import Community
from gaizao.core import audit, clock, formatting
from gaizao.households.access import is_bureau_or_committee
from gaizao.households.models import Household
from gaizao.votes.models import Ballot, Vote
from gaizao.votes.services.rules import thresholds_for
from gaizao.votes.services.voters import freeze, voter_key


def votes_visible_to(user):
    """Votes in the user's scope: their communities (bureau, officers) and those of their committees."""
    if user is None or not user.is_authenticated or not user.is_active or user.role == user.Role.CONTRACTOR:
        return Vote.objects.none()  # owners' decisions are none of the builder's business
    return Vote.objects.filter(
        Q(community__in=Community.objects.visible_to(user)) | Q(community__committees__members__user=user)
    ).distinct()


def may_create_vote(user, community: Community) -> bool:
    """Bureau staff and the officers of the community's sub-district."""
    return bool(user.is_authenticated and user.can_edit_census
                and Community.objects.visible_to(user).filter(pk=community.pk).exists())


def may_enter_paper(user, vote: Vote) -> bool:
    """Members of the community's residents' committee, and bureau staff."""
    return is_bureau_or_committee(user, vote.community_id)


def status(vote: Vote, now=None) -> str:
    now = now or clock.now()
    if now < vote.opens_at:
        return "upcoming"
    return "open" if now < vote.closes_at else "closed"


def is_open(vote: Vote, now=None) -> bool:
    return status(vote, now) == "open"


def create_vote(actor, community: Community, **fields) -> Vote:
    """A new vote with the thresholds of its matter under the rules in force copied in (never typed)."""
    if not may_create_vote(actor, community):
        raise PermissionDenied(_("Only the bureau or the community's sub-district can call a vote."))
    matter = fields.get("matter", Vote.Matter.OTHER)
    if matter not in Vote.Matter.values:
        raise ValidationError(_("Choose one of the matters of Civil Code art. 278."), code="matter")
    if fields.get("subject") == Vote.Subject.ELEVATOR:
        # An elevator alters the building (art. 278 (7)) and is decided by the owners of its stairwell.
        if fields.get("electorate") != Vote.Electorate.UNIT or not fields.get("stairwell_unit"):
            raise ValidationError(_("An elevator vote is for one stairwell: choose the building and the stairwell "
                                    "unit."), code="elevator_unit")
        fields["matter"] = matter = Vote.Matter.REBUILD
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
        freeze(vote)
    return vote


def stairwells_of(building) -> list[int]:
    return sorted(set(Household.objects.filter(building=building).values_list("stairwell_unit", flat=True)))


def create_elevator_votes(actor, community: Community, building, **fields) -> list[Vote]:
    """One vote per stairwell of the building: each stairwell's owners decide their own elevator."""
    units = stairwells_of(building)
    if not units:
        raise ValidationError(_("No households are registered in this building yet."), code="no_households")
    title = fields.pop("title")
    fields.update(subject=Vote.Subject.ELEVATOR, electorate=Vote.Electorate.UNIT, building=building)
    with transaction.atomic():
        return [create_vote(actor, community, title=f"{title}（{unit}单元）"[:200], stairwell_unit=unit, **fields)
                for unit in units]


def extend_vote(actor, vote: Vote, closes_at, reason: str) -> Vote:
    """A later closing time, with a reason kept in the history. Closing earlier is refused."""
    if not may_create_vote(actor, vote.community):
        raise PermissionDenied(_("Only the bureau or the community's sub-district can change a vote."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Say why the vote is extended; the reason is kept in the vote's history."),
                              code="reason")
    if status(vote) == "closed":
        raise ValidationError(_("This vote has closed; its result is final."), code="closed")
    if closes_at <= vote.closes_at:
        raise ValidationError(_("A vote can only be extended: choose a time after %(closes)s.")
                              % {"closes": timezone.localtime(vote.closes_at).strftime("%Y-%m-%d %H:%M")},
                              code="earlier")
    with transaction.atomic():
        before = audit.snapshot(vote, ["closes_at"])
        vote.closes_at = closes_at
        vote.save(update_fields=["closes_at"])
        audit.record(actor, [audit.Change("update", vote, before, audit.snapshot(vote, ["closes_at"]),
                                          parent=vote.community)], reason=reason)
    return vote


_VOTE_FIELDS = ["title", "subject", "matter", "electorate", "building", "stairwell_unit", "opens_at", "closes_at",
                "quorum_area", "quorum_owners", "pass_area", "pass_owners", "pass_strictly_more", "rule_set"]


@dataclass
class Cast:
    ballot: Ballot
    outcome: str  # "created", or "corrected" (a paper ballot replaced by the committee, with a reason)

    @property
    def created(self) -> bool:
        return self.outcome == "created"


class AlreadyVoted(ValidationError):
    """A second ballot for the same owner: refused, the first stands."""


def _already(ballot: Ballot) -> AlreadyVoted:
    how = _("online") if ballot.channel == Ballot.Channel.ONLINE else _("on a paper ballot entered by the committee")
    return AlreadyVoted(
        _("This home has already voted, %(how)s, on %(when)s (%(unit)s). Each owner votes once; the first ballot "
          "stands. If a paper ballot was entered wrongly, the committee corrects it, giving a reason.")
        % {"how": how, "when": _when(ballot.cast_at),
           "unit": f"{ballot.household.building.name} {ballot.household}"}, code="already_voted")


def _when(moment) -> str:
    local = timezone.localtime(moment)
    return f"{formatting.date(local)} {local:%H:%M}"


def _check_open(vote: Vote) -> None:
    if not is_open(vote):
        raise ValidationError(_("This vote is not open: it runs from %(opens)s to %(closes)s.") % {
            "opens": timezone.localtime(vote.opens_at).strftime("%Y-%m-%d %H:%M"),
            "closes": timezone.localtime(vote.closes_at).strftime("%Y-%m-%d %H:%M")}, code="closed")


def cast_ballot(vote: Vote, household: Household, choice: str, *, channel: str = Ballot.Channel.ONLINE,
                entered_by=None) -> Cast:
    """Record an owner's choice: one ballot per owner in the headcount's sense; a second one is refused."""
    if choice not in Ballot.Choice.values:
        raise ValidationError(_("Choose in favour, against or abstain."), code="choice")
    if channel not in Ballot.Channel.values:
        raise ValidationError(_("Unknown channel."), code="channel")
    if channel == Ballot.Channel.PAPER and not may_enter_paper(entered_by, vote):
        raise PermissionDenied(_("Only the residents' committee or the bureau enter paper ballots."))
    _check_open(vote)
    key = voter_key(vote, household)
    if key is None:
        raise ValidationError(_("This household is not among those who vote on this question."),
                              code="electorate")
    entered_by = entered_by if channel == Ballot.Channel.PAPER else None
    with transaction.atomic():
        try:
            # The database decides who was first: a savepoint, so a lost race leaves the transaction usable.
            with transaction.atomic():
                ballot = Ballot.objects.create(vote=vote, voter_key=key, household=household, choice=choice,
                                               channel=channel, entered_by=entered_by)
        except IntegrityError:
            first = Ballot.objects.select_related("household__building").filter(vote=vote, voter_key=key).first()
            if first is None:  # an integrity error of another kind
                raise
            raise _already(first) from None
        if channel == Ballot.Channel.PAPER:
            audit.record(entered_by, [audit.Change("create", ballot, None, _ballot_snapshot(ballot), parent=vote)],
                         reason=_("Paper ballot"))
    return Cast(ballot, "created")


def correct_paper_ballot(vote: Vote, household: Household, choice: str, *, entered_by, reason: str) -> Cast:
    """The committee corrects a paper ballot it entered wrongly: an explicit act with a reason, kept in history.
    An online ballot is the owner's own and is never replaced."""
    if not may_enter_paper(entered_by, vote):
        raise PermissionDenied(_("Only the residents' committee or the bureau correct paper ballots."))
    if choice not in Ballot.Choice.values:
        raise ValidationError(_("Choose in favour, against or abstain."), code="choice")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Say why the paper ballot is corrected; the reason is kept in the history."),
                              code="reason")
    _check_open(vote)
    key = voter_key(vote, household)
    with transaction.atomic():
        ballot = Ballot.objects.select_for_update().filter(vote=vote, voter_key=key).first() if key else None
        if ballot is None:
            raise ValidationError(_("This home has no ballot to correct."), code="no_ballot")
        if ballot.channel != Ballot.Channel.PAPER:
            raise ValidationError(_("This home voted online itself; an owner's own ballot cannot be replaced."),
                                  code="online")
        before = _ballot_snapshot(ballot)
        ballot.choice, ballot.entered_by, ballot.household = choice, entered_by, household
        ballot.save(update_fields=["choice", "entered_by", "household", "updated_at"])
        audit.record(entered_by, [audit.Change("update", ballot, before, _ballot_snapshot(ballot), parent=vote)],
                     reason=reason[:300])
    return Cast(ballot, "corrected")


def _ballot_snapshot(ballot: Ballot) -> dict:
    return audit.snapshot(ballot, ["household", "choice", "channel", "entered_by"])


def ballot_for(vote: Vote, household: Household) -> Ballot | None:
    """The ballot that counts for the household's owner, if any."""
    key = voter_key(vote, household)
    return Ballot.objects.filter(vote=vote, voter_key=key).first() if key else None
