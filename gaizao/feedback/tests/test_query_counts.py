"""Pinned SQL counts: the feedback lists cost as many queries for a few items as for three times as many."""

import pytest

from gaizao.feedback import services as feedback
from gaizao.households.models import Household
from gaizao.votes.tests.test_query_counts import add_households, queries


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
