"""Synthetic residents: owners and committees where a plan is put to the vote, open votes with ballots cast
by part of the owners, feedback on the works, and a notice per district."""

import datetime
from collections import defaultdict

from django.utils import timezone

from gaizao.accounts.models import User
from gaizao.demo.synthetic import names
from gaizao.demo.synthetic.bulk import BATCH, create_objects, insert_rows
from gaizao.demo.synthetic.people import committee_name, make_users
from gaizao.feedback.models import Feedback, FeedbackEvent
from gaizao.feedback.services import Event
from gaizao.households.models import Committee, CommitteeMember, Household, Owner, Ownership
from gaizao.notices.models import Notice
from gaizao.votes import services as vote_rules
from gaizao.votes.models import Ballot, Vote

VOTING_SHARE = 0.35  # of the communities whose plan is published
TURNOUT = (0.3, 0.6)  # share of voters who have voted so far: the rest can still vote (load tests use them)


def _id_number(rng, taken: set) -> str:
    """A made-up ID number, unique in its community (a database rule)."""
    number = ""
    while not number or number in taken:
        number = _random_id(rng)
    taken.add(number)
    return number


def _random_id(rng) -> str:
    body = f"1408{rng.randint(10, 30):02d}{rng.randint(1940, 1990)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    return body + f"{rng.randint(0, 999):03d}" + rng.choice("0123456789X")


def make_votes(rng, communities, plans_by_community, buildings_by_community, password, bureau, progress) -> dict:
    """An open plan vote in about a third of the communities whose plan is published, with owners and ballots.

    Everything is read and written in bulk, a few hundred communities at a time: the households of a batch with
    one query (grouped here by community), owners, ownerships, votes and ballots with one insert each, so the
    stage's queries grow with the batches, not with the communities (at 50,000 communities a query per community
    inside the one transaction took minutes each hundred).
    """
    voting = [c for c in communities if c.batch_year == 2027 and rng.random() < VOTING_SHARE]
    members = make_users([(committee_name(c), User.Role.COMMITTEE_MEMBER, names.person(rng), None)
                          for c in voting], password)
    committees = create_objects(Committee, [Committee(community=c, name=f"{c.name}临时管委会") for c in voting])
    create_objects(CommitteeMember, [CommitteeMember(committee=k, user=members[committee_name(c)], role="chair")
                                     for c, k in zip(voting, committees, strict=True)])
    made = {"votes": 0, "owners": 0, "ballots": 0}
    for start in range(0, len(voting), VOTE_BATCH):
        batch = voting[start:start + VOTE_BATCH]
        _votes_for(rng, batch, plans_by_community, buildings_by_community, bureau, made)
        progress(start + len(batch), len(voting), "votes")
    return made


VOTE_BATCH = 500  # communities whose households are read, and whose owners and ballots are written, at once


def _households_by_community(communities, buildings_by_community) -> dict[int, list[int]]:
    """The household ids of each community, in id order (the order they were made in)."""
    community_of = {b.pk: c.pk for c in communities for b in buildings_by_community[c.pk]}
    found = defaultdict(list)
    rows = Household.objects.filter(building_id__in=list(community_of)).order_by("pk").values_list("pk", "building_id")
    for pk, building_id in rows.iterator(chunk_size=BATCH):
        found[community_of[building_id]].append(pk)
    return found


def _votes_for(rng, communities, plans_by_community, buildings_by_community, bureau, made) -> None:
    now = timezone.now()
    thresholds = vote_rules.thresholds_for(Vote.Matter.OTHER)
    households = _households_by_community(communities, buildings_by_community)
    votes = create_objects(Vote, [Vote(
        community=c, title=f"{c.name}改造方案表决", subject=Vote.Subject.PLAN, plan=plans_by_community.get(c.pk),
        opens_at=now - datetime.timedelta(days=10), closes_at=now + datetime.timedelta(days=30), created_by=bureau,
        **thresholds) for c in communities])
    # The random draws in the order the one-community-at-a-time version made them, so a seed gives the same data:
    # each community's owners, then its turnout and who of them voted how.
    owners, cast = [], []
    for community, vote in zip(communities, votes, strict=True):
        taken = set()
        first = len(owners)
        for _household in households[community.pk]:
            owners.append(Owner(community=community, name=names.person(rng),
                                phone=f"13{rng.randint(100000000, 999999999)}",
                                id_number=_id_number(rng, taken) if rng.random() < 0.8 else ""))
        turnout = rng.uniform(*TURNOUT)
        for n, household in enumerate(households[community.pk]):
            if rng.random() < turnout:
                cast.append((vote.pk, first + n, household, rng.choices(Ballot.Choice.values, weights=[80, 12, 8])[0]))
    create_objects(Owner, owners)
    homes = [h for c in communities for h in households[c.pk]]
    insert_rows(Ownership, ["household", "owner"], ((h, o.pk) for h, o in zip(homes, owners, strict=True)))
    insert_rows(Ballot, ["vote", "voter_key", "household", "choice", "channel", "cast_at", "updated_at"],
                ((vote, f"o:{owners[n].pk}", household, choice, Ballot.Channel.ONLINE, now, now)
                 for vote, n, household, choice in cast))
    made["votes"] += len(votes)
    made["owners"] += len(owners)
    made["ballots"] += len(cast)


def make_feedback(rng, projects, progress) -> int:
    """About two items per started project's community, most answered or closed, some overdue."""
    items = []
    total = len(projects)
    for done, work in enumerate(projects, start=1):
        project = work.project
        for community in work.communities if work.started else ():
            for _n in range(rng.choice([0, 1, 2, 2, 3, 4])):
                category = rng.choice(list(names.FEEDBACK_TEXTS))
                responsible = (Feedback.Responsible.UTILITY if category == "utilities" else
                               Feedback.Responsible.SUBDISTRICT if category == "other" else
                               Feedback.Responsible.CONTRACTOR)
                status = rng.choices(Feedback.Status.values, weights=[15, 15, 70])[0]
                day = project.actual_start + datetime.timedelta(days=rng.randint(0, 200))
                items.append(Feedback(community=community, category=category,
                                      text=rng.choice(names.FEEDBACK_TEXTS[category]), responsible=responsible,
                                      company_id=project.contractor_id if responsible == "contractor" else None,
                                      due_date=day + datetime.timedelta(days=7), status=status))
        if done % 200 == 0 or done == total:
            progress(done, total, "feedback")
    create_objects(Feedback, items)
    events = [FeedbackEvent(feedback=f, kind=Event.REPORTED, text=f.text) for f in items]
    events += [FeedbackEvent(feedback=f, kind=Event.ANSWERED, text=rng.choice(names.ANSWERS))
               for f in items if f.status != Feedback.Status.OPEN]
    events += [FeedbackEvent(feedback=f, kind=Event.CONFIRMED) for f in items if f.status == Feedback.Status.CLOSED]
    create_objects(FeedbackEvent, events)
    return len(items)


def make_notices(districts, bureau) -> None:
    now = timezone.now()
    create_objects(Notice, [Notice(title="冬季施工及防冻提示", area=d, published_at=now, created_by=bureau,
                                   body="入冬后室外管网施工暂停，请居民做好水表、管道防冻。")
                            for d in districts])
