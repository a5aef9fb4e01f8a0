"""A resident reads the community plan on a phone (items, cost, their home's share), votes on it; once the vote
has closed, the community's need score names that vote as the residents' support."""

import datetime
import os
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone

from conftest import make_community
from gaizao.households import access
from gaizao.households.models import Household, Owner, Ownership
from gaizao.planning import plans
from gaizao.planning.models import Programme
from gaizao.votes import services as votes
from gaizao.votes.models import Vote
from tests.browser.conftest import identify_on_phone
from tests.browser.test_summary_flow import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ARTIFACTS = Path(os.environ.get("TEST_ARTIFACTS", "test-artifacts"))


def test_a_resident_reads_the_plan_votes_and_the_score_names_the_vote(phone, page, live_server, district,
                                                                       dongcheng, bureau):
    community = make_community(dongcheng, "DC401", "粮食局家属院", buildings=((5, 20, "1800"),))
    building = community.buildings.get()
    homes = []
    for number, (room, area) in enumerate((("101", "60"), ("102", "60"), ("201", "80"), ("202", "100")), start=1):
        home = Household.objects.create(building=building, stairwell_unit=1, room=room,
                                        exclusive_area_m2=Decimal(area))
        person = Owner.objects.create(community=community, name=f"业主{number}", phone=f"1390000000{number}")
        Ownership.objects.create(household=home, owner=person)
        homes.append(home)
    Programme.objects.create(name="盐湖区改造计划", district=district, first_year=2021, last_year=2025,
                             current_year=2021)
    plan = plans.propose_plan(None, community, cost_date=datetime.date(2021, 3, 1))
    total = plans.totals(plan)["total"]
    plans.update_plan(None, plan, quantities={}, funding={"central_subsidy": total - Decimal("30000"),
                                                          "residents": Decimal("30000")})
    now = timezone.now()
    vote = votes.create_vote(bureau, community, title="粮食局家属院改造方案", subject=Vote.Subject.PLAN, plan=plan,
                             opens_at=now - datetime.timedelta(hours=1), closes_at=now + datetime.timedelta(days=7))
    code = access.issue_codes(bureau, [homes[3]])[0].code

    identify_on_phone(phone, live_server, community, building, "202", code)
    phone.click(f"a[data-vote='{vote.pk}']")
    phone.wait_for_selector("#plan-summary")
    first_item = plan.items.select_related("item").order_by("item__after_basic", "item__code").first().item.name
    assert first_item in phone.inner_text("#plan-items")
    assert "万元" in phone.inner_text("#plan-total")
    assert "1万元" in phone.inner_text("#household-share")  # 30,000 yuan by area: 100 of 300 m²
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    ARTIFACTS.mkdir(exist_ok=True)
    phone.screenshot(path=str(ARTIFACTS / "plan-vote-phone.png"), full_page=True)
    phone.locator("#vote-buttons button").first.click()  # in favour
    phone.wait_for_selector("#thank-you")

    for home in homes[:3]:
        votes.cast_ballot(vote, home, "yes")
    Vote.objects.filter(pk=vote.pk).update(opens_at=now - datetime.timedelta(days=9),
                                           closes_at=now - datetime.timedelta(days=1))

    login(page, live_server, "bureau")
    page.wait_for_url(f"{live_server.url}/summary/")
    page.goto(f"{live_server.url}/planning/communities/{community.code}/plan/")
    support = page.inner_text("[data-source=support]")
    assert "粮食局家属院改造方案" in support and "100%" in support
