"""Who may open and enter votes, and casting ballots online and on paper (one per voter, merged)."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from gaizao.communities.models import Community
from gaizao.core import audit
from gaizao.households.models import CommitteeMember, Household
from gaizao.votes.models import Ballot, Vote
from gaizao.votes.services.rules import thresholds_for
from gaizao.votes.services.voters import in_electorate, voter_key


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
