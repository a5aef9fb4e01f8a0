"""Votes open and close on the platform's clock (gaizao.core.clock): the demo's vote, open from 22 November to
22 December 2021, is open on the demo's day whatever the machine's calendar says."""

import datetime

from django.utils import timezone

from gaizao.core.filters import in_state
from gaizao.votes import services as votes
from gaizao.votes.models import Vote

DEMO_DAY = datetime.date(2021, 11, 25)


def _at(day, hour=9):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def test_a_vote_is_open_on_the_platforms_day(community, bureau, settings):
    vote = votes.create_vote(bureau, community, title="改造方案表决", subject=Vote.Subject.PLAN,
                             opens_at=_at(datetime.date(2021, 11, 22)), closes_at=_at(datetime.date(2021, 12, 22)))
    assert votes.status(vote) == "closed"  # on the real calendar, years later
    settings.GAIZAO_TODAY = DEMO_DAY
    assert votes.status(vote) == "open" and votes.is_open(vote)
    assert list(in_state(Vote.objects.all(), "open")) == [vote]
    settings.GAIZAO_TODAY = datetime.date(2021, 11, 1)
    assert votes.status(vote) == "upcoming"
