"""Pinned SQL counts: a list page costs the same number of queries for 3 rows as for 30 (no N+1)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import make_community


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("url", ["/communities/", "/api/communities/", "/summary/", "/api/summary/"])
def test_query_count_does_not_grow_with_rows(client, bureau, dongcheng, xicheng, url):
    client.force_login(bureau)
    for n in range(3):
        make_community(dongcheng if n % 2 else xicheng, f"Q{n}", f"小区{n}", buildings=((5, 30, "2000"),) * 3)
    few = queries(client, url)
    for n in range(3, 30):
        make_community(dongcheng if n % 2 else xicheng, f"Q{n}", f"小区{n}", buildings=((5, 30, "2000"),) * 3)
    assert queries(client, url) == few


def test_community_detail_query_count_is_pinned(client, bureau, east_community):
    client.force_login(bureau)
    # 9, and one each for the sections other apps add: the utilities' works (coordination), the long-term
    # management (aftercare, which shows nothing before an acceptance) and the warranties (defects, the same)
    assert queries(client, reverse("communities:detail", args=["DC001"])) == 12
