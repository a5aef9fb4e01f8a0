"""Owners' votes (问计) under Civil Code art. 278: who votes, casting ballots, and the lawful result.

The rules, as implemented here (the reading of the law is ours where noted; docs/residents.md says the same):

* **Matter.** One of art. 278's nine matters; (6) raising the maintenance fund, (7) rebuilding or altering
  buildings and facilities (an elevator) and (8) changing the use of common parts need three quarters, the others
  more than half. The thresholds follow from the matter and ``settings.VOTE_RULES`` (named in
  ``settings.VOTE_RULE_SET``) and are copied into the vote when it is called: never typed, and a later change of
  the local rules does not change a vote already held. An elevator vote is always (7) and its stairwell's.
* **Electorate.** The units of the community, of one building or of one stairwell unit, frozen when the vote opens
  (``ElectorateUnit``: unit, area, owner): households registered, areas corrected or owners changed later do not
  change the vote.
* **Headcount** (SPC interpretation art. 9). One exclusive unit is one owner; co-owners of a unit are one owner
  and cast one ballot; units that share an owner are one owner with their areas summed (our reading of "the same
  buyer": a person who owns one flat alone and another with a spouse is one buyer); the developer's unsold or
  undelivered units are one owner; a unit without a registered owner is one of its own. Area is the registered
  area, the measured (exclusive) area where none is registered.
* **Quorum.** Participating area ≥ 2/3 of the electorate's area AND participating owners ≥ 2/3 of its owners.
  Every ballot takes part: in favour, against and abstaining alike.
* **Approval.** In favour > ½ (or ≥ ¾) of the participating area AND of the participating owners. Abstention is
  participation and not approval. Shares are compared as exact fractions (:func:`exact`: 0.6667 is 2/3).
* **Ballots.** One per owner, enforced by the database (``one_ballot_per_voter``): the first ballot stands, a
  second one (online or paper, also under concurrent submissions) is refused saying when and how the first came.
  The committee may correct a paper ballot it entered, only with a reason, kept in the audit history.
* **Locks.** After the first ballot the question, matter, electorate and thresholds cannot change (the model and
  the admin refuse it); the closing time may only be extended, with a reason.
* **Result.** Stored when the vote closes and never recomputed from later data; a recount is an act with a reason
  that counts the frozen electorate and the ballots again. Results publish units and areas only, never names,
  phones or IDs, and cite their legal basis and the headcount rule.

The rules live in ``rules``, who votes in ``voters``, casting in ``ballots`` and the count in ``counting``;
callers use the names gathered here.
"""

from gaizao.votes.services.ballots import (
    AlreadyVoted,
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
    tick,
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

__all__ = ["AlreadyVoted", "Cast", "DEFAULT_VOTE_RULES", "Voter", "ballot_for", "cast_ballot",
           "compute", "correct_paper_ballot", "create_elevator_votes", "create_vote", "electorate", "exact",
           "extend_vote", "freeze", "in_electorate", "is_open", "may_create_vote", "may_enter_paper",
           "open_votes_for", "owner_keys", "participation_of", "recount", "result", "status",
           "thresholds_for", "tick", "turnout", "vote_rules", "voter_key", "voters", "votes_for_household",
           "votes_visible_to"]
