"""Synthetic residents: owners and committees where a plan is put to the vote, open votes with ballots cast
by part of the owners, feedback on the works, and a notice per district."""

import datetime

from django.utils import timezone

from gaizao.accounts.models import User
from gaizao.demo.synthetic import names
from gaizao.demo.synthetic.bulk import create_objects
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


def make_votes(rng, communities, plans_by_community, password, bureau, progress) -> dict:
    """An open plan vote in about a third of the communities whose plan is published, with owners and ballots."""
    voting = [c for c in communities if c.batch_year == 2027 and rng.random() < VOTING_SHARE]
    members = make_users([(committee_name(c), User.Role.COMMITTEE_MEMBER, names.person(rng), None)
                          for c in voting], password)
    committees = create_objects(Committee, [Committee(community=c, name=f"{c.name}临时管委会") for c in voting])
    create_objects(CommitteeMember, [CommitteeMember(committee=k, user=members[committee_name(c)], role="chair")
                                     for c, k in zip(voting, committees, strict=True)])
    now = timezone.now()
    thresholds = vote_rules.thresholds_for(Vote.Matter.OTHER)
    made = {"votes": 0, "owners": 0, "ballots": 0}
    for done, community in enumerate(voting, start=1):
        vote = Vote.objects.create(
            community=community, title=f"{community.name}改造方案表决", subject=Vote.Subject.PLAN,
            plan=plans_by_community.get(community.pk), opens_at=now - datetime.timedelta(days=10),
            closes_at=now + datetime.timedelta(days=30), created_by=bureau, **thresholds)
        households = list(Household.objects.filter(building__community=community).order_by("pk"))
        taken = set()
        owners = create_objects(Owner, [
            Owner(community=community, name=names.person(rng), phone=f"13{rng.randint(100000000, 999999999)}",
                  id_number=_id_number(rng, taken) if rng.random() < 0.8 else "") for _ in households])
        ownerships = [Ownership(household=h, owner=o) for h, o in zip(households, owners, strict=True)]
        create_objects(Ownership, ownerships)
        turnout = rng.uniform(*TURNOUT)
        ballots = [Ballot(vote=vote, voter_key=f"o:{o.pk}", household=h,
                          choice=rng.choices(Ballot.Choice.values, weights=[80, 12, 8])[0])
                   for h, o in zip(households, owners, strict=True) if rng.random() < turnout]
        create_objects(Ballot, ballots)
        made["votes"] += 1
        made["owners"] += len(owners)
        made["ballots"] += len(ballots)
        progress(done, len(voting), "votes")
    return made


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
