"""Pinned SQL counts: the feedback lists cost as many queries for a few items as for three times as many."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gaizao.feedback import services as feedback
from gaizao.households.models import Household, Owner, Ownership


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def add_households(building, start, stop):
    """Households with one owner each; every third shares the owner of the one before (one voter, two units)."""
    found = []
    for n in range(start, stop):
        household = Household.objects.create(building=building, stairwell_unit=1 + n % 2, room=f"{100 + n}",
                                             exclusive_area_m2=Decimal("60.5") + n)
        if n % 3 == 2 and found:
            owner = Ownership.objects.filter(household=found[-1]).first().owner
        else:
            owner = Owner.objects.create(community=building.community, name=f"业主{n}", phone=f"1390000{n:04d}")
        Ownership.objects.create(household=household, owner=owner)
        found.append(household)
    return found


def add_feedback(bureau, community, start, stop):
    households = list(Household.objects.filter(building__community=community).order_by("pk"))
    for n in range(start, stop):
        item = feedback.report(community, household=households[n % len(households)], category="quality",
                               text=f"第{n}条：楼道灯不亮", entered_by=bureau)
        if n % 2:
            feedback.answer(bureau, item, "已安排维修")


@pytest.mark.parametrize("url", ["/feedback/", "/api/feedback/"])
def test_feedback_lists_do_not_grow_with_items(client, bureau, east_community, url):
    client.force_login(bureau)
    add_households(east_community.buildings.order_by("name").first(), 0, 6)
    add_feedback(bureau, east_community, 0, 3)
    few = queries(client, url)
    add_feedback(bureau, east_community, 3, 9)
    assert queries(client, url) == few
