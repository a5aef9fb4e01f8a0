"""Residents' voices move the plan: a resident reads the plan before voting, and the plan vote and the needs
survey become the need score's residents' support, named in the breakdown."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gaizao.planning import plans
from gaizao.planning.models import Programme
from gaizao.surveys.models import Survey, SurveyResponse
from gaizao.votes import services as votes
from gaizao.votes.models import Vote
from gaizao.votes.tests.test_law import close
from gaizao.votes.tests.test_votes import as_resident, building_of, register


@pytest.fixture
def plan(community, bureau):
    register(building_of(community), [("101", 60), ("102", 60), ("201", 80), ("202", 100)])
    plan = plans.propose_plan(None, community, cost_date=datetime.date(2021, 3, 1))
    total = plans.totals(plan)["total"]
    plans.update_plan(None, plan, quantities={}, funding={"central_subsidy": total - Decimal("30000"),
                                                          "residents": Decimal("30000")})
    return plan


@pytest.fixture
def programme(district):
    return Programme.objects.create(name="盐湖区2021—2025年改造计划", district=district, first_year=2021,
                                    last_year=2025, current_year=2021)


def plan_vote(community, bureau, plan):
    now = timezone.now()
    return votes.create_vote(bureau, community, title="改造方案表决", subject=Vote.Subject.PLAN, plan=plan,
                             opens_at=now - datetime.timedelta(days=1), closes_at=now + datetime.timedelta(days=9))


def test_a_resident_reads_the_plan_and_their_share_before_voting(community, bureau, plan):
    vote = plan_vote(community, bureau, plan)
    home = community.buildings.get().dwellings.get(room="202")
    page = as_resident(home).get(reverse("votes:resident_vote", args=[community.code, vote.pk])).content.decode()
    first_item = plan.items.select_related("item").first().item.name
    assert 'id="plan-summary"' in page and first_item in page
    assert 'id="plan-total"' in page and "居民出资" in page
    # 30,000 yuan shared by area: 100 of 300 m² is 10,000 yuan for this home.
    share = page[page.index('id="household-share"'):]
    assert "1万元" in share[:200] and "100" in share[:200]


def test_the_plan_vote_and_the_needs_survey_become_the_support_term(community, bureau, plan, programme, client):
    client.force_login(bureau)
    url = reverse("planning:community_plan", args=[community.code])
    before = client.get(url).content.decode()
    assert "neutral" in before or "中性" in before  # nothing known yet
    vote = plan_vote(community, bureau, plan)
    homes = list(community.buildings.get().dwellings.order_by("room"))
    for home, choice in zip(homes, ["yes", "yes", "yes", "no"], strict=True):
        votes.cast_ballot(vote, home, choice)
    close(vote)
    votes.result(vote)  # counted and stored when it closed
    survey = Survey.objects.create(community=community, kind=Survey.Kind.NEEDS, title="改造需求调查",
                                   opens_at=timezone.now() - datetime.timedelta(days=30),
                                   closes_at=timezone.now() - datetime.timedelta(days=10))
    SurveyResponse.objects.create(survey=survey, household=homes[0], answers={"items": ["JC04"]})
    page = Client()
    page.force_login(bureau)
    body = page.get(url).content.decode()
    assert "改造方案表决" in body and "改造需求调查" in body
    # Vote: 200 of 300 m² and 3 of 4 owners in favour → 0.708; survey: 1 of 4 households → 0.25; mean 0.479.
    from gaizao.planning.need import score_community

    score = score_community(community, 4, programme.need_weights, 2021)
    assert score.terms["support"] == pytest.approx((200 / 300 + 3 / 4) / 2 / 2 + 0.25 / 2)


def test_a_typed_support_counts_only_without_a_vote_or_survey(community, programme):
    from gaizao.planning.need import score_community

    community.resident_support = Decimal("90")
    community.save()
    score = score_community(community, 4, programme.need_weights, 2021)
    assert score.terms["support"] == pytest.approx(0.9) and "普查" in score.sources["support"]


def test_the_plan_shows_what_residents_asked_for_and_adds_what_it_lacks(community, bureau, plan, client):
    homes = list(community.buildings.get().dwellings.order_by("room"))
    survey = Survey.objects.create(community=community, kind=Survey.Kind.NEEDS, title="改造需求调查",
                                   opens_at=timezone.now() - datetime.timedelta(days=3),
                                   closes_at=timezone.now() + datetime.timedelta(days=3))
    in_plan = plan.items.select_related("item").first().item
    from gaizao.catalog.models import WorkItem

    lacking = WorkItem.objects.filter(active=True).exclude(pk__in=plan.items.values("item_id")).first()
    for home in homes[:3]:
        SurveyResponse.objects.create(survey=survey, household=home, answers={"items": [lacking.code, in_plan.code]})
    client.force_login(bureau)
    url = reverse("planning:community_plan", args=[community.code])
    page = client.get(url).content.decode()
    assert 'id="residents-needs"' in page and f'data-missing="{lacking.code}"' in page
    assert f'data-missing="{in_plan.code}"' not in page
    client.post(reverse("planning:community_plan_action", args=[community.code]),
                {"action": "add_needs", "plan": plan.pk})
    assert plan.items.filter(item=lacking).exists()
    assert f'data-missing="{lacking.code}"' not in client.get(url).content.decode()
