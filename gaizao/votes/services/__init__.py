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

The rules live in ``rules``, who votes in ``voters``, casting in ``ballots`` and the count in ``counting``;
callers use the names gathered here.
"""

from gaizao.votes.services.ballots import (
    AlreadyVoted,
    AlreadyVotedOnline,
    Cast,
    ballot_for,
    cast_ballot,
    correct_paper_ballot,
    create_elevator_votes,
    create_vote,
    extend_vote,
    is_open,
    may_create_vote,
    may_enter_paper,
    status,
    votes_visible_to,
)
from gaizao.votes.services.counting import (
    compute,
    participation_of,
    recount,
    result,
    turnout,
)
from gaizao.votes.services.rules import (
    DEFAULT_VOTE_RULES,
    exact,
    thresholds_for,
    vote_rules,
)
from gaizao.votes.services.voters import (
    Voter,
    electorate,
    freeze,
    in_electorate,
    open_votes_for,
    owner_keys,
    voter_key,
    voters,
    votes_for_household,
)

__all__ = ["AlreadyVoted", "AlreadyVotedOnline", "Cast", "DEFAULT_VOTE_RULES", "Voter", "ballot_for", "cast_ballot",
           "compute", "correct_paper_ballot", "create_elevator_votes", "create_vote", "electorate", "exact",
           "extend_vote", "freeze", "in_electorate", "is_open", "may_create_vote", "may_enter_paper",
           "open_votes_for", "owner_keys", "participation_of", "recount", "result", "status",
           "thresholds_for", "turnout", "vote_rules", "voter_key", "voters", "votes_for_household",
           "votes_visible_to"]
